using System.Globalization;
using SiliconSim.Config.Topology;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Timing;

namespace SiliconSim.Config.Tests.Topology;

/// <summary>
/// SCALE-Sim v2's own regression goldens (test/general/golden_trace_user_{os,ws,is}/COMPUTE_REPORT.csv: configs/scale.cfg,
/// a 32 x 32 array, on topologies/GEMM_mnk/test_mnk_input.csv). Its compute cycles are Total Cycles minus Stall Cycles
/// (the stalls are its memory model's); its Compute Util % is the mean over folds of MACs / (R x C x per-fold cycles).
/// </summary>
public sealed class ScaleSimGoldenTests
{
    [Theory]
    [InlineData("os", Dataflow.OutputStationary)]
    [InlineData("ws", Dataflow.WeightStationary)]
    [InlineData("is", Dataflow.InputStationary)]
    public void ScaleSimModel_ReproducesScaleSimsComputeReport(string name, Dataflow df)
    {
        MatrixLayer layer = Assert.Single(ScaleSimTopologyReader.Parse(File.ReadAllText(ScaleSimFiles.Path("test_mnk_input.csv")), "test_mnk_input.csv"));
        string[] report = File.ReadAllLines(ScaleSimFiles.Path($"golden/user_{name}_COMPUTE_REPORT.csv"));
        double[] row = report[1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        long total = (long)row[1], stall = (long)row[2];

        var array = new ArraySpec { Rows = 32, Cols = 32, Dataflow = df, OperandTypes = [DataType.UInt8, DataType.Int8], Numerics = new ArrayNumericsSpec() };
        LayerTimingResult timing = FoldTimingModel.Evaluate(layer, array, TimingModel.ScaleSim);
        Assert.Equal(total - stall, timing.ComputeCycles);

        // Every fold here is full, so SCALE-Sim's Compute Util is T / its per-fold utilisation window: for os the fold's
        // time T + R + C - 2, but for ws/is its filter demand matrix's rows + cols - 1 = 2R + 2C + T - 3, one array width
        // (C - 1) longer than the fold's time (systolic_compute_ws.py / _is.py, create_filter_demand_mat).
        FoldMapping map = timing.Mapping;
        double window = df == Dataflow.OutputStationary ? map.StreamDim + 32 + 32 - 2 : map.StreamDim + 64 + 64 - 3;
        Assert.Equal(row[5], map.StreamDim / window * 100, 9);
    }

    // docs/timing-model.md's ResNet-18 table, computed there from the per-fold formulas outside this code base.
    [Theory]
    [InlineData(32, Dataflow.OutputStationary, 2_154_003, 2_233_498)]
    [InlineData(32, Dataflow.WeightStationary, 2_890_321, 2_901_350)]
    [InlineData(32, Dataflow.InputStationary, 3_429_355, 3_422_737)]
    [InlineData(128, Dataflow.OutputStationary, 275_233, 294_961)]
    [InlineData(128, Dataflow.WeightStationary, 444_153, 442_904)]
    [InlineData(128, Dataflow.InputStationary, 631_613, 596_063)]
    public void ResNet18_ComputeCycles_MatchTheDocumentedTable(int size, Dataflow df, long scaleSim, long corrected)
    {
        var layers = ScaleSimTopologyReader.Parse(File.ReadAllText(ScaleSimFiles.Path("resnet18_224.csv")), "resnet18_224.csv");
        var array = new ArraySpec { Rows = size, Cols = size, Dataflow = df, OperandTypes = [DataType.UInt8, DataType.Int8], Numerics = new ArrayNumericsSpec() };
        Assert.Equal(scaleSim, layers.Sum(l => FoldTimingModel.Evaluate(l, array, TimingModel.ScaleSim).ComputeCycles));
        Assert.Equal(corrected, layers.Sum(l => FoldTimingModel.Evaluate(l, array, TimingModel.Corrected).ComputeCycles));
    }
}
