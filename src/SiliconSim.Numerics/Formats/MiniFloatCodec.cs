namespace SiliconSim.Numerics.Formats;

/// <summary>
/// The shared arithmetic of the small sign/exponent/mantissa formats (float8 and float4): an exact decode and an
/// encode that rounds to nearest, ties to even, then applies the format's overflow, NaN and zero rules.
/// Each public format class is a thin instance of this with its constants.
/// </summary>
internal sealed class MiniFloatCodec
{
    private readonly int _mantissaBits;
    private readonly int _bias;
    private readonly int _maxFiniteMagnitude;
    private readonly bool _hasInfinity;
    private readonly NanEncoding _nan;

    // Decode of every byte, so the per-element decode on hot paths is one load.
    private readonly float[] _decoded = new float[256];

    public MiniFloatCodec(int exponentBits, int mantissaBits, int bias, int maxFiniteMagnitude, bool hasInfinity, NanEncoding nan)
    {
        ExponentBits = exponentBits;
        _mantissaBits = mantissaBits;
        _bias = bias;
        _maxFiniteMagnitude = maxFiniteMagnitude;
        _hasInfinity = hasInfinity;
        _nan = nan;
        SignBit = 1 << (exponentBits + mantissaBits);
        MaxFinite = DecodeMagnitude(maxFiniteMagnitude);
        for (int code = 0; code < _decoded.Length; code++)
        {
            _decoded[code] = Decode(code);
        }
    }

    /// <summary>How the format spells NaN.</summary>
    public enum NanEncoding
    {
        /// <summary>No NaN (float4e2m1): NaN inputs encode as +max (ONNX float4 spec).</summary>
        None,

        /// <summary>Exponent and mantissa all ones, either sign (E4M3FN).</summary>
        AllOnes,

        /// <summary>IEEE style: exponent all ones, mantissa non-zero (E5M2).</summary>
        Ieee,

        /// <summary>The single code 0x80, "negative zero" (the FNUZ formats, which have no -0).</summary>
        NegativeZero,
    }

    public int ExponentBits { get; }

    public int SignBit { get; }

    public float MaxFinite { get; }

    private int MagnitudeMask => SignBit - 1;

    private int InfinityMagnitude => ((1 << ExponentBits) - 1) << _mantissaBits;

    /// <summary>True when <paramref name="code"/> is a NaN of this format.</summary>
    public bool IsNaN(int code)
    {
        int mag = code & MagnitudeMask;
        return _nan switch
        {
            NanEncoding.AllOnes => mag == MagnitudeMask,
            NanEncoding.Ieee => mag > InfinityMagnitude,
            NanEncoding.NegativeZero => code == SignBit,
            _ => false,
        };
    }

    /// <summary><see cref="Decode(int)"/> of a byte code, from a table.</summary>
    public float Decode(byte code) => _decoded[code];

    /// <summary>The exact value of <paramref name="code"/>. NaN decodes to a quiet NaN carrying the code's sign
    /// (0xFFC00000 for the FNUZ NaN), as ORT's float8.h ToFloat does.</summary>
    public float Decode(int code)
    {
        bool negative = (code & SignBit) != 0;
        if (IsNaN(code))
        {
            return BitConverter.UInt32BitsToSingle(negative ? 0xFFC00000u : 0x7FC00000u);
        }

        int mag = code & MagnitudeMask;
        if (_hasInfinity && mag == InfinityMagnitude)
        {
            return negative ? float.NegativeInfinity : float.PositiveInfinity;
        }

        float value = DecodeMagnitude(mag);
        return negative ? -value : value;
    }

    /// <summary>
    /// Rounds <paramref name="value"/> to the nearest code, ties to even. Out of range (|x| rounds above the largest
    /// finite value) and ±Inf give ±max when <paramref name="saturate"/>, otherwise Inf where the format has one and NaN
    /// where it does not (ONNX Cast, opset 19+). NaN gives NaN. FNUZ formats map -0 (and negative values that round
    /// to zero) to +0, since their 0x80 is NaN.
    /// </summary>
    public int Encode(float value, bool saturate)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        int sign = (bits & 0x80000000u) != 0 ? SignBit : 0;
        if (float.IsNaN(value))
        {
            return _nan switch
            {
                NanEncoding.None => _maxFiniteMagnitude,
                NanEncoding.NegativeZero => SignBit,
                _ => sign | MagnitudeMask,
            };
        }

        int mag = float.IsInfinity(value) ? int.MaxValue : RoundMagnitude(Math.Abs((double)value));
        if (mag > _maxFiniteMagnitude)
        {
            if (saturate || _nan == NanEncoding.None)
            {
                mag = _maxFiniteMagnitude;
            }
            else if (_hasInfinity)
            {
                return sign | InfinityMagnitude;
            }
            else
            {
                return _nan == NanEncoding.NegativeZero ? SignBit : sign | MagnitudeMask;
            }
        }

        if (mag == 0 && _nan == NanEncoding.NegativeZero)
        {
            return 0;
        }

        return sign | mag;
    }

    private float DecodeMagnitude(int mag)
    {
        int exponentField = mag >> _mantissaBits;
        int mantissa = mag & ((1 << _mantissaBits) - 1);
        return exponentField == 0
            ? MathF.ScaleB(mantissa, 1 - _bias - _mantissaBits)
            : MathF.ScaleB((1 << _mantissaBits) + mantissa, exponentField - _bias - _mantissaBits);
    }

    // The magnitude code of |x| rounded to nearest-even on this format's grid, ignoring the top of the range: the
    // result may exceed the largest finite code (the caller treats that as overflow). Every step is exact in double.
    private int RoundMagnitude(double magnitude)
    {
        if (magnitude == 0)
        {
            return 0;
        }

        int minNormalExponent = 1 - _bias;
        int exponent = Math.Max(Math.ILogB(magnitude), minNormalExponent);
        if (exponent > 64)
        {
            return int.MaxValue;
        }

        // Units of the last place at this exponent; the rounded count may carry into the next binade, which the
        // code arithmetic below absorbs (mantissa overflow increments the exponent field).
        double units = Math.Round(Math.ScaleB(magnitude, _mantissaBits - exponent), MidpointRounding.ToEven);
        long n = (long)units;
        if (exponent == minNormalExponent && n < (1L << _mantissaBits))
        {
            return (int)n;
        }

        long code = ((long)(exponent + _bias) << _mantissaBits) + (n - (1L << _mantissaBits));
        return code > int.MaxValue ? int.MaxValue : (int)code;
    }
}
