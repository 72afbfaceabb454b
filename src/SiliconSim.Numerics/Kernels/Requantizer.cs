using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// The fp32 requantization step shared by every integer kernel (MLAS MlasRequantizeOutput, quantize.cpp; see
/// ort-cpu-semantics.md §2 QLinearConv step 3).
/// </summary>
public static class Requantizer
{
    /// <summary>
    /// Requantizes one int32 accumulator: <c>v = float(acc) · scale</c> (int32→fp32 rounds to nearest even, then one
    /// fp32 multiply), <c>v</c> clamped to <c>[qmin − zp, qmax − zp]</c> in fp32, rounded half to even, plus
    /// <paramref name="zeroPoint"/>. The clamp uses maxps/minps operand order, so a NaN product becomes the lower bound.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Requantize(int acc, float scale, int zeroPoint, int qmin, int qmax)
    {
        float v = acc * scale;
        float lo = qmin - zeroPoint;
        float hi = qmax - zeroPoint;
        // maxps(v, lo) returns lo when either is NaN; minps(v, hi) likewise returns hi.
        v = v > lo ? v : lo;
        v = v < hi ? v : hi;
        // MathF.Round(float) rounds half to even (roundss), like cvtps2dq under the default MXCSR.
        return (int)MathF.Round(v) + zeroPoint;
    }

    /// <summary>
    /// Requantizes into the element type <typeparamref name="T"/> (uint8 or int8): the bounds are T's range.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Requantize<T>(int acc, float scale, int zeroPoint)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> =>
        T.CreateTruncating(Requantize(acc, scale, zeroPoint, QMin<T>(), QMax<T>()));

    /// <summary>
    /// <c>y[i] = Requantize(acc[i] + bias, scale, zeroPoint)</c> into <typeparamref name="T"/>, the bias added with
    /// int32 wrap-around (the accumulator is int32 in ORT).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RequantizeRow<T>(ReadOnlySpan<int> acc, int bias, float scale, int zeroPoint, Span<T> y)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        int qmin = QMin<T>(), qmax = QMax<T>();
        float lo = qmin - zeroPoint, hi = qmax - zeroPoint;
        y = y[..acc.Length];
        int i = 0;
        if (Avx2.IsSupported && acc.Length >= 8 && (typeof(T) == typeof(byte) || typeof(T) == typeof(sbyte)))
        {
            // Same steps, 32 at a time: cvtdq2ps (nearest even), mulps, maxps/minps (NaN → bound), cvtps2dq, + zp.
            // The results are already inside T's range, so truncating narrows keep the exact 8-bit codes.
            Vector256<int> vb = Vector256.Create(bias), vz = Vector256.Create(zeroPoint);
            Vector256<float> vs = Vector256.Create(scale), vlo = Vector256.Create(lo), vhi = Vector256.Create(hi);
            ref int src = ref MemoryMarshal.GetReference(acc);
            ref byte dst = ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(y));
            i = Requantize512(ref src, ref dst, acc.Length, bias, scale, lo, hi, zeroPoint);
            for (; i + 32 <= acc.Length; i += 32)
            {
                Vector256<int> r0 = Step(Vector256.LoadUnsafe(ref src, (nuint)i), vb, vs, vlo, vhi, vz);
                Vector256<int> r1 = Step(Vector256.LoadUnsafe(ref src, (nuint)(i + 8)), vb, vs, vlo, vhi, vz);
                Vector256<int> r2 = Step(Vector256.LoadUnsafe(ref src, (nuint)(i + 16)), vb, vs, vlo, vhi, vz);
                Vector256<int> r3 = Step(Vector256.LoadUnsafe(ref src, (nuint)(i + 24)), vb, vs, vlo, vhi, vz);
                Vector256<sbyte> packed = Vector256.Narrow(Vector256.Narrow(r0, r1), Vector256.Narrow(r2, r3));
                packed.AsByte().StoreUnsafe(ref dst, (nuint)i);
            }

