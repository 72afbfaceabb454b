using Microsoft.ML.OnnxRuntime;
using SiliconSim.Numerics.Formats;
using SiliconSim.Numerics.Kernels;
using SiliconSim.TestSupport;
using Xunit.Abstractions;

namespace SiliconSim.Numerics.Tests.Kernels;

/// <summary>
/// QuantizeLinear / DequantizeLinear / DynamicQuantizeLinear against ONNX Runtime on single-node graphs (opset 21,
/// graph optimisations off so no Q/DQ rewrite interferes), with x concentrated on rounding ties (k + 0.5)·s and their
/// float neighbours. 4-bit and float8 results are widened inside the graph (DequantizeLinear with scale 1 / Cast to
/// float), which is exact.
/// </summary>
public sealed class QuantizeLinearOrtTests
{
    private const int CasesPerType = 150;

    private readonly ITestOutputHelper _output;

    public QuantizeLinearOrtTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<DataType> QuantizeTypes => new()
    {
        DataType.Int8, DataType.UInt8, DataType.Int16, DataType.UInt16, DataType.Int4, DataType.UInt4, DataType.Int2, DataType.UInt2,
        DataType.Float8E4M3FN, DataType.Float8E4M3FNUZ, DataType.Float8E5M2, DataType.Float8E5M2FNUZ,
    };

    // ORT 1.31 implements 2-bit Q/DQ only from opset 25; float4e2m1 Q/DQ not at all.
    private static int OpsetFor(DataType type, bool half) => type is DataType.Int2 or DataType.UInt2 ? 25 : half ? 23 : 21;

    [Theory]
    [MemberData(nameof(QuantizeTypes))]
    public void Quantize_MatchesOrt_PerTensorPerAxisBlocked(DataType type)
    {
        var failures = new List<string>();
        int elements = 0;
        for (int seed = 0; seed < CasesPerType; seed++)
        {
            int mode = seed % 3;
            QuantCase c = Generators.Case(1000 + seed, type, mode);
            bool saturate = seed % 2 == 0;
            // Every fourth case feeds float16 x and scale (QuantizeLinear-21's T1 may be float16).
            bool half = seed % 4 == 3;
            TensorValue xIn = half ? TensorValue.Create(DataType.Float16, c.Shape, c.X.Select(v => (Half)v).ToArray()) : c.XTensor;
            TensorValue sIn = half ? TensorValue.Create(DataType.Float16, c.ScaleShape, c.Scale.Select(v => (Half)v).ToArray()) : c.ScaleTensor;
            TensorValue ours = QuantizeLinear.Run(xIn, sIn, c.ZeroPointTensor, type, c.Axis, c.BlockSize, saturate);
            var builder = new OnnxBuilder(opset: OpsetFor(type, half)).Input("x", xIn.Type, c.Shape.Select(d => (int?)d).ToArray())
                .Initializer("s", sIn);
            string[] qInputs = c.ZeroPointTensor is { } zp ? ["x", "s", "zp"] : ["x", "s"];
            if (c.ZeroPointTensor is { } z)
            {
                builder.Initializer("zp", z);
            }

            var attrs = new List<(string, object)> { ("axis", (long)c.Axis) };
            if (c.BlockSize > 0 && (c.Scale.Length > 1 || c.ScaleShape.Length > 1))
            {
                attrs.Add(("block_size", (long)c.BlockSize));
            }

            if (!DataTypeInfo.IsInteger(type))
            {
                attrs.Add(("saturate", saturate ? 1L : 0L));
            }

            if (c.ZeroPointTensor is null)
            {
                attrs.Add(("output_dtype", (long)type));
            }

            builder.Node("QuantizeLinear", qInputs, ["q"], attributes: [.. attrs]);
            bool widen = type is DataType.Int4 or DataType.UInt4 or DataType.Int2 or DataType.UInt2 || MiniFloats.IsMiniFloat(type);
            if (type is DataType.Int4 or DataType.UInt4 or DataType.Int2 or DataType.UInt2)
            {
                builder.Initializer("one", TensorValue.Scalar(DataType.Float, 1f)).Node("DequantizeLinear", ["q", "one"], ["y"]);
            }
            else if (widen)
            {
                builder.Node("Cast", ["q"], ["y"], attributes: [("to", (long)DataType.Float)]);
            }

            builder.Output(widen ? "y" : "q", widen ? DataType.Float : type);
            TensorValue ort;
            try
            {
                ort = OrtOracle.Run(builder.ToBytes(), [("x", xIn)], GraphOptimizationLevel.ORT_DISABLE_ALL)[0].Value;
            }
            catch (OnnxRuntimeException e)
            {
                throw new InvalidOperationException($"ORT rejected {c} half={half}: {e.Message}", e);
            }

            double[] expected = widen ? ort.Items<float>().Select(v => (double)v).ToArray() : QuantizeLinearPropertyTests.Ints(ort).Select(v => (double)v).ToArray();
            double[] actual = DataTypeInfo.IsInteger(type)
                ? QuantizeLinearPropertyTests.Ints(ours).Select(v => (double)v).ToArray()
                : ours.Items<byte>().Select(b => (double)MiniFloats.Decode(type, b)).ToArray();
            for (int i = 0; i < actual.Length; i++)
            {
                elements++;
                bool same = (double.IsNaN(actual[i]) && double.IsNaN(expected[i])) || BitConverter.DoubleToInt64Bits(actual[i]) == BitConverter.DoubleToInt64Bits(expected[i]);
                if (!same)
                {
                    failures.Add($"{c} half={half} saturate={saturate} x[{i}]={c.X[i]:R}: ours {actual[i]}, ORT {expected[i]}");
                }
            }
        }

        _output.WriteLine($"{DataTypeInfo.Name(type)}: {elements} elements, {failures.Count} mismatches");
        Assert.True(failures.Count == 0, $"{failures.Count}/{elements} mismatches:\n{string.Join('\n', failures.Take(20))}");
    }

