namespace SiliconSim.Simulation.Tests.Oracle;

/// <summary>The plain GEMM loop the array must equal: out[m, n] = fold over k in order of acc = policy(acc + a*b).</summary>
internal static class GemmReference
{
    /// <summary>Exact int32 wrap-around accumulation (ORT/MLAS arithmetic): unchecked int adds.</summary>
    public static int[] Int32(int m, int n, int k, int[] a, int[] b)
    {
        var y = new int[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                int acc = 0;
                for (int p = 0; p < k; p++)
                {
                    acc = unchecked(acc + (a[(i * k) + p] * b[(p * n) + j]));
                }

                y[(i * n) + j] = acc;
            }
        }

        return y;
    }

    /// <summary>
    /// A <paramref name="bits"/>-bit accumulator, kept as an exact long: after every add, saturate clamps to the width's
    /// range and wrap reduces modulo 2^bits into [-2^(bits-1), 2^(bits-1)).
    /// </summary>
    public static int[] Narrow(int m, int n, int k, int[] a, int[] b, int bits, bool saturate)
    {
        long lo = -(1L << (bits - 1)), hi = (1L << (bits - 1)) - 1, modulus = 1L << bits;
        var y = new int[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                long acc = 0;
                for (int p = 0; p < k; p++)
                {
                    acc += (long)a[(i * k) + p] * b[(p * n) + j];
                    if (saturate)
                    {
                        acc = Math.Min(hi, Math.Max(lo, acc));
                    }
                    else
                    {
                        acc = ((((acc - lo) % modulus) + modulus) % modulus) + lo;
                    }
                }

                y[(i * n) + j] = (int)acc;
            }
        }

        return y;
    }
}
