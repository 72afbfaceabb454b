namespace SiliconSim.Graph.Passes;

/// <summary>ONNX Runtime's graph optimisation levels, in increasing order: each applies the levels below it too.</summary>
public enum OrtOptimizationLevel
{
    /// <summary>ORT_ENABLE_BASIC: constant folding, QDQ propagation, weight/bias quantization, unique DQs.</summary>
    Basic,

    /// <summary>ORT_ENABLE_EXTENDED: adds the Relu/Clip-before-Q removal, S8→U8, QDQ node-unit fusion and DQ → MatMulNBits.</summary>
    Extended,

    /// <summary>ORT_ENABLE_ALL (ORT's default): adds the NCHWc rewrite of float convs with constant weights.</summary>
    All,
}
