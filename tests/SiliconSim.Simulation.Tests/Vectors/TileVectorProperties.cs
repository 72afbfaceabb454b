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

/// <summary>Per-tile, per-fold vectors put back together give the layer's vectors, for every dataflow.</summary>
[Properties(Arbitrary = [typeof(VectorGenerators)], MaxTest = 150)]
public sealed class TileVectorProperties
{
    [Property]
    public void TileVectors_ReassembleIntoTheLayersVectors(TileCase c)
    {
        MatrixOperands o = c.Operands;
        ImmutableArray<VectorTensor> tiles = TileVectorSplitter.Split(o, c.Plan, c.Dataflow, c.Rows, c.Cols);
        int?[] a = new int?[o.A.Length], w = new int?[o.W.Length];
        int[] acc = [.. Enumerable.Range(0, o.Groups * o.M * o.N).Select(p => o.Bias[((p / (o.M * o.N)) * o.N) + (p % o.N)])];
        Assert.All(tiles, t => Assert.True(t.Tile is not null, $"{t.Name} has no tile"));
        foreach (VectorTensor t in tiles.Where(t => t.Fold is not null))
        {
            int g = (int)t.Origin[0], r0 = (int)t.Origin[1], c0 = (int)t.Origin[2];
            int rows = t.Value.Shape[0], cols = t.Value.Shape[1];
            int[] values = TensorCodes.Ints(t.Value);
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < cols; j++)
                {
                    int v = values[(i * cols) + j];
                    switch (t.Role)
                    {
                        case VectorRole.Operand: Place(a, (((g * o.M) + r0 + i) * o.K) + c0 + j, v, t.Name); break;
                        case VectorRole.Weight: Place(w, (((g * o.K) + r0 + i) * o.N) + c0 + j, v, t.Name); break;
                        case VectorRole.PartialSum:
                            int p = (((g * o.M) + r0 + i) * o.N) + c0 + j;
                            acc[p] = unchecked(acc[p] + v);
                            break;
                        default: Assert.Fail($"{t.Name}: a fold holds {t.Role}"); break;
                    }
                }
            }
        }

        Assert.Equal(o.A, a.Select(v => v ?? int.MinValue));
        Assert.Equal(o.W, w.Select(v => v ?? int.MinValue));
        Assert.Equal(Accumulators(o), acc);
    }

    /// <summary>The tiles that end the K reduction hold, between them, every accumulator and output once; every
    /// tile's bias slice and input region agree with the layer's bias and stored input and together cover them.</summary>
    [Property]
    public void WholeTileVectors_ReassembleIntoTheLayersVectors(TileCase c)
    {
        MatrixOperands o = c.Operands;
        TensorValue stored = VectorGenerators.StoredInput(o);
        ImmutableArray<VectorTensor> tiles = TileVectorSplitter.Split(o, c.Plan, c.Dataflow, c.Rows, c.Cols, stored);
        int[] expectedAcc = Accumulators(o);
        int[] expectedOut = TensorCodes.Ints(o.Requantize(o.ToOutputLayout(expectedAcc)));
        int?[] acc = new int?[expectedAcc.Length], y = new int?[expectedAcc.Length], bias = new int?[o.Bias.Length], x = new int?[stored.Length];
        int[] storedCodes = TensorCodes.Ints(stored);
        FixedPointMultiplier[] fp = o.FixedPointMultipliers();
        int?[] m0s = new int?[o.Bias.Length];
        foreach (VectorTensor t in tiles.Where(t => t.Name.EndsWith("_m0", StringComparison.Ordinal)))
        {
            int[] v = TensorCodes.Ints(t.Value);
            for (int e = 0; e < v.Length; e++)
            {
                Place(m0s, ((int)(t.Origin[0] + (e / t.Value.Shape[1])) * o.N) + (int)t.Origin[1] + (e % t.Value.Shape[1]), v[e], t.Name);
            }
        }

        if (o.Numerics.Requantizer == RequantizerArithmetic.FixedPoint)
        {
            Assert.Equal(fp.Select(f => f.Multiplier), m0s.Select(v => v ?? int.MinValue));
        }
        else
        {
            Assert.All(m0s, v => Assert.Null(v));
        }

        foreach (VectorTensor t in tiles.Where(t => t.Fold is null && t.Role != VectorRole.Requantization))
        {
            int[] v = TensorCodes.Ints(t.Value);
            int[] s = [.. t.Value.Shape];
            long[] at = [.. t.Origin];
            for (int e = 0; e < v.Length; e++)
            {
                switch (t.Role)
                {
                    case VectorRole.Bias:
                        Place(bias, ((int)(at[0] + (e / s[1])) * o.N) + (int)at[1] + (e % s[1]), v[e], t.Name);
                        break;
                    case VectorRole.Input:
                        int ch = (int)at[1] + (e / s[2] % s[1]), px = (int)at[2] + (e % s[2]);
                        Place(x, (ch * o.M) + px, v[e], t.Name);
                        break;
                    case VectorRole.Accumulator or VectorRole.Output:
                        int g = (int)at[0] + (e / (s[1] * s[2])), m = (int)at[1] + (e / s[2] % s[1]), n = (int)at[2] + (e % s[2]);
                        bool last = tiles.Any(u => u.Tile == t.Tile && u.Role == VectorRole.Output);
                        if (t.Role == VectorRole.Output)
                        {
                            Place(y, (((g * o.N) + n) * o.M) + m, v[e], t.Name);
                        }
                        else if (last)
                        {
                            Place(acc, (((g * o.M) + m) * o.N) + n, v[e], t.Name);
                        }
                        else
                        {
                            // A tile before the end of K holds bias + the products below its folds' K end.
                            int kEnd = tiles.Where(u => u.Tile == t.Tile && u.Role == VectorRole.Operand).Max(u => (int)u.Origin[2] + u.Value.Shape[1]);
                            Assert.Equal(Accumulators(o, kEnd)[(((g * o.M) + m) * o.N) + n], v[e]);
                        }

                        break;
                    default:
                        Assert.Fail($"{t.Name}: a whole-tile {t.Role}");
                        break;
                }
            }
        }

        Assert.Equal(expectedAcc, acc.Select(v => v ?? int.MinValue));
        Assert.Equal(expectedOut, y.Select(v => v ?? int.MinValue));
        Assert.Equal(o.Bias, bias.Select(v => v ?? int.MinValue));
        Assert.Equal(storedCodes, x.Select(v => v ?? int.MinValue));
    }

    [Property]
    public void EveryFold_FitsTheArray(TileCase c)
    {
        foreach (VectorTensor t in TileVectorSplitter.Split(c.Operands, c.Plan, c.Dataflow, c.Rows, c.Cols).Where(t => t.Role == VectorRole.Weight))
        {
            int k = t.Value.Shape[0], n = t.Value.Shape[1];
            switch (c.Dataflow)
            {
                case Dataflow.WeightStationary: Assert.True(k <= c.Rows && n <= c.Cols, $"{t.Name}: weight block {k}x{n} on a {c.Rows}x{c.Cols} array"); break;
                case Dataflow.InputStationary: Assert.True(k <= c.Rows, $"{t.Name}: {k} reduction rows on {c.Rows} array rows"); break;
                default: Assert.True(n <= c.Cols, $"{t.Name}: {n} columns on {c.Cols} array columns"); break;
            }
        }
    }

    /// <summary>The chosen mapping of a real memory model run cuts M into ranges that cover every row once.</summary>
    [Property(Arbitrary = [typeof(MemoryGenerators)], MaxTest = 60)]
    public void ChosenMapping_CoversEveryRowOnce(MemoryCase c)
    {
        MatrixLayerResult r = MatrixMemoryModel.Evaluate(c.Layer, c.Spec, gemm => Math.Max(1, gemm.Macs / 16));
        if (r.Mapping is null)
        {
            return;
        }

        MatrixOperands o = VectorGenerators.Operands(c.Layer.Groups, (int)c.Layer.Gemm.M, (int)c.Layer.Gemm.N, (int)c.Layer.Gemm.K, 1) with { Conv = c.Layer.Conv };
        TilePlan plan = TilePlan.From(r.Mapping, o);
        int[] seen = new int[o.M];
        foreach ((int start, int count) in plan.MRanges)
        {
            for (int i = start; i < start + count; i++)
            {
                seen[i]++;
            }
        }

        Assert.All(seen, s => Assert.Equal(1, s));
        Assert.Equal(r.Mapping.MTiles, plan.MRanges.Length);
    }

    // The accumulators by the definition, independent of ArrayMatrix: bias + Σ_k (a − a_zp)(w − w_zp), int32 wrap.
    private static int[] Accumulators(MatrixOperands o, int? kEnd = null)
    {
        var acc = new int[o.Groups * o.M * o.N];
        for (int g = 0; g < o.Groups; g++)
        {
            for (int i = 0; i < o.M; i++)
            {
                for (int j = 0; j < o.N; j++)
                {
                    long sum = o.Bias[(g * o.N) + j];
                    for (int t = 0; t < (kEnd ?? o.K); t++)
                    {
                        sum += (long)(o.A[(((g * o.M) + i) * o.K) + t] - o.AZeroPoint) * (o.W[(((g * o.K) + t) * o.N) + j] - o.WZeroPoints[(g * o.N) + j]);
                    }

                    acc[(((g * o.M) + i) * o.N) + j] = unchecked((int)sum);
                }
            }
        }

        return acc;
    }

    private static void Place(int?[] target, int index, int value, string name)
    {
        Assert.True(target[index] is null || target[index] == value, $"{name} puts {value} where another fold put {target[index]}");
        target[index] = value;
    }
}
