using System.Collections.Immutable;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Reporting.Json;

/// <summary>
/// Everything <c>report.json</c> records about one run: what ran (tool version, config and model with their SHA-256),
/// the performance result, and the functional outcome against the golden when there was one.
/// </summary>
public sealed record RunReport
{
    public required string ToolVersion { get; init; }

    public required string ConfigPath { get; init; }

    public required string ConfigSha256 { get; init; }

    /// <summary>The <c>--set PATH=VALUE</c> overrides laid over the config file, since its hash no longer says what ran.</summary>
    public ImmutableArray<string> ConfigOverrides { get; init; } = [];

    public required string ModelPath { get; init; }

    public required string ModelSha256 { get; init; }

    public required SimulationResult Result { get; init; }

    /// <summary>The array numerics in words (e.g. "int32 wrap, float32 requantizer") and whether they are ORT's.</summary>
    public required string Numerics { get; init; }

    public required bool ReferenceNumerics { get; init; }

    /// <summary>Per output, the comparison with the golden; empty when no golden was given or the run was timing only.</summary>
    public ImmutableArray<OutputComparison> Outputs { get; init; } = [];

    /// <summary>The energy breakdown and thermal trace when those models ran, so <c>report DIR</c> can redraw their charts.</summary>
    public ReportExtras Extras { get; init; } = ReportExtras.None;
}
