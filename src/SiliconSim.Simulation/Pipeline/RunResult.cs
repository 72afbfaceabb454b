using System.Collections.Immutable;
using SiliconSim.Simulation.Energy;
using SiliconSim.Simulation.Numerics;
using SiliconSim.Simulation.Results;
using SiliconSim.Simulation.Thermal;

namespace SiliconSim.Simulation.Pipeline;

/// <summary>
/// Everything one evaluation of a workload on a spec produced: the values' outcome, the performance of every layer,
/// the energy, and the thermal run. Every renderer (tables, <c>report.json</c>, charts, HTML, sweep rows) reads this
/// record and nothing else, so no two front doors can disagree about a number.
/// </summary>
public sealed record RunResult
{
    public required string Model { get; init; }

    /// <summary>Inferences per run (the batch the model ran with).</summary>
    public int Batch => Performance.Batch;

    public required ValuesOutcome Values { get; init; }

    /// <summary>Per output, the comparison with the golden; empty without one.</summary>
    public ImmutableArray<OutputDrift> Outputs { get; init; } = [];

    /// <summary>Elements that differ from the golden over all outputs (an output that could not be compared counts whole).</summary>
    public long Mismatches { get; init; }

    /// <summary>The array numerics the values ran under, in words, and whether they are ONNX Runtime's.</summary>
    public required string Numerics { get; init; }

    public required bool ReferenceNumerics { get; init; }

    /// <summary>Cycles, stalls and traffic of every layer of one run (the whole batch).</summary>
    public required SimulationResult Performance { get; init; }

    /// <summary>The energy of one run, per layer and by component, priced with the spec's energy table.</summary>
    public required EnergyReport Energy { get; init; }

    /// <summary>Back-to-back inference on the thermal model, or null when it did not run.</summary>
    public ThermalRunResult? Thermal { get; init; }

    /// <summary>The thermal run in numbers, or null when it did not run.</summary>
    public ThermalSummary? ThermalSummary { get; init; }

    /// <summary>Joules per inference: one run's energy over its batch.</summary>
    public double EnergyPerInferenceJ => Energy.Total.TotalJ / Batch;

    /// <summary>Ops (2 per MAC) per joule, in TOPS/W.</summary>
    public double TopsPerWatt => Energy.TopsPerWatt(Performance.Macs);

    /// <summary>The hottest the junction got, or null without a thermal run.</summary>
    public double? PeakJunctionC => ThermalSummary?.PeakJunctionC;

    public long DramReadBytes => Performance.Layers.Sum(l => l.DramReadBytes);

    public long DramWriteBytes => Performance.Layers.Sum(l => l.DramWriteBytes);
}
