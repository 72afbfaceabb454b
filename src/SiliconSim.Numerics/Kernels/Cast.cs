using SiliconSim.Numerics.Formats;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// ONNX Cast between the numeric types and bool (opset 19+ semantics, incl. float8/float4 with 'saturate'), as ONNX
/// Runtime's CPU provider computes it on x86-64:
/// <list type="bullet">
/// <item>integer → integer: two's-complement truncation to the target width (C++ static_cast); 4- and 2-bit targets keep
/// the low bits, sign-extended for the signed ones;</item>
/// <item>integer → float/double: one rounding to nearest even from the exact integer;</item>
/// <item>float-like → integer: truncation toward zero (static_cast); NaN and values outside the conversion's range give
/// x86's integer indefinite: int32/int64 targets take 0x80000000 / 0x8000000000000000, narrower ones take the low bits
/// of the int32 conversion; uint32 and uint64 use the compiler's unsigned sequence (values ≥ 2^31 / 2^63 are converted
/// after subtracting it, the top bit flipped back), except that float16 and float8 sources reach uint32 through the int64
/// conversion; 4- and 2-bit targets round half away from zero first, then keep the low bits. Measured exceptions:
/// E5M2FNUZ's NaN casts to 0 for int32/int64/uint64, and a float8 source casts to bool by its code (so -0 is true);</item>
/// <item>float16, bfloat16, float8 and float4 targets are reached through fp32 (one rounding to fp32, then to nearest
/// even in the target); float8 applies <c>saturate</c>;</item>
/// <item>bool: non-zero (NaN included) is true; true is 1.</item>
/// </list>
/// </summary>
public static class Cast
{
    /// <summary>Casts <paramref name="x"/> to <paramref name="to"/>.</summary>
    /// <exception cref="ArgumentException">a string or complex type.</exception>
    /// <param name="x">the input.</param>
    /// <param name="to">the target type.</param>
    /// <param name="saturate">float8 targets: clamp overflow to ±max instead of Inf/NaN.</param>
    /// <param name="e8m0Rounding">float8e8m0 targets: ONNX Cast-24's round_mode (up, down, nearest).</param>
    public static TensorValue Run(TensorValue x, DataType to, bool saturate = true, RoundingMode e8m0Rounding = RoundingMode.Up)
    {
        if (to == DataType.Float8E8M0 && x.Type != to)
        {
            float[] f = x.Type == DataType.Float ? x.Items<float>() : Run(x, DataType.Float).Items<float>();
            return TensorValue.Create(to, x.Shape.AsSpan(), Array.ConvertAll(f, v => E8M0.Encode(v, saturate, e8m0Rounding)));
        }

        ArgumentNullException.ThrowIfNull(x);
        int n = x.Length;
        ReadOnlySpan<int> shape = x.Shape.AsSpan();
        if (x.Type == to)
        {
            return x;
        }

        if (IsFloatLike(x.Type))
        {
            if (to == DataType.Bool && MiniFloats.IsMiniFloat(x.Type))
            {
                // ORT tests the code, not the value: float8 -0 (0x80) casts to true.
                return TensorValue.Create(to, shape, Array.ConvertAll(x.Items<byte>(), c => c != 0));
            }

            double[] v = ToDoubles(x);
            if (x.Type == DataType.Float8E5M2FNUZ && to is DataType.Int32 or DataType.Int64 or DataType.UInt64)
            {
                // Measured on ORT 1.31: E5M2FNUZ's NaN (0x80) casts to 0 for int32, int64 and uint64 (E4M3FNUZ's does not).
                v = Array.ConvertAll(v, d => double.IsNaN(d) ? 0.0 : d);
            }

            bool viaInt64ForUInt32 = x.Type is DataType.Float16 || MiniFloats.IsMiniFloat(x.Type);
            return FromDoubles(to, shape, v, saturate, viaInt64ForUInt32);
        }

        if (x.Type == DataType.Bool || DataTypeInfo.IsInteger(x.Type))
        {
            long[] v = ToLongs(x, out ulong[]? unsigned64);
            if (unsigned64 is not null)
            {
                return FromUInt64s(to, shape, unsigned64, saturate);
            }

            return FromLongs(to, shape, v, saturate);
        }

        throw new ArgumentException($"Cast from {DataTypeInfo.Name(x.Type)} is not supported");
    }

    private static bool IsFloatLike(DataType t) => t is DataType.Float or DataType.Double or DataType.Float16 or DataType.BFloat16
        || MiniFloats.IsMiniFloat(t);

    private static double[] ToDoubles(TensorValue x) => x.Type switch
    {
        DataType.Double => x.Items<double>(),
        DataType.Float => Array.ConvertAll(x.Items<float>(), v => (double)v),
        _ => Array.ConvertAll(TensorConvert.ToSingles(x), v => (double)v),
    };

    private static long[] ToLongs(TensorValue x, out ulong[]? unsigned64)
    {
        unsigned64 = null;
        switch (x.Type)
        {
            case DataType.Bool:
                return Array.ConvertAll(x.Items<bool>(), b => b ? 1L : 0L);
            case DataType.Int64:
                return x.Items<long>();
            case DataType.UInt64:
                unsigned64 = x.Items<ulong>();
                return [];
            case DataType.UInt32:
                return Array.ConvertAll(x.Items<uint>(), v => (long)v);
            default:
                return Array.ConvertAll(TensorConvert.ToInt32s(x), v => (long)v);
        }
    }

