using FsCheck.Xunit;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Timing;

namespace SiliconSim.Simulation.Tests.Timing;

public sealed class FoldTimingModelTests
{
    // Computed by hand from SCALE-Sim v2's formulas (scalesim/compute/systolic_compute_{os,ws,is}.py,
    // topology_utils.calc_spatio_temporal_params): os Sr=M, Sc=N, T=K, per fold T+R+C-2; ws Sr=K, Sc=N, T=M and
    // is Sr=K, Sc=M, T=N, per fold 2R+C+T-2; folds = ceil(Sr/R) x ceil(Sc/C) with the full R and C; total folds x per fold - 1.
    // The 2916 x 96 x 363 rows are AlexNet conv1 (224x224x3, 11x11, stride 4, 96 filters: 54x54 outputs).
    [Theory]
    [InlineData(256, 128, 256, 32, 32, Dataflow.OutputStationary, 10_175)] // 8x4 folds x 318
    [InlineData(256, 128, 256, 32, 32, Dataflow.WeightStationary, 11_199)] // 8x4 folds x 350
    [InlineData(256, 128, 256, 32, 32, Dataflow.InputStationary, 14_207)] // 8x8 folds x 222
    [InlineData(10, 6, 9, 4, 4, Dataflow.OutputStationary, 89)] // 3x2 x 15
    [InlineData(10, 6, 9, 4, 4, Dataflow.WeightStationary, 119)] // 3x2 x 20
    [InlineData(10, 6, 9, 4, 4, Dataflow.InputStationary, 143)] // 3x3 x 16
    [InlineData(64, 64, 27, 8, 8, Dataflow.OutputStationary, 2_623)] // 8x8 x 41
    [InlineData(64, 64, 27, 8, 8, Dataflow.WeightStationary, 2_751)] // 4x8 x 86
    [InlineData(64, 64, 27, 8, 8, Dataflow.InputStationary, 2_751)] // 4x8 x 86
    [InlineData(100, 20, 50, 8, 16, Dataflow.OutputStationary, 1_871)] // 13x2 x 72
    [InlineData(100, 20, 50, 8, 16, Dataflow.WeightStationary, 1_819)] // 7x2 x 130
    [InlineData(100, 20, 50, 8, 16, Dataflow.InputStationary, 2_449)] // 7x7 x 50
    [InlineData(1, 1, 1, 32, 32, Dataflow.OutputStationary, 62)] // 1 x 63
    [InlineData(1, 1, 1, 32, 32, Dataflow.InputStationary, 94)] // 1 x 95
    [InlineData(2916, 96, 363, 32, 32, Dataflow.OutputStationary, 117_299)] // 92x3 x 425
    [InlineData(2916, 96, 363, 32, 32, Dataflow.WeightStationary, 108_359)] // 12x3 x 3010
    [InlineData(2916, 96, 363, 32, 32, Dataflow.InputStationary, 209_759)] // 12x92 x 190
    public void ScaleSimCycles_MatchSCALESimV2PublishedFormulas(long m, long n, long k, int rows, int cols, Dataflow df, long expected)
    {
        Assert.Equal(expected, FoldTimingModel.GemmCycles(new GemmShape(m, n, k), Array(rows, cols, df), TimingModel.ScaleSim));
    }

    // Computed by hand from the Corrected model (docs/timing-model.md), 4x4 array, M=10, N=6, K=9:
    // os: Sr=10 (row folds 4,4,2), Sc=6 (4,2), T=9: sum (T+r+c+R-2+L) = 6 x 11 + (2 x 10 + 3 x 6) = 104, + 6L.
    // ws: Sr=9 (4,4,1), Sc=6 (4,2), T=10: 6 x 13 + (2 x 9 + 3 x 6) = 114.
    // is: Sr=9 (4,4,1), Sc=10 (4,4,2), T=6: 9 x 9 + (3 x 9 + 3 x 10) = 138.
    [Theory]
    [InlineData(Dataflow.OutputStationary, 0, 104)]
    [InlineData(Dataflow.OutputStationary, 2, 116)]
    [InlineData(Dataflow.WeightStationary, 0, 114)]
    [InlineData(Dataflow.InputStationary, 0, 138)]
    [InlineData(Dataflow.InputStationary, 1, 147)]
    public void CorrectedCycles_MatchTheHandCountedFoldSum(Dataflow df, int latency, long expected)
    {
        var array = Array(4, 4, df) with { PipelineLatencyCycles = latency };
        Assert.Equal(expected, FoldTimingModel.GemmCycles(new GemmShape(10, 6, 9), array, TimingModel.Corrected));
    }

