using System.Numerics;
using System.Runtime.CompilerServices;

namespace SiliconSim.Numerics.Kernels;

/// <summary>com.microsoft QLinearGlobalAveragePool as ORT computes it (MLAS qlgavgpool.cpp; ort-cpu-semantics.md §2).</summary>
public static class QLinearGlobalAveragePool
{
    /// <summary>
    /// For each (n, c): <c>acc = Σ x − x_zp · S</c> over the S = H·W·… spatial positions, exact int32;
    /// <c>scale = x_scale / (y_scale · float(S))</c> fp32 (the product first); y = requantize(acc, scale, y_zp).
    /// <paramref name="x"/> is [N, C, spatial…], or [N, spatial…, C] when <paramref name="channelsLast"/>; the output
    /// holds N·C values in the same channel order. Like MLAS, a scale outside [2^−32, 256) or S ≥ 2^24 is refused.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute<T>(ReadOnlySpan<T> x, int batch, int channels, int imageSize, bool channelsLast, float xScale, int xZeroPoint, float yScale, int yZeroPoint, Span<T> y)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        float scale = Scale(xScale, yScale, imageSize);
        if (x.Length != batch * channels * imageSize || y.Length != batch * channels)
        {
            throw new ArgumentException("input or output length does not match [N, C, image]");
        }

        int bias = -xZeroPoint * imageSize;
        int qmin = Requantizer.QMin<T>();
        int qmax = Requantizer.QMax<T>();
        if (!channelsLast)
        {
            for (int nc = 0; nc < batch * channels; nc++)
            {
                ReadOnlySpan<T> plane = x.Slice(nc * imageSize, imageSize);
                int acc = bias;
                for (int i = 0; i < plane.Length; i++)
                {
                    acc += int.CreateTruncating(plane[i]);
                }

                y[nc] = T.CreateTruncating(Requantizer.Requantize(acc, scale, yZeroPoint, qmin, qmax));
            }

            return;
        }

        var sums = new int[channels];
        for (int n = 0; n < batch; n++)
        {
            Array.Fill(sums, bias);
            ReadOnlySpan<T> image = x.Slice(n * imageSize * channels, imageSize * channels);
            for (int p = 0; p < imageSize; p++)
            {
                ReadOnlySpan<T> pixel = image.Slice(p * channels, channels);
                for (int c = 0; c < channels; c++)
                {
                    sums[c] += int.CreateTruncating(pixel[c]);
                }
            }

            for (int c = 0; c < channels; c++)
            {
                y[(n * channels) + c] = T.CreateTruncating(Requantizer.Requantize(sums[c], scale, yZeroPoint, qmin, qmax));
            }
        }
    }

    /// <summary>x_scale / (y_scale · float(S)) in fp32, with MLAS's range checks (CheckQLinearGlobalAveragePoolScaleAndSize).</summary>
    public static float Scale(float xScale, float yScale, int imageSize)
    {
        if (imageSize >= 0x1000000)
        {
            throw new ArgumentException("QLinearGlobalAveragePool image size is 2^24 or more (MLAS refuses it)");
        }

        float denominator = yScale * imageSize;
        float scale = xScale / denominator;
        if (!(scale >= 1f / 4294967296f && scale < 256f))
        {
            throw new ArgumentException($"QLinearGlobalAveragePool scale {scale} is outside [2^-32, 256) (MLAS refuses it)");
        }

        return scale;
    }
}
