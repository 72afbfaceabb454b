namespace SiliconSim.Hardware.Specs;

/// <summary>Groups of non-matrix ops that a vector unit executes at the same cost per element.</summary>
public enum VectorOpClass
{
    /// <summary>Add, Mul, Sub, Relu, Clip, Max/Min and other one-op-per-element work, incl. QLinearAdd/Mul.</summary>
    Elementwise,

    /// <summary>Max/average pooling: cost per window element read.</summary>
    Pooling,

    /// <summary>ReduceMean/ReduceSum/GlobalAveragePool: cost per input element.</summary>
    Reduction,

    /// <summary>Exp, Erf, Tanh, Sigmoid, Gelu, Softmax: a polynomial or table per element.</summary>
    Transcendental,

    /// <summary>LayerNormalization and similar two-pass normalizations: cost per element.</summary>
    Normalization,

    /// <summary>QuantizeLinear, DequantizeLinear and requantization outside the array's output path.</summary>
    Quantize,

    /// <summary>Reshape, Transpose, Concat, Gather, Slice: data movement only.</summary>
    DataMovement,
}
