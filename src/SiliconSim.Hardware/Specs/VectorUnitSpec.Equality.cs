namespace SiliconSim.Hardware.Specs;

// Value equality over the list and dictionary members (records would compare them by reference).
public sealed partial record VectorUnitSpec
{
    public bool Equals(VectorUnitSpec? other) =>
        other is not null && Lanes == other.Lanes && Types.SequenceEqual(other.Types)
        && CyclesPerElement.Count == other.CyclesPerElement.Count
        && CyclesPerElement.All(kv => other.CyclesPerElement.TryGetValue(kv.Key, out double v) && v.Equals(kv.Value));

    public override int GetHashCode() => HashCode.Combine(Lanes, Types.Length, CyclesPerElement.Count);
}
