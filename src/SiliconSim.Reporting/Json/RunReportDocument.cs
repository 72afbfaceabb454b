using SiliconSim.Simulation.Pipeline;

namespace SiliconSim.Reporting.Json;

/// <summary>
/// The top level of <c>report.json</c>, schema <c>siliconsim.run/2</c>: the schema id, provenance, and the
/// <see cref="RunResult"/> serialised as it is (reports/README.md lists the keys).
/// </summary>
internal sealed record RunReportDocument
{
    /// <summary>Always <see cref="RunReportJson.SchemaId"/>; readers dispatch on it.</summary>
    public required string Schema { get; init; }

    public required string ToolVersion { get; init; }

    public required ConfigProvenance Config { get; init; }

    public required ModelProvenance Model { get; init; }

    public required RunResult Result { get; init; }
}
