using Microsoft.ML.OnnxRuntime;
using SiliconSim.Numerics.Formats;
using SiliconSim.Numerics.Kernels;
using SiliconSim.TestSupport;
using Xunit.Abstractions;
using BFloat16 = SiliconSim.Numerics.Formats.BFloat16;

namespace SiliconSim.Numerics.Tests.Kernels;

/// <summary>Cast against ONNX Runtime (opset 21, one Cast on a constant, optimisations off) for every pair of numeric
/// types ORT's CPU provider implements, on values that probe rounding, truncation, wrapping, NaN, ±Inf and overflow.</summary>
public sealed class CastOrtTests(ITestOutputHelper output)
{
    private static readonly DataType[] s_types =
    [
        DataType.Float, DataType.Double, DataType.Float16, DataType.BFloat16, DataType.Int8, DataType.UInt8, DataType.Int16,
        DataType.UInt16, DataType.Int32, DataType.UInt32, DataType.Int64, DataType.UInt64, DataType.Bool,
        DataType.Float8E4M3FN, DataType.Float8E4M3FNUZ, DataType.Float8E5M2, DataType.Float8E5M2FNUZ, DataType.Int4, DataType.UInt4,
    ];

    private static readonly double[] s_floatProbes =
    [
        0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.7, -0.7, 100.6, -100.6, 127.5, 128, -128.5, 255.5, 256, 300, -129, 1000.25, 32767.5,
        65535.5, 65536, 70000, 1e9, -1e9, 2147483520, 3e9, -3e9, 5e9, -5e9, 1e19, -1e19, double.NaN, double.PositiveInfinity,
        double.NegativeInfinity, 448, 464, 500, 57344, 0.001, 1e-8, 3.3e38, -3.3e38, 1e300, 1.00000001, 16777217,
    ];

    private static readonly long[] s_intProbes =
    [
        0, 1, -1, 7, 8, -8, -9, 15, 16, 127, 128, -128, -129, 255, 256, 300, 32767, 32768, -32768, -32769, 65535, 65536,
        16777217, int.MaxValue, int.MinValue, 4294967295, 4294967296, long.MaxValue, long.MinValue, 9007199254740993,
    ];

    public static TheoryData<DataType> Sources => [.. s_types];

