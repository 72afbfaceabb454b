using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Kernels.Float;

namespace SiliconSim.Numerics.Reference;

/// <summary>
/// Plain scalar statement of <see cref="NchwcConv"/>: each output walks its own chain exactly as the type summary of
/// <see cref="NchwcConv"/> states (valid rows, then valid columns, then the channels of a slice; slices combined by
/// one add; bias last). It is also the fallback when AVX-512F is missing.
/// </summary>
public static class NchwcConvReference
{
    /// <summary>
    /// Y = conv(X, W) + bias in the NCHWc order. <paramref name="sum"/>, when given, is the addend of an Add that ORT
    /// fused into the conv (it pre-fills Y, so the first slice is added to it, and the bias comes after).
    /// </summary>
    public static float[] Conv(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, ConvGeometry g, ReadOnlySpan<float> sum = default)
    {
        ArgumentNullException.ThrowIfNull(g);
        if (g.SpatialRank != 2)
        {
            throw new ArgumentException("the NCHWc conv is 2-D only");
        }

        NchwcConv.Algorithm algorithm = NchwcConv.Choose(g);
        int cg = g.InChannels / g.Group;
        int mg = g.OutChannels / g.Group;
        int slice = algorithm switch
        {
            NchwcConv.Algorithm.Nchwc => NchwcConv.BlockSize,
            NchwcConv.Algorithm.Pointwise => 128,
            NchwcConv.Algorithm.Nchw => 1,
            _ => cg,
        };
        int inH = g.InSpatial[0], inW = g.InSpatial[1];
        int outH = g.OutSpatial[0], outW = g.OutSpatial[1];
        int kh = g.KernelSpatial[0], kw = g.KernelSpatial[1];
        int inSize = inH * inW;
        int kernelSize = kh * kw;
        var y = new float[g.Batch * g.OutChannels * outH * outW];
        bool hasSum = !sum.IsEmpty;
        Span<int> rows = stackalloc int[kh];
        Span<int> rowTaps = stackalloc int[kh];
        Span<int> cols = stackalloc int[kw];
        Span<int> colTaps = stackalloc int[kw];
        for (int b = 0; b < g.Batch; b++)
        {
            for (int grp = 0; grp < g.Group; grp++)
            {
                for (int m = 0; m < mg; m++)
                {
                    int oc = (grp * mg) + m;
                    ReadOnlySpan<float> filter = w.Slice(oc * cg * kernelSize, cg * kernelSize);
                    for (int oy = 0; oy < outH; oy++)
                    {
                        int rowCount = Valid(oy, g.Strides[0], g.PadsBegin[0], g.Dilations[0], kh, inH, rows, rowTaps);
                        for (int ox = 0; ox < outW; ox++)
                        {
                            int colCount = Valid(ox, g.Strides[1], g.PadsBegin[1], g.Dilations[1], kw, inW, cols, colTaps);
                            int outIndex = (((((b * g.OutChannels) + oc) * outH) + oy) * outW) + ox;
                            float value = hasSum ? sum[outIndex] : 0f;
                            bool first = !hasSum;
                            for (int c0 = 0; c0 < cg; c0 += slice)
                            {
                                int c1 = Math.Min(cg, c0 + slice);
                                float acc = 0f;
                                for (int r = 0; r < rowCount; r++)
                                {
                                    for (int q = 0; q < colCount; q++)
                                    {
                                        for (int c = c0; c < c1; c++)
                                        {
                                            float xv = x[(((b * g.InChannels) + (grp * cg) + c) * inSize) + (rows[r] * inW) + cols[q]];
                                            float wv = filter[(c * kernelSize) + (rowTaps[r] * kw) + colTaps[q]];
                                            acc = MathF.FusedMultiplyAdd(xv, wv, acc);
                                        }
                                    }
                                }

                                value = first ? acc : acc + value;
                                first = false;
                            }

                            if (!bias.IsEmpty)
                            {
                                value += bias[oc];
                            }

                            y[outIndex] = value;
                        }
                    }
                }
            }
        }

        return y;
    }

    /// <summary>The kernel taps of output position <paramref name="o"/> that land inside the input, in order.</summary>
    private static int Valid(int o, int stride, int pad, int dilation, int kernel, int extent, Span<int> positions, Span<int> taps)
    {
        int count = 0;
        for (int t = 0; t < kernel; t++)
        {
            int pos = (o * stride) - pad + (t * dilation);
            if (pos >= 0 && pos < extent)
            {
                positions[count] = pos;
                taps[count] = t;
                count++;
            }
        }

        return count;
    }
}
