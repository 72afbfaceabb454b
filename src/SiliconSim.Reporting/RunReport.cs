using System.Collections.Immutable;
using SiliconSim.Simulation.Pipeline;

namespace SiliconSim.Reporting;

/// <summary>
/// One run as <c>report.json</c> records it (schema <c>siliconsim.run/2</c>): what ran (tool version, the config and
/// model files with their SHA-256, the <c>--set</c> overrides) and the pipeline's <see cref="RunResult"/>. Every
/// renderer (charts, <c>layers.csv</c>, <c>report.html</c>) reads this record and nothing else.
/// </summary>
public sealed record RunReport
{
    public required string ToolVersion { get; init; }

    public required string ConfigPath { get; init; }

    /// <summary>SHA-256 of the config file, lower-case hex.</summary>
    public required string ConfigSha256 { get; init; }

    /// <summary>The <c>--set PATH=VALUE</c> overrides laid over the config file, in order, since its hash no longer says what ran.</summary>
    public ImmutableArray<string> ConfigOverrides { get; init; } = [];

    public required string ModelPath { get; init; }

    /// <summary>SHA-256 of the model file, lower-case hex.</summary>
    public required string ModelSha256 { get; init; }

    public required RunResult Result { get; init; }
}
