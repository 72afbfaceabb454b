namespace SiliconSim.Config.Tests.Sweeps;

/// <summary>A bad sweep file is rejected before any point runs, with file:line:column and what is wrong.</summary>
public sealed class BadSweepTests : IDisposable
{
    private readonly SweepFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string Error(string text)
    {
        var r = _files.Load(text);
        Assert.False(r.Success);
        return Assert.Single(r.Diagnostics).ToString().Replace(_files.PathOf("s.yaml"), "s.yaml", StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownField_SuggestsTheClosest() =>
        Assert.Equal("s.yaml:4:3: array.row: unknown config field (did you mean 'array.rows'?)",
            Error("base: edge-npu\nmodels: [m.onnx]\naxes:\n  array.row: [8]\n"));

    [Fact]
    public void EmptyAxis_IsAnError() =>
        Assert.Equal("s.yaml:4:15: array.rows: the axis is empty",
            Error("base: edge-npu\nmodels: [m.onnx]\naxes:\n  array.rows: []\n"));

    [Fact]
    public void EmptyRange_IsAnError() =>
        Assert.Equal("s.yaml:4:15: array.rows: a step range needs step > 0 and start <= stop (the axis would be empty)",
            Error("base: edge-npu\nmodels: [m.onnx]\naxes:\n  array.rows: {start: 8, stop: 4, step: 1}\n"));

    [Fact]
    public void ConstraintOnMissingField_IsAnError() =>
        Assert.Equal("s.yaml:6:5: constraints: 'total_sram' is not a numeric config field or one of pe_count, total_sram_kib",
            Error("base: edge-npu\nmodels: [m.onnx]\naxes:\n  array.rows: [8]\nconstraints:\n  - total_sram <= 1024\n"));

    [Fact]
    public void ConstraintOnMisspeltPath_SuggestsTheClosest() =>
        Assert.Equal("s.yaml:6:5: constraints: 'array.rowz' is not a numeric config field or one of pe_count, total_sram_kib (did you mean 'array.rows'?)",
            Error("base: edge-npu\nmodels: [m.onnx]\naxes:\n  array.rows: [8]\nconstraints:\n  - array.rowz <= 1024\n"));

    [Fact]
    public void MissingBasePreset_IsAnError() =>
        Assert.StartsWith("s.yaml:1:7: base: 'no-such-npu': no such file or preset (presets: ",
            Error("base: no-such-npu\nmodels: [m.onnx]\naxes:\n  array.rows: [8]\n"), StringComparison.Ordinal);

    [Fact]
    public void ZipOfUnequalLengths_IsAnError() =>
        Assert.Equal("s.yaml:3:10: combine: zip needs axes of equal length; got array.rows: 2, array.cols: 3",
            Error("base: edge-npu\nmodels: [m.onnx]\ncombine: zip\naxes:\n  array.rows: [8, 16]\n  array.cols: [8, 16, 32]\n"));

    [Fact]
    public void BufferIndexPastTheBase_IsAnError() =>
        Assert.Equal("s.yaml:4:3: memory.buffers[7].banks: the base config has no such field (a list index past its end?)",
            Error("base: edge-npu\nmodels: [m.onnx]\naxes:\n  memory.buffers[7].banks: [2]\n"));

    [Fact]
    public void MissingModel_IsAnError() =>
        Assert.Equal("s.yaml:2:10: models: no such model file, test-case folder or topology: nope.onnx",
            Error("base: edge-npu\nmodels: [nope.onnx]\naxes:\n  array.rows: [8]\n"));

    [Fact]
    public void UnknownTopLevelKey_SuggestsTheClosest() =>
        Assert.Equal("s.yaml:3:1: axis: unknown key 'axis' (did you mean 'axes'?); expected one of base, models, combine, axes, constraints, thermal_seconds, color_by, max_points, search, seed, budget, population, objectives",
            Error("base: edge-npu\nmodels: [m.onnx]\naxis:\n  array.rows: [8]\n"));
}
