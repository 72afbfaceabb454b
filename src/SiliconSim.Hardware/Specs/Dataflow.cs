namespace SiliconSim.Hardware.Specs;

/// <summary>
/// Which operand stays in the processing elements while the others stream through, in SCALE-Sim's terms
/// (YAML <c>os</c>, <c>ws</c>, <c>is</c>).
/// </summary>
public enum Dataflow
{
    /// <summary>Output stationary: each PE owns one output and accumulates it in place; M maps to rows, N to columns, K streams.</summary>
    OutputStationary,

    /// <summary>Weight stationary: weights are preloaded; K maps to rows, N to columns, M streams.</summary>
    WeightStationary,

    /// <summary>Input stationary: input windows are preloaded; K maps to rows, M to columns, N streams.</summary>
    InputStationary,
}