    [Theory]
    [MemberData(nameof(Sources))]
    public void Cast_MatchesOrt_FromSourceToEveryTarget(DataType from)
    {
        TensorValue x = Source(from);
        var failures = new List<string>();
        var unsupported = new List<string>();
        int compared = 0;
        foreach (DataType to in s_types)
        {
            foreach (bool saturate in MiniFloats.IsMiniFloat(to) ? new[] { true, false } : [true])
            {
                bool widen = MiniFloats.IsMiniFloat(to) || to is DataType.Int4 or DataType.UInt4;
                var b = new OnnxBuilder(opset: 21).Initializer("x", x)
                    .Node("Cast", ["x"], ["c"], attributes: [("to", (long)to), ("saturate", saturate ? 1L : 0L)]);
                if (widen)
                {
                    b.Node("Cast", ["c"], ["y"], attributes: [("to", (long)(MiniFloats.IsMiniFloat(to) ? DataType.Float : DataType.Int32))]);
                }

                b.Output(widen ? "y" : "c", widen ? (MiniFloats.IsMiniFloat(to) ? DataType.Float : DataType.Int32) : to);
                TensorValue ort;
                try
                {
                    ort = OrtOracle.Run(b.ToBytes(), [], GraphOptimizationLevel.ORT_DISABLE_ALL)[0].Value;
                }
                catch (OnnxRuntimeException e) when (e.Message.Contains("NOT_IMPLEMENTED", StringComparison.OrdinalIgnoreCase)
                    || e.Message.Contains("implementation", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("Type Error", StringComparison.OrdinalIgnoreCase))
                {
                    unsupported.Add($"{DataTypeInfo.Name(from)}->{DataTypeInfo.Name(to)}");
                    continue;
                }

                TensorValue ours = Cast.Run(x, to, saturate);
                string[] e1 = Render(ort);
                string[] g = widen && MiniFloats.IsMiniFloat(to)
                    ? Render(TensorValue.FromFloats([ours.Length], ours.Items<byte>().Select(c => MiniFloats.Decode(to, c)).ToArray()))
                    : widen ? Enumerable.Range(0, ours.Length).Select(i => QuantizeLinearPropertyTests.Ints(ours)[i].ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray()
                    : Render(ours);
                for (int i = 0; i < e1.Length; i++)
                {
                    // Known divergence (C++ undefined behaviour in ORT): bfloat16 -3.3e38 → uint32 gives 0 in ORT where
                    // float and double sources of about the same value give 0x80000000; not modelled.
                    if (from == DataType.BFloat16 && to == DataType.UInt32 && x.Items<BFloat16>()[i].ToSingle() < -1e38f)
                    {
                        continue;
                    }

                    compared++;
                    if (e1[i] != g[i])
                    {
                        failures.Add($"{DataTypeInfo.Name(from)}->{DataTypeInfo.Name(to)} sat={saturate} [{i}] {Render(x)[i]}: ours {g[i]}, ORT {e1[i]}");
                    }
                }
            }
        }

        output.WriteLine($"{DataTypeInfo.Name(from)}: {compared} values compared, {failures.Count} mismatches; ORT lacks {string.Join(", ", unsupported)}");
        Assert.True(failures.Count == 0, $"{failures.Count} mismatches:\n{string.Join('\n', failures.Take(40))}");
    }

    private static TensorValue Source(DataType t)
    {
        if (t is DataType.Float or DataType.Double or DataType.Float16 or DataType.BFloat16 || MiniFloats.IsMiniFloat(t))
        {
            double[] d = s_floatProbes;
            int[] shape = [d.Length];
            return t switch
            {
                DataType.Double => TensorValue.Create(t, shape, d),
                DataType.Float => TensorValue.FromFloats(shape, d.Select(v => (float)v).ToArray()),
                DataType.Float16 => TensorValue.Create(t, shape, d.Select(v => (Half)(float)v).ToArray()),
                DataType.BFloat16 => TensorValue.Create(t, shape, d.Select(v => BFloat16.FromSingle((float)v)).ToArray()),
                _ => TensorValue.Create(t, shape, d.Select(v => MiniFloats.Encode(t, (float)v, true)).ToArray()),
            };
        }

        long[] l = s_intProbes;
        int[] s = [l.Length];
        return t switch
        {
            DataType.Bool => TensorValue.Create(t, s, l.Select(v => v != 0).ToArray()),
            DataType.Int64 => TensorValue.Create(t, s, l),
            DataType.UInt64 => TensorValue.Create(t, s, l.Select(v => unchecked((ulong)v)).ToArray()),
            DataType.UInt32 => TensorValue.Create(t, s, l.Select(v => unchecked((uint)v)).ToArray()),
            DataType.Int32 => TensorValue.Create(t, s, l.Select(v => unchecked((int)v)).ToArray()),
            DataType.Int16 => TensorValue.Create(t, s, l.Select(v => unchecked((short)v)).ToArray()),
            DataType.UInt16 => TensorValue.Create(t, s, l.Select(v => unchecked((ushort)v)).ToArray()),
            DataType.Int8 => TensorValue.Create(t, s, l.Select(v => unchecked((sbyte)v)).ToArray()),
            DataType.UInt8 => TensorValue.Create(t, s, l.Select(v => unchecked((byte)v)).ToArray()),
            DataType.Int4 => TensorValue.Create(t, s, l.Select(v => (sbyte)(((int)(v & 0xF) ^ 8) - 8)).ToArray()),
            DataType.UInt4 => TensorValue.Create(t, s, l.Select(v => (byte)(v & 0xF)).ToArray()),
            _ => throw new ArgumentException(t.ToString()),
        };
    }

    private static string[] Render(TensorValue t)
    {
        static string Inv(IFormattable f) => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture);
        return t.Type switch
        {
            DataType.Float => t.Items<float>().Select(v => float.IsNaN(v) ? "NaN" : $"{Inv(v)}/{BitConverter.SingleToUInt32Bits(v):X8}").ToArray(),
            DataType.Double => t.Items<double>().Select(v => double.IsNaN(v) ? "NaN" : $"{Inv(v)}/{BitConverter.DoubleToUInt64Bits(v):X16}").ToArray(),
            DataType.Float16 => t.Items<Half>().Select(v => Half.IsNaN(v) ? "NaN" : $"{BitConverter.HalfToUInt16Bits(v):X4}").ToArray(),
            DataType.BFloat16 => t.Items<BFloat16>().Select(v => float.IsNaN(v.ToSingle()) ? "NaN" : $"{v.Bits:X4}").ToArray(),
            DataType.Bool => t.Items<bool>().Select(v => v ? "true" : "false").ToArray(),
            DataType.Int64 => t.Items<long>().Select(v => Inv(v)).ToArray(),
            DataType.UInt64 => t.Items<ulong>().Select(v => Inv(v)).ToArray(),
            DataType.UInt32 => t.Items<uint>().Select(v => Inv(v)).ToArray(),
            _ when MiniFloats.IsMiniFloat(t.Type) => t.Items<byte>().Select(c => Inv(MiniFloats.Decode(t.Type, c))).ToArray(),
            _ => QuantizeLinearPropertyTests.Ints(t).Select(v => Inv(v)).ToArray(),
        };
    }
}
