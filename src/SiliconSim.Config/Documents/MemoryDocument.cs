using System.Collections.Immutable;

namespace SiliconSim.Config.Documents;

/// <summary>The <c>memory:</c> section as written (null = absent).</summary>
public sealed class MemoryDocument
{
    public RegistersDocument? Registers { get; set; }

    public ImmutableArray<BufferDocument>? Buffers { get; set; }

    public DramDocument? Dram { get; set; }
}
