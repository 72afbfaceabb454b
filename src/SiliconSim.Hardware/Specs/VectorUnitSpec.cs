using System.Collections.Immutable;
using SiliconSim.Numerics;

namespace SiliconSim.Hardware.Specs;

/// <summary>The SIMD unit that runs every op that is not a matrix product.</summary>
public sealed partial record VectorUnitSpec
{
    /// <summary>Elements processed per cycle per op (SIMD width in elements).</summary>
    public required int Lanes { get; init; }

    /// <summary>Cycles one lane spends per element for each op class.</summary>
    public required ImmutableDictionary<VectorOpClass, double> CyclesPerElement { get; init; }

    /// <summary>Element types the unit computes in.</summary>
    public required ImmutableArray<DataType> Types { get; init; }
}
