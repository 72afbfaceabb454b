using System.Numerics;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// com.microsoft QLinearSoftmax as ORT computes it (contrib_ops/cpu/quantization/qlinear_softmax.cc): a 256-entry
/// fp32 exp table built in double, fp32 sums and a fp32 division per element.
/// </summary>
public static class QLinearSoftmax
{
    /// <summary>
    /// The exp table for a reduction of length <paramref name="reduceLength"/>: for i in 0..255,
    /// <c>shift = max(0, ln(FLT_MAX / D) − 5) / x_scale</c> (double; FLT_MAX/D in double),
    /// <c>table[i] = (float)exp((i − 255 + shift) · (double)x_scale)</c>, stored at index i, or at (i − 128) mod 256 for
    /// int8 input.
    /// </summary>
    public static float[] BuildTable(float xScale, int reduceLength, bool isSigned)
    {
        double bitShift = Math.Log(float.MaxValue / (double)reduceLength);
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
    /// q = round_half_even((entry · Y) / sum) + y_zp as int32, then uint8: min(q, 255) (no lower clamp, the cast wraps);
    /// int8: q &gt; 255 ? −1 : (sbyte)q (ORT's exact casts). A row whose sum is 0 is left as zeros (ORT leaves the
    /// rest of the thread's rows unwritten).
    /// </summary>
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
                if (isSigned)
                {
                    int vq = (int)q + yZeroPoint;
                    outRow[i] = T.CreateTruncating(vq > 255 ? -1 : (int)(sbyte)vq);
                }
                else
                {
                    uint vq = unchecked((uint)(int)q + (uint)yZeroPoint);
                    outRow[i] = T.CreateTruncating(vq > 255 ? 255 : (int)(byte)vq);
                }
            }
        }
    }

    private static int Index(int v, int max, bool isSigned) => isSigned ? (byte)(127 - max + v) : 255 - max + v;
}
