using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Simulation.Memory;
using SiliconSim.Simulation.Tests.Memory;
using SiliconSim.Simulation.Vectors;

namespace SiliconSim.Simulation.Tests.Vectors;

/// <summary>Small random matrix layers with random tilings on random arrays, for the tile-vector laws.</summary>
public static class VectorGenerators
{
    public static Arbitrary<TileCase> TileCases() => Arb.From(
        from groups in Gen.Choose(1, 3)
        from m in Gen.Choose(1, 13)
        from n in Gen.Choose(1, 9)
        from k in Gen.Choose(1, 11)
        from seed in Gen.Choose(0, int.MaxValue)
        from groupsPerTile in Gen.Choose(1, groups)
        from cuts in Gen.ListOf(Gen.Choose(1, m - 1 < 1 ? 1 : m - 1))
        from nTile in Gen.Choose(1, n)
        from kTile in Gen.Choose(1, k)
        from dataflow in Gen.Elements(Dataflow.OutputStationary, Dataflow.WeightStationary, Dataflow.InputStationary)
        from rows in Gen.Choose(1, 5)
        from cols in Gen.Choose(1, 5)
        from fixedPoint in Gen.Elements(false, true)
        select new TileCase(Operands(groups, m, n, k, seed) with { Conv = OneByOne(groups, m, n, k), Numerics = fixedPoint ? MatrixNumerics.Reference with { Requantizer = RequantizerArithmetic.FixedPoint } : MatrixNumerics.Reference }, new TilePlan(groupsPerTile, Ranges(m, cuts), nTile, kTile), dataflow, rows, cols));

    /// <summary>Random int8 x uint8 operands with zero points and a bias large enough to wrap an int32 now and then.</summary>
    public static MatrixOperands Operands(int groups, int m, int n, int k, int seed)
    {
        var random = new Random(seed);
        int[] Codes(int count, int lo, int hi) => [.. Enumerable.Range(0, count).Select(_ => random.Next(lo, hi + 1))];
        return new MatrixOperands
        {
            Groups = groups,
            M = m,
            N = n,
            K = k,
            A = Codes(groups * m * k, 0, 255),
            AType = DataType.UInt8,
            AZeroPoint = random.Next(0, 256),
            W = Codes(groups * k * n, -128, 127),
            WType = DataType.Int8,
            WZeroPoints = Codes(groups * n, -3, 3),
            Bias = [.. Enumerable.Range(0, groups * n).Select(_ => random.Next(int.MinValue, int.MaxValue))],
            OutputType = DataType.UInt8,
            OutputZeroPoint = 0,
            Scales = [.. Enumerable.Repeat(0.01f, groups * n)],
            RealMultipliers = [.. Enumerable.Repeat(0.01, groups * n)],
            Numerics = MatrixNumerics.Reference,
        };
    }

    /// <summary>The conv these operands are the im2col view of: a 1-d 1x1 conv of one image with <paramref name="m"/>
    /// pixels and <paramref name="k"/> input channels per group, so row m is pixel m and k is the channel.</summary>
    public static ConvGeometry OneByOne(int groups, int m, int n, int k) =>
        new(1, groups * k, groups * n, groups, [m], [1], [m], [1], [1], [0], [0]);

    /// <summary>The stored [1, groups · K, M] input whose 1x1 im2col is <paramref name="o"/>'s operand.</summary>
    public static TensorValue StoredInput(MatrixOperands o)
    {
        var x = new byte[o.Groups * o.K * o.M];
        for (int g = 0; g < o.Groups; g++)
        {
            for (int m = 0; m < o.M; m++)
            {
                for (int t = 0; t < o.K; t++)
                {
                    x[(((g * o.K) + t) * o.M) + m] = (byte)o.A[(((g * o.M) + m) * o.K) + t];
                }
            }
        }

        return TensorValue.Create(o.AType, [1, o.Groups * o.K, o.M], x);
    }

    private static ImmutableArray<(int, int)> Ranges(int m, IList<int> cuts)
    {
        int[] points = [0, .. cuts.Where(c => c > 0 && c < m).Distinct().Order(), m];
        return [.. points.Zip(points.Skip(1), (a, b) => (a, b - a))];
    }
}
