namespace SiliconSim.Graph.Ir;

/// <summary>The invariant a <see cref="GraphProblem"/> breaks; <see cref="GraphVerifier"/> states each rule.</summary>
public enum GraphRule
{
    /// <summary>A node reads a value that no graph input, initializer or node output produces.</summary>
    UndefinedInput,

    /// <summary>A value is produced more than once: by two node outputs, or by a node and a graph input or initializer.</summary>
    DuplicateProducer,

    /// <summary>A node reads a value produced by itself or by a node after it (the node list is not topological).</summary>
    OutOfOrder,

    /// <summary>A graph output that nothing produces.</summary>
    UnproducedOutput,

    /// <summary>A value's recorded or declared element type differs from the type its producer's op rule gives.</summary>
    TypeMismatch,

    /// <summary>A value_info entry for a value that no longer exists in the graph.</summary>
    DanglingValueInfo,

    /// <summary>A node none of whose outputs is read by a node or is a graph output.</summary>
    DeadNode,
}
