using System.Numerics;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Numerics.Reference;

/// <summary>Plain scalar N-d max pooling of integer codes; padded taps are skipped.</summary>
public static class MaxPoolIntReference
{
    /// <summary>y[n, c, o] = max over in-range taps; T.MinValue when the window has none.</summary>
    public static T[] Compute<T>(ReadOnlySpan<T> x, ConvGeometry g)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        int rank = g.SpatialRank;
        int inSize = g.InSize, outSize = g.OutSize, kSize = g.KernelSize;
        var y = new T[g.Batch * g.InChannels * outSize];
        var o = new int[rank];
        var kk = new int[rank];
        for (int plane = 0; plane < g.Batch * g.InChannels; plane++)
        {
            for (int op = 0; op < outSize; op++)
            {
                Unflatten(op, g.OutSpatial, o);
                T best = T.MinValue;
                for (int kp = 0; kp < kSize; kp++)
                {
                    Unflatten(kp, g.KernelSpatial, kk);
                    int idx = 0;
                    bool inside = true;
                    for (int d = 0; d < rank; d++)
                    {
                        int pos = (o[d] * g.Strides[d]) - g.PadsBegin[d] + (kk[d] * g.Dilations[d]);
                        inside &= pos >= 0 && pos < g.InSpatial[d];
                        idx = (idx * g.InSpatial[d]) + pos;
                    }

                    if (inside)
                    {
                        best = T.Max(best, x[(plane * inSize) + idx]);
                    }
                }

                y[(plane * outSize) + op] = best;
            }
        }

        return y;
    }

    private static void Unflatten(int index, int[] extents, int[] result)
    {
        for (int d = extents.Length - 1; d >= 0; d--)
        {
            result[d] = index % extents[d];
            index /= extents[d];
        }
    }
}
