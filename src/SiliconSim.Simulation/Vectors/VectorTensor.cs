using System.Collections.Immutable;
using SiliconSim.Numerics;

namespace SiliconSim.Simulation.Vectors;

/// <summary>
/// One tensor of a layer's test vectors.
/// </summary>
/// <param name="Name">The file stem, unique in its layer (e.g. <c>output</c>, <c>t0003_f01_psum</c>).</param>
/// <param name="Role">What it is to the kernel.</param>
/// <param name="Value">The values, in the element type and shape stated.</param>
/// <param name="Axes">One name per dimension (n, c, h, w; g, row, col), which a checker uses to name coordinates.</param>
/// <param name="Layout">How the elements are ordered, in words (e.g. "nchw", "gemm [group, k, n]: k over array rows").</param>
public sealed record VectorTensor(string Name, VectorRole Role, TensorValue Value, ImmutableArray<string> Axes, string Layout)
{
    /// <summary>The tile of the mapping this tensor belongs to; null for a whole-layer tensor.</summary>
    public int? Tile { get; init; }

    /// <summary>The array fold within <see cref="Tile"/>; null for a whole-layer or whole-tile tensor.</summary>
    public int? Fold { get; init; }

    /// <summary>Where the tensor starts in the layer's GEMM ([group, row, col] of the operand it is a block of); empty for a whole-layer tensor.</summary>
    public ImmutableArray<long> Origin { get; init; } = [];
}
