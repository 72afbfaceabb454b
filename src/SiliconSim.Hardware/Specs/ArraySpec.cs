using System.Collections.Immutable;
using SiliconSim.Hardware.Specs.Parameters;
using SiliconSim.Numerics;

namespace SiliconSim.Hardware.Specs;

/// <summary>The systolic array of MAC units: its shape, dataflow, operand types and output numerics.</summary>
public sealed partial record ArraySpec
{
    public required int Rows { get; init; }

    public required int Cols { get; init; }

    public required Dataflow Dataflow { get; init; }

    /// <summary>Element types a MAC accepts as operands (activations and weights), e.g. uint8 and int8 for a u8s8 array.</summary>
    public required ImmutableArray<DataType> OperandTypes { get; init; }

    /// <summary>The numerics of the accumulator and the output path.</summary>
    public required ArrayNumericsSpec Numerics { get; init; }

    /// <summary>Extra cycles a MAC's multiply-add pipeline adds before the first result leaves the array.</summary>
    public int PipelineLatencyCycles { get; init; } = SpecParameters.Default<int>("array.pipeline_latency_cycles");

    public int PeCount => Rows * Cols;
}
