using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Simulation.Tests.Numerics;

/// <summary>
/// An independent scalar model of the array's numerics, written from the definitions rather than from the code under
/// test: it interprets a lowered graph node by node, computing QLinearConv (2-D) and QGemm itself with plain loops (a
/// register that starts at the bias and adds products in K order, clamped or wrapped at the width after every add;
/// then the fp32 requantizer or TFLite's fixed-point one), and every other node with SiliconSim's ORT-exact ops.
/// </summary>
internal static class HardwareMatrixReference
{
    public static IReadOnlyList<TensorValue> Run(ModelGraph graph, IReadOnlyDictionary<string, TensorValue> feeds, MatrixNumerics numerics)
    {
        var values = new Dictionary<string, TensorValue>(graph.Initializers, StringComparer.Ordinal);
        foreach ((string name, TensorValue v) in feeds)
        {
            values[name] = v;
        }

        foreach (Node node in graph.Nodes)
        {
            TensorValue?[] args = [.. node.Inputs.Select(n => n.Length == 0 ? null : values[n])];
            TensorValue[] outputs = (node.NormalizedDomain, node.OpType) switch
            {
                ("", "QLinearConv") => [Conv(node, args, numerics)],
                ("com.microsoft", "QGemm") => [Gemm(node, args, numerics)],
                ("", "ConvInteger" or "MatMulInteger" or "QLinearMatMul") or ("com.microsoft", "MatMulIntegerToFloat") =>
                    throw new NotSupportedException($"the reference does not model {node.OpType}; the digits models do not use it"),
                _ => OpRegistry.Find(node.NormalizedDomain, node.OpType)!(new OpContext(node, graph.OpsetOf(node.NormalizedDomain), args, graph.Initializers.ContainsKey)),
            };
            for (int k = 0; k < node.Outputs.Length; k++)
            {
                values[node.Outputs[k]] = outputs[k];
            }
        }

        return [.. graph.Outputs.Select(o => values[o.Name])];
    }

