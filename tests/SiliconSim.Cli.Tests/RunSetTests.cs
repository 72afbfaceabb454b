namespace SiliconSim.Cli.Tests;

/// <summary>`run --set PATH=VALUE`: a bad override is one error line naming it, exit code 2, before anything runs.</summary>
public sealed class RunSetTests
{
    [Theory]
    [InlineData("thermal.ambiant_c=85", "--set: thermal.ambiant_c: unknown field (did you mean thermal.ambient_c?)")]
    [InlineData("thermal.ambient_c=hot", "--set: thermal.ambient_c: must be a finite number, got 'hot'")]
    [InlineData("array.rows=0", "--set: array.rows:")]
    [InlineData("thermal.ambient_c", "--set: expected PATH=VALUE (e.g. thermal.ambient_c=85), got 'thermal.ambient_c'")]
    [InlineData("=85", "'' in '=85' is not a config path")]
    [InlineData("memory.buffers[x].capacity_kib=4", "'memory.buffers[x].capacity_kib' in")]
    [InlineData("memory.buffers[9].capacity_kib=4", "--set: memory.buffers[9].capacity_kib: memory.buffers has 3 item(s)")]
    [InlineData("thermal=85", "--set: thermal: is a section")]
    [InlineData("thermal.ambient_c=[85", "--set: thermal.ambient_c: cannot read the value '[85' as YAML")]
    public void BadOverride_ExitsTwo_NamingIt(string set, string expected)
    {
        using var dir = new TempFolder();
        var (exit, stdout, stderr) = CliRunner.Run("run", "--set", set, "--out", Path.Combine(dir.Path, "out"));

        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "out")));
    }

    [Fact]
    public void EveryBadOverride_IsReported_AndAFileProblemKeepsItsLine()
    {
        using var dir = new TempFolder();
        string config = dir.File("c.yaml", System.Text.Encoding.UTF8.GetBytes("base: edge-npu\nclock_mhz: -5\n"));
        var (exit, _, stderr) = CliRunner.Run("run", "--config", config, "--set", "array.rows=0", "--set", "thermal.ambiant_c=1", "--thermal-seconds", "0");

        Assert.Equal(2, exit);
        Assert.Contains($"{config}:2:1: clock_mhz:", stderr, StringComparison.Ordinal);
        Assert.Contains("--set: array.rows:", stderr, StringComparison.Ordinal);
        Assert.Contains("--set: thermal.ambiant_c:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Override_ReplacesTheFilesValue()
    {
        using var dir = new TempFolder();
        var (exit, stdout, stderr) = CliRunner.Run("run", "--set", "clock_mhz=500", "--thermal-seconds", "0", "--out", Path.Combine(dir.Path, "out"));

        Assert.True(exit == 0, stderr);
        Assert.Contains(" at 500 MHz,", stdout, StringComparison.Ordinal);
    }
}
