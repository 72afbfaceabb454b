using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Simulation.Vectors;

/// <summary>
/// Builds <see cref="MatrixOperands"/> from a node and its input values: QLinearConv (inputs x, x_scale, x_zp, w,
/// w_scale, w_zp, y_scale, y_zp, B) and com.microsoft QGemm with a quantized output (A, a_scale, a_zp, B, b_scale,
/// b_zp, C, y_scale, y_zp; C empty, scalar or one value per column). The scales follow the kernels' fp32 order
/// (QLinearConv.OutputScales, QGemm.OutputScales); the real multipliers are TFLite's double products.
/// </summary>
public static class MatrixOperandsReader
{
    /// <summary>The matrix view of <paramref name="node"/>, or null when the node is not a quantized matrix op this reads.</summary>
    public static MatrixOperands? Read(Node node, IReadOnlyList<TensorValue?> inputs, MatrixNumerics numerics)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(inputs);
        return (node.NormalizedDomain, node.OpType) switch
        {
            ("", "QLinearConv") => Conv(new OpContext(node, 0, inputs), numerics),
            ("com.microsoft", "QGemm") when inputs.Count > 7 && inputs[7] is not null => Gemm(new OpContext(node, 0, inputs), numerics),
            _ => null,
        };
    }

    private static MatrixOperands Conv(OpContext ctx, MatrixNumerics numerics)
    {
        TensorValue x = ctx.Input(0), w = ctx.Input(3);
        int[] kernel = [.. w.Shape.Skip(2)];
        ConvGeometry g = ConvGeometry.Resolve([.. x.Shape], w.Shape[0], kernel, ctx.IntsOrNull("strides"), ctx.IntsOrNull("dilations"), ctx.IntsOrNull("pads"), ctx.String("auto_pad", "NOTSET"), checked((int)ctx.Int("group", 1)));
        int groups = g.Group, n = g.OutChannels / groups, cg = g.InChannels / groups, k = cg * g.KernelSize, m = g.Batch * g.OutSize;
        int xZp = ZeroPoint(ctx.OptionalInput(2));
        int[] xs = Ints(x);
        int[] taps = TapOffsets(g);
        var a = new int[groups * m * k];
        for (int grp = 0; grp < groups; grp++)
        {
            for (int row = 0; row < m; row++)
            {
                int image = row / g.OutSize, p = row % g.OutSize;
                for (int c = 0; c < cg; c++)
                {
                    int plane = ((image * g.InChannels) + (grp * cg) + c) * g.InSize;
                    for (int kp = 0; kp < g.KernelSize; kp++)
                    {
                        int off = taps[(p * g.KernelSize) + kp];
                        a[(((grp * m) + row) * k) + (c * g.KernelSize) + kp] = off < 0 ? xZp : xs[plane + off];
                    }
                }
            }
        }

        // ONNX weights are [M, C/group, k...]: output channel oc = grp · N + j holds column j of group grp's K x N operand.
        int[] ws = Ints(w);
        var wk = new int[groups * k * n];
        for (int grp = 0; grp < groups; grp++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int t = 0; t < k; t++)
                {
                    wk[(((grp * k) + t) * n) + j] = ws[(((grp * n) + j) * k) + t];
                }
            }
        }

        int channels = g.OutChannels;
        float xScale = Scalar(ctx.Input(1));
        float[] wScales = Expand(ctx.Input(4).Items<float>(), channels);
        float yScale = Scalar(ctx.Input(6));
        TensorValue? bias = ctx.OptionalInput(8);
        TensorValue? yZp = ctx.OptionalInput(7);
        return new MatrixOperands
        {
            Groups = groups,
            M = m,
            N = n,
            K = k,
            A = a,
            AType = x.Type,
            AZeroPoint = xZp,
            W = wk,
            WType = w.Type,
            WZeroPoints = ctx.OptionalInput(5) is { } wz ? Expand(Ints(wz), channels) : new int[channels],
            Bias = bias is null ? new int[channels] : bias.Items<int>().ToArray(),
            OutputType = yZp?.Type ?? x.Type,
            OutputZeroPoint = ZeroPoint(yZp),
            Scales = QLinearConv.OutputScales(xScale, wScales, yScale, channels),
            RealMultipliers = [.. wScales.Select(s => (double)xScale * s / yScale)],
            Numerics = numerics,
            Conv = g,
        };
    }

    private static MatrixOperands? Gemm(OpContext ctx, MatrixNumerics numerics)
    {
        TensorValue a = ctx.Input(0), b = ctx.Input(3);
        bool transA = ctx.Int("transA", 0) != 0, transB = ctx.Int("transB", 0) != 0;
        float alpha = ctx.Float("alpha", 1f);
        int m = transA ? a.Shape[1] : a.Shape[0], k = transA ? a.Shape[0] : a.Shape[1], n = transB ? b.Shape[0] : b.Shape[1];
        int[] av = Ints(a), bv = Ints(b);
        var am = new int[m * k];
        var wk = new int[k * n];
        for (int i = 0; i < m; i++)
        {
            for (int t = 0; t < k; t++)
            {
                am[(i * k) + t] = av[transA ? (t * m) + i : (i * k) + t];
            }
        }

        for (int t = 0; t < k; t++)
        {
            for (int j = 0; j < n; j++)
            {
                wk[(t * n) + j] = bv[transB ? (j * k) + t : (t * n) + j];
            }
        }

        TensorValue? c = ctx.OptionalInput(6);
        if (c is not null && c.Rank > 1 && c.Shape[0] != 1)
        {
            // A C with one value per output element is not a per-column bias the array seeds its columns with: such a
            // layer gets plain input and output vectors.
            return null;
        }

        float aScale = Scalar(ctx.Input(1));
        float[] bScales = Expand(ctx.Input(4).Items<float>(), n);
        float yScale = Scalar(ctx.Input(7));
        TensorValue? yZp = ctx.OptionalInput(8);
        return new MatrixOperands
        {
            Groups = 1,
            M = m,
            N = n,
            K = k,
            A = am,
            AType = a.Type,
            AZeroPoint = ZeroPoint(ctx.OptionalInput(2)),
            TransposedA = transA,
            W = wk,
            WType = b.Type,
            WZeroPoints = ctx.OptionalInput(5) is { } bz ? Expand(Ints(bz), n) : new int[n],
            Bias = c is null ? new int[n] : Expand(c.Items<int>(), n),
            OutputType = yZp?.Type ?? a.Type,
            OutputZeroPoint = ZeroPoint(yZp),
            Scales = QGemm.OutputScales(alpha, aScale, bScales, yScale, n),
            RealMultipliers = [.. bScales.Select(s => (double)alpha * aScale * s / yScale)],
            Numerics = numerics,
        };
    }

    internal static int[] Ints(TensorValue t) => TensorCodes.Ints(t);

    private static int ZeroPoint(TensorValue? zp) => zp is null ? 0 : Ints(zp)[0];

    private static float Scalar(TensorValue t) => t.Items<float>()[0];

    private static T[] Expand<T>(T[] values, int count) => values.Length == 1 ? Enumerable.Repeat(values[0], count).ToArray() : values;

    // For output pixel p and kernel tap kp, the input element's offset in one channel plane, or −1 in the padding.
    private static int[] TapOffsets(ConvGeometry g)
    {
        int rank = g.SpatialRank;
        var taps = new int[g.OutSize * g.KernelSize];
        for (int p = 0; p < g.OutSize; p++)
        {
            for (int kp = 0; kp < g.KernelSize; kp++)
            {
                int offset = 0, rest = p, krest = kp;
                bool inside = true;
                var pos = new int[rank];
                for (int d = rank - 1; d >= 0; d--)
                {
                    int o = rest % g.OutSpatial[d], kk = krest % g.KernelSpatial[d];
                    rest /= g.OutSpatial[d];
                    krest /= g.KernelSpatial[d];
                    pos[d] = (o * g.Strides[d]) - g.PadsBegin[d] + (kk * g.Dilations[d]);
                    inside &= pos[d] >= 0 && pos[d] < g.InSpatial[d];
                }

                for (int d = 0; d < rank; d++)
                {
                    offset = (offset * g.InSpatial[d]) + pos[d];
                }

                taps[(p * g.KernelSize) + kp] = inside ? offset : -1;
            }
        }

        return taps;
    }
}
