namespace SiliconSim.Hardware.Specs;

// Value equality over the buffer list (records would compare the ImmutableArray by reference).
public sealed partial record MemorySpec
{
    public bool Equals(MemorySpec? other) =>
        other is not null && Registers == other.Registers && Buffers.SequenceEqual(other.Buffers) && Dram == other.Dram
        && Schedule == other.Schedule && Weights == other.Weights && Fusion == other.Fusion;

    public override int GetHashCode() => HashCode.Combine(Registers, Buffers.Length, Dram);
}
