namespace SiliconSim.Simulation.Layers;

/// <summary>Where a tensor a layer reads comes from, which decides where the network memory plan may keep it.</summary>
public enum TensorOrigin
{
    /// <summary>Computed by an earlier layer: the plan keeps it on chip while it fits, else spills it.</summary>
    Activation,

    /// <summary>A graph input: it starts in DRAM and is read from there once.</summary>
    GraphInput,

    /// <summary>An initializer (weights, biases, scales): it lives in DRAM and streams in, unless weights stay resident.</summary>
    Constant,
}

/// <summary>
/// One tensor a layer reads or writes, with its bytes as the hardware stores it (packed sub-byte codes, block scales).
/// </summary>
/// <param name="Name">The value's name in the lowered graph; a view's output is named by the tensor it aliases.</param>
/// <param name="Bytes">Stored bytes of the whole tensor.</param>
/// <param name="Origin">Where it comes from (reads); writes are always <see cref="TensorOrigin.Activation"/>.</param>
/// <param name="IsGraphOutput">Whether the tensor is a graph output, which the plan must write to DRAM.</param>
/// <param name="Transient">
/// Whether the tensor lives only in the array's output path and the vector unit between fused ops, never in a buffer or
/// DRAM: the scores and probabilities of a fused attention, which FlashAttention-style kernels compute tile by tile.
/// </param>
public readonly record struct TensorUse(string Name, long Bytes, TensorOrigin Origin, bool IsGraphOutput = false, bool Transient = false);
