namespace SiliconSim.Cli.Tests;

/// <summary>`run --topology`: a SCALE-Sim CSV timed on a preset; a bad file is one error line naming file, line and column.</summary>
public sealed class TopologyRunTests
{
    [Fact]
    public void BadNumber_IsAnErrorAtFileLineColumn()
    {
        using var dir = new TempFolder();
        string csv = dir.File("bad.csv", System.Text.Encoding.UTF8.GetBytes("Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nconv1, 224, 224, 7, seven, 3, 64, 2,\n"));

        var (exit, stdout, stderr) = CliRunner.Run("run", "--config", "scalesim-google", "--topology", csv, "--out", Path.Combine(dir.Path, "out"));

        Assert.Equal(2, exit);
        Assert.Contains($"{csv}:2:", stderr, StringComparison.Ordinal);
        Assert.Contains("seven", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void FilterLargerThanIfmap_IsAnErrorNamingTheLine()
    {
        using var dir = new TempFolder();
        string csv = dir.File("big.csv", System.Text.Encoding.UTF8.GetBytes("Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nconv1, 4, 4, 7, 7, 3, 64, 1,\n"));

        var (exit, _, stderr) = CliRunner.Run("run", "--config", "scalesim-google", "--topology", csv, "--out", Path.Combine(dir.Path, "out"));

        Assert.Equal(2, exit);
        Assert.Contains($"{csv}:2:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile_IsAnErrorNamingIt()
    {
        var (exit, _, stderr) = CliRunner.Run("run", "--config", "tpu-v1", "--topology", "no/such/topology.csv");
        Assert.Equal(2, exit);
        Assert.Contains("no/such/topology.csv", stderr, StringComparison.Ordinal);
    }
}
