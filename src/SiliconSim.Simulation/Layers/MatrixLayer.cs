using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Simulation.Layers;

/// <summary>
/// A matrix op (conv incl. grouped and depthwise, gemm, matmul, batched matmul) as <see cref="Groups"/> independent GEMMs
/// of one <see cref="Gemm"/> shape each: conv groups, or the batch of a batched matmul.
/// </summary>
public sealed record MatrixLayer : LayerWork
{
    /// <summary>The GEMM of one group.</summary>
    public required GemmShape Gemm { get; init; }

    public int Groups { get; init; } = 1;

    /// <summary>Element type of the streamed activations (the M x K operand).</summary>
    public required DataType InputType { get; init; }

    /// <summary>Element type of the K x N operand (weights, or the second activation of a matmul).</summary>
    public required DataType WeightType { get; init; }

    public required DataType OutputType { get; init; }

    /// <summary>The block scales the streamed activation carries, stored between layers in a block format (OCP MX,
    /// NVFP4), in lines along K (a conv pixel's channels, all groups', or a GEMM row); null when it is stored as
    /// <see cref="InputType"/> elements alone.</summary>
    public BlockScales? InputScales { get; init; }

    /// <summary>The block scales of the K x N operand, in lines along K (a conv's input channels of one group): an
    /// array op's MX or NVFP4 weights, or a decoder's blocked weights or KV cache. Its tiles stream them with the
    /// elements, so the weight tensor's bytes include them. Null for plain elements.</summary>
    public BlockScales? WeightScales { get; init; }

    /// <summary>The block scales of the output as stored, in lines along N (a conv pixel's channels, all groups', or
    /// a GEMM row).</summary>
    public BlockScales? OutputScales { get; init; }

    /// <summary>Bytes of the K x N operand over all groups as stored.</summary>
    public required long WeightBytes { get; init; }

    /// <summary>Whether the K x N operand is a constant (weights) rather than an activation computed at run time.</summary>
    public bool WeightIsConstant { get; init; } = true;

    /// <summary>The conv window for im2col addressing (real padding, strides, dilations); null for gemm and matmul.</summary>
    public ConvGeometry? Conv { get; init; }

    /// <summary>The name of the M x K operand's tensor (the streamed activation); null without a graph.</summary>
    public string? InputTensor { get; init; }

    /// <summary>The name of the K x N operand's tensor (weights, or an activation); null without a graph.</summary>
    public string? WeightTensor { get; init; }

    public long Macs => Groups * Gemm.Macs;
}
