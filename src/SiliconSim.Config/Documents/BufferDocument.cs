namespace SiliconSim.Config.Documents;

/// <summary>One item of <c>memory.buffers:</c> as written (null = absent).</summary>
public sealed class BufferDocument
{
    public string? Name { get; set; }

    public string? Role { get; set; }

    public double? CapacityKib { get; set; }

    public long? WordBytes { get; set; }

    public long? Banks { get; set; }

    public long? Ports { get; set; }

    public long? BytesPerCycle { get; set; }

    public bool? DoubleBuffered { get; set; }
}
