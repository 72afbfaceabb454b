using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SiliconSim.Numerics.Reference;

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
    /// <para>
    /// With AVX-512F the outputs are computed 16 output channels at a time (one vector lane per channel, each lane its
    /// own chain in the order above) for tiles of 4 output pixels that share the same set of valid taps; without it,
    /// or for the depthwise algorithm, <see cref="NchwcConvReference"/> runs. Both give the same bits.
    /// </para>
    /// </summary>
    public static float[] Conv(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, ConvGeometry g, ReadOnlySpan<float> sum = default)
    {
        ArgumentNullException.ThrowIfNull(g);
        if (g.SpatialRank != 2)
        {
            throw new ArgumentException("the NCHWc conv is 2-D only");
        }

        if ((long)x.Length < (long)g.Batch * g.InChannels * g.InSize)
        {
            // The vector path reads X without bounds checks.
            throw new ArgumentException($"X has {x.Length} values, the geometry needs {(long)g.Batch * g.InChannels * g.InSize}");
        }

        Algorithm algorithm = Choose(g);
        if (!Avx512F.IsSupported || g.KernelSpatial[0] > 64 || g.KernelSpatial[1] > 64)
        {
            return NchwcConvReference.Conv(x, w, bias, g, sum);
        }

        return algorithm == Algorithm.Depthwise ? Depthwise(x, w, bias, g, sum) : Blocked(x, w, bias, g, sum, algorithm);
    }

    private static float[] Blocked(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, ConvGeometry g, ReadOnlySpan<float> sum, Algorithm algorithm)
    {
        int cg = g.InChannels / g.Group;
        int mg = g.OutChannels / g.Group;
        int slice = algorithm switch
        {
            Algorithm.Nchwc => BlockSize,
            Algorithm.Pointwise => 128,
            _ => 1,
        };
        int kernelSize = g.KernelSize;
        int inSize = g.InSize;
        int outSize = g.OutSize;
        int blocks = (mg + BlockSize - 1) / BlockSize;

        // Packed filters [group][block][tap][c][lane]: a lane past the group's filters holds +0 and is never stored.
        int blockStride = kernelSize * cg * BlockSize;
        var packed = new float[g.Group * blocks * blockStride];
        var packedBias = new float[g.Group * blocks * BlockSize];
        for (int grp = 0; grp < g.Group; grp++)
        {
            for (int m = 0; m < mg; m++)
            {
                int oc = (grp * mg) + m;
                int blockBase = ((grp * blocks) + (m / BlockSize)) * blockStride;
                int lane = m % BlockSize;
                for (int c = 0; c < cg; c++)
                {
                    for (int t = 0; t < kernelSize; t++)
                    {
                        packed[blockBase + (((t * cg) + c) * BlockSize) + lane] = w[(((oc * cg) + c) * kernelSize) + t];
                    }
                }

                if (!bias.IsEmpty)
                {
                    packedBias[(((grp * blocks) + (m / BlockSize)) * BlockSize) + lane] = bias[oc];
                }
            }
        }

        // Every element is stored below (each pixel is in one tap class, each filter in one block).
        float[] y = GC.AllocateUninitializedArray<float>(g.Batch * g.OutChannels * outSize);
        bool hasSum = !sum.IsEmpty;
        TapClass[] classes = TapClasses(g);
        Span<int> xBase = stackalloc int[TileWidth];
        Span<int> yBase = stackalloc int[TileWidth];
        Span<Vector512<float>> values = stackalloc Vector512<float>[TileWidth * 2];
        Span<float> lanes = stackalloc float[BlockSize];
        ref float xRef = ref MemoryMarshal.GetReference(x);
        int xImage = g.InChannels * inSize;
        int yImage = g.OutChannels * outSize;
        foreach (TapClass tc in classes)
        {
            // The class's pixels over the whole batch: index p is image p / perImage, pixel p % perImage.
            int perImage = tc.Spatial.Length;
            int count = g.Batch * perImage;
            for (int grp = 0; grp < g.Group; grp++)
            {
                for (int blk = 0; blk < blocks; blk += 2)
                {
                    int blk1 = Math.Min(blk + 1, blocks - 1);
                    int w0 = ((grp * blocks) + blk) * blockStride;
                    int w1 = ((grp * blocks) + blk1) * blockStride;
                    for (int p0 = 0; p0 < count; p0 += TileWidth)
                    {
                        // A ragged tile repeats its last pixel; the copies are computed and dropped.
                        for (int i = 0; i < TileWidth; i++)
                        {
                            int p = Math.Min(p0 + i, count - 1);
                            (int image, int pixel) = Math.DivRem(p, perImage);
                            xBase[i] = (image * xImage) + tc.Spatial[pixel] + (grp * cg * inSize);
                            yBase[i] = (image * yImage) + tc.OutIndex[pixel];
                        }

                        if (hasSum)
                        {
                            for (int i = 0; i < TileWidth; i++)
                            {
                                values[i] = Gather(sum, yBase[i] + (((grp * mg) + (blk * BlockSize)) * outSize), outSize, mg - (blk * BlockSize), lanes);
                                values[TileWidth + i] = Gather(sum, yBase[i] + (((grp * mg) + (blk1 * BlockSize)) * outSize), outSize, mg - (blk1 * BlockSize), lanes);
                            }
                        }

                        Tile(ref xRef, xBase, tc.XTaps, tc.WTaps, packed.AsSpan(w0, blockStride), packed.AsSpan(w1, blockStride), cg, slice, inSize, hasSum, values);

                        int tileCount = Math.Min(TileWidth, count - p0);
                        for (int half = 0; half < 2 && (half == 0 || blk1 != blk); half++)
                        {
                            int b = half == 0 ? blk : blk1;
                            int valid = Math.Min(BlockSize, mg - (b * BlockSize));
                            var vb = Vector512.Create<float>(packedBias.AsSpan(((grp * blocks) + b) * BlockSize, BlockSize));
                            for (int i = 0; i < tileCount; i++)
                            {
                                Vector512<float> v = values[(half * TileWidth) + i];
                                if (!bias.IsEmpty)
                                {
                                    v += vb;
                                }

                                Scatter(v, y, yBase[i] + (((grp * mg) + (b * BlockSize)) * outSize), outSize, valid, lanes);
                            }
                        }
                    }
                }
            }
        }

        return y;
    }

    /// <summary>
    /// Depthwise (one input channel and one filter per group): 16 channels per vector, the input first regrouped as
    /// [image][channel block][pixel][lane]; each lane's chain is fma over its class's valid taps, then + addend, + bias.
    /// </summary>
    private static float[] Depthwise(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, ConvGeometry g, ReadOnlySpan<float> sum)
    {
        int channels = g.OutChannels;
        int kernelSize = g.KernelSize;
        int inSize = g.InSize;
        int outSize = g.OutSize;
        int blocks = (channels + BlockSize - 1) / BlockSize;
        // Lanes of a ragged last block hold stale scratch values; they are computed and never stored.
        int xtLength = g.Batch * blocks * inSize * BlockSize;
        if (s_depthwiseInput is null || s_depthwiseInput.Length < xtLength)
        {
            s_depthwiseInput = new float[xtLength];
        }

        float[] xt = s_depthwiseInput;
        ref float xr = ref MemoryMarshal.GetArrayDataReference(xt);
        for (int b = 0; b < g.Batch; b++)
        {
            for (int ch = 0; ch < channels; ch++)
            {
                ReadOnlySpan<float> plane = x.Slice(((b * channels) + ch) * inSize, inSize);
                ref float src = ref MemoryMarshal.GetReference(plane);
                ref float dst = ref Unsafe.Add(ref xr, (((b * blocks) + (ch / BlockSize)) * inSize * BlockSize) + (ch % BlockSize));
                for (int s = 0; s < inSize; s++)
                {
                    Unsafe.Add(ref dst, s * BlockSize) = Unsafe.Add(ref src, s);
                }
            }
        }

        var packed = new float[blocks * kernelSize * BlockSize];
        var packedBias = new float[blocks * BlockSize];
        for (int ch = 0; ch < channels; ch++)
        {
            for (int t = 0; t < kernelSize; t++)
            {
                packed[(((ch / BlockSize) * kernelSize) + t) * BlockSize + (ch % BlockSize)] = w[(ch * kernelSize) + t];
            }

            packedBias[ch] = bias.IsEmpty ? 0f : bias[ch];
        }

        float[] y = GC.AllocateUninitializedArray<float>(g.Batch * channels * outSize);
        bool hasSum = !sum.IsEmpty;
        Span<float> lanes = stackalloc float[BlockSize];
        Span<int> xi = stackalloc int[4];
        Span<int> yo = stackalloc int[4];
        ref float wr = ref MemoryMarshal.GetArrayDataReference(packed);
        foreach (TapClass tc in TapClasses(g))
        {
            int perImage = tc.Spatial.Length;
            int count = g.Batch * perImage;
            int[] xTaps = tc.XTaps, wTaps = tc.WTaps;
            for (int blk = 0; blk < blocks; blk++)
            {
                int valid = Math.Min(BlockSize, channels - (blk * BlockSize));
                ref float wb = ref Unsafe.Add(ref wr, blk * kernelSize * BlockSize);
                var vb = Vector512.Create<float>(packedBias.AsSpan(blk * BlockSize, BlockSize));
                for (int p0 = 0; p0 < count; p0 += 4)
                {
                    // Four pixels' chains interleaved; a ragged group repeats its last pixel and drops the copies.
                    for (int i = 0; i < 4; i++)
                    {
                        (int b, int pixel) = Math.DivRem(Math.Min(p0 + i, count - 1), perImage);
                        xi[i] = (((b * blocks) + blk) * inSize) + tc.Spatial[pixel];
                        yo[i] = (b * channels * outSize) + tc.OutIndex[pixel] + (blk * BlockSize * outSize);
                    }

                    int x0 = xi[0], x1 = xi[1], x2 = xi[2], x3 = xi[3];
                    Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
                    for (int t = 0; t < xTaps.Length; t++)
                    {
                        Vector512<float> wv = Vector512.LoadUnsafe(ref wb, (nuint)(wTaps[t] * BlockSize));
                        int xo = xTaps[t];
                        a0 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref xr, (nuint)((x0 + xo) * BlockSize)), wv, a0);
                        a1 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref xr, (nuint)((x1 + xo) * BlockSize)), wv, a1);
                        a2 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref xr, (nuint)((x2 + xo) * BlockSize)), wv, a2);
                        a3 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref xr, (nuint)((x3 + xo) * BlockSize)), wv, a3);
                    }

                    int n = Math.Min(4, count - p0);
                    for (int i = 0; i < n; i++)
                    {
                        Vector512<float> acc = i switch { 0 => a0, 1 => a1, 2 => a2, _ => a3 };
                        if (hasSum)
                        {
                            acc += Gather(sum, yo[i], outSize, valid, lanes);
                        }

                        if (!bias.IsEmpty)
                        {
                            acc += vb;
                        }

                        Scatter(acc, y, yo[i], outSize, valid, lanes);
                    }
                }
            }
        }

        return y;
    }

    // The depthwise path's channel-interleaved copy of the input, reused per thread.
    [ThreadStatic]
    private static float[]? s_depthwiseInput;

    /// <summary>y[offset + l·stride] = v[l] for the first <paramref name="valid"/> lanes (NCHW stores of one pixel).</summary>
    private static void Scatter(Vector512<float> v, float[] y, int offset, int stride, int valid, Span<float> lanes)
    {
        if (offset < 0 || offset + ((valid - 1) * stride) >= y.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset));
        }

        ref float lr = ref MemoryMarshal.GetReference(lanes);
        v.StoreUnsafe(ref lr);
        ref float yr = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(y), offset);
        for (int l = 0; l < valid; l++)
        {
            Unsafe.Add(ref yr, l * stride) = Unsafe.Add(ref lr, l);
        }
    }

    private static Vector512<float> Gather(ReadOnlySpan<float> source, int offset, int stride, int valid, Span<float> lanes)
    {
        lanes.Clear();
        for (int l = 0; l < Math.Min(valid, BlockSize); l++)
        {
            lanes[l] = source[offset + (l * stride)];
        }

        return Vector512.Create<float>(lanes);
    }

    private const int TileWidth = 8;

    /// <summary>
    /// Eight pixels × two 16-channel filter blocks. Per slice, every accumulator starts at +0 and takes
    /// acc = fma(x, w, acc) over the class's taps (rows, then columns) and, innermost, the slice's channels; the slice's
    /// result is then acc (first slice without an addend) or acc + value. values[i] is pixel i of the first block,
    /// values[8 + i] of the second.
    /// </summary>
    private static void Tile(ref float x, ReadOnlySpan<int> xBase, int[] xTaps, int[] wTaps, ReadOnlySpan<float> w0, ReadOnlySpan<float> w1,
        int cg, int slice, int inSize, bool hasInit, Span<Vector512<float>> values)
    {
        int q0 = xBase[0], q1 = xBase[1], q2 = xBase[2], q3 = xBase[3];
        int q4 = xBase[4], q5 = xBase[5], q6 = xBase[6], q7 = xBase[7];
        ref float wr0 = ref MemoryMarshal.GetReference(w0);
        ref float wr1 = ref MemoryMarshal.GetReference(w1);
        bool first = !hasInit;
        for (int c0 = 0; c0 < cg; c0 += slice)
        {
            int c1 = Math.Min(cg, c0 + slice);
            Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            Vector512<float> b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0, b7 = a0;
            for (int t = 0; t < xTaps.Length; t++)
            {
                int xi = xTaps[t] + (c0 * inSize);
                nuint wi = (nuint)(((wTaps[t] * cg) + c0) * BlockSize);
                for (int c = c0; c < c1; c++)
                {
                    Vector512<float> wa = Vector512.LoadUnsafe(ref wr0, wi);
                    Vector512<float> wb = Vector512.LoadUnsafe(ref wr1, wi);
                    Vector512<float> xv = Vector512.Create(Unsafe.Add(ref x, xi + q0));
                    a0 = Avx512F.FusedMultiplyAdd(xv, wa, a0);
                    b0 = Avx512F.FusedMultiplyAdd(xv, wb, b0);
                    xv = Vector512.Create(Unsafe.Add(ref x, xi + q1));
                    a1 = Avx512F.FusedMultiplyAdd(xv, wa, a1);
                    b1 = Avx512F.FusedMultiplyAdd(xv, wb, b1);
                    xv = Vector512.Create(Unsafe.Add(ref x, xi + q2));
                    a2 = Avx512F.FusedMultiplyAdd(xv, wa, a2);
                    b2 = Avx512F.FusedMultiplyAdd(xv, wb, b2);
                    xv = Vector512.Create(Unsafe.Add(ref x, xi + q3));
                    a3 = Avx512F.FusedMultiplyAdd(xv, wa, a3);
                    b3 = Avx512F.FusedMultiplyAdd(xv, wb, b3);
                    xv = Vector512.Create(Unsafe.Add(ref x, xi + q4));
                    a4 = Avx512F.FusedMultiplyAdd(xv, wa, a4);
                    b4 = Avx512F.FusedMultiplyAdd(xv, wb, b4);
                    xv = Vector512.Create(Unsafe.Add(ref x, xi + q5));
                    a5 = Avx512F.FusedMultiplyAdd(xv, wa, a5);
                    b5 = Avx512F.FusedMultiplyAdd(xv, wb, b5);
                    xv = Vector512.Create(Unsafe.Add(ref x, xi + q6));
                    a6 = Avx512F.FusedMultiplyAdd(xv, wa, a6);
                    b6 = Avx512F.FusedMultiplyAdd(xv, wb, b6);
                    xv = Vector512.Create(Unsafe.Add(ref x, xi + q7));
                    a7 = Avx512F.FusedMultiplyAdd(xv, wa, a7);
                    b7 = Avx512F.FusedMultiplyAdd(xv, wb, b7);
                    xi += inSize;
                    wi += BlockSize;
                }
            }

            if (first)
            {
                values[0] = a0;
                values[1] = a1;
                values[2] = a2;
                values[3] = a3;
                values[4] = a4;
                values[5] = a5;
                values[6] = a6;
                values[7] = a7;
                values[8] = b0;
                values[9] = b1;
                values[10] = b2;
                values[11] = b3;
                values[12] = b4;
                values[13] = b5;
                values[14] = b6;
                values[15] = b7;
                first = false;
            }
            else
            {
                values[0] = a0 + values[0];
                values[1] = a1 + values[1];
                values[2] = a2 + values[2];
                values[3] = a3 + values[3];
                values[4] = a4 + values[4];
                values[5] = a5 + values[5];
                values[6] = a6 + values[6];
                values[7] = a7 + values[7];
                values[8] = b0 + values[8];
                values[9] = b1 + values[9];
                values[10] = b2 + values[10];
                values[11] = b3 + values[11];
                values[12] = b4 + values[12];
                values[13] = b5 + values[13];
                values[14] = b6 + values[14];
                values[15] = b7 + values[15];
            }
        }
    }

    /// <summary>
    /// Output pixels grouped by their set of valid kernel taps (over the whole batch), so a tile's pixels share one tap
    /// list; skipping a padded tap (as MLAS does) is then exact, where multiplying a zero would not be (−0 + +0).
    /// </summary>
    private sealed record TapClass(int[] XTaps, int[] WTaps, int[] Spatial, int[] OutIndex);

    private static TapClass[] TapClasses(ConvGeometry g)
    {
        int inH = g.InSpatial[0], inW = g.InSpatial[1];
        int outH = g.OutSpatial[0], outW = g.OutSpatial[1];
        int kh = g.KernelSpatial[0], kw = g.KernelSpatial[1];
        ulong[] rowMasks = Masks(outH, g.Strides[0], g.PadsBegin[0], g.Dilations[0], kh, inH);
        ulong[] colMasks = Masks(outW, g.Strides[1], g.PadsBegin[1], g.Dilations[1], kw, inW);
        var result = new List<TapClass>();
        foreach (ulong rm in rowMasks.Distinct())
        {
            foreach (ulong cm in colMasks.Distinct())
            {
                var xTaps = new List<int>();
                var wTaps = new List<int>();
                for (int r = 0; r < kh; r++)
                {
                    for (int q = 0; q < kw && ((rm >> r) & 1) != 0; q++)
                    {
                        if (((cm >> q) & 1) != 0)
                        {
                            xTaps.Add((r * g.Dilations[0] * inW) + (q * g.Dilations[1]));
                            wTaps.Add((r * kw) + q);
                        }
                    }
                }

                var spatial = new List<int>();
                var outIndex = new List<int>();
                for (int oy = 0; oy < outH; oy++)
                {
                    if (rowMasks[oy] != rm)
                    {
                        continue;
                    }

                    for (int ox = 0; ox < outW; ox++)
                    {
                        if (colMasks[ox] == cm)
                        {
                            spatial.Add((((oy * g.Strides[0]) - g.PadsBegin[0]) * inW) + (ox * g.Strides[1]) - g.PadsBegin[1]);
                            outIndex.Add((oy * outW) + ox);
                        }
                    }
                }

                if (spatial.Count > 0)
                {
                    result.Add(new TapClass([.. xTaps], [.. wTaps], [.. spatial], [.. outIndex]));
                }
            }
        }

        return [.. result];
    }

    private static ulong[] Masks(int outExtent, int stride, int pad, int dilation, int kernel, int extent)
    {
        var masks = new ulong[outExtent];
        for (int o = 0; o < outExtent; o++)
        {
            for (int t = 0; t < kernel; t++)
            {
                int pos = (o * stride) - pad + (t * dilation);
                if (pos >= 0 && pos < extent)
                {
                    masks[o] |= 1UL << t;
                }
            }
        }

        return masks;
    }
}
