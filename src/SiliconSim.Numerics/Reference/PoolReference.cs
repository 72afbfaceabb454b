using System.Numerics;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Kernels.Float;

namespace SiliconSim.Numerics.Reference;

/// <summary>
/// Plain N-d statements of <see cref="PoolKernels.MaxPool{T}"/> and <see cref="PoolKernels.NchwcAveragePool"/>: every
/// window tap visited in row-major order with its coordinates recomputed, no precomputed ranges.
/// </summary>
public static class PoolReference
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
        var y = new T[channels * outSize];
        indices = computeIndices ? new long[y.Length] : null;
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
    /// Average pooling as com.microsoft.nchwc AveragePool / GlobalAveragePool run it (ORT_ENABLE_ALL rewrites 4-D float
    /// pools whose channel count is a multiple of 16; MLAS snchwc.cpp + x86_64/SpoolKernelAvx*.S): a sequential fp32
    /// sum from +0 over the window taps inside the input (rows, then columns), then one division by the number of those
    /// taps (exclude pad) or by kh·kw (include pad). The global form is the window = whole input.
    /// </summary>
    public static float[] NchwcAveragePool(ReadOnlySpan<float> x, ConvGeometry g, bool countIncludePad)
    {
        ArgumentNullException.ThrowIfNull(g);
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

    private static void Unravel(int index, int[] dims, Span<int> result)
    {
        for (int d = dims.Length - 1; d >= 0; d--)
        {
            result[d] = index % dims[d];
            index /= dims[d];
        }
    }
}