    public static TheoryData<DataType> DequantizeTypes => new()
    {
        DataType.Int8, DataType.UInt8, DataType.Int16, DataType.UInt16, DataType.Int32, DataType.Int4, DataType.UInt4,
        DataType.Int2, DataType.UInt2, DataType.Float8E4M3FN, DataType.Float8E4M3FNUZ, DataType.Float8E5M2, DataType.Float8E5M2FNUZ,
    };

    [Theory]
    [MemberData(nameof(DequantizeTypes))]
    public void Dequantize_MatchesOrt_PerTensorPerAxisBlocked(DataType type)
    {
        var failures = new List<string>();
        int elements = 0;
        for (int seed = 0; seed < CasesPerType; seed++)
        {
            var r = new Random(seed);
            QuantCase c = Generators.Case(2000 + seed, type == DataType.Int32 ? DataType.Int16 : type, seed % 3, withZeroPoint: type != DataType.Int32 && seed % 2 == 0);
            TensorValue x;
            if (DataTypeInfo.IsInteger(type))
            {
                (long min, long max) = DataTypeInfo.IntegerRange(type);
                x = QuantCase.IntTensor(type, c.Shape, c.X.Select(_ => (int)(min + (long)(r.NextDouble() * (max - min + 1)))).ToArray());
            }
            else
            {
                x = TensorValue.Create(type, c.Shape, c.X.Select(_ => (byte)r.Next(256)).ToArray());
            }

            TensorValue? zp = DataTypeInfo.IsInteger(type) ? c.ZeroPointTensor : null;
            bool half = seed % 4 == 3;
            TensorValue scale = half ? TensorValue.Create(DataType.Float16, c.ScaleShape, c.Scale.Select(v => (Half)v).ToArray()) : c.ScaleTensor;
            TensorValue ours = DequantizeLinear.Run(x, scale, zp, scale.Type, c.Axis, c.BlockSize);
            var builder = new OnnxBuilder(opset: OpsetFor(type, false)).Initializer("x", x).Initializer("s", scale);
            if (zp is not null)
            {
                builder.Initializer("zp", zp);
            }

            var attrs = new List<(string, object)> { ("axis", (long)c.Axis) };
            if (c.BlockSize > 0 && (c.Scale.Length > 1 || c.ScaleShape.Length > 1))
            {
                attrs.Add(("block_size", (long)c.BlockSize));
            }

            builder.Node("DequantizeLinear", zp is null ? ["x", "s"] : ["x", "s", "zp"], ["y"], attributes: [.. attrs]).Output("y", scale.Type);
            TensorValue ort = OrtOracle.Run(builder.ToBytes(), [], GraphOptimizationLevel.ORT_DISABLE_ALL)[0].Value;
            float[] expected = half ? ort.Items<Half>().Select(v => (float)v).ToArray() : ort.Items<float>();
            float[] actual = half ? ours.Items<Half>().Select(v => (float)v).ToArray() : ours.Items<float>();
            elements += actual.Length;
            for (int i = 0; i < actual.Length; i++)
            {
                bool same = (float.IsNaN(actual[i]) && float.IsNaN(expected[i])) || BitConverter.SingleToUInt32Bits(actual[i]) == BitConverter.SingleToUInt32Bits(expected[i]);
                if (!same)
                {
                    failures.Add($"{c} scale {scale.Type} [{i}]: ours {actual[i]:R}, ORT {expected[i]:R}");
                }
            }
        }

        _output.WriteLine($"{DataTypeInfo.Name(type)}: {elements} elements, {failures.Count} mismatches");
        Assert.True(failures.Count == 0, $"{failures.Count}/{elements} mismatches:\n{string.Join('\n', failures.Take(20))}");
    }

