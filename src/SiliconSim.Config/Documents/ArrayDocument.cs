using System.Collections.Immutable;

namespace SiliconSim.Config.Documents;

/// <summary>The <c>array:</c> section as written (null = absent).</summary>
public sealed class ArrayDocument
{
    public long? Rows { get; set; }

    public long? Cols { get; set; }

    public string? Dataflow { get; set; }

    public ImmutableArray<string>? OperandTypes { get; set; }

    public long? AccumulatorBits { get; set; }

    public string? Overflow { get; set; }

    public string? Requantizer { get; set; }

    public string? FixedPointRounding { get; set; }

    public string? LowPrecisionAccumulation { get; set; }

    public long? PipelineLatencyCycles { get; set; }
}
