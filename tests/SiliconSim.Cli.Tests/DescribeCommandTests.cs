using System.Text;
using SiliconSim.Hardware.Specs.Parameters;

namespace SiliconSim.Cli.Tests;

/// <summary>`siliconsim describe` lists every parameter with unit, default and reason, resolves presets and files, and
/// turns a bad config into diagnostics with exit code 2.</summary>
public sealed class DescribeCommandTests
{
    [Fact]
    public void NoArgument_ListsEveryParameter_AndThePresets()
    {
        var (exit, stdout, stderr) = CliRunner.Run("describe");
        Assert.Equal(0, exit);
        Assert.Empty(stderr);
        Assert.All(SpecParameters.All, p => Assert.Contains(p.Path, stdout, StringComparison.Ordinal));
        Assert.Contains("capacity_kib", stdout, StringComparison.Ordinal);
        Assert.Contains("KiB", stdout, StringComparison.Ordinal);
        Assert.Contains("Presets: edge-npu, edge-npu-mx, eyeriss, phone-npu, scalesim-google, tpu-v1, tpu-v4", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Preset_ShowsResolvedValues_WithTheirSourceLine()
    {
        var (exit, stdout, _) = CliRunner.Run("describe", "tpu-v1");
        Assert.Equal(0, exit);
        Assert.Contains("tpu-v1 (", stdout, StringComparison.Ordinal);
        Assert.Contains("256x256 ws array at 700 MHz", stdout, StringComparison.Ordinal);
        Assert.Matches(@"memory\.buffers\[0\]\.capacity_kib\s*│\s*24576\s*│\s*KiB", stdout);
        Assert.Matches(@"array\.overflow\s*│\s*wrap\s*│\s*-\s*│\s*default", stdout);
    }

    [Fact]
    public void BadConfigFile_PrintsEveryDiagnostic_AndExits2()
    {
        string path = Path.Combine(Path.GetTempPath(), $"siliconsim-describe-{Environment.ProcessId}.yaml");
        File.WriteAllText(path, "clock_mhz: 0\narray:\n  rows: x\n  cols: 4\n  dataflw: ws\n", Encoding.UTF8);
        try
        {
            var (exit, stdout, stderr) = CliRunner.Run("describe", path);
            Assert.Equal(2, exit);
            Assert.Empty(stdout);
            Assert.Equal(
                [
                    $"{path}:1:1: clock_mhz: must be > 0, got 0",
                    $"{path}:1:1: memory: is required (The memory hierarchy from the PE registers out to DRAM.)",
                    $"{path}:3:3: array.rows: must be a whole number, got 'x'",
                    $"{path}:5:3: array.dataflw: unknown key; did you mean 'dataflow'?",
                    $"siliconsim: error: {path}: 4 problem(s) in the config",
                ],
                stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void UnknownPreset_IsExit2_NamingThePresets()
    {
        var (exit, _, stderr) = CliRunner.Run("describe", "tpu-v9");
        Assert.Equal(2, exit);
        Assert.Contains("tpu-v9:1:1: no such file or preset (presets: edge-npu, edge-npu-mx, eyeriss, phone-npu, scalesim-google, tpu-v1, tpu-v4)", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
