using System.Text.RegularExpressions;
using SiliconSim.Config.Energy;
using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;

namespace SiliconSim.Config.Tests.Energy;

/// <summary>The shipped energy tables: the default carries Horowitz's numbers as published, every number has a source,
/// bad tables give located diagnostics, and the default prices every preset.</summary>
public sealed partial class EnergyTableLoaderTests
{
    private static EnergyTableSpec Default => EnergyTableLoader.Load(EnergyTableLoader.DefaultTable).TableOrThrow();

    private static string DefaultPath => Path.Combine(EnergyTableLoader.FindDirectory()!, "horowitz-45nm.yaml");

    [Fact]
    public void DefaultTable_HasHorowitzIsscc2014Numbers()
    {
        EnergyTableSpec t = Default;
        Assert.Equal((45, 0.9), (t.TechnologyNodeNm, t.SupplyVoltageV));
        Assert.Equal(0.03, t.IntegerAddPj(8));
        Assert.Equal(0.1, t.IntegerAddPj(32));
        Assert.Equal(0.2, t.FindMac(DataType.Int8, DataType.Int8)!.MultiplyPj);
        Assert.Equal(1.1, t.FindMac(DataType.Float16, DataType.Float16)!.MultiplyPj);
        Assert.Equal(3.7, t.FindMac(DataType.Float, DataType.Float)!.MultiplyPj);
        Assert.Equal(0.4, t.Float16AddPj);
        Assert.Equal(0.9, t.Float32AddPj);
        Assert.Equal(10, t.SramReadPj(8 * 1024, 8));
        Assert.Equal(20, t.SramReadPj(32 * 1024, 8));
        Assert.Equal(100, t.SramReadPj(1024 * 1024, 8));
        Assert.InRange(t.DramPjPerBit["DDR3"] * 64, 1290, 1310); // Horowitz: 1.3-2.6 nJ per 64-bit access, low end
    }

    [Theory]
    [InlineData("multiply_pj: 0.2}", "8-bit multiply")]
    [InlineData("multiply_pj: 1.1}", "fp16 mult")]
    [InlineData("multiply_pj: 3.7}", "fp32 mult")]
    [InlineData("energy_pj: 0.03}", "8-bit add")]
    [InlineData("energy_pj: 0.1}", "32-bit add")]
    [InlineData("float16_add_pj: 0.4", "fp16 add")]
    [InlineData("float32_add_pj: 0.9", "fp32 add")]
    [InlineData("capacity_kib: 8, word_bits: 64, read_pj: 10,", "8 KB read")]
    [InlineData("capacity_kib: 32, word_bits: 64, read_pj: 20,", "32 KB read")]
    [InlineData("capacity_kib: 1024, word_bits: 64, read_pj: 100,", "1 MB read")]
    public void DefaultTable_WritesEachPublishedNumberAsPublished_WithItsCitation(string value, string citation)
    {
        string line = File.ReadAllLines(DefaultPath).First(l => l.Contains(value, StringComparison.Ordinal) && l.Contains("[H14] published " + citation, StringComparison.Ordinal));
        Assert.Contains('#', line);
    }

    [Fact]
    public void EveryShippedTable_HasASourceCommentOnEveryNumberLine()
    {
        foreach (string file in Directory.EnumerateFiles(EnergyTableLoader.FindDirectory()!, "*.yaml"))
        {
            foreach (string line in File.ReadAllLines(file))
            {
                int hash = line.IndexOf('#', StringComparison.Ordinal);
                string data = hash < 0 ? line : line[..hash];
                if (Number().IsMatch(data) && !data.TrimStart().StartsWith("name:", StringComparison.Ordinal) && !data.TrimStart().StartsWith("source:", StringComparison.Ordinal))
                {
                    Assert.True(hash >= 0 && Regex.IsMatch(line[hash..], @"\[(H14|OC17|SB17)\]|derived|assumed"), $"{Path.GetFileName(file)}: no source on: {line}");
                }
            }
        }
    }

    [Fact]
    public void IntegerMultiplierRule_LandsNearHorowitz32Bit()
    {
        // The table derives integer multipliers from 8x8 = 0.2 pJ by the product of widths; 32x32 should land near 3.1 pJ.
        double predicted = 0.2 * (32 * 32) / (8 * 8);
        Assert.InRange(predicted / 3.1, 0.95, 1.05);
    }

