using System.Collections.Immutable;

namespace SiliconSim.Simulation.Memory;

/// <summary>
/// The order of the tile loops from outermost to innermost (the group loop always runs outside all three: groups share
/// no data). The operand that does not depend on <see cref="Inner"/> stays resident across the inner loop; that is the
/// reuse class: weight-reuse (M innermost), input-reuse (N innermost), output-reuse (K innermost).
/// </summary>
public readonly record struct LoopOrder(LoopDim Outer, LoopDim Middle, LoopDim Inner)
{
    /// <summary>
    /// The six orders in the fixed sequence the tiler tries them (and breaks ties by): output-reuse first, then
    /// weight-reuse, then input-reuse, each with its two outer orders.
    /// </summary>
    public static ImmutableArray<LoopOrder> All { get; } =
    [
        new(LoopDim.M, LoopDim.N, LoopDim.K),
        new(LoopDim.N, LoopDim.M, LoopDim.K),
        new(LoopDim.N, LoopDim.K, LoopDim.M),
        new(LoopDim.K, LoopDim.N, LoopDim.M),
        new(LoopDim.M, LoopDim.K, LoopDim.N),
        new(LoopDim.K, LoopDim.M, LoopDim.N),
    ];

    /// <summary>The operand kept resident across the innermost loop (the one whose index does not involve it).</summary>
    public OperandKind Reused => Inner switch
    {
        LoopDim.M => OperandKind.Weight,
        LoopDim.N => OperandKind.Input,
        _ => OperandKind.Output,
    };

    /// <summary>The loop at nest position 0 (outer), 1 (middle) or 2 (inner).</summary>
    public LoopDim At(int position) => position switch
    {
        0 => Outer,
        1 => Middle,
        2 => Inner,
        _ => throw new ArgumentOutOfRangeException(nameof(position)),
    };

    /// <summary>Outer to inner, e.g. <c>M>N>K</c>.</summary>
    public override string ToString() => $"{Outer}>{Middle}>{Inner}";
}
