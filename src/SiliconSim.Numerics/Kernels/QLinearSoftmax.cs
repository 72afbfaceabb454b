using System.Numerics;
using System.Runtime.CompilerServices;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// com.microsoft QLinearSoftmax as ORT computes it (contrib_ops/cpu/quantization/qlinear_softmax.cc): a 256-entry
/// fp32 exp table built in double, fp32 sums and a fp32 division per element.
/// </summary>
public static class QLinearSoftmax
{
    /// <summary>
    /// The exp table for a reduction of length <paramref name="reduceLength"/>: for i in 0..255,
    /// <c>shift = max(0, logf(FLT_MAX / D) − 5) / x_scale</c> (FLT_MAX/D and its logarithm in float, the rest in double),
    /// <c>table[i] = (float)exp((i − 255 + shift) · (double)x_scale)</c>, stored at index i, or at (i − 128) mod 256 for
    /// int8 input.
    /// </summary>
    public static float[] BuildTable(float xScale, int reduceLength, bool isSigned)
    {
        // FLT_MAX / reduce_len is a float, so the unqualified log resolves to the float overload (logf): the shift
        // starts from a float logarithm, and only then widens to double (found against ORT 1.31 on exact ties).
        double bitShift = MathF.Log(float.MaxValue / reduceLength);
        bitShift = Math.Max(0.0, bitShift - 5) / xScale;
        var table = new float[256];
        for (int i = 0; i < 256; i++)
        {
            double e = Math.Exp((i - 255 + bitShift) * xScale);
            table[(byte)(isSigned ? i - 128 : i)] = (float)e;
        }

        return table;
    }

    /// <summary>
    /// Softmax over rows of <paramref name="rowLength"/> contiguous codes (the caller moves the axis last, or for
    /// opset &lt; 13 flattens from the axis). Per row: entry(x) = table[255 − max + x] (uint8) or
    /// table[(byte)(127 − max + x)] (int8); sum = sequential fp32 sum; Y = floor(1 / y_scale) fp32;
    /// q = round_half_even((entry · Y) / sum), both operations fp32; uint8: uint32(q) + y_zp capped at 255, where a
    /// non-finite q counts as 0; int8: int32(q) + y_zp (non-finite q is int.MinValue, the add wraps) saturated to
    /// [−128, 127]. These casts were pinned against ORT 1.31 output, including the overflow cases. A row whose sum is
    /// 0 is left as zeros (ORT leaves the rest of the thread's rows unwritten).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute<T>(ReadOnlySpan<T> x, int rowLength, float[] table, float yScale, int yZeroPoint, Span<T> y)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        bool isSigned = int.CreateTruncating(T.MinValue) < 0;
        float yScaleInverse = MathF.Floor(1.0f / yScale);
        for (int r = 0; r + rowLength <= x.Length && rowLength > 0; r += rowLength)
        {
            ReadOnlySpan<T> row = x.Slice(r, rowLength);
            Span<T> outRow = y.Slice(r, rowLength);
            int max = int.MinValue;
            foreach (T v in row)
            {
                max = Math.Max(max, int.CreateTruncating(v));
            }

            float sum = 0;
            foreach (T v in row)
            {
                sum += table[Index(int.CreateTruncating(v), max, isSigned)];
            }

            if (sum == 0)
            {
                outRow.Clear();
                continue;
            }

            for (int i = 0; i < row.Length; i++)
            {
                float entry = table[Index(int.CreateTruncating(row[i]), max, isSigned)];
                float q = MathF.Round(entry * yScaleInverse / sum, MidpointRounding.ToEven);
                outRow[i] = T.CreateTruncating(isSigned ? SignedCode(q, yZeroPoint) : UnsignedCode(q, yZeroPoint));
            }
        }
    }

    // uint8: static_cast<uint32_t>(q) + zp, capped at 255. x86-64 converts through a 64-bit cvttss2si, so a
    // non-finite q (entry · Y overflows fp32 when 1/y_scale is large and the row is short) contributes 0.
    private static int UnsignedCode(float q, int zeroPoint)
    {
        uint qi = float.IsFinite(q) && q < 9.2233720368547758E18f ? unchecked((uint)(ulong)q) : 0u;
        uint vq = unchecked(qi + (uint)zeroPoint);
        return vq > 255 ? 255 : (int)vq;
    }

    // int8: int32(q) (non-finite or out of range gives int.MinValue, cvtps2dq's indefinite value) + zp with
    // wrapping, then saturated to [-128, 127] (observed against ORT 1.31; the older source wrapped instead).
    private static int SignedCode(float q, int zeroPoint)
    {
        int qi = Requantizer.ConvertToInt32x86(q);
        return Math.Clamp(unchecked(qi + zeroPoint), sbyte.MinValue, sbyte.MaxValue);
    }

    private static int Index(int v, int max, bool isSigned) => isSigned ? (byte)(127 - max + v) : 255 - max + v;
}
