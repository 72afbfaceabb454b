using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
            // Sums first (exact, wrapping int32 like MLAS's accumulator), then one vectorised requantization pass.
            var planeSums = new int[batch * channels];
            for (int nc = 0; nc < planeSums.Length; nc++)
            {
                planeSums[nc] = unchecked(bias + PlaneSum(x.Slice(nc * imageSize, imageSize)));
            }

            Requantizer.RequantizeRow(planeSums, 0, scale, yZeroPoint, y[..planeSums.Length]);
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

    // Σ of one plane's codes, wrapping int32. 8-bit planes go 16 codes at a time through psadbw (|v − 0| summed
    // into two 64-bit lanes, exact); s8 codes are moved to u8 by flipping the top bit and the 128·count taken back.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PlaneSum<T>(ReadOnlySpan<T> plane)
        where T : unmanaged, IBinaryInteger<T>
    {
        int i = 0;
        long sum = 0;
        if (Sse2.IsSupported && Unsafe.SizeOf<T>() == 1)
        {
            bool signed = T.IsNegative(T.CreateTruncating(-1));
            ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(plane);
            Vector128<byte> flip = Vector128.Create(signed ? (byte)0x80 : (byte)0);
            Vector128<ulong> lanes = Vector128<ulong>.Zero;
            for (; i + 16 <= bytes.Length; i += 16)
            {
                Vector128<byte> v = Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(bytes), (nuint)i) ^ flip;
                lanes += Sse2.SumAbsoluteDifferences(v, Vector128<byte>.Zero).AsUInt64();
            }

            sum = (long)(lanes.GetElement(0) + lanes.GetElement(1)) - (signed ? 128L * i : 0);
        }

        for (; i < plane.Length; i++)
        {
            sum += long.CreateTruncating(plane[i]);
        }

        return unchecked((int)sum);
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
