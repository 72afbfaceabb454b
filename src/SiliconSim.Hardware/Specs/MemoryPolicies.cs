namespace SiliconSim.Hardware.Specs;

/// <summary>How the network's layers are ordered over the memory (config <c>memory.schedule</c>).</summary>
public enum ExecutionSchedule
{
    /// <summary>Each layer runs to completion before the next starts; activations between layers stay on chip while they fit.</summary>
    LayerByLayer,

    /// <summary>
    /// Stacks of consecutive layers run band by band of output rows, carrying each band through the stack in line
    /// buffers (DeFiNES, HPCA 2023; Stream): the stack's intermediate tensors never exist whole.
    /// </summary>
    DepthFirst,
}

/// <summary>Where weights live between inferences (config <c>memory.weights</c>).</summary>
public enum WeightPlacement
{
    /// <summary>Every layer streams its weights from DRAM once per layer and batch.</summary>
    Stream,

    /// <summary>All weights stay in the weight buffers (or the unified buffer) when they fit; loaded once, not per inference.</summary>
    Resident,
}

/// <summary>Which vector ops run in a matrix op's output path (config <c>memory.fusion</c>).</summary>
public enum EpilogueFusion
{
    /// <summary>Every op is its own layer: its input goes through a buffer.</summary>
    None,

    /// <summary>Element-wise ops (bias, activation, requantize, residual add) and quantize ops after a matrix op run in its epilogue.</summary>
    Elementwise,

    /// <summary>As <see cref="Elementwise"/>, and pooling too: the output path holds the rows a pooling window needs.</summary>
    ElementwiseAndPooling,
}
