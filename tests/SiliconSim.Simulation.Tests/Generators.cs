using SiliconSim.Hardware.Specs;

namespace SiliconSim.Simulation.Tests;

/// <summary>A generated small GEMM on a small array: shapes, int8/uint8-range operands, array and dataflow.</summary>
public sealed record GemmCase(int M, int N, int K, int[] A, int[] B, int Rows, int Cols, Dataflow Dataflow, int Latency)
{
    public override string ToString() => $"M={M} N={N} K={K} on {Rows}x{Cols} {Dataflow} L={Latency}";
}

/// <summary>Seeded generators of small simulation problems (STYLE D5: one Generators class, small sizes for 2 cores).</summary>
public static class Generators
{
    public static readonly Dataflow[] Dataflows = [Dataflow.OutputStationary, Dataflow.WeightStationary, Dataflow.InputStationary];

    /// <summary>
    /// M, N, K in 1..20, an array of 1..8 x 1..8, any dataflow, pipeline latency 0..3; A is int8 or uint8 and B int8
    /// (the u8s8/s8s8 arrays ORT's quantizer targets), drawn with extra weight on the extremes.
    /// </summary>
    public static GemmCase Gemm(int seed, int maxDim = 20)
    {
        var r = new Random(seed);
        int m = r.Next(1, maxDim + 1), n = r.Next(1, maxDim + 1), k = r.Next(1, maxDim + 1);
        bool unsignedA = r.Next(2) == 0;
        int[] a = Values(r, m * k, unsignedA ? 0 : -128, unsignedA ? 255 : 127);
        int[] b = Values(r, k * n, -128, 127);
        return new GemmCase(m, n, k, a, b, r.Next(1, 9), r.Next(1, 9), Dataflows[r.Next(3)], r.Next(4));
    }

    /// <summary>Values in [lo, hi], a quarter of them at an end of the range.</summary>
    public static int[] Values(Random r, int count, int lo, int hi)
    {
        var v = new int[count];
        for (int i = 0; i < count; i++)
        {
            v[i] = r.Next(8) switch
            {
                0 => lo,
                1 => hi,
                _ => r.Next(lo, hi + 1),
            };
        }

        return v;
    }
}
