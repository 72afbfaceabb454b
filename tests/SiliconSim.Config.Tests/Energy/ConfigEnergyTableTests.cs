using SiliconSim.Config.Energy;
using SiliconSim.Config.Sweeps;

namespace SiliconSim.Config.Tests.Energy;

/// <summary>
/// Loading a config resolves its energy table: a relative <c>energy:</c> path is taken from the folder of the file the
/// key was written in (anywhere, not only under configs/), a missing, broken or insufficient table is a located
/// diagnostic at <c>energy</c>, and a sweep shares the base's table and never runs with an unloadable one.
/// </summary>
public sealed class ConfigEnergyTableTests : IDisposable
{
    private static readonly string s_horowitz = File.ReadAllText(Path.Combine(EnergyTableLoader.FindDirectory()!, "horowitz-45nm.yaml"));

    private readonly string _dir = Directory.CreateTempSubdirectory("siliconsim-energy-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Table(string name = "mine") => s_horowitz.Replace("name: horowitz-45nm", "name: " + name, StringComparison.Ordinal);

    [Fact]
    public void RelativeTablePath_IsTakenFromTheConfigsFolder()
    {
        Write("npu/tables/mine.yaml", Table());
        string config = Write("npu/npu.yaml", "base: edge-npu\nenergy: tables/mine.yaml\n");

        ConfigLoadResult loaded = ConfigLoader.LoadFile(config);

        Assert.True(loaded.Success, string.Join("\n", loaded.Diagnostics));
        Assert.Equal("mine", loaded.EnergyTable!.Name);
        Assert.Equal(Path.Combine(_dir, "npu", "tables", "mine.yaml"), loaded.EnergyTablePath);
        Assert.Equal(config, loaded.ConfigPath);
        Assert.Equal("tables/mine.yaml", loaded.Spec!.EnergyTable);
    }

    [Fact]
    public void RelativeTablePath_InABaseFileElsewhere_IsTakenFromThatFilesFolder()
    {
        Write("a/tables/mine.yaml", Table());
        Write("a/base.yaml", "base: edge-npu\nenergy: tables/mine.yaml\n");
        string derived = Write("b/derived.yaml", "base: ../a/base.yaml\narray: {rows: 8}\n");

        ConfigLoadResult loaded = ConfigLoader.LoadFile(derived);

        Assert.True(loaded.Success, string.Join("\n", loaded.Diagnostics));
        Assert.Equal("mine", loaded.EnergyTable!.Name);
        Assert.Equal(8, loaded.Spec!.Array.Rows);
    }

    [Fact]
    public void PresetsAndText_LoadTheDefaultTable()
    {
        ConfigLoadResult preset = PresetCatalog.Load("tpu-v1");
        Assert.Equal(("horowitz-45nm", PresetCatalog.Resolve("tpu-v1")), (preset.EnergyTable!.Name, preset.ConfigPath));
        ConfigLoadResult text = ConfigLoader.LoadText(Yamls.Valid, "t.yaml");
        Assert.Equal(("horowitz-45nm", (string?)null), (text.EnergyTable!.Name, text.ConfigPath));
    }

    [Fact]
    public void MissingTable_IsADiagnosticAtTheEnergyKey_NamingTheFile()
    {
        string config = Write("npu.yaml", "base: edge-npu\nenergy: tables/nope.yaml\n");

        ConfigLoadResult loaded = ConfigLoader.LoadFile(config);

        Assert.False(loaded.Success);
        Assert.Null(loaded.EnergyTable);
        Assert.Equal($"{config}:2:1: energy: no energy table file {Path.Combine(_dir, "tables", "nope.yaml")}", Assert.Single(loaded.Diagnostics).ToString());
    }

    [Fact]
    public void BrokenTable_IsADiagnosticAtTheEnergyKey_WithTheTablesOwnLocation()
    {
        string table = Write("t.yaml", Table().Replace("float32_add_pj: 0.9 ", "float32_add_pj: -0.9", StringComparison.Ordinal));
        string config = Write("npu.yaml", "base: edge-npu\nenergy: t.yaml\n");

        Assert.Equal($"{config}:2:1: energy: {table}:56:17: float32_add_pj: must be a finite energy >= 0, got -0.9",
            Assert.Single(ConfigLoader.LoadFile(config).Diagnostics).ToString());
    }

    [Fact]
    public void TableThatCannotPriceTheArray_IsADiagnosticAtTheEnergyKey()
    {
        string table = Write("t.yaml", string.Join('\n', Table().Split('\n').Where(l => !l.Contains("{input: uint8, weight: int8,", StringComparison.Ordinal))));
        string config = Write("npu.yaml", "base: edge-npu\nenergy: t.yaml\n");

        Assert.Equal(
            $"{config}:2:1: energy: {table}: array.operand_types: energy table 'mine' has no MAC entry for uint8 x int8, which the array's operand types need",
            Assert.Single(ConfigLoader.LoadFile(config).Diagnostics).ToString());
    }

    [Fact]
    public void TableProblems_AreReportedWithEveryOtherProblem()
    {
        string config = Write("npu.yaml", "base: edge-npu\nenergy: nope.yaml\nclock_mhz: -1\n");
        Assert.Equal(["energy", "clock_mhz"], ConfigLoader.LoadFile(config).Diagnostics.Select(d => d.Path));
    }

    [Fact]
    public void Loading_ReadsATableOncePerVersionOfItsFile()
    {
        string path = Write("t.yaml", Table("first"));
        File.SetLastWriteTimeUtc(path, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        EnergyTableLoadResult a = EnergyTableLoader.LoadFile(path);
        Assert.Same(a, EnergyTableLoader.LoadFile(Path.Combine(_dir, ".", "t.yaml")));

        File.WriteAllText(path, Table("second"));
        File.SetLastWriteTimeUtc(path, new DateTime(2021, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal("second", EnergyTableLoader.LoadFile(path).TableOrThrow().Name);
    }

    [Fact]
    public void SweepOverAConfigWithARelativeTable_GivesEveryPointThatTable()
    {
        Write("npu/tables/mine.yaml", Table());
        Write("npu/npu.yaml", "base: edge-npu\nenergy: tables/mine.yaml\n");
        File.WriteAllBytes(Path.Combine(_dir, "m.onnx"), [0]);
        SweepLoadResult sweep = SweepLoader.LoadText("base: npu/npu.yaml\nmodels: [m.onnx]\naxes:\n  array.rows: [8]\n", Path.Combine(_dir, "s.yaml"));
        Assert.True(sweep.Success, string.Join("\n", sweep.Diagnostics));

        SweepPoint point = Assert.Single(SweepExpander.Expand(sweep.Definition!));

        Assert.True(point.Runnable, point.DropReason);
        Assert.Equal("mine", point.EnergyTable!.Name);
    }

    [Fact]
    public void SweepAxisOverEnergy_ResolvesAgainstTheBaseFolder_AndDropsATableThatCannotLoad()
    {
        Write("npu/tables/mine.yaml", Table());
        Write("npu/tables/other.yaml", Table("other"));
        Write("npu/npu.yaml", "base: edge-npu\nenergy: tables/mine.yaml\n");
        File.WriteAllBytes(Path.Combine(_dir, "m.onnx"), [0]);
        SweepLoadResult sweep = SweepLoader.LoadText("base: npu/npu.yaml\nmodels: [m.onnx]\naxes:\n  energy: [tables/other.yaml, tables/nope.yaml]\n", Path.Combine(_dir, "s.yaml"));
        Assert.True(sweep.Success, string.Join("\n", sweep.Diagnostics));

        var points = SweepExpander.Expand(sweep.Definition!).ToList();

        Assert.Equal("other", points[0].EnergyTable!.Name);
        Assert.False(points[1].Runnable);
        Assert.Equal($"invalid config: energy: no energy table file {Path.Combine(_dir, "npu", "tables", "nope.yaml")}", points[1].DropReason);
    }

    [Fact]
    public void SweepOverABaseWhoseTableCannotLoad_FailsToLoad_NamingTheTable()
    {
        string table = Write("t.yaml", Table().Replace("float32_add_pj: 0.9 ", "float32_add_pj: -0.9", StringComparison.Ordinal));
        Write("npu.yaml", "base: edge-npu\nenergy: t.yaml\n");
        File.WriteAllBytes(Path.Combine(_dir, "m.onnx"), [0]);

        SweepLoadResult sweep = SweepLoader.LoadText("base: npu.yaml\nmodels: [m.onnx]\naxes:\n  array.rows: [8]\n", Path.Combine(_dir, "s.yaml"));

        Assert.False(sweep.Success);
        var d = Assert.Single(sweep.Diagnostics);
        Assert.Equal("base", d.Path);
        Assert.Contains($"energy: {table}:56:17: float32_add_pj: must be a finite energy >= 0, got -0.9", d.Message, StringComparison.Ordinal);
    }
}
