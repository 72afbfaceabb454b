using SiliconSim.Config.Sweeps;
using SiliconSim.Hardware.Specs;

namespace SiliconSim.Config.Tests.Sweeps;

public sealed class SweepExpanderTests : IDisposable
{
    private readonly SweepFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static string[] Rows(IEnumerable<SweepPoint> points) => [.. points.Select(p => string.Join(" ", p.Values))];

    [Fact]
    public void Grid_FirstAxisOutermost_LastFastest()
    {
        var sweep = _files.LoadValid("base: edge-npu\nmodels: [m.onnx]\naxes:\n  array.rows: [8, 16]\n  array.dataflow: [os, ws, is]\n");
        var points = SweepExpander.Expand(sweep).ToList();
        Assert.Equal(["8 os", "8 ws", "8 is", "16 os", "16 ws", "16 is"], Rows(points));
        Assert.Equal([0, 1, 2, 3, 4, 5], points.Select(p => p.Index));
        Assert.Equal(16, points[3].Spec!.Array.Rows);
        Assert.Equal(Dataflow.InputStationary, points[5].Spec!.Array.Dataflow);
    }

    [Fact]
    public void Zip_PairsTheIthValues()
    {
        var sweep = _files.LoadValid("base: edge-npu\nmodels: [m.onnx]\ncombine: zip\naxes:\n  array.rows: [8, 16, 64]\n  array.cols: [4, 32, 64]\n");
        Assert.Equal(["8 4", "16 32", "64 64"], Rows(SweepExpander.Expand(sweep)));
    }

    [Fact]
    public void Models_AreOutermost()
    {
        File.WriteAllBytes(_files.PathOf("n.onnx"), [0]);
        var sweep = _files.LoadValid("base: edge-npu\nmodels: [m.onnx, n.onnx]\naxes:\n  clock_mhz: [100, 200]\n");
        var points = SweepExpander.Expand(sweep).ToList();
        Assert.Equal(["m.onnx", "m.onnx", "n.onnx", "n.onnx"], points.Select(p => Path.GetFileName(p.Model)));
        Assert.Equal(["100", "200", "100", "200"], Rows(points));
    }

    [Theory]
    [InlineData("{start: 100, stop: 500, step: 100}", "100 200 300 400 500")]
    [InlineData("{start: 100, stop: 450, step: 100}", "100 200 300 400")]
    [InlineData("{start: 0.1, stop: 0.3, step: 0.1}", "0.1 0.2 0.3")]
    [InlineData("{start: 1, stop: 16, factor: 2}", "1 2 4 8 16")]
    [InlineData("{start: 1, stop: 1000, count: 4, log: true}", "1 10 100 1000")]
    [InlineData("{start: 100, stop: 400, count: 4}", "100 200 300 400")]
    public void Ranges_ExpandToTheirValues(string range, string expected)
    {
        var sweep = _files.LoadValid($"base: edge-npu\nmodels: [m.onnx]\naxes:\n  memory.dram.bandwidth_gbps: {range}\n");
        Assert.Equal(expected, string.Join(" ", sweep.Axes[0].Values));
    }

    [Fact]
    public void IntegerField_LogRange_RoundsAndDropsRepeats()
    {
        // 1, 1.78, 3.16, 5.62, 10 rounds to 1, 2, 3, 6, 10.
        var sweep = _files.LoadValid("base: edge-npu\nmodels: [m.onnx]\naxes:\n  array.rows: {start: 1, stop: 10, count: 5, log: true}\n");
        Assert.Equal(["1", "2", "3", "6", "10"], sweep.Axes[0].Values.ToArray());
    }

