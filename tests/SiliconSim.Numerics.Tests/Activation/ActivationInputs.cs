namespace SiliconSim.Numerics.Tests.Activation;

/// <summary>Seeded fp32 inputs for the activation differential tests: wide uniform values, values at and next to every
/// branch point of the MLAS kernels (clamps, the erf split), tiny and huge magnitudes, and special values.</summary>
internal static class ActivationInputs
{
    private static readonly float[] s_edges =
    [
        0f, -0f, 1f, -1f, 0.5f, -0.5f, 0.921875f, -0.921875f, 3.725f, -3.725f, 9f, -9f, 18f, -18f, 88.3762626647949f,
        88.7762626647950f, 89f, -88.3762626647949f, -103.9720840454f, -104f, -87f, 1e-20f, -1e-20f, 1e-38f, 1e-45f,
        float.Epsilon, float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity, 100f, -100f,
    ];

    public static float[] Generate(int seed, int count, float range)
    {
        var rng = new Random(seed);
        var values = new List<float>();
        foreach (float e in s_edges)
        {
            values.Add(e);
            values.Add(MathF.BitIncrement(e));
            values.Add(MathF.BitDecrement(e));
        }

        while (values.Count < count)
        {
            switch (rng.Next(4))
            {
                case 0:
                    values.Add((float)(((rng.NextDouble() * 2) - 1) * range));
                    break;
                case 1:
                    values.Add((float)(((rng.NextDouble() * 2) - 1) * 2));
                    break;
                case 2:
                    // log-uniform magnitudes from 2^-30 to 2^7
                    values.Add((rng.Next(2) == 0 ? 1 : -1) * MathF.Pow(2f, (float)((rng.NextDouble() * 37) - 30)));
                    break;
                default:
                    values.Add((float)(((rng.NextDouble() * 2) - 1) * range * 0.1));
                    break;
            }
        }

        return [.. values.Where(v => !float.IsNaN(v))];
    }
}
