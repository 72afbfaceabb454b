namespace SiliconSim.Numerics.Formats;

/// <summary>Decodes the byte codes of the 8- and 4-bit float types to their exact values, by type.</summary>
public static class LowPrecisionFloat
{
    /// <summary>The exact value of <paramref name="code"/> in <paramref name="type"/>.</summary>
    public static double Decode(DataType type, byte code) => type switch
    {
        DataType.Float8E4M3FN => DecodeMinifloat(code, exponentBits: 4, mantissaBits: 3, bias: 7, nanRule: NanRule.AllOnesMantissa),
        DataType.Float8E4M3FNUZ => DecodeMinifloat(code, 4, 3, 8, NanRule.NegativeZero),
        DataType.Float8E5M2 => DecodeMinifloat(code, 5, 2, 15, NanRule.Ieee),
        DataType.Float8E5M2FNUZ => DecodeMinifloat(code, 5, 2, 16, NanRule.NegativeZero),
        DataType.Float4E2M1 => DecodeMinifloat(code, 2, 1, 1, NanRule.None),
        DataType.Float8E8M0 => code == 0xFF ? double.NaN : Math.ScaleB(1.0, code - 127),
        _ => throw new NotSupportedException($"{type} is not a low-precision float type"),
    };

    private enum NanRule
    {
        /// <summary>IEEE: exponent all ones is Inf (mantissa 0) or NaN.</summary>
        Ieee,

        /// <summary>No infinities; exponent and mantissa all ones is NaN (E4M3FN).</summary>
        AllOnesMantissa,

        /// <summary>No infinities and no negative zero; the code 0x80 is the only NaN (the FNUZ types).</summary>
        NegativeZero,

        /// <summary>Every code is finite (E2M1).</summary>
        None,
    }

    private static double DecodeMinifloat(byte code, int exponentBits, int mantissaBits, int bias, NanRule nanRule)
    {
        int total = 1 + exponentBits + mantissaBits;
        int sign = (code >> (total - 1)) & 1;
        int exponent = (code >> mantissaBits) & ((1 << exponentBits) - 1);
        int mantissa = code & ((1 << mantissaBits) - 1);
        int maxExponent = (1 << exponentBits) - 1;
        switch (nanRule)
        {
            case NanRule.Ieee when exponent == maxExponent:
                return mantissa == 0 ? (sign == 1 ? double.NegativeInfinity : double.PositiveInfinity) : double.NaN;
            case NanRule.AllOnesMantissa when exponent == maxExponent && mantissa == (1 << mantissaBits) - 1:
                return double.NaN;
            case NanRule.NegativeZero when code == 0x80:
                return double.NaN;
            default:
                break;
        }

        double magnitude = exponent == 0
            ? Math.ScaleB(mantissa, 1 - bias - mantissaBits)
            : Math.ScaleB((1 << mantissaBits) + mantissa, exponent - bias - mantissaBits);
        return sign == 1 ? -magnitude : magnitude;
    }
}