            // Rows of conv outputs are often short (4x4 images: 16 values): 8 at a time, narrowed by vpmovdb
            // (truncating, exact here for the same reason).
            if (Avx512F.VL.IsSupported)
            {
                for (; i + 8 <= acc.Length; i += 8)
                {
                    Vector256<int> r = Step(Vector256.LoadUnsafe(ref src, (nuint)i), vb, vs, vlo, vhi, vz);
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, i), Avx512F.VL.ConvertToVector128Byte(r).AsUInt64().ToScalar());
                }
            }
        }

        for (; i < acc.Length; i++)
        {
            float v = unchecked(acc[i] + bias) * scale;
            v = v > lo ? v : lo;
            v = v < hi ? v : hi;
            y[i] = T.CreateTruncating((int)MathF.Round(v) + zeroPoint);
        }
    }

    /// <summary>
    /// <see cref="RequantizeRow{T}"/> for each of the <c>scales.Length</c> consecutive rows of
    /// <paramref name="rowLength"/> accumulators, row r with <c>bias[r]</c> (0 when <paramref name="bias"/> is empty) and
    /// <c>scales[r]</c>: the same arithmetic per element, with the per-row setup hoisted for short conv rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RequantizeRows<T>(ReadOnlySpan<int> acc, int rowLength, ReadOnlySpan<int> bias, ReadOnlySpan<float> scales, int zeroPoint, Span<T> y)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        int rows = scales.Length;
        if (acc.Length < rows * rowLength || y.Length < rows * rowLength || (!bias.IsEmpty && bias.Length < rows))
        {
            throw new ArgumentException("accumulator, bias or output span is too short for the rows");
        }

        if (!(Avx512F.VL.IsSupported && (typeof(T) == typeof(byte) || typeof(T) == typeof(sbyte))) || rowLength < 8)
        {
            for (int r = 0; r < rows; r++)
            {
                RequantizeRow(acc.Slice(r * rowLength, rowLength), bias.IsEmpty ? 0 : bias[r], scales[r], zeroPoint, y.Slice(r * rowLength, rowLength));
            }

            return;
        }

        float lo = QMin<T>() - zeroPoint, hi = QMax<T>() - zeroPoint;
        Vector256<int> vz = Vector256.Create(zeroPoint);
        Vector256<float> vlo = Vector256.Create(lo), vhi = Vector256.Create(hi);
        ref int src = ref MemoryMarshal.GetReference(acc);
        ref byte dst = ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(y));
        for (int r = 0; r < rows; r++)
        {
            int b = bias.IsEmpty ? 0 : bias[r];
            float scale = scales[r];
            Vector256<int> vb = Vector256.Create(b);
            Vector256<float> vs = Vector256.Create(scale);
            int start = r * rowLength, end = start + rowLength;
            int i = start + Requantize512(ref Unsafe.Add(ref src, start), ref Unsafe.Add(ref dst, start), rowLength, b, scale, lo, hi, zeroPoint);
            for (; i + 8 <= end; i += 8)
            {
                Vector256<int> v = Step(Vector256.LoadUnsafe(ref src, (nuint)i), vb, vs, vlo, vhi, vz);
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, i), Avx512F.VL.ConvertToVector128Byte(v).AsUInt64().ToScalar());
            }

            for (; i < end; i++)
            {
                float v = unchecked(Unsafe.Add(ref src, i) + b) * scale;
                v = v > lo ? v : lo;
                v = v < hi ? v : hi;
                Unsafe.Add(ref dst, i) = (byte)((int)MathF.Round(v) + zeroPoint);
            }
        }
    }

    /// <summary>
    /// <see cref="RequantizeRow{T}"/> with one bias and scale for <paramref name="rows"/> rows of
    /// <paramref name="rowLength"/> accumulators that lie <paramref name="accRowStride"/> apart in
    /// <paramref name="acc"/> (a conv's wide grid, whose columns past the output width are skipped), into consecutive
    /// rows of <paramref name="y"/>. Each row but the last is written in whole vectors of 8, the spill past its end
    /// overwritten by the rows after it, never past the last row (the next bytes are another channel's); so <paramref name="acc"/> must hold whole vectors from each row start but the last.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RequantizeStridedRows<T>(ReadOnlySpan<int> acc, int accRowStride, int rowLength, int rows, int bias, float scale, int zeroPoint, Span<T> y)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        if (rows <= 0 || rowLength <= 0)
        {
            return;
        }

        int vectorLength = (rowLength + 7) & ~7;
        if (y.Length < rows * rowLength || acc.Length < ((rows - 1) * accRowStride) + rowLength
            || (rows > 1 && acc.Length < ((rows - 2) * accRowStride) + vectorLength))
        {
            throw new ArgumentException("accumulator or output span is too short for the rows");
        }

        if (!(Avx512F.VL.IsSupported && (typeof(T) == typeof(byte) || typeof(T) == typeof(sbyte))) || accRowStride < rowLength)
        {
            for (int r = 0; r < rows; r++)
            {
                RequantizeRow(acc.Slice(r * accRowStride, rowLength), bias, scale, zeroPoint, y.Slice(r * rowLength, rowLength));
            }

            return;
        }

        float lo = QMin<T>() - zeroPoint, hi = QMax<T>() - zeroPoint;
        Vector256<int> vb = Vector256.Create(bias), vz = Vector256.Create(zeroPoint);
        Vector256<float> vs = Vector256.Create(scale), vlo = Vector256.Create(lo), vhi = Vector256.Create(hi);
        ref int src = ref MemoryMarshal.GetReference(acc);
        ref byte dst = ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(y));
        for (int r = 0; r < rows - 1; r++)
        {
            ref int row = ref Unsafe.Add(ref src, r * accRowStride);
            ref byte o = ref Unsafe.Add(ref dst, r * rowLength);
            for (int i = Requantize512(ref row, ref o, rowLength, bias, scale, lo, hi, zeroPoint); i < rowLength; i += 8)
            {
                if ((r * rowLength) + i + 8 > rows * rowLength)
                {
                    // Rows shorter than a vector: a spill here would pass the last row into bytes another channel (or
                    // another thread) owns, so the rest of this row is written element by element.
                    RequantizeRow(acc.Slice((r * accRowStride) + i, rowLength - i), bias, scale, zeroPoint, y.Slice((r * rowLength) + i, rowLength - i));
                    break;
                }

                Vector256<int> v = Step(Vector256.LoadUnsafe(ref row, (nuint)i), vb, vs, vlo, vhi, vz);
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref o, i), Avx512F.VL.ConvertToVector128Byte(v).AsUInt64().ToScalar());
            }
        }

        // The last row without spill (the bytes after it belong to someone else).
        int last = (rows - 1) * accRowStride;
        RequantizeRow(acc.Slice(last, rowLength), bias, scale, zeroPoint, y.Slice((rows - 1) * rowLength, rowLength));
    }

    // The leading 16-value blocks of a row of 8-bit outputs in 512-bit steps (half the instructions of two 256-bit
    // steps; the same cvtdq2ps, mulps, maxps/minps operand order, cvtps2dq and exact truncating vpmovdb); returns how
    // many it wrote (0 without AVX-512).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Requantize512(ref int src, ref byte dst, int length, int bias, float scale, float lo, float hi, int zeroPoint)
    {
        if (!Avx512F.IsSupported)
        {
            return 0;
        }

        Vector512<int> vb = Vector512.Create(bias), vz = Vector512.Create(zeroPoint);
        Vector512<float> vs = Vector512.Create(scale), vlo = Vector512.Create(lo), vhi = Vector512.Create(hi);
        int i = 0;
        for (; i + 16 <= length; i += 16)
        {
            Vector512<float> v = Avx512F.Multiply(Avx512F.ConvertToVector512Single(Avx512F.Add(Vector512.LoadUnsafe(ref src, (nuint)i), vb)), vs);
            v = Avx512F.Min(Avx512F.Max(v, vlo), vhi);
            Avx512F.ConvertToVector128Byte(Avx512F.Add(Avx512F.ConvertToVector512Int32(v), vz)).StoreUnsafe(ref dst, (nuint)i);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Step(Vector256<int> acc, Vector256<int> bias, Vector256<float> scale, Vector256<float> lo, Vector256<float> hi, Vector256<int> zeroPoint)
    {
        Vector256<float> v = Avx.Multiply(Avx.ConvertToVector256Single(Avx2.Add(acc, bias)), scale);
        v = Avx.Min(Avx.Max(v, lo), hi);
        return Avx2.Add(Avx.ConvertToVector256Int32(v), zeroPoint);
    }

    /// <summary>The smallest code of <typeparamref name="T"/> as an int.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int QMin<T>()
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> => int.CreateTruncating(T.MinValue);

    /// <summary>The largest code of <typeparamref name="T"/> as an int.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int QMax<T>()
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> => int.CreateTruncating(T.MaxValue);

    /// <summary>
    /// x86 cvtps2dq under the default MXCSR: round half to even; NaN and values outside int32 give int.MinValue
    /// (the "integer indefinite" value). Kernels that round without clamping first (QLinearAdd/Mul) need this.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ConvertToInt32x86(float v)
    {
        float r = MathF.Round(v);
        return r >= -2147483648f && r < 2147483648f ? (int)r : int.MinValue;
    }

    /// <summary>packssdw then packuswb/packsswb: saturate an int32 to int16, then to <typeparamref name="T"/>'s range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SaturateViaInt16<T>(int v)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        int s16 = Math.Clamp(v, short.MinValue, short.MaxValue);
        return T.CreateTruncating(Math.Clamp(s16, QMin<T>(), QMax<T>()));
    }
}