    public static TheoryData<float[]> NonFiniteInputs => new()
    {
        new[] { 1f, float.NaN, -2f },
        new[] { float.NaN },
        new[] { float.PositiveInfinity, 1f },
        new[] { float.NegativeInfinity, 1f },
        new[] { float.NaN, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f, -3f },
        new[] { 1e38f, -1e38f, 3e38f },
    };

    [Theory]
    [MemberData(nameof(NonFiniteInputs))]
    public void DynamicQuantize_NonFiniteInputs_MatchOrt(float[] x) => CompareDynamic(x);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void DynamicQuantize_MatchesOrt(int seed)
    {
        var r = new Random(seed);
        int n = r.Next(1, 40);
        float[] x = seed switch
        {
            0 => new float[n],
            1 => Enumerable.Range(0, n).Select(_ => (float)r.NextDouble() * 10).ToArray(),
            2 => Enumerable.Range(0, n).Select(_ => -(float)r.NextDouble() * 3).ToArray(),
            _ => Enumerable.Range(0, n).Select(_ => (float)((r.NextDouble() * 2) - 0.7) * MathF.Pow(10, r.Next(-3, 4))).ToArray(),
        };
        CompareDynamic(x);
    }

    private static void CompareDynamic(float[] x)
    {
        int n = x.Length;
        byte[] model = new OnnxBuilder(opset: 21).Input("x", DataType.Float, n)
            .Node("DynamicQuantizeLinear", ["x"], ["y", "s", "z"])
            .Output("y", DataType.UInt8).Output("s", DataType.Float).Output("z", DataType.UInt8).ToBytes();
        var ort = OrtOracle.Run(model, [("x", TensorValue.FromFloats([n], x))], GraphOptimizationLevel.ORT_DISABLE_ALL);
        var (y, s, z) = DynamicQuantizeLinear.Run(TensorValue.FromFloats([n], x));
        Assert.Equal(BitConverter.SingleToUInt32Bits(ort[1].Value.Items<float>()[0]), BitConverter.SingleToUInt32Bits(s.Items<float>()[0]));
        Assert.Equal(ort[2].Value.Items<byte>(), z.Items<byte>());
        Assert.Equal(ort[0].Value.Items<byte>(), y.Items<byte>());
    }
}
