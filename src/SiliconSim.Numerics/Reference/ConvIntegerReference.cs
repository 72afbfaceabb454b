using System.Numerics;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Numerics.Reference;

/// <summary>
/// Plain scalar integer convolution over any spatial rank: the definition the fast conv kernels are tested against.
/// Every output position and every tap is visited by explicit index arithmetic; no packing, no blocking.
/// </summary>
public static class ConvIntegerReference
{
    /// <summary>int32 accumulators [N, M, out...] of Σ (x − x_zp)(w − w_zp[oc]) with padding taps skipped.</summary>
    public static int[] Compute<TX, TW>(ReadOnlySpan<TX> x, int xZeroPoint, ReadOnlySpan<TW> w, ReadOnlySpan<int> wZeroPoints, ConvGeometry g)
        where TX : unmanaged, IBinaryInteger<TX>
        where TW : unmanaged, IBinaryInteger<TW>
    {
        int rank = g.SpatialRank;
        int cg = g.InChannels / g.Group;
        int mg = g.OutChannels / g.Group;
        int outSize = g.OutSize;
        int kSize = g.KernelSize;
        int inSize = g.InSize;
        var y = new int[g.Batch * g.OutChannels * outSize];
        var o = new int[rank];
        var kk = new int[rank];
        for (int n = 0; n < g.Batch; n++)
        {
            for (int oc = 0; oc < g.OutChannels; oc++)
            {
                int group = oc / mg;
                int wzp = wZeroPoints[wZeroPoints.Length == 1 ? 0 : oc];
                for (int op = 0; op < outSize; op++)
                {
                    Unflatten(op, g.OutSpatial, o);
                    int acc = 0;
                    for (int c = 0; c < cg; c++)
                    {
                        int ic = (group * cg) + c;
                        for (int kp = 0; kp < kSize; kp++)
                        {
                            Unflatten(kp, g.KernelSpatial, kk);
                            int inIndex = 0;
                            bool inside = true;
                            for (int d = 0; d < rank; d++)
                            {
                                int pos = (o[d] * g.Strides[d]) - g.PadsBegin[d] + (kk[d] * g.Dilations[d]);
                                inside &= pos >= 0 && pos < g.InSpatial[d];
                                inIndex = (inIndex * g.InSpatial[d]) + pos;
                            }

                            if (!inside)
                            {
                                continue;
                            }

                            int xv = int.CreateTruncating(x[(((n * g.InChannels) + ic) * inSize) + inIndex]) - xZeroPoint;
                            int wv = int.CreateTruncating(w[(((oc * cg) + c) * kSize) + kp]) - wzp;
                            acc = unchecked(acc + (xv * wv));
                        }
                    }

                    y[(((n * g.OutChannels) + oc) * outSize) + op] = acc;
                }
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
