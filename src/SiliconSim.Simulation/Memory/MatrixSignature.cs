using SiliconSim.Numerics;
using SiliconSim.Simulation.Layers;

namespace SiliconSim.Simulation.Memory;

/// <summary>
/// Everything of a matrix layer that its mapping depends on (<see cref="MatrixMemoryModel"/>): the GEMM, groups, operand
/// types and block scales, whether the K x N operand is a constant, the conv window and the MACs. Two layers with one signature tile and
/// time alike under one placement; names and tensors do not matter.
/// </summary>
internal readonly record struct MatrixSignature(
    GemmShape Gemm, int Groups, DataType Input, DataType Weight, DataType Output, BlockScales? InputScales, BlockScales? WeightScales, BlockScales? OutputScales, bool WeightIsConstant, string Conv)
{
    public static MatrixSignature Of(MatrixLayer layer) => new(
        layer.Gemm,
        layer.Groups,
        layer.InputType,
        layer.WeightType,
        layer.OutputType,
        layer.InputScales,
        layer.WeightScales,
        layer.OutputScales,
        layer.WeightIsConstant,
        layer.Conv is { } c
            ? $"{c.Batch} {c.InChannels} {c.OutChannels} {c.Group} [{string.Join(',', c.InSpatial)}] [{string.Join(',', c.OutSpatial)}] [{string.Join(',', c.KernelSpatial)}] [{string.Join(',', c.Strides)}] [{string.Join(',', c.Dilations)}] [{string.Join(',', c.PadsBegin)}] [{string.Join(',', c.PadsEnd)}]"
            : string.Empty);
}
