namespace SiliconSim.Simulation.Results;

/// <summary>
/// A layer's DRAM bytes by why they move (each transfer rounded up to whole bursts). The network's lower bound is what
/// must move whatever the buffers: weights once, graph inputs once, graph outputs once.
/// </summary>
public sealed record DramTraffic
{
    public static DramTraffic Zero { get; } = new();

    /// <summary>Weights, biases and other constants streamed in (zero while weights stay resident).</summary>
    public long WeightReadBytes { get; init; }

    /// <summary>Graph inputs read.</summary>
    public long ActivationInReadBytes { get; init; }

    /// <summary>Graph outputs written.</summary>
    public long ActivationOutWriteBytes { get; init; }

    /// <summary>Activations written out because the buffers could not keep them, and partial sums spilled mid-reduction.</summary>
    public long SpillWriteBytes { get; init; }

    /// <summary>Spilled activations and partial sums read back.</summary>
    public long RefillReadBytes { get; init; }

    public long ReadBytes => WeightReadBytes + ActivationInReadBytes + RefillReadBytes;

    public long WriteBytes => ActivationOutWriteBytes + SpillWriteBytes;

    public DramTraffic Times(int times) => new()
    {
        WeightReadBytes = WeightReadBytes * times,
        ActivationInReadBytes = ActivationInReadBytes * times,
        ActivationOutWriteBytes = ActivationOutWriteBytes * times,
        SpillWriteBytes = SpillWriteBytes * times,
        RefillReadBytes = RefillReadBytes * times,
    };

    public DramTraffic Plus(DramTraffic other) => new()
    {
        WeightReadBytes = WeightReadBytes + other.WeightReadBytes,
        ActivationInReadBytes = ActivationInReadBytes + other.ActivationInReadBytes,
        ActivationOutWriteBytes = ActivationOutWriteBytes + other.ActivationOutWriteBytes,
        SpillWriteBytes = SpillWriteBytes + other.SpillWriteBytes,
        RefillReadBytes = RefillReadBytes + other.RefillReadBytes,
    };
}
