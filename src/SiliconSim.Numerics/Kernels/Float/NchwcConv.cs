namespace SiliconSim.Numerics.Kernels.Float;

/// <summary>
/// fp32 2-D convolution in the order of ONNX Runtime's com.microsoft.nchwc Conv, which the NCHWc transformer
/// (optimizer/nchwc_transformer.cc, level ORT_ENABLE_ALL, AVX512 block size 16) substitutes for a Conv whose weights
/// (and bias) are constant initializers; kernels in MLAS snchwc.cpp and x86_64/SconvKernel*.S.
/// <para>
/// Per group, MlasNchwcConv picks: input channels ≥ 16 → Pointwise (1×1 kernel, no padding) or NCHWc; one input and
/// one output channel per group → Depthwise; else NCHW. Every kernel call starts its accumulators at +0, runs a
/// sequential fp32 FMA chain over the kernel rows inside the input, then the columns inside the input (padded taps are
/// skipped, not multiplied by zero), then the input channels of its slice, and stores acc (first slice) or acc + out.
/// The slices are 16 channels (NCHWc), 128 channels (Pointwise), 1 channel (NCHW) or the single channel (Depthwise).
/// After the last slice the bias is added (one fp32 add).
/// </para>
/// </summary>
public static class NchwcConv
{
    /// <summary>MlasNchwcGetBlockSize() with AVX512F.</summary>
    public const int BlockSize = 16;

    /// <summary>The algorithm classes of snchwc.cpp.</summary>
    public enum Algorithm
    {
        Nchwc,
        Nchw,
        Pointwise,
        Depthwise,
    }

    /// <summary>
    /// Whether ORT 1.31's NCHWc transformer rewrites this Conv, given constant float weights and bias. Found against
    /// ORT (FloatConvOrtTests), which differs from older nchwc_transformer.cc sources that required 16-aligned
    /// channels: 2-D; without groups, fewer than 16 input channels (NCHW input) or a multiple of 4 (padded up to the
    /// 16-channel block with zeros); with groups, depthwise (one input channel and one filter per group) or 16-multiples
    /// of input and output channels per group.
    /// </summary>
    public static bool Applies(ConvGeometry g)
    {
        ArgumentNullException.ThrowIfNull(g);
        return Applies(g.InChannels, g.OutChannels, g.Group, g.SpatialRank);
    }

    /// <summary>The same rule from the weight shape alone, for graph passes that run before shapes are known.</summary>
    public static bool Applies(int inChannels, int outChannels, int group, int spatialRank)
    {
        if (spatialRank != 2 || group <= 0)
        {
            return false;
        }

        int cg = inChannels / group;
        int mg = outChannels / group;
        if (group > 1)
        {
            return (cg == 1 && mg == 1) || (cg % BlockSize == 0 && mg % BlockSize == 0);
        }

        return cg < BlockSize || cg % 4 == 0;
    }

    /// <summary>The algorithm MlasNchwcConv runs for <paramref name="g"/>.</summary>
    public static Algorithm Choose(ConvGeometry g)
    {
        ArgumentNullException.ThrowIfNull(g);
        int cg = g.InChannels / g.Group;
        int mg = g.OutChannels / g.Group;
        if (cg >= BlockSize)
        {
            bool pointwise = g.KernelSpatial.All(k => k == 1) && g.PadsBegin.All(p => p == 0) && g.PadsEnd.All(p => p == 0);
            return pointwise ? Algorithm.Pointwise : Algorithm.Nchwc;
        }

        return cg == 1 && mg == 1 ? Algorithm.Depthwise : Algorithm.Nchw;
    }

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

        Algorithm algorithm = Choose(g);
        int cg = g.InChannels / g.Group;
        int mg = g.OutChannels / g.Group;
        int slice = algorithm switch
        {
            Algorithm.Nchwc => BlockSize,
            Algorithm.Pointwise => 128,
            Algorithm.Nchw => 1,
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
