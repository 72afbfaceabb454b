using System.Text;
using System.Text.Json;
using Json.Schema;

namespace SiliconSim.TestSupport;

/// <summary>
/// Validates a <c>report.json</c> against the checked-in JSON Schema of <c>siliconsim.run/2</c>
/// (reports/run-report.schema.json, which a Reporting test keeps equal to the one generated from the types), with
/// JsonSchema.Net: an independent validator, so a report the writer produces but the schema does not describe fails.
/// </summary>
public static class ReportSchema
{
    /// <summary>reports/run-report.schema.json of the repository the test binary was built from.</summary>
    public static string SchemaPath { get; } = Path.Combine(RepositoryRoot(), "reports", "run-report.schema.json");

    private static readonly Lazy<JsonSchema> s_schema = new(() => JsonSchema.FromText(File.ReadAllText(SchemaPath)));

    /// <summary>Throws, listing every violation with its location in the file, unless <paramref name="reportJsonPath"/> follows the schema.</summary>
    public static void AssertValid(string reportJsonPath)
    {
        var errors = Validate(File.ReadAllBytes(reportJsonPath));
        if (errors.Count > 0)
        {
            throw new ReportSchemaException($"{reportJsonPath} does not follow {SchemaPath}:\n  " + string.Join("\n  ", errors.Take(20)));
        }
    }

    /// <summary>Every violation of the schema in <paramref name="json"/> as "location: message"; empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(byte[] json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        EvaluationResults results = s_schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
        var errors = new List<string>();
        Collect(results, errors);
        return results.IsValid ? [] : errors.Count > 0 ? errors : ["invalid (no detail reported)"];
    }

    /// <summary>The errors of the failing nodes only: a passing anyOf's failed alternatives are not violations.</summary>
    private static void Collect(EvaluationResults node, List<string> errors)
    {
        if (node.IsValid)
        {
            return;
        }

        foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
        {
            errors.Add(new StringBuilder().Append(node.InstanceLocation).Append(" (").Append(keyword).Append("): ").Append(message).ToString());
        }

        foreach (EvaluationResults child in node.Details ?? [])
        {
            Collect(child, errors);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SiliconSim.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("SiliconSim.sln was not found above the test binary");
    }
}
