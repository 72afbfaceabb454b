using SiliconSim.Numerics;
using Xunit.Abstractions;

namespace SiliconSim.Conformance.Tests.Quantized;

/// <summary>QLinearConv and ConvInteger against ONNX Runtime over generated geometries, zero points and scales.</summary>
public sealed class QLinearConvOrtTests
{
    private readonly ITestOutputHelper _out;

    public QLinearConvOrtTests(ITestOutputHelper output) => _out = output;

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 8)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void QLinearConv_GeneratedCases_MatchOrtBitExactly(int seed)
    {
        var g = new QuantGen(seed * 7919);
        int cases = 0, elements = 0, bad = 0;
        for (int c = 0; c < 10; c++)
        {
            var (inputs, attrs, yType) = ConvCase(g, quantized: true);
            var ours = SingleNode.Ours("QLinearConv", string.Empty, inputs, attrs);
            var ort = SingleNode.Ort("QLinearConv", string.Empty, inputs, attrs, yType);
            int m = SingleNode.Mismatches(ort, ours);
            if (m > 0)
            {
                _out.WriteLine(SingleNode.Describe(inputs, attrs, ort, ours));
            }

            bad += m;
            elements += ort.Length;
            cases++;
        }

        _out.WriteLine($"QLinearConv seed {seed}: {cases} cases, {elements} outputs, {bad} mismatches");
        Assert.Equal(0, bad);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void ConvInteger_GeneratedCases_MatchOrtBitExactly(int seed)
    {
        var g = new QuantGen(seed * 104729);
        int elements = 0, bad = 0;
        for (int c = 0; c < 6; c++)
        {
            var (inputs, attrs, _) = ConvCase(g, quantized: false);
            var ours = SingleNode.Ours("ConvInteger", string.Empty, inputs, attrs);
            var ort = SingleNode.Ort("ConvInteger", string.Empty, inputs, attrs, DataType.Int32);
            bad += SingleNode.Mismatches(ort, ours);
            elements += ort.Length;
        }

        _out.WriteLine($"ConvInteger seed {seed}: {elements} outputs, {bad} mismatches");
        Assert.Equal(0, bad);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void QLinearConv_OneAndThreeSpatialDims_MatchOrtBitExactly(int rank)
    {
        var g = new QuantGen(rank * 99);
        int elements = 0, bad = 0;
        for (int c = 0; c < 8; c++)
        {
            int group = g.Int(1, 2), cg = g.Int(1, 3), mg = g.Int(1, 3);
            int[] spatial = [.. Enumerable.Range(0, rank).Select(_ => g.Int(3, rank == 1 ? 12 : 5))];
            int[] kernel = [.. spatial.Select(_ => g.Int(1, 3))];
            int[] strides = [.. kernel.Select(_ => g.Int(1, 2))];
            int[] dilations = [.. kernel.Select((k, i) => ((k - 1) * 2) + 1 <= spatial[i] ? g.Int(1, 2) : 1)];
            int[] pads = [.. Enumerable.Range(0, 2 * rank).Select(i => g.Int(0, kernel[i % rank] - 1))];
            bool narrow = g.Bool();
            var x = Around(g, DataType.UInt8, out int xzp, narrow, [g.Int(1, 2), group * cg, .. spatial]);
            var w = Around(g, DataType.Int8, out int wzp, narrow, [group * mg, cg, .. kernel]);
            float xs = g.Scale(), ws = g.Scale();
            double amplitude = (narrow ? 16.0 : 10000.0) * Math.Sqrt(cg * kernel.Aggregate(1, (p, v) => p * v));
            float ys = xs * ws / MathF.Pow(2, MathF.Round(MathF.Log2((float)(60.0 / amplitude))));
            TensorValue?[] inputs =
            [
                x, QuantGen.FloatScalar(xs), QuantGen.Scalar(DataType.UInt8, xzp), w, QuantGen.FloatScalar(ws), QuantGen.Scalar(DataType.Int8, wzp),
                QuantGen.FloatScalar(ys), QuantGen.Scalar(DataType.UInt8, g.Int(0, 255)), g.Int32s(-(int)amplitude, (int)amplitude, group * mg),
            ];
            (string, object)[] attrs = [("kernel_shape", kernel), ("strides", strides), ("dilations", dilations), ("pads", pads), ("group", (long)group)];
            var ours = SingleNode.Ours("QLinearConv", string.Empty, inputs, attrs);
            var ort = SingleNode.Ort("QLinearConv", string.Empty, inputs, attrs, DataType.UInt8);
            int m = SingleNode.Mismatches(ort, ours);
            if (m > 0)
            {
                _out.WriteLine(SingleNode.Describe(inputs, attrs, ort, ours));
            }

            bad += m;
            elements += ort.Length;
        }

        _out.WriteLine($"QLinearConv {rank}-D: {elements} outputs, {bad} mismatches");
        Assert.Equal(0, bad);
    }

    /// <summary>
    /// Scales chosen so that (x_scale · w_scale[oc]) / y_scale is exactly 0.5 or 0.25: every odd (resp. ≡ 2 mod 4)
    /// accumulator lands exactly on k + 0.5, so half-to-even rounding decides a large share of the outputs.
    /// </summary>
    [Fact]
    public void QLinearConv_ExactTies_MatchOrtBitExactly()
    {
        var g = new QuantGen(4711);
        int elements = 0, bad = 0, ties = 0;
        for (int c = 0; c < 6; c++)
        {
            var x = Around(g, DataType.UInt8, out int xzp, true, 1, 4, 6, 6);
            var w = Around(g, DataType.Int8, out int wzp, true, 3, 4, 3, 3);
            float[] ws = [0.5f, 0.25f, 0.5f];
            TensorValue?[] inputs =
            [
                x, QuantGen.FloatScalar(1f), QuantGen.Scalar(DataType.UInt8, xzp), w, TensorValue.Create(DataType.Float, [3], ws),
                TensorValue.Create(DataType.Int8, [3], Enumerable.Repeat((sbyte)wzp, 3).ToArray()), QuantGen.FloatScalar(1f), QuantGen.Scalar(DataType.UInt8, 128), null,
            ];
            (string, object)[] attrs = [("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 })];
            var ours = SingleNode.Ours("QLinearConv", string.Empty, inputs, attrs);
            var ort = SingleNode.Ort("QLinearConv", string.Empty, inputs, attrs, DataType.UInt8);
            var acc = SingleNode.Ours("ConvInteger", string.Empty, [x, w, QuantGen.Scalar(DataType.UInt8, xzp), QuantGen.Scalar(DataType.Int8, wzp)], attrs).Items<int>();
            for (int i = 0; i < acc.Length; i++)
            {
                float v = acc[i] * ws[i / 36];
                ties += v - MathF.Floor(v) == 0.5f ? 1 : 0;
            }

            bad += SingleNode.Mismatches(ort, ours);
            elements += ort.Length;
        }

        _out.WriteLine($"QLinearConv exact ties: {elements} outputs, {ties} on k + 0.5, {bad} mismatches");
        Assert.True(ties > elements / 5, $"only {ties} ties");
        Assert.Equal(0, bad);
    }

    internal static (TensorValue?[] Inputs, (string, object)[] Attrs, DataType YType) ConvCase(QuantGen g, bool quantized)
    {
        // ORT's CPU kernels: QLinearConv u8·u8→u8, u8·s8→u8, s8·s8→s8; ConvInteger u8·u8 and u8·s8.
        (DataType xt, DataType wt) = quantized
            ? g.Int(0, 2) switch { 0 => (DataType.UInt8, DataType.Int8), 1 => (DataType.UInt8, DataType.UInt8), _ => (DataType.Int8, DataType.Int8) }
            : (DataType.UInt8, g.Bool() ? DataType.Int8 : DataType.UInt8);
        int batch = g.Int(1, 2);
        int mode = g.Int(0, 2); // 0: group 1, 1: depthwise, 2: group 2
        int group = mode switch { 0 => 1, 1 => g.Int(1, 6), _ => 2 };
        int cPerGroup = mode == 1 ? 1 : g.Int(1, 4);
        int mPerGroup = mode == 1 ? g.Int(1, 2) : g.Int(1, 4);
        int channels = cPerGroup * group, filters = mPerGroup * group;
        int h = g.Int(3, 9), w = g.Int(3, 9);
        int kh = g.Int(1, 3), kw = g.Int(1, 3);
        int sh = g.Int(1, 2), sw = g.Int(1, 2);
        int dh = g.Int(1, 2), dw = g.Int(1, 2);
        if (((kh - 1) * dh) + 1 > h)
        {
            dh = 1;
        }

        if (((kw - 1) * dw) + 1 > w)
        {
            dw = 1;
        }

        var attrs = new List<(string, object)>
        {
            ("kernel_shape", new long[] { kh, kw }),
            ("strides", new long[] { sh, sw }),
            ("dilations", new long[] { dh, dw }),
            ("group", (long)group),
        };
        int padMode = g.Int(0, 4);
        if (padMode == 4)
        {
            // ORT refuses dilations with SAME_UPPER/SAME_LOWER (conv_attributes.h).
            attrs[2] = ("dilations", new long[] { 1, 1 });
            attrs.Add(("auto_pad", g.Bool() ? "SAME_UPPER" : "SAME_LOWER"));
        }
        else if (padMode == 3)
        {
            attrs.Add(("auto_pad", "VALID"));
        }
        else
        {
            attrs.Add(("pads", new long[] { g.Int(0, kh - 1), g.Int(0, kw - 1), g.Int(0, kh - 1), g.Int(0, kw - 1) }));
        }

        bool narrow = g.Bool();
        var x = Around(g, xt, out int xzp, narrow, batch, channels, h, w);
        var wt8 = Around(g, wt, out int wzp, narrow, filters, cPerGroup, kh, kw);
        if (!quantized)
        {
            return ([x, wt8, QuantGen.Scalar(xt, xzp), QuantGen.Scalar(wt, wzp)], [.. attrs], DataType.Int32);
        }

        bool perChannel = g.Bool();
        float xs = g.Scale();
        float ws0 = g.Scale();
        // ORT requires equal per-channel weight zero points (qlinearconv.cc); the scales may differ.
        var wScale = perChannel
            ? TensorValue.Create(DataType.Float, [filters], Enumerable.Range(0, filters).Select(_ => g.Bool() ? ws0 : g.Scale()).ToArray())
            : QuantGen.FloatScalar(ws0);
        var wZp = perChannel
            ? (wt == DataType.UInt8 ? TensorValue.Create(wt, [filters], Enumerable.Repeat((byte)wzp, filters).ToArray()) : TensorValue.Create(wt, [filters], Enumerable.Repeat((sbyte)wzp, filters).ToArray()))
            : QuantGen.Scalar(wt, wzp);
        double amplitude = (narrow ? 4.0 : 100.0) * (narrow ? 4.0 : 100.0) * Math.Sqrt(cPerGroup * kh * kw);
        float eff = MathF.Pow(2, MathF.Round(MathF.Log2((float)(60.0 / amplitude))) - g.Int(-1, 1));
        float ys = xs * ws0 / eff;
        DataType yt = xt;
        int yzp = yt == DataType.UInt8 ? g.Int(0, 255) : g.Int(-128, 127);
        TensorValue? bias = g.Bool() ? g.Int32s(-(int)amplitude, (int)amplitude + 1, filters) : null;
        TensorValue?[] inputs =
        [
            x, QuantGen.FloatScalar(xs), QuantGen.Scalar(xt, xzp), wt8, wScale, wZp, QuantGen.FloatScalar(ys), QuantGen.Scalar(yt, yzp), bias,
        ];
        return (inputs, [.. attrs], yt);
    }

    // Codes spread over the whole range, or within ±4 of the zero point (small accumulators: many exact ties).
    internal static TensorValue Around(QuantGen g, DataType type, out int zp, bool narrow, params int[] shape)
    {
        int lo = type == DataType.UInt8 ? 0 : -128, hi = type == DataType.UInt8 ? 255 : 127;
        zp = g.Int(lo, hi);
        int n = (int)ShapeMath.ElementCount(shape);
        var values = new int[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = narrow ? Math.Clamp(zp + g.Int(-4, 4), lo, hi) : g.Int(lo, hi);
        }

        return type == DataType.UInt8
            ? TensorValue.Create(type, shape, values.Select(v => (byte)v).ToArray())
            : TensorValue.Create(type, shape, values.Select(v => (sbyte)v).ToArray());
    }
}
