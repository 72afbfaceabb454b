namespace SiliconSim.Numerics.Tests.Activation;

/// <summary>Bitwise comparison of two fp32 arrays: how many differ and by how many units in the last place.</summary>
public readonly record struct UlpStats(int Count, int Mismatches, long MaxUlp, int FirstIndex)
{
    public static UlpStats Compare(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        int mismatches = 0;
        long maxUlp = 0;
        int first = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            int a = BitConverter.SingleToInt32Bits(expected[i]);
            int b = BitConverter.SingleToInt32Bits(actual[i]);
            if (a == b || (float.IsNaN(expected[i]) && float.IsNaN(actual[i])))
            {
                continue;
            }

            mismatches++;
            first = first < 0 ? i : first;
            maxUlp = Math.Max(maxUlp, Math.Abs(Ordered(a) - Ordered(b)));
        }

        return new UlpStats(expected.Length, mismatches, maxUlp, first);
    }

    public override string ToString() => $"{Mismatches}/{Count} mismatches, max {MaxUlp} ulp";

    // Maps fp32 bit patterns onto a line where adjacent floats differ by one (−0 and +0 coincide).
    private static long Ordered(int bits) => bits < 0 ? -(long)(bits & 0x7FFF_FFFF) : bits;
}
