namespace SiliconSim.Simulation.Memory;

/// <summary>
/// DRAM traffic of a layer in bytes, each tile transfer rounded up to whole bursts. Input reads are of the real input
/// tensor (the region each tile touches, padding never fetched), not of the im2col-expanded K x M matrix.
/// </summary>
public sealed record DramCounters
{
    public static DramCounters Zero { get; } = new();

    public long InputReadBytes { get; init; }

    public long WeightReadBytes { get; init; }

    /// <summary>Partial sums read back when an output tile returns after its K reduction was interrupted.</summary>
    public long PartialSumReadBytes { get; init; }

    /// <summary>Final outputs at the output type's width.</summary>
    public long OutputWriteBytes { get; init; }

    /// <summary>Partial sums spilled (at accumulator width) when an output tile leaves before K is fully reduced.</summary>
    public long PartialSumWriteBytes { get; init; }

    public long ReadBytes => InputReadBytes + WeightReadBytes + PartialSumReadBytes;

    public long WriteBytes => OutputWriteBytes + PartialSumWriteBytes;

    public long TotalBytes => ReadBytes + WriteBytes;

    /// <summary>
    /// These operand counts by cause, for a layer priced alone (no network plan): what it reads as input came from
    /// DRAM and what it writes goes there, so weights are weights, inputs are activations in, outputs are activations
    /// out, and partial sums that leave mid-reduction are spills and their read-backs refills. Under the plan the
    /// causes depend on where each tensor lives (<see cref="NetworkMemoryPlanner"/>).
    /// </summary>
    public Results.DramTraffic ByCauseAlone() => new()
    {
        WeightReadBytes = WeightReadBytes,
        ActivationInReadBytes = InputReadBytes,
        ActivationOutWriteBytes = OutputWriteBytes,
        SpillWriteBytes = PartialSumWriteBytes,
        RefillReadBytes = PartialSumReadBytes,
    };
}
