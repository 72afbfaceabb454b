using System.Collections.Immutable;
using System.Globalization;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Timing;

namespace SiliconSim.Simulation.Vectors;

/// <summary>
/// Cuts a matrix layer's vectors into the tiles of a <see cref="TilePlan"/> and, within each tile, the array folds of
/// <see cref="FoldMapping"/> for the dataflow: <c>os</c> spreads M over the rows and N over the columns and streams K;
/// <c>ws</c> holds a K x N block of weights and streams M; <c>is</c> holds a K x M block of inputs and streams N.
/// Tiles are numbered group-run-major, then M range, N run, K run (K innermost, so one output block's partial sums
/// follow each other); folds row-fold-major within a tile and group. Each fold gets its operand block
/// <c>tTTTT_fFFF_a</c> [rows, k], weight block <c>_w</c> [k, cols] and partial sums <c>_psum</c> [rows, cols]
/// (int32 wrap-around, no bias), each with its origin in the layer's GEMM. The bias plus the sum of a block's partial
/// sums over every K tile and fold is its 32-bit accumulator. After its folds each tile gets its whole-tile vectors
/// (<see cref="TileTensors"/>): input region, bias and requantization slices, accumulators and, once K is done, outputs.
/// </summary>
public static class TileVectorSplitter
{
    /// <summary>The per-tile, per-fold vectors of <paramref name="operands"/> under <paramref name="plan"/> on a
    /// <paramref name="rows"/> x <paramref name="cols"/> array with <paramref name="dataflow"/>; <paramref name="input"/>
    /// is the layer's input as stored, which each tile's input region is cut from (none without it).</summary>
    public static ImmutableArray<VectorTensor> Split(MatrixOperands operands, TilePlan plan, Dataflow dataflow, int rows, int cols, TensorValue? input = null)
    {
        ArgumentNullException.ThrowIfNull(operands);
        ArgumentNullException.ThrowIfNull(plan);
        var result = ImmutableArray.CreateBuilder<VectorTensor>();
        var wholeTile = new TileTensors(operands, input);
        int tile = 0;
        for (int g0 = 0; g0 < operands.Groups; g0 += plan.GroupsPerTile)
        {
            foreach ((int m0, int mCount) in plan.MRanges)
            {
                for (int n0 = 0; n0 < operands.N; n0 += plan.NTile)
                {
                    for (int k0 = 0; k0 < operands.K; k0 += plan.KTile)
                    {
                        var block = new Block(m0, mCount, n0, Math.Min(plan.NTile, operands.N - n0), k0, Math.Min(plan.KTile, operands.K - k0));
                        int fold = 0, gEnd = Math.Min(g0 + plan.GroupsPerTile, operands.Groups);
                        for (int g = g0; g < gEnd; g++)
                        {
                            foreach (Block f in Folds(block, dataflow, rows, cols))
                            {
                                AddFold(result, operands, g, f, tile, fold++);
                            }
                        }

                        wholeTile.Add(result, tile, g0, gEnd - g0, block.M0, block.MCount, block.N0, block.NCount, block.K0, block.KCount);
                        tile++;
                    }
                }
            }
        }

        return result.ToImmutable();
    }

    /// <summary>The folds of one tile's block: the array's rows and columns cut the two spatial dims of the dataflow.</summary>
    private static IEnumerable<Block> Folds(Block tile, Dataflow dataflow, int rows, int cols)
    {
        FoldMapping map = FoldMapping.Create(new GemmShape(tile.MCount, tile.NCount, tile.KCount), dataflow, rows, cols);
        for (long rf = 0; rf < map.RowFolds; rf++)
        {
            for (long cf = 0; cf < map.ColFolds; cf++)
            {
                int r0 = (int)rf * rows, rc = (int)Math.Min(rows, map.RowsDim - r0);
                int c0 = (int)cf * cols, cc = (int)Math.Min(cols, map.ColsDim - c0);
                yield return dataflow switch
                {
                    Dataflow.OutputStationary => tile with { M0 = tile.M0 + r0, MCount = rc, N0 = tile.N0 + c0, NCount = cc },
                    Dataflow.WeightStationary => tile with { K0 = tile.K0 + r0, KCount = rc, N0 = tile.N0 + c0, NCount = cc },
                    _ => tile with { K0 = tile.K0 + r0, KCount = rc, M0 = tile.M0 + c0, MCount = cc },
                };
            }
        }
    }

    private static void AddFold(ImmutableArray<VectorTensor>.Builder result, MatrixOperands o, int g, Block f, int tile, int fold)
    {
        string stem = string.Create(CultureInfo.InvariantCulture, $"t{tile:D4}_f{fold:D3}");
        var a = new int[f.MCount * f.KCount];
        for (int i = 0; i < f.MCount; i++)
        {
            Array.Copy(o.A, (((g * o.M) + f.M0 + i) * o.K) + f.K0, a, i * f.KCount, f.KCount);
        }

        var w = new int[f.KCount * f.NCount];
        for (int t = 0; t < f.KCount; t++)
        {
            Array.Copy(o.W, (((g * o.K) + f.K0 + t) * o.N) + f.N0, w, t * f.NCount, f.NCount);
        }

        int[] psum = o.PartialSums(g, f.M0, f.MCount, f.K0, f.KCount, f.N0, f.NCount);
        result.Add(new VectorTensor($"{stem}_a", VectorRole.Operand, LayerVectorBuilder.Codes(o.AType, [f.MCount, f.KCount], a), ["row", "k"], "operand block [row, k] of the im2col operand") { Tile = tile, Fold = fold, Origin = [g, f.M0, f.K0] });
        result.Add(new VectorTensor($"{stem}_w", VectorRole.Weight, LayerVectorBuilder.Codes(o.WType, [f.KCount, f.NCount], w), ["k", "col"], "weight block [k, col] of the [group, k, n] weights") { Tile = tile, Fold = fold, Origin = [g, f.K0, f.N0] });
        result.Add(new VectorTensor($"{stem}_psum", VectorRole.PartialSum, TensorValue.Create(DataType.Int32, [f.MCount, f.NCount], psum), ["row", "col"], "partial sums [row, col] over the fold's k range, int32 wrap-around, no bias") { Tile = tile, Fold = fold, Origin = [g, f.M0, f.N0] });
    }

    private readonly record struct Block(int M0, int MCount, int N0, int NCount, int K0, int KCount);
}
