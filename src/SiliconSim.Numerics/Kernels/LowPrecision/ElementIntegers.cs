using SiliconSim.Numerics.Formats.Blocks;

namespace SiliconSim.Numerics.Kernels.LowPrecision;

/// <summary>
/// Each element type's codes as exact integers: value = integer · 2^-<see cref="FractionBits"/>, with the fewest
/// fraction bits that make every finite value of the type an integer (E2M1: 1, E4M3: 9, E5M2: 16), so integer products
/// and block sums stay as narrow as the type allows. One table per type, built once from the type's own decode.
/// </summary>
internal sealed class ElementIntegers
{
    // Indexed by the enum's value (0, 1, ... in declaration order).
    private static readonly ElementIntegers[] s_byType = [.. Enum.GetValues<MxElementType>().OrderBy(t => (int)t).Select(t => new ElementIntegers(t))];

    private ElementIntegers(MxElementType type)
    {
        int count = MxElements.CodeCount(type);
        var values = new float[count];
        int fraction = 0;
        for (int c = 0; c < count; c++)
        {
            values[c] = MxElements.Decode(type, (byte)c);
            if (float.IsFinite(values[c]) && values[c] != 0)
            {
                // Fraction bits this value needs: -(exponent of its lowest set significand bit).
                int bits = BitConverter.SingleToInt32Bits(values[c]);
                int biased = (bits >> 23) & 0xFF;
                int significand = biased == 0 ? bits & 0x7FFFFF : (bits & 0x7FFFFF) | 0x800000;
                int lowest = (biased == 0 ? 1 : biased) - 150 + System.Numerics.BitOperations.TrailingZeroCount(significand);
                fraction = Math.Max(fraction, -lowest);
            }
        }

        FractionBits = fraction;
        Values = new long[count];
        Finite = new bool[count];
        for (int c = 0; c < count; c++)
        {
            Finite[c] = float.IsFinite(values[c]);
            Values[c] = Finite[c] ? (long)Math.ScaleB(values[c], fraction) : 0;
            MaxMagnitude = Math.Max(MaxMagnitude, Math.Abs(Values[c]));
        }
    }

    /// <summary>Value = integer · 2^-FractionBits for every finite code.</summary>
    public int FractionBits { get; }

    /// <summary>The integer of each code (0 for a NaN/Inf code, see <see cref="Finite"/>).</summary>
    public long[] Values { get; }

    /// <summary>False for the codes that decode to NaN or ±Inf.</summary>
    public bool[] Finite { get; }

    /// <summary>The largest |integer| over the type's finite codes.</summary>
    public long MaxMagnitude { get; }

    public static ElementIntegers Of(MxElementType type) => s_byType[(int)type];
}