    private static TensorValue Conv(Node node, TensorValue?[] a, MatrixNumerics numerics)
    {
        TensorValue x = a[0]!, w = a[3]!;
        float xs = Floats(a[1]!)[0], ys = Floats(a[6]!)[0];
        float[] ws = Floats(a[4]!);
        int xz = Ints(a[2])[0], yz = Ints(a[7])[0];
        int[] wz = Ints(a[5]);
        int[] bias = a.Length > 8 && a[8] is { } b ? b.Items<int>() : [];
        Assert.Equal(4, x.Rank);
        Assert.Equal("NOTSET", Attr(node, "auto_pad")?.String ?? "NOTSET");
        int group = (int)(Attr(node, "group")?.Int ?? 1);
        int[] strides = IntsAttr(node, "strides", [1, 1]), dil = IntsAttr(node, "dilations", [1, 1]), pads = IntsAttr(node, "pads", [0, 0, 0, 0]);
        int batch = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3];
        int m = w.Shape[0], cg = w.Shape[1], kh = w.Shape[2], kw = w.Shape[3], mg = m / group;
        int oh = ((h + pads[0] + pads[2] - ((kh - 1) * dil[0]) - 1) / strides[0]) + 1;
        int ow = ((wd + pads[1] + pads[3] - ((kw - 1) * dil[1]) - 1) / strides[1]) + 1;
        int[] xv = Ints(x), wv = Ints(w);
        var y = new int[batch * m * oh * ow];
        DataType yType = a[7]?.Type ?? x.Type;
        (int qmin, int qmax) = yType == DataType.UInt8 ? (0, 255) : (-128, 127);
        for (int n = 0; n < batch; n++)
        {
            for (int o = 0; o < m; o++)
            {
                int wzp = wz[wz.Length == 1 ? 0 : o];
                float wScale = ws[ws.Length == 1 ? 0 : o];
                for (int i = 0; i < oh; i++)
                {
                    for (int j = 0; j < ow; j++)
                    {
                        long r = Fit(bias.Length == 0 ? 0 : bias[o], numerics);
                        for (int ci = 0; ci < cg; ci++)
                        {
                            int ic = ((o / mg) * cg) + ci;
                            for (int p = 0; p < kh; p++)
                            {
                                for (int q = 0; q < kw; q++)
                                {
                                    int ih = (i * strides[0]) - pads[0] + (p * dil[0]);
                                    int iw = (j * strides[1]) - pads[1] + (q * dil[1]);
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= wd)
                                    {
                                        continue; // a padding tap holds x_zp: its product is 0
                                    }

                                    long xd = xv[(((n * c) + ic) * h * wd) + (ih * wd) + iw] - xz;
                                    long wdv = wv[(((o * cg) + ci) * kh * kw) + (p * kw) + q] - wzp;
                                    r = Fit(r + (xd * wdv), numerics);
                                }
                            }
                        }

                        // ORT's fp32 scale: (x_scale · w_scale) / y_scale, left to right; the fixed point's real
                        // multiplier: the same in double.
                        float scale = xs * wScale / ys;
                        double real = (double)xs * wScale / ys;
                        y[(((n * m) + o) * oh * ow) + (i * ow) + j] = Requantize(r, scale, real, yz, qmin, qmax, numerics);
                    }
                }
            }
        }

        return ToCodes(yType, [batch, m, oh, ow], y);
    }

    private static TensorValue Gemm(Node node, TensorValue?[] a, MatrixNumerics numerics)
    {
        TensorValue av = a[0]!, bv = a[3]!;
        bool transA = (Attr(node, "transA")?.Int ?? 0) != 0, transB = (Attr(node, "transB")?.Int ?? 0) != 0;
        float alpha = Attr(node, "alpha")?.Float ?? 1f;
        float aScale = Floats(a[1]!)[0];
        float[] bScales = Floats(a[4]!);
        int az = Ints(a[2])[0];
        int[] bz = Ints(a[5]);
        int m = transA ? av.Shape[1] : av.Shape[0], k = transA ? av.Shape[0] : av.Shape[1], n = transB ? bv.Shape[0] : bv.Shape[1];
        int[] ai = Ints(av), bi = Ints(bv);
        TensorValue? c = a.Length > 6 ? a[6] : null;
        TensorValue? ysT = a.Length > 7 ? a[7] : null;
        DataType yType = ysT is null ? DataType.Float : (a.Length > 8 && a[8] is { } zpT ? zpT.Type : av.Type);
        int yz = a.Length > 8 ? Ints(a[8])[0] : 0;
        (int qmin, int qmax) = yType == DataType.UInt8 ? (0, 255) : (-128, 127);
        var codes = new int[m * n];
        var floats = new float[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                long init = 0;
                if (c is not null)
                {
                    int[] cv = c.Items<int>();
                    int cRows = c.Rank == 2 ? c.Shape[0] : 1, cCols = c.Rank == 0 ? 1 : c.Shape[^1];
                    init = cv[((cRows == 1 ? 0 : i) * cCols) + (cCols == 1 ? 0 : j)];
                }

                long r = Fit(init, numerics);
                int bzp = bz[bz.Length == 1 ? 0 : j];
                for (int t = 0; t < k; t++)
                {
                    long x = ai[transA ? (t * m) + i : (i * k) + t] - az;
                    long wv = bi[transB ? (j * k) + t : (t * n) + j] - bzp;
                    r = Fit(r + (x * wv), numerics);
                }

                float bScale = bScales[bScales.Length == 1 ? 0 : j];
                // ORT's QGemm scale: (alpha · a_scale) · b_scale, then / y_scale; the fixed point's in double.
                float s = alpha * aScale * bScale;
                if (ysT is null)
                {
                    floats[(i * n) + j] = (float)(int)r * s;
                }
                else
                {
                    float ys = Floats(ysT)[0];
                    codes[(i * n) + j] = Requantize(r, s / ys, (double)alpha * aScale * bScale / ys, yz, qmin, qmax, numerics);
                }
            }
        }

        return ysT is null ? TensorValue.Create(DataType.Float, [m, n], floats) : ToCodes(yType, [m, n], codes);
    }

    /// <summary>The register's value after an addition: clamped, or reduced modulo 2^bits into the signed range.</summary>
    private static long Fit(long v, MatrixNumerics numerics)
    {
        long lo = -(1L << (numerics.AccumulatorBits - 1)), hi = (1L << (numerics.AccumulatorBits - 1)) - 1;
        if (numerics.Overflow == AccumulatorOverflow.Saturate)
        {
            return Math.Clamp(v, lo, hi);
        }

        long modulus = 1L << numerics.AccumulatorBits;
        return ((((v - lo) % modulus) + modulus) % modulus) + lo;
    }

    private static int Requantize(long acc, float scale, double real, int zp, int qmin, int qmax, MatrixNumerics numerics)
    {
        if (numerics.Requantizer == RequantizerArithmetic.Float32)
        {
            float v = (int)acc * scale;
            v = Math.Clamp(v, qmin - zp, qmax - zp);
            return (int)MathF.Round(v, MidpointRounding.ToEven) + zp;
        }

        Assert.Equal(ShiftRounding.NearestAwayFromZero, numerics.FixedPointRounding);
        // TFLite QuantizeMultiplier: real = q · 2^e, q in [0.5, 1); M0 = round-half-away(q · 2^31).
        double q = real;
        int e = 0;
        while (q >= 1)
        {
            q /= 2;
            e++;
        }

        while (q < 0.5)
        {
            q *= 2;
            e--;
        }

        long m0 = (long)Math.Round(q * (1L << 31), MidpointRounding.AwayFromZero);
        if (m0 == 1L << 31)
        {
            (m0, e) = (1L << 30, e + 1);
        }

        Assert.True(e >= -31 && e <= 0, $"multiplier {real} outside what the digits models need");
        // gemmlowp: the doubling high multiply rounds to nearest with ties up (toward +inf) ...
        long nudged = (acc * m0) + (1L << 30);
        long high = (nudged - FloorModulo(nudged, 1L << 31)) / (1L << 31);
        // ... and RoundingDivideByPOT rounds to nearest with ties away from zero: the magnitude rounded half up.
        int shift = -e;
        long shifted = shift == 0 ? high : Math.Sign(high) * ((Math.Abs(high) + (1L << (shift - 1))) / (1L << shift));
        return (int)Math.Clamp(shifted + zp, qmin, qmax);
    }

    // v mod d in [0, d): subtracting it first makes the division exact, so it is a floor division.
    private static long FloorModulo(long v, long d) => ((v % d) + d) % d;

    private static AttributeValue? Attr(Node node, string name) => node.Attributes.TryGetValue(name, out AttributeValue? v) ? v : null;

    private static int[] IntsAttr(Node node, string name, int[] defaultValue) =>
        Attr(node, name) is { } v ? [.. v.Ints.Select(i => (int)i)] : defaultValue;

    private static float[] Floats(TensorValue t) => t.Items<float>();

    private static int[] Ints(TensorValue? t) => t is null ? [0] : [.. Enumerable.Range(0, t.Length).Select(i => (int)TensorComparison.ToDouble(t, i))];

    private static TensorValue ToCodes(DataType type, int[] shape, int[] codes) => type == DataType.UInt8
        ? TensorValue.Create(type, shape, codes.Select(v => (byte)v).ToArray())
        : TensorValue.Create(type, shape, codes.Select(v => (sbyte)v).ToArray());
}