    private static TensorValue FromUInt64s(DataType to, ReadOnlySpan<int> shape, ulong[] v, bool saturate) => to switch
    {
        DataType.Float => TensorValue.Create(to, shape, Array.ConvertAll(v, u => (float)u)),
        DataType.Double => TensorValue.Create(to, shape, Array.ConvertAll(v, u => (double)u)),
        _ when IsFloatLike(to) => FromSingles(to, shape, Array.ConvertAll(v, u => (float)u), saturate),
        _ => FromLongs(to, shape, Array.ConvertAll(v, u => unchecked((long)u)), saturate),
    };

    private static TensorValue FromLongs(DataType to, ReadOnlySpan<int> shape, long[] v, bool saturate)
    {
        switch (to)
        {
            case DataType.Float:
                return TensorValue.Create(to, shape, Array.ConvertAll(v, l => (float)l));
            case DataType.Double:
                return TensorValue.Create(to, shape, Array.ConvertAll(v, l => (double)l));
            case DataType.Bool:
                return TensorValue.Create(to, shape, Array.ConvertAll(v, l => l != 0));
            case DataType.Int64:
                return TensorValue.Create(to, shape, v);
            case DataType.UInt64:
                return TensorValue.Create(to, shape, Array.ConvertAll(v, l => unchecked((ulong)l)));
            case DataType.UInt32:
                return TensorValue.Create(to, shape, Array.ConvertAll(v, l => unchecked((uint)l)));
            default:
                if (IsFloatLike(to))
                {
                    return FromSingles(to, shape, Array.ConvertAll(v, l => (float)l), saturate);
                }

                return TensorConvert.FromInt32s(to, shape, Array.ConvertAll(v, l => Wrap(to, unchecked((int)l))));
        }
    }

    private static TensorValue FromDoubles(DataType to, ReadOnlySpan<int> shape, double[] v, bool saturate, bool viaInt64ForUInt32)
    {
        switch (to)
        {
            case DataType.Double:
                return TensorValue.Create(to, shape, v);
            case DataType.Float:
                return TensorValue.Create(to, shape, Array.ConvertAll(v, d => (float)d));
            case DataType.Bool:
                return TensorValue.Create(to, shape, Array.ConvertAll(v, d => d != 0));
            case DataType.Int64:
                return TensorValue.Create(to, shape, Array.ConvertAll(v, TruncateToInt64));
            case DataType.UInt64:
                return TensorValue.Create(to, shape, Array.ConvertAll(v, TruncateToUInt64));
            case DataType.UInt32:
                return TensorValue.Create(to, shape, Array.ConvertAll(v, d => viaInt64ForUInt32 ? unchecked((uint)TruncateToInt64(d)) : TruncateToUInt32(d)));
            case DataType.Int4 or DataType.UInt4 or DataType.Int2 or DataType.UInt2:
                // ORT rounds half away from zero (not truncates) before keeping the low bits.
                return TensorConvert.FromInt32s(to, shape, Array.ConvertAll(v, d => Wrap(to, TruncateToInt32(Math.Round(d, MidpointRounding.AwayFromZero)))));
            default:
                if (IsFloatLike(to))
                {
                    // Reached through fp32 (one rounding from double when the source is double).
                    return FromSingles(to, shape, Array.ConvertAll(v, d => (float)d), saturate);
                }

                return TensorConvert.FromInt32s(to, shape, Array.ConvertAll(v, d => Wrap(to, TruncateToInt32(d))));
        }
    }

    private static TensorValue FromSingles(DataType to, ReadOnlySpan<int> shape, float[] v, bool saturate)
    {
        if (to is DataType.Float16 or DataType.BFloat16 or DataType.Float)
        {
            return TensorConvert.FromSingles(to, shape, v);
        }

        if (MiniFloats.IsMiniFloat(to))
        {
            return TensorValue.Create(to, shape, Array.ConvertAll(v, f => MiniFloats.Encode(to, f, saturate)));
        }

        throw new ArgumentException($"Cast to {DataTypeInfo.Name(to)} is not supported");
    }

    // cvttsd2si: truncation, NaN and out-of-range give the integer indefinite value.
    private static int TruncateToInt32(double d) => d > -2147483649.0 && d < 2147483648.0 ? (int)d : int.MinValue;

    private static long TruncateToInt64(double d) => d >= -9223372036854775808.0 && d < 9223372036854775808.0 ? (long)d : long.MinValue;

    // The compiler's unsigned sequence: from 2^63 up convert x − 2^63 and flip the top bit, else (NaN included) convert
    // directly; measured on ORT: NaN gives 0x8000000000000000.
    private static ulong TruncateToUInt64(double d) => d >= 9223372036854775808.0
        ? unchecked((ulong)TruncateToInt64(d - 9223372036854775808.0) ^ 0x8000000000000000UL)
        : unchecked((ulong)TruncateToInt64(d));

    // The same sequence at 32 bits (float, double and bfloat16 sources): -3e9, NaN and -Inf give 0x80000000, 5e9 gives 0.
    private static uint TruncateToUInt32(double d) => d >= 2147483648.0
        ? unchecked((uint)TruncateToInt32(d - 2147483648.0) ^ 0x80000000u)
        : unchecked((uint)TruncateToInt32(d));

    // Two's-complement narrowing; sub-byte types keep their low bits, sign-extended for the signed ones.
    private static int Wrap(DataType to, int v) => to switch
    {
        DataType.Int8 => (sbyte)v,
        DataType.UInt8 => (byte)v,
        DataType.Int16 => (short)v,
        DataType.UInt16 => (ushort)v,
        DataType.Int32 => v,
        DataType.Int4 => ((v & 0xF) ^ 0x8) - 0x8,
        DataType.UInt4 => v & 0xF,
        DataType.Int2 => ((v & 0x3) ^ 0x2) - 0x2,
        DataType.UInt2 => v & 0x3,
        _ => throw new ArgumentException($"Cast to {DataTypeInfo.Name(to)} is not supported"),
    };
}
