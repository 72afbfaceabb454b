using System.Text;
using SiliconSim.Hardware.Specs.Parameters;

namespace SiliconSim.Config.Tests;

/// <summary>configs/README.md carries the parameter table generated from the catalogue, so the docs cannot drift.</summary>
public sealed class ReadmeTests
{
    private const string Begin = "<!-- parameters:begin (generated from SpecParameters; ReadmeTests checks it) -->";
    private const string End = "<!-- parameters:end -->";

    internal static string Table()
    {
        var sb = new StringBuilder();
        sb.Append("| Parameter | Unit | Default | Allowed | Meaning | Reason for the default |\n");
        sb.Append("|---|---|---|---|---|---|\n");
        foreach (SpecParameter p in SpecParameters.All)
        {
            static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal);
            sb.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"| `{p.Path}` | {Cell(p.Unit)} | {(p.Default is null ? "**required**" : "`" + p.Default + "`")} | {Cell(p.RangeText)}{(p.RangeReason is null ? string.Empty : $" ({Cell(p.RangeReason)})")} | {Cell(p.Doc)} | {Cell(p.Reason)} |\n");
        }

        return sb.ToString();
    }

    [Fact]
    public void Readme_ParameterTable_IsTheCatalogue()
    {
        string dir = PresetCatalog.FindDirectory() ?? throw new InvalidOperationException("configs/presets not found");
        string readme = Path.Combine(dir, "..", "README.md");
        string text = File.ReadAllText(readme).ReplaceLineEndings("\n");
        string expected = Begin + "\n" + Table() + End;
        if (Environment.GetEnvironmentVariable("SILICONSIM_UPDATE_DOCS") == "1")
        {
            int b = text.IndexOf(Begin, StringComparison.Ordinal), e = text.IndexOf(End, StringComparison.Ordinal) + End.Length;
            File.WriteAllText(readme, text[..b] + expected + text[e..]);
            return;
        }

        Assert.Contains(expected, text, StringComparison.Ordinal);
    }
}
