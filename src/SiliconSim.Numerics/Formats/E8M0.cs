namespace SiliconSim.Numerics.Formats;

/// <summary>
/// FLOAT8E8M0 (ONNX type 24, the OCP MX shared scale): an unsigned power of two 2^(code − 127), codes 0..254, with
/// 0xFF as NaN; no zero, no sign, no infinity.
/// </summary>
public static class E8M0
{
    /// <summary>The NaN code.</summary>
    public const byte NaN = 0xFF;

    // Every code's value, so a decode on a hot path is one load.
    private static readonly float[] s_decoded = [.. Enumerable.Range(0, 256).Select(c => c == NaN ? float.NaN : MathF.ScaleB(1f, c - 127))];

    /// <summary>The largest finite value, 2^127.</summary>
    public static float MaxFinite => MathF.ScaleB(1f, 127);

    /// <summary>2^(code − 127) exactly (code 0 is the fp32 subnormal 2^-127); 0xFF is NaN.</summary>
    public static float Decode(byte code) => s_decoded[code];

    /// <summary>True when <paramref name="code"/> is NaN.</summary>
    public static bool IsNaN(byte code) => code == NaN;

    /// <summary>
    /// Converts as ONNX Cast (opset 24) does to FLOAT8E8M0: the fp32 biased exponent field, sign ignored, moved by
    /// <paramref name="mode"/> according to the mantissa bits: <see cref="RoundingMode.Up"/> (the ONNX default 'up')
    /// adds one when any mantissa bit is set, <see cref="RoundingMode.Down"/> truncates, and
    /// <see cref="RoundingMode.NearestEven"/> ('nearest') adds one when the top mantissa bit is set (|x| ≥ 1.5·2^e).
    /// NaN gives NaN; ±Inf and a carry past 2^127 give 254 (2^127) when <paramref name="saturate"/>, NaN otherwise.
    /// Zero and values at or below 2^-127 give code 0 (E8M0 has no zero).
    /// </summary>
    public static byte Encode(float value, bool saturate = true, RoundingMode mode = RoundingMode.Up)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        int exponent = (int)((bits >> 23) & 0xFF);
        uint mantissa = bits & 0x7FFFFF;
        if (exponent == 0xFF)
        {
            return mantissa != 0 || !saturate ? NaN : (byte)0xFE;
        }

        if (exponent == 0)
        {
            // fp32 zero and subnormals: code 0 is 2^-127 (mantissa 0x400000); nothing lies below it, and values in
            // (2^-127, 2^-126) round between codes 0 and 1 with the midpoint at mantissa 0x600000.
            bool above = mantissa > 0x400000;
            return mode switch
            {
                RoundingMode.Up => above ? (byte)1 : (byte)0,
                RoundingMode.NearestEven => mantissa >= 0x600000 ? (byte)1 : (byte)0,
                _ => 0,
            };
        }

        int rounded = mode switch
        {
            RoundingMode.Up => exponent + (mantissa != 0 ? 1 : 0),
            RoundingMode.Down or RoundingMode.TowardZero => exponent,
            RoundingMode.NearestEven => exponent + (int)((mantissa >> 22) & 1),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "E8M0 supports Up, Down and NearestEven"),
        };
        if (rounded == 0xFF)
        {
            return saturate ? (byte)0xFE : NaN;
        }

        return (byte)rounded;
    }
}