    [Fact]
    public void Constraint_DropsPointsWithTheClauseAsReason()
    {
        // edge-npu's weights + ofmap buffers hold 192 KiB; ifmap 1024 breaks the cap.
        var sweep = _files.LoadValid("base: edge-npu\nmodels: [m.onnx]\naxes:\n  memory.buffers[0].capacity_kib: [64, 1024]\nconstraints:\n  - total_sram_kib <= 1024 and pe_count >= 64\n");
        var points = SweepExpander.Expand(sweep).ToList();
        Assert.True(points[0].Runnable);
        Assert.Equal("constraint total_sram_kib <= 1024 and pe_count >= 64: total_sram_kib is 1216", points[1].DropReason);
    }

    [Fact]
    public void Constraint_OnAConfigPath_ReadsThePointsSpec()
    {
        var sweep = _files.LoadValid("base: edge-npu\nmodels: [m.onnx]\naxes:\n  memory.buffers[0].capacity_kib: [64, 0.5]\nconstraints:\n  - memory.buffers[0].capacity_kib >= 1\n");
        var points = SweepExpander.Expand(sweep).ToList();
        Assert.True(points[0].Runnable);
        Assert.Equal("constraint memory.buffers[0].capacity_kib >= 1: memory.buffers[0].capacity_kib is 0.5", points[1].DropReason);
    }

    [Fact]
    public void Constraint_OnAnInvalidPoint_GivesTheConfigsProblemAsReason()
    {
        // Constraints read the resolved spec, so a point without one is dropped for its config problem.
        var sweep = _files.LoadValid("base: edge-npu\nmodels: [m.onnx]\naxes:\n  array.rows: [0]\nconstraints:\n  - pe_count >= 64\n");
        Assert.StartsWith("invalid config: array.rows:", Assert.Single(SweepExpander.Expand(sweep)).DropReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Quantities_AreTheSpecsDerivedMembers()
    {
        AcceleratorSpec edge = PresetCatalog.Load("edge-npu").SpecOrThrow();
        Assert.Equal(1024, SweepQuantities.Evaluate(edge, "pe_count"));
        Assert.Equal(320, SweepQuantities.Evaluate(edge, "total_sram_kib"));
        Assert.Equal(128, SweepQuantities.Evaluate(edge, "memory.buffers[0].capacity_kib"));
        Assert.Equal(edge.VectorUnit.Lanes, SweepQuantities.Evaluate(edge, "vector_unit.lanes"));
        Assert.Null(SweepQuantities.Evaluate(edge, "memory.buffers[7].banks"));
        Assert.Null(SweepQuantities.Evaluate(edge, "array.dataflow"));
    }

    [Fact]
    public void InvalidSpec_IsDroppedWithTheValidatorsDiagnostic()
    {
        var sweep = _files.LoadValid("base: edge-npu\nmodels: [m.onnx]\naxes:\n  array.rows: [16, 0]\n");
        var points = SweepExpander.Expand(sweep).ToList();
        Assert.True(points[0].Runnable);
        Assert.False(points[1].Runnable);
        Assert.StartsWith("invalid config: array.rows:", points[1].DropReason, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolvedYaml_LoadsBackToThePointsSpec()
    {
        var sweep = _files.LoadValid("base: edge-npu\nmodels: [m.onnx]\naxes:\n  memory.buffers[2].banks: [2, 8]\n  memory.dram.bandwidth_gbps: [3.2]\n");
        foreach (SweepPoint p in SweepExpander.Expand(sweep))
        {
            Assert.Equal(p.Spec, ConfigLoader.LoadText(p.ConfigYaml, "edge-npu.yaml").SpecOrThrow());
        }
    }

    [Fact]
    public void Expansion_IsTheSameEveryTime()
    {
        var sweep = _files.LoadValid("base: edge-npu\nmodels: [m.onnx]\naxes:\n  array.rows: {start: 4, stop: 64, factor: 2}\n  clock_mhz: [500, 1000]\n");
        Assert.Equal(SweepExpander.Expand(sweep).Select(p => p.ConfigYaml), SweepExpander.Expand(sweep).Select(p => p.ConfigYaml));
        Assert.Equal(10, sweep.CombinationCount);
    }
}
