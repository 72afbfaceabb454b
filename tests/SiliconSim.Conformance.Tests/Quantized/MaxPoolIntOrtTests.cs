using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;
using Xunit.Abstractions;

namespace SiliconSim.Conformance.Tests.Quantized;

/// <summary>
/// The MaxPool kernel on uint8/int8 (what quantized graphs run after QDQ fusion) against ONNX Runtime's MaxPool.
/// </summary>
public sealed class MaxPoolIntOrtTests
{
    private readonly ITestOutputHelper _out;

    public MaxPoolIntOrtTests(ITestOutputHelper output) => _out = output;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void MaxPoolInt_GeneratedCases_MatchOrtBitExactly(int seed)
    {
        var g = new QuantGen(seed * 8191);
        int elements = 0, bad = 0, geometryDiffs = 0;
        for (int rep = 0; rep < 12; rep++)
        {
            DataType t = g.Bool() ? DataType.UInt8 : DataType.Int8;
            int rank = g.Int(1, 3);
            int[] spatial = [.. Enumerable.Range(0, rank).Select(_ => g.Int(2, rank == 3 ? 5 : 9))];
            int[] kernel = [.. spatial.Select(d => g.Int(1, Math.Min(3, d)))];
            int[] strides = [.. kernel.Select(_ => g.Int(1, 3))];
            int[] dilations = [.. kernel.Select((k, i) => ((k - 1) * 2) + 1 <= spatial[i] ? g.Int(1, 2) : 1)];
            int[] pads = [.. Enumerable.Range(0, 2 * rank).Select(i => g.Int(0, kernel[i % rank] - 1))];
            bool ceil = g.Bool();
            int[] shape = [g.Int(1, 2), g.Int(1, 3), .. spatial];
            var x = g.Codes(t, shape);
            var attrs = new List<(string, object)> { ("kernel_shape", kernel), ("strides", strides), ("dilations", dilations), ("ceil_mode", (long)(ceil ? 1 : 0)) };
            string autoPad = "NOTSET";
            if (g.Int(0, 3) == 0)
            {
                autoPad = g.Bool() ? "SAME_UPPER" : "VALID";
                attrs.Add(("auto_pad", autoPad));
                if (autoPad == "SAME_UPPER")
                {
                    // ORT sizes SAME pooling pads with the undilated kernel (pool_attributes.h) while ONNX and
                    // ConvGeometry use the dilated one; keep this kernel test off that geometry disagreement.
                    attrs[2] = ("dilations", Enumerable.Repeat(1, rank).ToArray());
                    dilations = [.. Enumerable.Repeat(1, rank)];
                }
            }
            else
            {
                attrs.Add(("pads", pads));
            }

            ConvGeometry geo = ConvGeometry.Resolve(shape, shape[1], kernel, [.. strides.Select(v => (long)v)], [.. dilations.Select(v => (long)v)], autoPad == "NOTSET" ? [.. pads.Select(v => (long)v)] : null, autoPad, shape[1], ceil);
            TensorValue ort = SingleNode.Ort("MaxPool", string.Empty, [x], [.. attrs], t);
            int[] ortSpatial = [.. ort.Shape.Skip(2)];
            if (!ortSpatial.SequenceEqual(geo.OutSpatial))
            {
                // ORT's pool kernel sizes some ceil_mode/SAME+dilation outputs differently from ONNX shape inference
                // (and ConvGeometry, which follows it); that is the geometry's business, not this kernel's.
                _out.WriteLine($"geometry differs: ORT [{string.Join(',', ortSpatial)}] vs resolved [{string.Join(',', geo.OutSpatial)}] for {SingleNode.Describe([x], [.. attrs], ort, ort)}");
                geometryDiffs++;
                geo = geo with { OutSpatial = ortSpatial };
            }

            TensorValue ours = t == DataType.UInt8 ? Run<byte>(x, geo, t) : Run<sbyte>(x, geo, t);
            int m = SingleNode.Mismatches(ort, ours);
            if (m > 0)
            {
                _out.WriteLine(SingleNode.Describe([x], [.. attrs], ort, ours));
            }

            bad += m;
            elements += ort.Length;
        }

        _out.WriteLine($"MaxPool int seed {seed}: {elements} outputs, {bad} mismatches, {geometryDiffs} geometry differences");
        Assert.Equal(0, bad);
        Assert.Equal(0, geometryDiffs);
    }

    private static TensorValue Run<T>(TensorValue x, ConvGeometry geo, DataType t)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>, System.Numerics.IMinMaxValue<T>
    {
        T[] y = Numerics.Kernels.Float.PoolKernels.MaxPool<T>(x.Items<T>(), geo, T.MinValue, out _);
        return TensorValue.Create(t, geo.OutputShape, y);
    }
}
