using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SiliconSim.Numerics.Kernels.Float;

/// <summary>
/// Pooling over NC[D]HW tensors as ONNX Runtime's CPU provider computes it (providers/cpu/nn/pool.cc,
/// pool_functors.h, MLAS pooling.cpp). Max pooling is exact in any order; average pooling follows MLAS's summation
/// order (see <see cref="AveragePool"/>).
/// </summary>
public static partial class PoolKernels
{
    /// <summary>
    /// Max pooling for any ordered element type (pool_functors.h MaxPool{1,2,3}DTask; MLAS for float gives the same
    /// values): the maximum over the window taps inside the input (padding never wins), the first maximum in row-major
    /// window order when <paramref name="indices"/> is requested. A window with no input tap yields the type's lowest
    /// value. Indices are flat offsets into X: ((n·C + c)·spatial) + row-major position, or with
    /// <paramref name="storageOrder"/> = 1 the column-major position (h + w·H for 2-D).
    /// </summary>
    public static T[] MaxPool<T>(ReadOnlySpan<T> x, ConvGeometry g, T lowest, out long[]? indices, bool computeIndices = false, int storageOrder = 0)
        where T : IComparisonOperators<T, T, bool>
    {
        ArgumentNullException.ThrowIfNull(g);
        int channels = g.Batch * g.InChannels;
        int inSize = g.InSize;
        int outSize = g.OutSize;
        int rank = g.SpatialRank;
        // The 2-D paths store every element; the N-d path below reads nothing before writing either.
        T[] y = TensorArena.Allocate<T>(channels * outSize);
        indices = computeIndices ? new long[y.Length] : null;
        if (rank == 2 && indices is null && (typeof(T) == typeof(byte) || typeof(T) == typeof(sbyte) || (typeof(T) == typeof(float) && OrderFree(x))))
        {
            MaxPool2DCodesOf(x, g, y);
            return y;
        }

        if (rank == 2)
        {
            MaxPool2D(x, g, lowest, y, indices, storageOrder);
            return y;
        }

        Span<int> o = stackalloc int[rank];
        Span<int> k = stackalloc int[rank];
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<T> plane = x.Slice(c * inSize, inSize);
            for (int p = 0; p < outSize; p++)
            {
                Unravel(p, g.OutSpatial, o);
                T best = lowest;
                long bestIndex = -1;
                for (int t = 0; t < g.KernelSize; t++)
                {
                    Unravel(t, g.KernelSpatial, k);
                    int offset = 0;
                    int colMajor = 0;
                    int colStride = 1;
                    bool inside = true;
                    for (int d = 0; d < rank; d++)
                    {
                        int pos = (o[d] * g.Strides[d]) - g.PadsBegin[d] + (k[d] * g.Dilations[d]);
                        if (pos < 0 || pos >= g.InSpatial[d])
                        {
                            inside = false;
                            break;
                        }

                        offset = (offset * g.InSpatial[d]) + pos;
                        colMajor += pos * colStride;
                        colStride *= g.InSpatial[d];
                    }

                    if (inside && (bestIndex < 0 || plane[offset] > best))
                    {
                        best = plane[offset];
                        bestIndex = ((long)c * inSize) + (storageOrder == 0 ? offset : colMajor);
                    }
                }

                y[(c * outSize) + p] = best;
                if (indices is not null)
                {
                    indices[(c * outSize) + p] = bestIndex;
                }
            }
        }

