using System.Numerics;
using System.Runtime.CompilerServices;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// ONNX MaxPool on uint8/int8 tensors (1 to 3 spatial dims), as ORT's CPU MaxPool computes it for 8-bit types:
/// a plain maximum over the window, with padded taps ignored (padding acts as −∞). Exact by construction.
/// </summary>
public static class MaxPoolInt
{
    /// <summary>
    /// <c>y[n, c, o] = max over valid taps of x[n, c, o·stride − pad_begin + k·dilation]</c> for the geometry from
    /// <see cref="ConvGeometry.Resolve"/> (resolve with outChannels = C and group = C; ceil_mode applied there).
    /// A window without a valid tap yields <c>T.MinValue</c>. <paramref name="x"/> is [N, C, in…],
    /// <paramref name="y"/> is [N, C, out…].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute<T>(ReadOnlySpan<T> x, ConvGeometry g, Span<T> y)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        int rank = g.SpatialRank;
        if (rank is < 1 or > 3)
        {
            throw new ArgumentException($"integer MaxPool supports 1 to 3 spatial dims, got {rank}");
        }

        Span<int> inE = stackalloc int[3];
        Span<int> kE = stackalloc int[3];
        Span<int> outE = stackalloc int[3];
        Span<int> s = stackalloc int[3];
        Span<int> d = stackalloc int[3];
        Span<int> p = stackalloc int[3];
        for (int i = 0; i < 3; i++)
        {
            int src = i - (3 - rank);
            bool real = src >= 0;
            inE[i] = real ? g.InSpatial[src] : 1;
            kE[i] = real ? g.KernelSpatial[src] : 1;
            outE[i] = real ? g.OutSpatial[src] : 1;
            s[i] = real ? g.Strides[src] : 1;
            d[i] = real ? g.Dilations[src] : 1;
            p[i] = real ? g.PadsBegin[src] : 0;
        }

        int inSize = inE[0] * inE[1] * inE[2];
        int outSize = outE[0] * outE[1] * outE[2];
        int planes = g.Batch * g.InChannels;
        if (x.Length != planes * inSize || y.Length != planes * outSize)
        {
            throw new ArgumentException("input or output length does not match the pool geometry");
        }

        for (int plane = 0; plane < planes; plane++)
        {
            ReadOnlySpan<T> xp = x.Slice(plane * inSize, inSize);
            Span<T> yp = y.Slice(plane * outSize, outSize);
            int o = 0;
            for (int od = 0; od < outE[0]; od++)
            {
                for (int oh = 0; oh < outE[1]; oh++)
                {
                    for (int ow = 0; ow < outE[2]; ow++, o++)
                    {
                        T best = T.MinValue;
                        for (int kd = 0; kd < kE[0]; kd++)
                        {
                            int id = (od * s[0]) - p[0] + (kd * d[0]);
                            if ((uint)id >= (uint)inE[0])
                            {
                                continue;
                            }

                            for (int kh = 0; kh < kE[1]; kh++)
                            {
                                int ih = (oh * s[1]) - p[1] + (kh * d[1]);
                                if ((uint)ih >= (uint)inE[1])
                                {
                                    continue;
                                }

                                int rowBase = ((id * inE[1]) + ih) * inE[2];
                                for (int kw = 0; kw < kE[2]; kw++)
                                {
                                    int iw = (ow * s[2]) - p[2] + (kw * d[2]);
                                    if ((uint)iw < (uint)inE[2] && xp[rowBase + iw] > best)
                                    {
                                        best = xp[rowBase + iw];
                                    }
                                }
                            }
                        }

                        yp[o] = best;
                    }
                }
            }
        }
    }
}
