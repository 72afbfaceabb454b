using SiliconSim.Hardware.Specs;

namespace SiliconSim.Config.Tests;

/// <summary><c>base: NAME</c> lays a config over a preset or another file: mappings merge, lists and values replace.</summary>
public sealed class BaseConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("siliconsim-base-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void PresetBase_KeepsItsFields_AndTakesTheOverrides()
    {
        AcceleratorSpec s = ConfigLoader.LoadText("base: tpu-v1\narray:\n  rows: 128\n", Path.Combine(_dir, "half.yaml")).SpecOrThrow();
        AcceleratorSpec tpu = PresetCatalog.Load("tpu-v1").SpecOrThrow();
        Assert.Equal(tpu with { Name = "half", Array = tpu.Array with { Rows = 128 } }, s);
    }

    [Fact]
    public void FileBase_IsFoundBesideTheConfig_AndListsAreReplacedWhole()
    {
        Write("base.yaml", Yamls.Valid);
        string derived = Write("derived.yaml", "base: base.yaml\nmemory:\n  buffers:\n    - {name: u, role: unified, capacity_kib: 8, bytes_per_cycle: 4}\n");
        AcceleratorSpec s = ConfigLoader.LoadFile(derived).SpecOrThrow();
        Assert.Equal("u", Assert.Single(s.Memory.Buffers).Name);
        Assert.Equal(8, s.Memory.Dram.BandwidthGBps);
        Assert.Equal((16, 8), (s.Array.Rows, s.Array.Cols));
    }

    [Fact]
    public void ProblemInTheBase_NamesTheBaseFile_AndOneInTheConfigNamesTheConfig()
    {
        string basePath = Write("base.yaml", Yamls.ValidWith(1, "clock_mhz: -1"));
        string derived = Write("derived.yaml", "base: base.yaml\narray:\n  cols: 0\n");
        Assert.Equal(
            [$"{basePath}:1:1: clock_mhz: must be > 0, got -1", $"{derived}:3:3: array.cols: must be >= 1, got 0"],
            ConfigLoader.LoadFile(derived).Diagnostics.Select(d => d.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MissingBase_AndBaseCycle_AreDiagnostics()
    {
        string lone = Write("lone.yaml", "base: nope\n" + Yamls.Valid);
        Assert.Contains($"{lone}:1:1: base: no file or preset named 'nope'", ConfigLoader.LoadFile(lone).Diagnostics.Select(d => d.ToString()));

        Write("a.yaml", "base: b.yaml\n" + Yamls.Valid);
        string b = Write("b.yaml", "base: a.yaml\n");
        Assert.Contains($"{Path.Combine(_dir, "a.yaml")}:1:1: base: 'b.yaml' is already being loaded (a base cycle)",
            ConfigLoader.LoadFile(b).Diagnostics.Select(d => d.ToString()));
    }
}
