using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// The vectorised rows of <see cref="QuantizeLinear"/> and <see cref="DequantizeLinear"/> for the layouts real models
/// use (8-bit codes, fp32 values, per tensor or per axis): each lane does the scalar reference's operations in the same
/// order with the same rounding (<see cref="QuantizeLinear.QuantizeOne"/>, <see cref="DequantizeLinear.DequantizeOne"/>),
/// so a lane's bits equal the scalar element's; the tails run the scalar reference itself. The rows are compiled fully
/// optimised from the first call (AggressiveOptimization): a model calls each a few times per run, too few for tiering
/// to replace its slow first-tier code, where every vector operation is a call.
/// </summary>
internal static class QdqVectors
{
    /// <summary>Elements below which a run stays on one thread: a thread handoff costs about as much as quantizing this many.</summary>
    public const int MinElementsPerThread = 32 * 1024;

    private const int Lanes = 8;
    private const int Block = 4 * Lanes;

    /// <summary>
    /// y[i] = <see cref="QuantizeLinear.QuantizeOne"/>(x[i], scale, zeroPoint, qmin, qmax) stored as its low byte (the
    /// two's-complement int8 code or the uint8 code), for a range of at most 8 bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void QuantizeRow(ReadOnlySpan<float> x, float scale, int zeroPoint, int qmin, int qmax, Span<byte> y)
    {
        int n = x.Length;
        if (y.Length < n)
        {
            throw new ArgumentException("the output is shorter than the input");
        }

        int i = 0;
        if (Vector256.IsHardwareAccelerated && n >= Block)
        {
            ref float xr = ref MemoryMarshal.GetReference(x);
            ref byte yr = ref MemoryMarshal.GetReference(y);
            var vs = Vector256.Create(scale);
            var lo = Vector256.Create((float)(qmin - zeroPoint));
            var hi = Vector256.Create((float)(qmax - zeroPoint));
            var vz = Vector256.Create(zeroPoint);
            for (; i + Block <= n; i += Block)
            {
                Vector256<int> q0 = QuantizeLanes(Vector256.LoadUnsafe(ref xr, (nuint)i), vs, lo, hi, vz);
                Vector256<int> q1 = QuantizeLanes(Vector256.LoadUnsafe(ref xr, (nuint)(i + Lanes)), vs, lo, hi, vz);
                Vector256<int> q2 = QuantizeLanes(Vector256.LoadUnsafe(ref xr, (nuint)(i + (2 * Lanes))), vs, lo, hi, vz);
                Vector256<int> q3 = QuantizeLanes(Vector256.LoadUnsafe(ref xr, (nuint)(i + (3 * Lanes))), vs, lo, hi, vz);
                // Every lane is inside [qmin, qmax] ⊂ [-128, 255], so truncating narrows keep exactly the code's low byte.
                Vector256<short> s01 = Vector256.Narrow(q0, q1);
                Vector256<short> s23 = Vector256.Narrow(q2, q3);
                Vector256.Narrow(s01, s23).AsByte().StoreUnsafe(ref yr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            y[i] = (byte)QuantizeLinear.QuantizeOne(x[i], scale, zeroPoint, qmin, qmax);
        }
    }

    // QuantizeOne per lane: one fp32 division; max/min in the SSE operand order (v > lo ? v : lo, so NaN becomes lo);
    // round half to even; add z.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> QuantizeLanes(Vector256<float> x, Vector256<float> scale, Vector256<float> lo, Vector256<float> hi, Vector256<int> zeroPoint)
    {
        Vector256<float> v = x / scale;
        v = Vector256.ConditionalSelect(Vector256.GreaterThan(v, lo), v, lo);
        v = Vector256.ConditionalSelect(Vector256.LessThan(v, hi), v, hi);
        return Vector256.ConvertToInt32Native(Vector256.Round(v)) + zeroPoint;
    }

    /// <summary>y[i] = <see cref="DequantizeLinear.DequantizeOne"/>(x[i], zeroPoint, scale) for int8 codes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DequantizeRow(ReadOnlySpan<sbyte> x, int zeroPoint, float scale, Span<float> y)
    {
        int n = CheckLengths(x.Length, y.Length);
        int i = 0;
        if (Vector256.IsHardwareAccelerated && n >= Block)
        {
            ref sbyte xr = ref MemoryMarshal.GetReference(x);
            ref float yr = ref MemoryMarshal.GetReference(y);
            var vz = Vector256.Create(zeroPoint);
            var vs = Vector256.Create(scale);
            for (; i + Block <= n; i += Block)
            {
                Vector256<sbyte> codes = Vector256.LoadUnsafe(ref xr, (nuint)i);
                Vector256<short> lo = Vector256.WidenLower(codes), hi = Vector256.WidenUpper(codes);
                Vector256<int> q0 = Vector256.WidenLower(lo), q1 = Vector256.WidenUpper(lo);
                Vector256<int> q2 = Vector256.WidenLower(hi), q3 = Vector256.WidenUpper(hi);
                StoreDequantized(q0, q1, q2, q3, vz, vs, ref yr, i);
            }
        }

        for (; i < n; i++)
        {
            y[i] = DequantizeLinear.DequantizeOne(x[i], zeroPoint, scale);
        }
    }

    /// <summary>y[i] = <see cref="DequantizeLinear.DequantizeOne"/>(x[i], zeroPoint, scale) for uint8 codes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DequantizeRow(ReadOnlySpan<byte> x, int zeroPoint, float scale, Span<float> y)
    {
        int n = CheckLengths(x.Length, y.Length);
        int i = 0;
        if (Vector256.IsHardwareAccelerated && n >= Block)
        {
            ref byte xr = ref MemoryMarshal.GetReference(x);
            ref float yr = ref MemoryMarshal.GetReference(y);
            var vz = Vector256.Create(zeroPoint);
            var vs = Vector256.Create(scale);
            for (; i + Block <= n; i += Block)
            {
                Vector256<byte> codes = Vector256.LoadUnsafe(ref xr, (nuint)i);
                Vector256<ushort> lo = Vector256.WidenLower(codes), hi = Vector256.WidenUpper(codes);
                Vector256<uint> q0 = Vector256.WidenLower(lo), q1 = Vector256.WidenUpper(lo);
                Vector256<uint> q2 = Vector256.WidenLower(hi), q3 = Vector256.WidenUpper(hi);
                StoreDequantized(q0.AsInt32(), q1.AsInt32(), q2.AsInt32(), q3.AsInt32(), vz, vs, ref yr, i);
            }
        }

        for (; i < n; i++)
        {
            y[i] = DequantizeLinear.DequantizeOne(x[i], zeroPoint, scale);
        }
    }

    /// <summary>y[i] = <see cref="DequantizeLinear.DequantizeOne"/>(x[i], zeroPoint, scale) for int32 values (biases).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DequantizeRow(ReadOnlySpan<int> x, int zeroPoint, float scale, Span<float> y)
    {
        int n = CheckLengths(x.Length, y.Length);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref int xr = ref MemoryMarshal.GetReference(x);
            ref float yr = ref MemoryMarshal.GetReference(y);
            var vz = Vector256.Create(zeroPoint);
            var vs = Vector256.Create(scale);
            for (; i + Lanes <= n; i += Lanes)
            {
                // The subtraction wraps as C++'s int32 does; int -> fp32 rounds to nearest even above 2^24 (cvtdq2ps),
                // as the scalar cast does.
                (Vector256.ConvertToSingle(Vector256.LoadUnsafe(ref xr, (nuint)i) - vz) * vs).StoreUnsafe(ref yr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            y[i] = DequantizeLinear.DequantizeOne(x[i], zeroPoint, scale);
        }
    }

    /// <summary>
    /// A per-axis dequantization of the last axis (the layout of MatMul weights quantized per output column): y[j] =
    /// <see cref="DequantizeLinear.DequantizeOne"/>(x[j], zeroPoints[j], scales[j]) for one row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DequantizeRowPerElement(ReadOnlySpan<sbyte> x, ReadOnlySpan<int> zeroPoints, ReadOnlySpan<float> scales, Span<float> y)
    {
        int n = CheckLengths(x.Length, y.Length);
        if (zeroPoints.Length < n || scales.Length < n)
        {
            throw new ArgumentException("fewer scales or zero points than elements");
        }

        int i = 0;
        if (Vector256.IsHardwareAccelerated && n >= Block)
        {
            ref sbyte xr = ref MemoryMarshal.GetReference(x);
            ref float yr = ref MemoryMarshal.GetReference(y);
            ref int zr = ref MemoryMarshal.GetReference(zeroPoints);
            ref float sr = ref MemoryMarshal.GetReference(scales);
            for (; i + Block <= n; i += Block)
            {
                Vector256<sbyte> codes = Vector256.LoadUnsafe(ref xr, (nuint)i);
                Vector256<short> lo = Vector256.WidenLower(codes), hi = Vector256.WidenUpper(codes);
                Vector256<int> q0 = Vector256.WidenLower(lo), q1 = Vector256.WidenUpper(lo);
                Vector256<int> q2 = Vector256.WidenLower(hi), q3 = Vector256.WidenUpper(hi);
                StorePerElement(q0, ref zr, ref sr, ref yr, i);
                StorePerElement(q1, ref zr, ref sr, ref yr, i + Lanes);
                StorePerElement(q2, ref zr, ref sr, ref yr, i + (2 * Lanes));
                StorePerElement(q3, ref zr, ref sr, ref yr, i + (3 * Lanes));
            }
        }

        for (; i < n; i++)
        {
            y[i] = DequantizeLinear.DequantizeOne(x[i], zeroPoints[i], scales[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePerElement(Vector256<int> q, ref int zeroPoints, ref float scales, ref float y, int at) =>
        (Vector256.ConvertToSingle(q - Vector256.LoadUnsafe(ref zeroPoints, (nuint)at)) * Vector256.LoadUnsafe(ref scales, (nuint)at)).StoreUnsafe(ref y, (nuint)at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreDequantized(Vector256<int> q0, Vector256<int> q1, Vector256<int> q2, Vector256<int> q3, Vector256<int> zeroPoint, Vector256<float> scale, ref float y, int i)
    {
        // (x - z) is exact in int32 for 8-bit codes and converts to fp32 exactly; the one rounding is the multiply.
        (Vector256.ConvertToSingle(q0 - zeroPoint) * scale).StoreUnsafe(ref y, (nuint)i);
        (Vector256.ConvertToSingle(q1 - zeroPoint) * scale).StoreUnsafe(ref y, (nuint)(i + Lanes));
        (Vector256.ConvertToSingle(q2 - zeroPoint) * scale).StoreUnsafe(ref y, (nuint)(i + (2 * Lanes)));
        (Vector256.ConvertToSingle(q3 - zeroPoint) * scale).StoreUnsafe(ref y, (nuint)(i + (3 * Lanes)));
    }

    private static int CheckLengths(int x, int y) => y >= x ? x : throw new ArgumentException("the output is shorter than the input");
}
