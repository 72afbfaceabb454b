using System.Numerics;

namespace SiliconSim.Numerics.Reference;

/// <summary>
/// Scalar references for the quantized element-wise and reduction kernels: numpy broadcasting by explicit index
/// mapping, and the per-element arithmetic written out once per element.
/// </summary>
public static class ElementwiseQuantReference
{
    /// <summary>The flat input offset that output element <paramref name="index"/> reads under numpy broadcasting.</summary>
    public static int BroadcastOffset(int index, ReadOnlySpan<int> outShape, ReadOnlySpan<int> inShape)
    {
        int offset = 0;
        int stride = 1;
        int rem = index;
        for (int d = outShape.Length - 1; d >= 0; d--)
        {
            int coord = rem % outShape[d];
            rem /= outShape[d];
            int id = d - (outShape.Length - inShape.Length);
            if (id >= 0)
            {
                if (inShape[id] != 1)
                {
                    offset += coord * stride;
                }

                stride *= inShape[id];
            }
        }

        return offset;
    }

    /// <summary>
    /// One QLinearMul element: ((a − zA)(b − zB) as int32 → fp32) · ((sA · sB) / sC), then + zC, half-even, saturate.
    /// </summary>
    public static T MulElement<T>(T a, float sA, int zA, T b, float sB, int zB, float sC, int zC)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        float ratio = sA * sB;
        ratio /= sC;
        int product = (int.CreateTruncating(a) - zA) * (int.CreateTruncating(b) - zB);
        float v = (float)product * ratio;
        v += zC;
        return Saturate<T>(v);
    }

    /// <summary>Saturating half-even conversion as cvtps2dq + signed packs do it (out-of-range becomes int.MinValue first).</summary>
    public static T Saturate<T>(float v)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        double r = Math.Round((double)v, MidpointRounding.ToEven);
        long i = double.IsNaN(r) || r < int.MinValue || r > int.MaxValue ? int.MinValue : (long)r;
        i = Math.Clamp(i, short.MinValue, short.MaxValue);
        return T.CreateTruncating(Math.Clamp(i, long.CreateTruncating(T.MinValue), long.CreateTruncating(T.MaxValue)));
    }

    /// <summary>Global average pool over NCHW planes: Σ(x) − zp·S, scale = xs / (ys · S), then requantize.</summary>
    public static T[] GlobalAveragePoolNchw<T>(ReadOnlySpan<T> x, int planes, int imageSize, float xScale, int xZeroPoint, float yScale, int yZeroPoint)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var y = new T[planes];
        float scale = xScale / (yScale * (float)imageSize);
        for (int p = 0; p < planes; p++)
        {
            int sum = 0;
            for (int i = 0; i < imageSize; i++)
            {
                sum += int.CreateTruncating(x[(p * imageSize) + i]) - xZeroPoint;
            }

            y[p] = RequantizeReference.Requantize<T>(sum, scale, yZeroPoint);
        }

        return y;
    }
}