    [Theory]
    [MemberData(nameof(PresetTests.Presets), MemberType = typeof(PresetTests))]
    public void DefaultTable_PricesEveryPreset(string preset)
    {
        AcceleratorSpec spec = PresetCatalog.Load(preset).SpecOrThrow();
        Assert.Equal("horowitz-45nm", spec.EnergyTable);
        Assert.Empty(EnergyModel.Validate(Default, spec));
    }

    [Fact]
    public void AcceleratorConfig_EnergyField_NamesTheTable()
    {
        var dir = Directory.CreateTempSubdirectory("siliconsim-energy-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "my-table.yaml"), File.ReadAllText(DefaultPath).Replace("name: horowitz-45nm", "name: mine", StringComparison.Ordinal));
            string yaml = File.ReadAllText(PresetCatalog.Resolve("tpu-v1")!) + "\nenergy: my-table.yaml\n";
            ConfigLoadResult loaded = ConfigLoader.LoadText(yaml, Path.Combine(dir.FullName, "tpu.yaml"));
            Assert.Equal("my-table.yaml", loaded.SpecOrThrow().EnergyTable);
            Assert.Equal("mine", loaded.EnergyTable!.Name);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Load_UnknownKey_IsLocated()
    {
        string yaml = File.ReadAllText(DefaultPath).Replace("  - {input: int8, weight: int8, multiply_pj: 0.2}", "  - {input: int8, weight: int8, multiply_pj: 0.2, colour: red}", StringComparison.Ordinal);
        var result = EnergyTableLoader.LoadText(yaml, "e.yaml");
        Assert.Null(result.Table);
        Assert.Equal("e.yaml:26:51: mac[0].colour: unknown key 'colour' (expected one of: input, weight, multiply_pj)", Assert.Single(result.Diagnostics).ToString());
    }

    [Fact]
    public void Load_NegativeEnergy_IsLocated()
    {
        string yaml = File.ReadAllText(DefaultPath).Replace("float32_add_pj: 0.9 ", "float32_add_pj: -0.9", StringComparison.Ordinal);
        var result = EnergyTableLoader.LoadText(yaml, "e.yaml");
        Assert.Null(result.Table);
        Assert.Equal("e.yaml:56:17: float32_add_pj: must be a finite energy >= 0, got -0.9", Assert.Single(result.Diagnostics).ToString());
    }

    [Fact]
    public void Load_NegativeLeakage_IsLocated()
    {
        string yaml = File.ReadAllText(DefaultPath).Replace("  pe_uw: 1  ", "  pe_uw: -1 ", StringComparison.Ordinal);
        var d = Assert.Single(EnergyTableLoader.LoadText(yaml, "e.yaml").Diagnostics);
        Assert.Matches(@"^e\.yaml:\d+:10: leakage\.pe_uw: must be a finite energy >= 0, got -1$", d.ToString());
    }

    [Fact]
    public void Load_LeakageWithoutItsTemperature_IsLocated()
    {
        // Leakage is priced at a junction temperature; a figure that does not say at which temperature it holds cannot be.
        string yaml = Regex.Replace(File.ReadAllText(DefaultPath), @"  reference_c: 25 .*\n(\s+#.*\n)*", string.Empty);
        var d = Assert.Single(EnergyTableLoader.LoadText(yaml, "e.yaml").Diagnostics);
        Assert.Matches(@"^e\.yaml:\d+:3: leakage\.reference_c: required but missing$", d.ToString());
    }

    [Fact]
    public void Load_UnknownDramType_IsRejected()
    {
        string yaml = File.ReadAllText(DefaultPath).Replace("  hbm2: 3.97", "  hbm7: 3.97", StringComparison.Ordinal);
        var d = Assert.Single(EnergyTableLoader.LoadText(yaml, "e.yaml").Diagnostics);
        Assert.StartsWith("e.yaml:", d.ToString(), StringComparison.Ordinal);
        Assert.Contains("dram_pj_per_bit.hbm7: unknown key 'hbm7'", d.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownName_IsADiagnostic() =>
        Assert.Equal("no-such-table:1:1: no such energy table file or name (tables live in configs/energy)", Assert.Single(EnergyTableLoader.Load("no-such-table").Diagnostics).ToString());

    [GeneratedRegex(@"\d")]
    private static partial Regex Number();
}
