using System.Text;
using System.Text.Json.Nodes;
using SiliconSim.Reporting.Json;

namespace SiliconSim.Reporting.Tests;

/// <summary>
/// reports/run-report.schema.json is the schema JsonSchemaExporter generates from the report types, checked in so
/// scripts and CI can validate report.json without SiliconSim. After changing a serialised type, regenerate it with
/// <c>SILICONSIM_UPDATE_SCHEMA=1 dotnet test tests/SiliconSim.Reporting.Tests --filter RunReportSchemaTests</c> and
/// review the diff (and reports/README.md).
/// </summary>
public sealed class RunReportSchemaTests
{
    [Fact]
    public void CheckedInSchema_IsTheGeneratedOne()
    {
        string generated = RunReportJson.Schema();
        if (Environment.GetEnvironmentVariable("SILICONSIM_UPDATE_SCHEMA") == "1")
        {
            File.WriteAllText(ReportSchema.SchemaPath, generated);
            return;
        }

        Assert.True(File.Exists(ReportSchema.SchemaPath), $"{ReportSchema.SchemaPath} is missing; regenerate it with SILICONSIM_UPDATE_SCHEMA=1 dotnet test tests/SiliconSim.Reporting.Tests --filter RunReportSchemaTests");
        string checkedIn = File.ReadAllText(ReportSchema.SchemaPath).ReplaceLineEndings("\n");
        Assert.True(
            generated == checkedIn,
            $"{ReportSchema.SchemaPath} differs from the schema the report types generate; regenerate it with SILICONSIM_UPDATE_SCHEMA=1 dotnet test tests/SiliconSim.Reporting.Tests --filter RunReportSchemaTests and review the diff");
    }

    [Fact]
    public void Schema_PinsTheSchemaId_AndRequiresTheResult()
    {
        JsonObject schema = JsonNode.Parse(RunReportJson.Schema())!.AsObject();

        Assert.Equal("siliconsim.run/2", (string?)schema["properties"]!["schema"]!["const"]);
        Assert.Contains("result", schema["required"]!.AsArray().Select(n => (string?)n));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void WrittenReports_FollowTheSchema(int seed) =>
        Assert.Empty(ReportSchema.Validate(RunReportJsonTests.Bytes(ReportFixtures.Seeded(seed))));

    [Theory]
    [InlineData("\"schema\": \"siliconsim.run/2\"", "\"schema\": \"siliconsim.run/9\"", "/schema")]
    [InlineData("\"total_cycles\": ", "\"total_cycles\": \"lots\", \"was\": ", "/total_cycles")]
    [InlineData("\"values\": \"drift\"", "\"values\": \"maybe\"", "/result/values")]
    [InlineData("\"tool_version\": \"1.2.3\",", "", "tool_version")]
    public void BrokenReports_FailValidation_NamingTheLocation(string from, string to, string location)
    {
        string json = Encoding.UTF8.GetString(RunReportJsonTests.Bytes(ReportFixtures.Seeded(1)));
        int at = json.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0, from);
        string broken = json[..at] + to + json[(at + from.Length)..];
        string path = Path.Combine(Recipe.OutputFolder, "broken-" + Path.GetRandomFileName() + ".json");
        Directory.CreateDirectory(Recipe.OutputFolder);
        File.WriteAllText(path, broken);

        var e = Assert.Throws<ReportSchemaException>(() => ReportSchema.AssertValid(path));
        Assert.Contains(location, e.Message, StringComparison.Ordinal);
    }
}