        return y;
    }

    /// <summary>
    /// fp32 average pooling in MLAS's order (MlasPool, pooling.cpp), for 1-3 spatial dims without dilation:
    /// <list type="bullet">
    /// <item>kernel = whole input, stride 1, no padding (the global case): see <see cref="GlobalAveragePool"/>;</item>
    /// <item>2-D/3-D with last stride ≤ 2, every kernel extent ≤ 32 and the padded width within MLAS's 2048-float
    /// reduction buffer (the "vector" kernels): for each output row, first a column sum over the window's input rows
    /// (clamped to the input; 2-D starts from the first row, 3-D from +0 over planes then rows), then a left-to-right
    /// sum over the kernel width of those column sums with +0 for padded columns; finally one fp32 division by
    /// kh·kw (count_include_pad) or by (valid columns × valid rows);</item>
    /// <item>otherwise the generic kernels: a sequential sum from +0 over the valid taps in row-major window order,
    /// then one division by the taps inside the padded input (count_include_pad) or by the valid-tap count.</item>
    /// </list>
    /// With dilations ≠ 1 (opset 19+), the pool_functors path: the same sequential sum over valid taps and division.
    /// </summary>
    /// <param name="x">The input, NC[D]HW.</param>
    /// <param name="g">The resolved window geometry.</param>
    /// <param name="countIncludePad">The ONNX count_include_pad attribute.</param>
    /// <param name="useMlas">true for ORT's AveragePool-7..18 kernel (MLAS); false for AveragePool-19+, which ORT runs
    /// through pool_functors.h: always the sequential sum over valid taps and one division.</param>
    public static float[] AveragePool(ReadOnlySpan<float> x, ConvGeometry g, bool countIncludePad, bool useMlas = true)
    {
        ArgumentNullException.ThrowIfNull(g);
        if (!useMlas)
        {
            return Generic(x, g, countIncludePad);
        }

        int rank = g.SpatialRank;
        bool global = g.KernelSpatial.SequenceEqual(g.InSpatial) && g.Strides.All(s => s == 1)
            && g.PadsBegin.All(p => p == 0) && g.PadsEnd.All(p => p == 0) && g.Dilations.All(d => d == 1);
        if (global)
        {
            return GlobalAveragePool(x, g.Batch * g.InChannels, g.InSize);
        }

        bool dilated = g.Dilations.Any(d => d != 1);
        if (!dilated && rank is 2 or 3 && g.Strides[^1] <= 2 && g.KernelSpatial.All(k => k <= 32)
            && FitsReductionBuffer(g))
        {
            return rank == 2 ? Vector2D(x, g, countIncludePad) : Vector3D(x, g, countIncludePad);
        }

        return Generic(x, g, countIncludePad);
    }

    /// <summary>
    /// MlasPoolGlobalKernel (average): per channel, four lane sums from +0 over consecutive groups of four
    /// (lane j takes elements 4i + j), reduced as (l0 + l2) + (l1 + l3), then the leftover (size mod 4) elements added
    /// in order, then one fp32 division by float(size).
    /// </summary>
    public static float[] GlobalAveragePool(ReadOnlySpan<float> x, int channels, int size)
    {
        var y = new float[channels];
        float divisor = size;
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<float> plane = x.Slice(c * size, size);
            float l0 = 0f, l1 = 0f, l2 = 0f, l3 = 0f;
            int i = 0;
            for (; i + 4 <= size; i += 4)
            {
                l0 += plane[i];
                l1 += plane[i + 1];
                l2 += plane[i + 2];
                l3 += plane[i + 3];
            }

            float sum = (l0 + l2) + (l1 + l3);
            for (; i < size; i++)
            {
                sum += plane[i];
            }

            y[c] = sum / divisor;
        }

        return y;
    }

    /// <summary>
    /// Average pooling as com.microsoft.nchwc AveragePool / GlobalAveragePool run it (ORT_ENABLE_ALL rewrites 4-D float
    /// pools whose channel count is a multiple of 16; MLAS snchwc.cpp + x86_64/SpoolKernelAvx*.S): a sequential fp32
    /// sum from +0 over the window taps inside the input (rows, then columns), then one division by the number of those
    /// taps (exclude pad) or by kh·kw (include pad). The global form is the window = whole input.
    /// </summary>
    public static float[] NchwcAveragePool(ReadOnlySpan<float> x, ConvGeometry g, bool countIncludePad)
    {
        ArgumentNullException.ThrowIfNull(g);
        if (g.SpatialRank == 2)
        {
            return NchwcAveragePool2D(x, g, countIncludePad);
        }

        int channels = g.Batch * g.InChannels;
        int rank = g.SpatialRank;
        int inSize = g.InSize;
        int outSize = g.OutSize;
        var y = new float[channels * outSize];
        Span<int> o = stackalloc int[rank];
        Span<int> k = stackalloc int[rank];
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<float> plane = x.Slice(c * inSize, inSize);
            for (int p = 0; p < outSize; p++)
            {
                Unravel(p, g.OutSpatial, o);
                float sum = 0f;
                int count = 0;
                for (int t = 0; t < g.KernelSize; t++)
                {
                    Unravel(t, g.KernelSpatial, k);
                    int offset = 0;
                    bool inside = true;
                    for (int d = 0; d < rank && inside; d++)
                    {
                        int pos = (o[d] * g.Strides[d]) - g.PadsBegin[d] + (k[d] * g.Dilations[d]);
                        inside = pos >= 0 && pos < g.InSpatial[d];
                        offset = (offset * g.InSpatial[d]) + pos;
                    }

                    if (inside)
                    {
                        sum += plane[offset];
                        count++;
                    }
                }

                y[(c * outSize) + p] = sum / (countIncludePad ? g.KernelSize : count);
            }
        }

        return y;
    }

    /// <summary>The maximum over each channel's spatial extent (exact).</summary>
    public static T[] GlobalMaxPool<T>(ReadOnlySpan<T> x, int channels, int size)
        where T : IComparisonOperators<T, T, bool>
    {
        var y = new T[channels];
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<T> plane = x.Slice(c * size, size);
            T best = plane[0];
            for (int i = 1; i < size; i++)
            {
                if (plane[i] > best)
                {
                    best = plane[i];
                }
            }

            y[c] = best;
        }

        return y;
    }

    /// <summary>
    /// The 2-D case of <see cref="MaxPool{T}"/> with each output row's and column's valid input positions found once:
    /// the same row-major tap order, first tap unconditionally, then strictly greater.
    /// </summary>
    private static void MaxPool2D<T>(ReadOnlySpan<T> x, ConvGeometry g, T lowest, T[] y, long[]? indices, int storageOrder)
        where T : IComparisonOperators<T, T, bool>
    {
        int inH = g.InSpatial[0], inW = g.InSpatial[1];
        int outH = g.OutSpatial[0], outW = g.OutSpatial[1];
        int inSize = inH * inW;
        int outSize = outH * outW;
        (int[] rowPos, int[] rowCount) = ValidPositions(outH, g.Strides[0], g.PadsBegin[0], g.Dilations[0], g.KernelSpatial[0], inH);
        (int[] colPos, int[] colCount) = ValidPositions(outW, g.Strides[1], g.PadsBegin[1], g.Dilations[1], g.KernelSpatial[1], inW);
        int kh = g.KernelSpatial[0], kw = g.KernelSpatial[1];
        int channels = g.Batch * g.InChannels;
        for (int i = 0; i < rowPos.Length; i++)
        {
            rowPos[i] *= inW;
        }

        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<T> plane = x.Slice(c * inSize, inSize);
            Span<T> outPlane = y.AsSpan(c * outSize, outSize);
            for (int oy = 0; oy < outH; oy++)
            {
                int rows = rowCount[oy];
                int r0 = oy * kh;
                for (int ox = 0; ox < outW; ox++)
                {
                    int cols = colCount[ox];
                    int q0 = ox * kw;
                    T best = lowest;
                    int bestOffset = -1;
                    if (indices is null && rows == 2 && cols == 2)
                    {
                        // The common 2×2 window, unrolled in the same tap order.
                        int top = rowPos[r0], bottom = rowPos[r0 + 1];
                        int left = colPos[q0], right = colPos[q0 + 1];
                        best = Greater(plane[top + right], plane[top + left]);
                        best = Greater(plane[bottom + left], best);
                        best = Greater(plane[bottom + right], best);
                    }
                    else if (indices is null && rows > 0 && cols > 0)
                    {
                        best = plane[rowPos[r0] + colPos[q0]];
                        for (int i = 0; i < rows; i++)
                        {
                            int line = rowPos[r0 + i];
                            for (int j = i == 0 ? 1 : 0; j < cols; j++)
                            {
                                best = Greater(plane[line + colPos[q0 + j]], best);
                            }
                        }
                    }
                    else if (rows > 0 && cols > 0)
                    {
                        // The first valid tap is taken as is (so a NaN there sticks), later ones only if strictly greater.
                        bestOffset = rowPos[r0] + colPos[q0];
                        best = plane[bestOffset];
                        for (int i = 0; i < rows; i++)
                        {
                            int line = rowPos[r0 + i];
                            for (int j = i == 0 ? 1 : 0; j < cols; j++)
                            {
                                int offset = line + colPos[q0 + j];
                                T v = plane[offset];
                                if (v > best)
                                {
                                    best = v;
                                    bestOffset = offset;
                                }
                            }
                        }
                    }

                    outPlane[(oy * outW) + ox] = best;
                    if (indices is not null)
                    {
                        int bestRow = bestOffset / inW, bestCol = bestOffset % inW;
                        indices[(c * outSize) + (oy * outW) + ox] = bestOffset < 0 ? -1
                            : ((long)c * inSize) + (storageOrder == 0 ? bestOffset : bestRow + (bestCol * inH));
                    }
                }
            }
        }
    }

    /// <summary>
    /// v &gt; best ? v : best without a branch (random data mispredicts it half the time). For float this is MAXSS,
    /// whose definition is exactly that expression: NaN in either operand or equal zeros yield the second operand.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Greater<T>(T v, T best)
        where T : IComparisonOperators<T, T, bool>
    {
        if (typeof(T) == typeof(float) && Sse.IsSupported)
        {
            float r = Sse.MaxScalar(Vector128.CreateScalarUnsafe(Unsafe.As<T, float>(ref v)), Vector128.CreateScalarUnsafe(Unsafe.As<T, float>(ref best))).ToScalar();
            return Unsafe.As<float, T>(ref r);
        }

        if (typeof(T) == typeof(byte) && Sse2.IsSupported)
        {
            byte r = Sse2.Max(Vector128.CreateScalarUnsafe(Unsafe.As<T, byte>(ref v)), Vector128.CreateScalarUnsafe(Unsafe.As<T, byte>(ref best))).ToScalar();
            return Unsafe.As<byte, T>(ref r);
        }

        if (typeof(T) == typeof(sbyte) && Sse41.IsSupported)
        {
            sbyte r = Sse41.Max(Vector128.CreateScalarUnsafe(Unsafe.As<T, sbyte>(ref v)), Vector128.CreateScalarUnsafe(Unsafe.As<T, sbyte>(ref best))).ToScalar();
            return Unsafe.As<sbyte, T>(ref r);
        }

        return v > best ? v : best;
    }

    /// <summary>Per output position o, the input positions o·stride − pad + t·dilation inside [0, extent), in tap
    /// order, at positions[o·kernel ..] with their count.</summary>
    private static (int[] Positions, int[] Counts) ValidPositions(int outExtent, int stride, int pad, int dilation, int kernel, int extent)
    {
        var positions = new int[outExtent * kernel];
        var counts = new int[outExtent];
        for (int o = 0; o < outExtent; o++)
        {
            for (int t = 0; t < kernel; t++)
            {
                int pos = (o * stride) - pad + (t * dilation);
                if (pos >= 0 && pos < extent)
                {
                    positions[(o * kernel) + counts[o]++] = pos;
                }
            }
        }

        return (positions, counts);
    }

    /// <summary>The 2-D case of <see cref="NchwcAveragePool"/>: the same sequential sum over valid rows, then columns.</summary>
    private static float[] NchwcAveragePool2D(ReadOnlySpan<float> x, ConvGeometry g, bool countIncludePad)
    {
        int inH = g.InSpatial[0], inW = g.InSpatial[1];
        int outH = g.OutSpatial[0], outW = g.OutSpatial[1];
        int inSize = inH * inW;
        int outSize = outH * outW;
        int kh = g.KernelSpatial[0], kw = g.KernelSpatial[1];
        (int[] rowPos, int[] rowCount) = ValidPositions(outH, g.Strides[0], g.PadsBegin[0], g.Dilations[0], kh, inH);
        (int[] colPos, int[] colCount) = ValidPositions(outW, g.Strides[1], g.PadsBegin[1], g.Dilations[1], kw, inW);
        int channels = g.Batch * g.InChannels;
        var y = new float[channels * outSize];
        int c = 0;
        if (outSize == 1 && rowCount[0] == inH && colCount[0] == inW)
        {
            // The whole plane in order: four channels' independent chains interleaved.
            float divisor = countIncludePad ? g.KernelSize : inSize;
            for (; c + 4 <= channels; c += 4)
            {
                ReadOnlySpan<float> p0 = x.Slice(c * inSize, inSize), p1 = x.Slice((c + 1) * inSize, inSize);
                ReadOnlySpan<float> p2 = x.Slice((c + 2) * inSize, inSize), p3 = x.Slice((c + 3) * inSize, inSize);
                float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
                for (int i = 0; i < inSize; i++)
                {
                    s0 += p0[i];
                    s1 += p1[i];
                    s2 += p2[i];
                    s3 += p3[i];
                }

                y[c] = s0 / divisor;
                y[c + 1] = s1 / divisor;
                y[c + 2] = s2 / divisor;
                y[c + 3] = s3 / divisor;
            }
        }

        for (; c < channels; c++)
        {
            ReadOnlySpan<float> plane = x.Slice(c * inSize, inSize);
            Span<float> outPlane = y.AsSpan(c * outSize, outSize);
            for (int oy = 0; oy < outH; oy++)
            {
                ReadOnlySpan<int> rows = rowPos.AsSpan(oy * kh, rowCount[oy]);
                for (int ox = 0; ox < outW; ox++)
                {
                    ReadOnlySpan<int> cols = colPos.AsSpan(ox * kw, colCount[ox]);
                    float sum = 0f;
                    for (int i = 0; i < rows.Length; i++)
                    {
                        ReadOnlySpan<float> line = plane.Slice(rows[i] * inW, inW);
                        if (cols.Length == inW)
                        {
                            // The whole row in order (the global case): a plain forward loop over the line.
                            for (int j = 0; j < line.Length; j++)
                            {
                                sum += line[j];
                            }
                        }
                        else
                        {
                            for (int j = 0; j < cols.Length; j++)
                            {
                                sum += line[cols[j]];
                            }
                        }
                    }

                    outPlane[(oy * outW) + ox] = sum / (countIncludePad ? g.KernelSize : rows.Length * cols.Length);
                }
            }
        }

        return y;
    }

    private static bool FitsReductionBuffer(ConvGeometry g)
    {
        // pooling.cpp: MLAS_POOL_REDUCTION_BUFFER_STACK (2048) minus the 3-float over-read padding must hold
        // left pad + right pad + input width.
        long remaining = 2048 - 3;
        remaining = remaining >= g.PadsBegin[^1] ? remaining - g.PadsBegin[^1] : 0;
        remaining = remaining >= g.PadsEnd[^1] ? remaining - g.PadsEnd[^1] : 0;
        return remaining >= g.InSpatial[^1];
    }

    private static float[] Generic(ReadOnlySpan<float> x, ConvGeometry g, bool countIncludePad)
    {
        int channels = g.Batch * g.InChannels;
        int rank = g.SpatialRank;
        int inSize = g.InSize;
        int outSize = g.OutSize;
        var y = new float[channels * outSize];
        Span<int> o = stackalloc int[rank];
        Span<int> k = stackalloc int[rank];
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<float> plane = x.Slice(c * inSize, inSize);
            for (int p = 0; p < outSize; p++)
            {
                Unravel(p, g.OutSpatial, o);
                float sum = 0f;
                int count = 0;
                int padded = 0;
                for (int t = 0; t < g.KernelSize; t++)
                {
                    Unravel(t, g.KernelSpatial, k);
                    int offset = 0;
                    bool inside = true;
                    bool inPadded = true;
                    for (int d = 0; d < rank; d++)
                    {
                        int pos = (o[d] * g.Strides[d]) - g.PadsBegin[d] + (k[d] * g.Dilations[d]);
                        inPadded &= pos >= -g.PadsBegin[d] && pos < g.InSpatial[d] + g.PadsEnd[d];
                        if (pos < 0 || pos >= g.InSpatial[d])
                        {
                            inside = false;
                        }
                        else
                        {
                            offset = (offset * g.InSpatial[d]) + pos;
                        }
                    }

                    if (inPadded)
                    {
                        padded++;
                    }

                    if (inside)
                    {
                        sum += plane[offset];
                        count++;
                    }
                }

                // count_include_pad counts the taps inside the padded input, not those a ceil-mode window hangs past it
                // (ONNX AveragePool-19 reference; ORT's dilated path agrees).
                float divisor = countIncludePad ? padded : count;
                y[(c * outSize) + p] = sum / divisor;
            }
        }

        return y;
    }

    private static float[] Vector2D(ReadOnlySpan<float> x, ConvGeometry g, bool countIncludePad)
    {
        int channels = g.Batch * g.InChannels;
        int inH = g.InSpatial[0], inW = g.InSpatial[1];
        int outH = g.OutSpatial[0], outW = g.OutSpatial[1];
        int kh = g.KernelSpatial[0], kw = g.KernelSpatial[1];
        int padT = g.PadsBegin[0], padL = g.PadsBegin[1];
        int sh = g.Strides[0], sw = g.Strides[1];
        int inSize = inH * inW;
        var y = new float[channels * outH * outW];
        int bufferLength = Math.Max(padL + inW + g.PadsEnd[1] + 3, ((outW - 1) * sw) + kw);
        var buffer = new float[bufferLength];
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<float> plane = x.Slice(c * inSize, inSize);
            for (int ph = 0; ph < outH; ph++)
            {
                (int rowStart, int rowEnd) = ClampRows((ph * sh) - padT, kh, inH);
                int rows = rowEnd - rowStart;
                Array.Clear(buffer);
                for (int xw = 0; xw < inW; xw++)
                {
                    float s = plane[(rowStart * inW) + xw];
                    for (int r = rowStart + 1; r < rowEnd; r++)
                    {
                        s += plane[(r * inW) + xw];
                    }

                    buffer[padL + xw] = s;
                }

                WidthPass(buffer, y.AsSpan(((c * outH) + ph) * outW, outW), kw, sw, padL, inW, rows, kh * kw, countIncludePad);
            }
        }

        return y;
    }

    private static float[] Vector3D(ReadOnlySpan<float> x, ConvGeometry g, bool countIncludePad)
    {
        int channels = g.Batch * g.InChannels;
        int inD = g.InSpatial[0], inH = g.InSpatial[1], inW = g.InSpatial[2];
        int outD = g.OutSpatial[0], outH = g.OutSpatial[1], outW = g.OutSpatial[2];
        int kd = g.KernelSpatial[0], kh = g.KernelSpatial[1], kw = g.KernelSpatial[2];
        int padF = g.PadsBegin[0], padT = g.PadsBegin[1], padL = g.PadsBegin[2];
        int sd = g.Strides[0], sh = g.Strides[1], sw = g.Strides[2];
        int inSize = inD * inH * inW;
        var y = new float[channels * outD * outH * outW];
        int bufferLength = Math.Max(padL + inW + g.PadsEnd[2] + 3, ((outW - 1) * sw) + kw);
        var buffer = new float[bufferLength];
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<float> vol = x.Slice(c * inSize, inSize);
            for (int pd = 0; pd < outD; pd++)
            {
                (int dStart, int dEnd) = ClampRows((pd * sd) - padF, kd, inD);
                for (int ph = 0; ph < outH; ph++)
                {
                    (int rowStart, int rowEnd) = ClampRows((ph * sh) - padT, kh, inH);
                    int rows = (dEnd - dStart) * (rowEnd - rowStart);
                    Array.Clear(buffer);
                    for (int xw = 0; xw < inW; xw++)
                    {
                        float s = 0f;
                        for (int z = dStart; z < dEnd; z++)
                        {
                            for (int r = rowStart; r < rowEnd; r++)
                            {
                                s += vol[(((z * inH) + r) * inW) + xw];
                            }
                        }

                        buffer[padL + xw] = s;
                    }

                    WidthPass(buffer, y.AsSpan(((((c * outD) + pd) * outH) + ph) * outW, outW), kw, sw, padL, inW, rows, kd * kh * kw, countIncludePad);
                }
            }
        }

        return y;
    }

    /// <summary>pooling.cpp's row clamp: a start before the input (unsigned wrap) becomes 0; the end is start + k,
    /// capped at the extent.</summary>
    private static (int Start, int End) ClampRows(int start, int kernel, int extent)
    {
        int end = Math.Min(start + kernel, extent);
        if (start < 0 || start >= extent)
        {
            start = 0;
        }

        return (start, end);
    }

    private static void WidthPass(float[] buffer, Span<float> output, int kw, int sw, int padL, int inW, int rows, int kernelVolume, bool countIncludePad)
    {
        for (int pw = 0; pw < output.Length; pw++)
        {
            int start = pw * sw;
            float s = buffer[start];
            for (int t = 1; t < kw; t++)
            {
                s += buffer[start + t];
            }

            float divisor;
            if (countIncludePad)
            {
                divisor = kernelVolume;
            }
            else
            {
                float lower = Math.Max(start, padL);
                float upper = Math.Min(start + kw, padL + inW);
                divisor = Math.Max((upper - lower) * rows, 1f);
            }

            output[pw] = s / divisor;
        }
    }

    private static void Unravel(int index, int[] dims, Span<int> result)
    {
        for (int d = dims.Length - 1; d >= 0; d--)
        {
            result[d] = index % dims[d];
            index /= dims[d];
        }
    }
}
