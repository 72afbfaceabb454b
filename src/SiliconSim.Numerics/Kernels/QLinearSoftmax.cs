using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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

    /// <summary>
    /// <see cref="Compute{T}"/> (its scalar reference) with the same arithmetic per row, arranged for speed: rows in
    /// groups of <see cref="RowGroup"/> whose sequential fp32 sums run side by side (independent dependency chains, each
    /// row still summed left to right), the quotient and rounding eight at a time, and the groups split over
    /// <paramref name="parallelism"/>'s threads (rows are independent, so the bits do not depend on the split).
    /// </summary>
    public static void ComputeRows<T>(T[] x, int rowLength, float[] table, float yScale, int yZeroPoint, T[] y, Parallelism parallelism)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (rowLength <= 0 || x.Length % rowLength != 0 || y.Length < x.Length || table.Length != 256)
        {
            throw new ArgumentException($"x ({x.Length}) must be whole rows of {rowLength} codes, y at least as long and the table 256 entries");
        }

        int groups = (x.Length / rowLength + RowGroup - 1) / RowGroup;
        parallelism.ForRanges(groups, (g0, g1) =>
        {
            var entries = new float[RowGroup * rowLength];
            for (int g = g0; g < g1; g++)
            {
                int r0 = g * RowGroup, rows = Math.Min(RowGroup, (x.Length / rowLength) - r0);
                ComputeGroup(x.AsSpan(r0 * rowLength, rows * rowLength), rowLength, rows, table, yScale, yZeroPoint, y.AsSpan(r0 * rowLength, rows * rowLength), entries);
            }
        }, Math.Max(1, 16384 / (RowGroup * rowLength)));
    }

    /// <summary>Rows whose sums <see cref="ComputeRows{T}"/> interleaves.</summary>
    public const int RowGroup = 8;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ComputeGroup<T>(ReadOnlySpan<T> x, int rowLength, int rows, float[] table, float yScale, int yZeroPoint, Span<T> y, float[] entries)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        bool isSigned = int.CreateTruncating(T.MinValue) < 0;
        float yScaleInverse = MathF.Floor(1.0f / yScale);
        Span<float> sums = stackalloc float[RowGroup];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> row = x.Slice(r * rowLength, rowLength);
            int max = int.MinValue;
            foreach (T v in row)
            {
                max = Math.Max(max, int.CreateTruncating(v));
            }

            Span<float> e = entries.AsSpan(r * rowLength, rowLength);
            for (int i = 0; i < rowLength; i++)
            {
                e[i] = table[Index(int.CreateTruncating(row[i]), max, isSigned)];
            }
        }

        if (rows == RowGroup)
        {
            // Eight independent left-to-right sums in step.
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
            for (int i = 0; i < rowLength; i++)
            {
                s0 += entries[i];
                s1 += entries[rowLength + i];
                s2 += entries[(2 * rowLength) + i];
                s3 += entries[(3 * rowLength) + i];
                s4 += entries[(4 * rowLength) + i];
                s5 += entries[(5 * rowLength) + i];
                s6 += entries[(6 * rowLength) + i];
                s7 += entries[(7 * rowLength) + i];
            }

            (sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], sums[6], sums[7]) = (s0, s1, s2, s3, s4, s5, s6, s7);
        }
        else
        {
            for (int r = 0; r < rows; r++)
            {
                float s = 0;
                foreach (float v in entries.AsSpan(r * rowLength, rowLength))
                {
                    s += v;
                }

                sums[r] = s;
            }
        }

        for (int r = 0; r < rows; r++)
        {
            Span<T> outRow = y.Slice(r * rowLength, rowLength);
            float sum = sums[r];
            if (sum == 0)
            {
                outRow.Clear();
                continue;
            }

            ReadOnlySpan<float> e = entries.AsSpan(r * rowLength, rowLength);
            int i = 0;
            if (Avx.IsSupported)
            {
                // entry · Y then / sum, each rounded to fp32, then round half to even: the scalar steps in vector form.
                // A block whose quotients are not all inside [0, 2^24] (where the integer casts are exact and agree) takes the scalar codes.
                Vector256<float> vy = Vector256.Create(yScaleInverse), vs = Vector256.Create(sum);
                Vector256<float> limit = Vector256.Create(16777216f);
                for (; i + 8 <= rowLength; i += 8)
                {
                    Vector256<float> q = Avx.RoundToNearestInteger(Avx.Divide(Avx.Multiply(Vector256.Create(e.Slice(i, 8)), vy), vs));
                    if (!Vector256.LessThanOrEqualAll(q, limit) || !Vector256.GreaterThanOrEqualAll(q, Vector256<float>.Zero))
                    {
                        for (int k = i; k < i + 8; k++)
                        {
                            outRow[k] = Code<T>(q.GetElement(k - i), yZeroPoint, isSigned);
                        }

                        continue;
                    }

                    Vector256<int> c = Vector256.ConvertToInt32(q) + Vector256.Create(yZeroPoint);
                    c = isSigned ? Vector256.Clamp(c, Vector256.Create(-128), Vector256.Create(127)) : Vector256.Min(c, Vector256.Create(255));
                    for (int k = 0; k < 8; k++)
                    {
                        outRow[i + k] = T.CreateTruncating(c.GetElement(k));
                    }
                }
            }

            for (; i < rowLength; i++)
            {
                float q = MathF.Round(e[i] * yScaleInverse / sum, MidpointRounding.ToEven);
                outRow[i] = Code<T>(q, yZeroPoint, isSigned);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Code<T>(float q, int zeroPoint, bool isSigned)
        where T : unmanaged, IBinaryInteger<T> =>
        T.CreateTruncating(isSigned ? SignedCode(q, zeroPoint) : UnsignedCode(q, zeroPoint));

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
