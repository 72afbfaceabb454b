using SiliconSim.Graph.Quantization;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels.LowPrecision;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>
/// TensorRT's ONNX custom ops (domain <c>trt</c>) that NVIDIA's Model Optimizer writes for quantized activations.
/// </summary>
internal static class TensorRtOps
{
    /// <summary>
    /// <c>trt::TRT_FP4DynamicQuantize(x, scale) → (x_fp4, x_scale_fp8)</c>, attributes <c>axis</c> (default -1),
    /// <c>block_size</c> (16) and <c>scale_type</c> (17, FLOAT8E4M3FN): NVFP4 block quantization of a float tensor under
    /// the static fp32 tensor scale <c>scale</c> (TensorRT's "double quantization scale", a build-time constant): per
    /// block of 16 along <c>axis</c>, the E4M3 scale E4M3(amax / 6 / scale) and the E2M1 codes
    /// E2M1(x / (E4M3 scale · scale)), both rounded to nearest-even with saturation
    /// (<see cref="NvFp4AxisQuantizer"/>). Model Optimizer follows it with DequantizeLinear(x_scale_fp8, scale) and a
    /// blocked DequantizeLinear(x_fp4, that, axis, block_size 16). TensorRT itself takes only the last two axes; SiliconSim
    /// takes any, so a conv activation can be blocked along its channels (axis 1).
    /// </summary>
    [OnnxOp("TRT_FP4DynamicQuantize", LowPrecisionQuantizer.TensorRtDomain)]
    public static TensorValue[] Fp4DynamicQuantize(OpContext ctx)
    {
        TensorValue x = ctx.Input(0), scale = ctx.Input(1);
        long blockSize = ctx.Int("block_size", 16), scaleType = ctx.Int("scale_type", (long)DataType.Float8E4M3FN);
        if (blockSize != 16 || scaleType != (long)DataType.Float8E4M3FN)
        {
            throw new OpException($"TRT_FP4DynamicQuantize supports block_size 16 with FLOAT8E4M3FN scales (NVFP4), got block_size {blockSize}, scale_type {scaleType}");
        }

        if (x.Type != DataType.Float || scale.Type != DataType.Float || scale.Length != 1)
        {
            throw new OpException($"TRT_FP4DynamicQuantize needs a float input and a scalar float scale, got {DataTypeInfo.Name(x.Type)}{x.ShapeText} and {DataTypeInfo.Name(scale.Type)}{scale.ShapeText}");
        }

        long axis = ctx.Int("axis", -1);
        if (x.Rank == 0 || axis < -x.Rank || axis >= x.Rank)
        {
            throw new OpException($"axis {axis} is out of range for {x.ShapeText}");
        }

        return OpGuard.Run(() =>
        {
            NvFp4Tensor q = NvFp4AxisQuantizer.Quantize(x.Items<float>(), x.Shape.AsSpan(), (int)axis, scale.Items<float>()[0]);
            return new[]
            {
                TensorValue.Create(DataType.Float4E2M1, x.Shape.AsSpan(), q.Codes),
                TensorValue.Create(DataType.Float8E4M3FN, q.ScaleShape, q.BlockScales),
            };
        });
    }
}
