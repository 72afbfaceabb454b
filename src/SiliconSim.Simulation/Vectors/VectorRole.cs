namespace SiliconSim.Simulation.Vectors;

/// <summary>What a test vector is to the kernel under test.</summary>
public enum VectorRole
{
    /// <summary>A node input as stored (the activation a layer reads).</summary>
    Input,

    /// <summary>The streamed matrix operand as the array consumes it: the im2col expansion of a conv's input.</summary>
    Operand,

    /// <summary>The stationary operand in the array's layout.</summary>
    Weight,

    /// <summary>The int32 bias that seeds the accumulators.</summary>
    Bias,

    /// <summary>A requantization parameter: scale, zero point, fixed-point multiplier or shift.</summary>
    Requantization,

    /// <summary>The int32 accumulators before requantization (bias included).</summary>
    Accumulator,

    /// <summary>The partial sums of one tile and fold (bias not included).</summary>
    PartialSum,

    /// <summary>A node output as stored.</summary>
    Output,
}
