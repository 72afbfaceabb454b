namespace SiliconSim.Hardware.Specs;

// Records compare ImmutableArray members by reference; specs are values (sweep points, config round-trips), so compare
// the lists element by element.
public sealed partial record ArraySpec
{
    public bool Equals(ArraySpec? other) =>
        other is not null && Rows == other.Rows && Cols == other.Cols && Dataflow == other.Dataflow
        && OperandTypes.SequenceEqual(other.OperandTypes) && Numerics == other.Numerics
        && PipelineLatencyCycles == other.PipelineLatencyCycles;

    public override int GetHashCode() => HashCode.Combine(Rows, Cols, Dataflow, OperandTypes.Length, Numerics, PipelineLatencyCycles);
}
