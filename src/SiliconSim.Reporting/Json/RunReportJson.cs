using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using SiliconSim.Simulation.Pipeline;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Reporting.Json;

/// <summary>
/// Reads and writes <c>report.json</c> of schema <c>siliconsim.run/2</c> through <see cref="RunReportJsonContext"/>, and
/// exports that schema (reports/run-report.schema.json is this output, checked in; a Reporting test keeps them equal).
/// </summary>
internal static class RunReportJson
{
    public const string SchemaId = "siliconsim.run/2";

    /// <summary>
    /// Keys that differ from the snake_case of the member name: the units the names carry read as the README spells
    /// them (<c>tops_per_w</c> as in sweep tables, <c>gbps</c> rather than <c>g_bps</c>).
    /// </summary>
    private static readonly (Type Type, string From, string To)[] s_renames =
    [
        (typeof(RunResult), "tops_per_watt", "tops_per_w"),
        (typeof(SimulationResult), "dram_bandwidth_g_bps", "dram_bandwidth_gbps"),
    ];

    private static readonly JsonSerializerOptions s_options = new(RunReportJsonContext.Default.Options)
    {
        TypeInfoResolver = RunReportJsonContext.Default.WithAddedModifier(Rename),
    };

    private static JsonTypeInfo<RunReportDocument> Info => (JsonTypeInfo<RunReportDocument>)s_options.GetTypeInfo(typeof(RunReportDocument));

    public static void Write(RunReport report, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(report);
        var document = new RunReportDocument
        {
            Schema = SchemaId,
            ToolVersion = report.ToolVersion,
            Config = new ConfigProvenance(report.ConfigPath, report.ConfigSha256, report.ConfigOverrides.IsDefault ? [] : report.ConfigOverrides),
            Model = new ModelProvenance(report.ModelPath, report.ModelSha256),
            Result = report.Result,
        };
        JsonSerializer.Serialize(stream, document, Info);
    }

    /// <summary>Reads a document already known to be of schema /2.</summary>
    /// <exception cref="RunReportFormatException">a key is missing, null where it may not be, or of the wrong type.</exception>
    public static RunReport Read(JsonDocument json)
    {
        RunReportDocument? document;
        try
        {
            document = json.Deserialize(Info);
        }
        catch (JsonException e)
        {
            throw new RunReportFormatException($"not a {SchemaId} report: {e.Message}", e);
        }

        if (document is null)
        {
            throw new RunReportFormatException("the top level must be a JSON object");
        }

        return new RunReport
        {
            ToolVersion = document.ToolVersion,
            ConfigPath = document.Config.Path,
            ConfigSha256 = document.Config.Sha256,
            ConfigOverrides = document.Config.Overrides,
            ModelPath = document.Model.Path,
            ModelSha256 = document.Model.Sha256,
            Result = document.Result,
        };
    }

    /// <summary>The JSON Schema (draft 2020-12) of <c>report.json</c>, generated from the types; "\n" line ends.</summary>
    public static string Schema()
    {
        var exporter = new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true, TransformSchemaNode = Annotate };
        JsonNode schema = s_options.GetJsonSchemaAsNode(typeof(RunReportDocument), exporter);
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["title"] = SchemaId,
            ["description"] = "report.json written by `siliconsim run`: provenance and the run's result. Keys and units: reports/README.md.",
        };
        foreach (var (key, value) in schema.AsObject().ToList())
        {
            schema.AsObject().Remove(key);
            root[key] = value;
        }

        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n") + "\n";
    }

    private static JsonNode Annotate(JsonSchemaExporterContext context, JsonNode schema)
    {
        if (schema is not JsonObject o)
        {
            return schema;
        }

        if (context.PropertyInfo is { Name: "schema" } p && p.DeclaringType == typeof(RunReportDocument))
        {
            o["const"] = SchemaId;
        }

        // The exporter gives a nullable number with named literals as anyOf [number, the literals] and forgets null.
        if (Nullable.GetUnderlyingType(context.TypeInfo.Type) is { } underlying && (underlying == typeof(double) || underlying == typeof(float))
            && o["anyOf"] is JsonArray anyOf && !anyOf.Any(s => s?["type"]?.GetValue<string>() == "null"))
        {
            anyOf.Add(new JsonObject { ["type"] = "null" });
        }

        return schema;
    }

    private static void Rename(JsonTypeInfo info)
    {
        foreach (var (type, from, to) in s_renames)
        {
            if (info.Type == type && info.Properties.FirstOrDefault(p => p.Name == from) is { } property)
            {
                property.Name = to;
            }
        }
    }
}
