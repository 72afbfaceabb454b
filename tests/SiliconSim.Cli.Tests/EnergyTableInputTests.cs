using System.Text;
using SiliconSim.Config;

namespace SiliconSim.Cli.Tests;

/// <summary>An energy table that cannot price the accelerator stops `run` before anything runs: exit 2, one line naming
/// the file and the field, no stack trace.</summary>
public sealed class EnergyTableInputTests
{
    private static readonly string s_horowitz = File.ReadAllText(Path.Combine(PresetCatalog.FindDirectory()!, "..", "energy", "horowitz-45nm.yaml"));

    [Fact]
    public void TableMissingTheArraysMacType_IsExit2NamingTheOperandTypes()
    {
        string table = string.Join('\n', s_horowitz.Split('\n').Where(l => !l.Contains("{input: uint8, weight: int8,", StringComparison.Ordinal)));
        var (exit, stderr, config) = Run(table);

        // Loading the config loads its table, so the problem is located at the config's energy: key and names the table.
        Assert.Equal(2, exit);
        Assert.Equal(
            $"siliconsim: error: {config}:2:1: energy: {Path.Combine(Path.GetDirectoryName(config)!, "table.yaml")}: array.operand_types: energy table 'horowitz-45nm' has no MAC entry for uint8 x int8, which the array's operand types need",
            stderr.Trim());
    }

    [Fact]
    public void NegativeEnergy_IsExit2AtItsLine()
    {
        string table = s_horowitz.Replace("{input: uint8, weight: int8, multiply_pj: 0.225}", "{input: uint8, weight: int8, multiply_pj: -0.225}", StringComparison.Ordinal);
        Assert.NotEqual(s_horowitz, table);
        var (exit, stderr, _) = Run(table);

        Assert.Equal(2, exit);
        Assert.Matches(@"table\.yaml:\d+:\d+: mac\[\d+\]\.multiply_pj: .*", stderr);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    private static (int Exit, string Stderr, string Config) Run(string table)
    {
        using var dir = new TempFolder();
        dir.File("table.yaml", Encoding.UTF8.GetBytes(table));
        string config = dir.File("npu.yaml", "base: edge-npu\nenergy: table.yaml\n"u8.ToArray());
        var (exit, _, stderr) = CliRunner.Run("run", "--config", config, "--out", Path.Combine(dir.Path, "out"), "--thermal-seconds", "0");
        return (exit, stderr, config);
    }
}
