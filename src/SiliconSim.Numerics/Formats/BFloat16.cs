namespace SiliconSim.Numerics.Formats;

/// <summary>
/// A bfloat16 value held as its 16-bit code: the upper half of an IEEE fp32. Conversion from float rounds to nearest
/// even, and NaN stays NaN (ONNX's Cast semantics for BFLOAT16).
/// </summary>
public readonly record struct BFloat16(ushort Bits)
{
    /// <summary>Widens exactly to fp32.</summary>
    public float ToSingle() => BitConverter.Int32BitsToSingle(Bits << 16);

    /// <summary>Rounds an fp32 to the nearest bfloat16, ties to even; NaN maps to a quiet NaN.</summary>
    public static BFloat16 FromSingle(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return new BFloat16((ushort)((bits >> 16) | 0x0040));
        }

        uint roundingBias = 0x7FFF + ((bits >> 16) & 1);
        return new BFloat16((ushort)((bits + roundingBias) >> 16));
    }
}