    [Theory]
    [InlineData(Dataflow.OutputStationary)]
    [InlineData(Dataflow.WeightStationary)]
    [InlineData(Dataflow.InputStationary)]
    public void Corrected_OnFullFolds_DiffersFromScaleSimOnlyByTheDocumentedTerms(Dataflow df)
    {
        // 64 x 64 x 64 on 16 x 16: every fold full, 16 folds under every dataflow.
        var gemm = new GemmShape(64, 64, 64);
        long scale = FoldTimingModel.GemmCycles(gemm, Array(16, 16, df), TimingModel.ScaleSim);
        long corrected = FoldTimingModel.GemmCycles(gemm, Array(16, 16, df) with { PipelineLatencyCycles = 3 }, TimingModel.Corrected);

        // os: + R drain per fold; ws/is: + 1 write cycle per fold; all: + L per fold and SCALE-Sim's -1.
        long perFold = (df == Dataflow.OutputStationary ? 16 : 1) + 3;
        Assert.Equal(scale + (16 * perFold) + 1, corrected);
    }

    [Fact]
    public void Evaluate_RunsGroupsOneAfterAnother_AndReportsUtilization()
    {
        var layer = new MatrixLayer
        {
            Name = "dw",
            OpType = "Conv",
            InputBytes = 0,
            OutputBytes = 0,
            Gemm = new GemmShape(16, 1, 9),
            Groups = 8,
            InputType = DataType.UInt8,
            WeightType = DataType.Int8,
            OutputType = DataType.UInt8,
            WeightBytes = 72,
        };
        var array = Array(4, 4, Dataflow.OutputStationary);
        LayerTimingResult scale = FoldTimingModel.Evaluate(layer, array, TimingModel.ScaleSim);

        // One group: Sr=16 -> 4 row folds, Sc=1 -> 1, per fold 9+4+4-2 = 15: 59; eight groups: 472.
        Assert.Equal(472, scale.ComputeCycles);
        Assert.Equal(32, scale.Folds);
        Assert.Equal(8 * 16 * 9, scale.Macs);
        Assert.Equal(1152.0 / (16 * 472), scale.Utilization, 12);

        // Corrected, one group: 4 folds x (9+4-2) + 1 x 16 + 4 x 1 = 64; eight groups: 512.
        Assert.Equal(512, FoldTimingModel.Evaluate(layer, array, TimingModel.Corrected).ComputeCycles);
    }

    [Property(MaxTest = 200)]
    public void Cycles_AreAtLeastMacsOverPes_InCorrected_AndAtMostOneLessInScaleSim(int seed)
    {
        var r = new Random(seed);
        var gemm = new GemmShape(r.Next(1, 5000), r.Next(1, 600), r.Next(1, 5000));
        foreach (Dataflow df in Generators.Dataflows)
        {
            var array = Array(1 << r.Next(0, 8), 1 << r.Next(0, 8), df);
            foreach (TimingModel model in new[] { TimingModel.ScaleSim, TimingModel.Corrected })
            {
                // SCALE-Sim's final -1 can undercut the bound by one: os on a 1 x 1 array gives M x N x K - 1 cycles.
                long cycles = FoldTimingModel.GemmCycles(gemm, array, model);
                long bound = ((gemm.Macs + array.PeCount - 1) / array.PeCount) - (model == TimingModel.ScaleSim ? 1 : 0);
                Assert.True(cycles >= bound, $"{model} {df}: {cycles}");
            }
        }
    }

    [Fact]
    public void ScaleSim_OnOneByOneOutputStationary_UndercutsTheMacBoundByOne()
    {
        // Per fold T + 1 + 1 - 2 = K, M x N folds, minus 1: one cycle fewer than the M x N x K MACs need on one PE.
        Assert.Equal((3 * 4 * 5) - 1, FoldTimingModel.GemmCycles(new GemmShape(3, 4, 5), Array(1, 1, Dataflow.OutputStationary), TimingModel.ScaleSim));
    }

    [Fact]
    public void EmptyGemm_TakesNoCycles()
    {
        Assert.Equal(0, FoldTimingModel.GemmCycles(new GemmShape(0, 5, 5), Array(4, 4, Dataflow.WeightStationary), TimingModel.ScaleSim));
        Assert.Equal(0, FoldTimingModel.GemmCycles(new GemmShape(5, 5, 0), Array(4, 4, Dataflow.OutputStationary), TimingModel.Corrected));
    }

    internal static ArraySpec Array(int rows, int cols, Dataflow df) => new()
    {
        Rows = rows,
        Cols = cols,
        Dataflow = df,
        OperandTypes = [DataType.UInt8, DataType.Int8],
        Numerics = new ArrayNumericsSpec(),
    };
}
