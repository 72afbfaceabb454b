using SiliconSim.Numerics;

namespace SiliconSim.Graph.Tests.Passes;

/// <summary>Small QDQ graphs that trigger (or must not trigger) one of ORT's level-1/2 rewrites each.</summary>
internal static class RewriteCases
{
    public static IReadOnlyDictionary<string, Func<byte[]>> All { get; } = new Dictionary<string, Func<byte[]>>(StringComparer.Ordinal)
    {
        ["relu_u8_zp0"] = () => ActivationBeforeQ("Relu", DataType.UInt8, 0, 0.05f),
        ["relu_u8_zp128_kept"] = () => ActivationBeforeQ("Relu", DataType.UInt8, 128, 0.05f),
        ["relu_s8_zpmin"] = () => ActivationBeforeQ("Relu", DataType.Int8, -128, 0.05f),
        ["relu_s8_zp0_kept"] = () => ActivationBeforeQ("Relu", DataType.Int8, 0, 0.05f),
        ["relu_opset13"] = () => ActivationBeforeQ("Relu", DataType.UInt8, 0, 0.05f, opset: 13),
        ["clip6_u8_covers"] = () => ActivationBeforeQ("Clip", DataType.UInt8, 0, 6f / 255f),
        ["clip6_u8_wider_kept"] = () => ActivationBeforeQ("Clip", DataType.UInt8, 0, 0.05f),
        ["clip6_s8_covers"] = () => ActivationBeforeQ("Clip", DataType.Int8, -128, 6f / 255f),
        ["prop_q_back_reshape"] = ConvThenReshapeThenQ,
        ["prop_dq_fwd_transpose"] = TransposeBetweenDqAndConv,
        ["prop_dq_fwd_two_readers"] = TransposeWithTwoReaders,
        ["wbq_gemm_q"] = () => FloatWeightGemm(withQ: true, bias: true),
        ["wbq_gemm_noq"] = () => FloatWeightGemm(withQ: false, bias: true),
        ["wbq_gemm_nobias"] = () => FloatWeightGemm(withQ: true, bias: false),
        ["wbq_conv_q"] = () => FloatWeightConv(withQ: true),
        ["wbq_conv_noq"] = () => FloatWeightConv(withQ: false),
        ["wbq_conv_int8w_floatbias"] = QuantWeightFloatBiasConv,
        ["wbq_matmul_untouched"] = FloatWeightMatMul,
        ["cf_shape_reshape"] = ShapeToReshape,
        ["cf_shape_symbolic_kept"] = () => ShapeToReshape(symbolic: true),
        ["cf_output_constant"] = ConstantGraphOutput,
        ["cf_dq_weight_kept"] = DqWeightTransposed,
    };

    private static TensorValue F(float v) => TensorValue.Scalar(DataType.Float, v);

    private static TensorValue Zp(DataType t, int v) => t == DataType.UInt8 ? TensorValue.Scalar(DataType.UInt8, (byte)v) : TensorValue.Scalar(DataType.Int8, (sbyte)v);

    private static TensorValue Floats(int seed, params int[] shape)
    {
        var rng = new Random(seed);
        var data = new float[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)((rng.NextDouble() * 2) - 1) * 0.5f;
        }

        return TensorValue.Create(DataType.Float, shape, data);
    }

    private static TensorValue Int8s(int seed, params int[] shape)
    {
        var rng = new Random(seed);
        var data = new sbyte[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (sbyte)rng.Next(-127, 128);
        }

        return TensorValue.Create(DataType.Int8, shape, data);
    }

    /// <summary>x → Q/DQ (u8) → Conv (int8 weights) → activation → Q(zp) → DQ → y.</summary>
    private static byte[] ActivationBeforeQ(string act, DataType zpType, int zp, float scale, int opset = 17)
    {
        var b = new OnnxBuilder(opset)
            .Input("x", DataType.Float, 1, 4, 5, 5)
            .Initializer("s", F(0.03f))
            .Initializer("zi", Zp(DataType.UInt8, 128))
            .Initializer("so", F(scale))
            .Initializer("z", Zp(zpType, zp))
            .Initializer("wq", Int8s(1, 6, 4, 3, 3))
            .Initializer("ws", F(0.004f))
            .Initializer("wz", Zp(DataType.Int8, 0))
            .Initializer("lo", F(0f))
            .Initializer("hi", F(6f))
            .Node("QuantizeLinear", ["x", "s", "zi"], ["xq"])
            .Node("DequantizeLinear", ["xq", "s", "zi"], ["xd"])
            .Node("DequantizeLinear", ["wq", "ws", "wz"], ["wd"])
            .Node("Conv", ["xd", "wd"], ["c"], attributes: [("pads", new long[] { 1, 1, 1, 1 })]);
        b = act == "Relu" ? b.Node("Relu", ["c"], ["r"]) : b.Node("Clip", ["c", "lo", "hi"], ["r"]);
        return b.Node("QuantizeLinear", ["r", "so", "z"], ["rq"])
            .Node("DequantizeLinear", ["rq", "so", "z"], ["y"])
            .Output("y", DataType.Float).ToBytes();
    }

    /// <summary>Conv → Reshape → Q: the Q is copied back before the Reshape, so the Conv unit fuses.</summary>
    private static byte[] ConvThenReshapeThenQ() => new OnnxBuilder(17)
        .Input("x", DataType.Float, 1, 4, 5, 5)
        .Initializer("s", F(0.03f))
        .Initializer("zi", Zp(DataType.UInt8, 128))
        .Initializer("wq", Int8s(2, 6, 4, 3, 3))
        .Initializer("ws", F(0.004f))
        .Initializer("wz", Zp(DataType.Int8, 0))
        .Initializer("so", F(0.02f))
        .Initializer("zo", Zp(DataType.UInt8, 120))
        .Initializer("shape", TensorValue.Create(DataType.Int64, [2], new long[] { 1, -1 }))
        .Node("QuantizeLinear", ["x", "s", "zi"], ["xq"])
        .Node("DequantizeLinear", ["xq", "s", "zi"], ["xd"])
        .Node("DequantizeLinear", ["wq", "ws", "wz"], ["wd"])
        .Node("Conv", ["xd", "wd"], ["c"])
        .Node("Reshape", ["c", "shape"], ["r"])
        .Node("QuantizeLinear", ["r", "so", "zo"], ["rq"])
        .Node("DequantizeLinear", ["rq", "so", "zo"], ["y"])
        .Output("y", DataType.Float).ToBytes();

    /// <summary>DQ → Transpose → Conv: the DQ is copied forward after the Transpose.</summary>
    private static byte[] TransposeBetweenDqAndConv() => new OnnxBuilder(17)
        .Input("x", DataType.Float, 1, 5, 4, 4)
        .Initializer("s", F(0.03f))
        .Initializer("zi", Zp(DataType.UInt8, 128))
        .Initializer("wq", Int8s(3, 3, 4, 1, 1))
        .Initializer("ws", F(0.004f))
        .Initializer("wz", Zp(DataType.Int8, 0))
        .Initializer("so", F(0.01f))
        .Initializer("zo", Zp(DataType.UInt8, 100))
        .Node("QuantizeLinear", ["x", "s", "zi"], ["xq"])
        .Node("DequantizeLinear", ["xq", "s", "zi"], ["xd"])
        .Node("Transpose", ["xd"], ["t"], attributes: [("perm", new long[] { 0, 2, 1, 3 })])
        .Node("DequantizeLinear", ["wq", "ws", "wz"], ["wd"])
        .Node("Conv", ["t", "wd"], ["c"])
        .Node("QuantizeLinear", ["c", "so", "zo"], ["cq"])
        .Node("DequantizeLinear", ["cq", "so", "zo"], ["y"])
        .Output("y", DataType.Float).ToBytes();

    /// <summary>DQ → Unsqueeze → Squeeze → {Conv unit, graph output}: one Q after the Squeeze, a DQ per reader.</summary>
    private static byte[] TransposeWithTwoReaders() => new OnnxBuilder(17)
        .Input("x", DataType.Float, 1, 4, 4, 4)
        .Initializer("s", F(0.03f))
        .Initializer("zi", Zp(DataType.Int8, 3))
        .Initializer("wq", Int8s(4, 3, 4, 1, 1))
        .Initializer("ws", F(0.004f))
        .Initializer("wz", Zp(DataType.Int8, 0))
        .Initializer("so", F(0.01f))
        .Initializer("zo", Zp(DataType.Int8, -5))
        .Initializer("ax", TensorValue.Create(DataType.Int64, [1], new long[] { 0 }))
        .Node("QuantizeLinear", ["x", "s", "zi"], ["xq"])
        .Node("DequantizeLinear", ["xq", "s", "zi"], ["xd"])
        .Node("Unsqueeze", ["xd", "ax"], ["u"])
        .Node("Squeeze", ["u", "ax"], ["t"])
        .Node("DequantizeLinear", ["wq", "ws", "wz"], ["wd"])
        .Node("Conv", ["t", "wd"], ["c"])
        .Node("QuantizeLinear", ["c", "so", "zo"], ["cq"])
        .Node("DequantizeLinear", ["cq", "so", "zo"], ["y"])
        .Output("y", DataType.Float)
        .Output("t", DataType.Float).ToBytes();

    private static byte[] FloatWeightGemm(bool withQ, bool bias)
    {
        var b = new OnnxBuilder(17)
            .Input("x", DataType.Float, 3, 16)
            .Initializer("s", F(0.03f))
            .Initializer("zi", Zp(DataType.UInt8, 128))
            .Initializer("w", Floats(5, 16, 8))
            .Initializer("bias", Floats(6, 8))
            .Initializer("so", F(0.02f))
            .Initializer("zo", Zp(DataType.UInt8, 128))
            .Node("QuantizeLinear", ["x", "s", "zi"], ["xq"])
            .Node("DequantizeLinear", ["xq", "s", "zi"], ["xd"])
            .Node("Gemm", bias ? ["xd", "w", "bias"] : ["xd", "w"], [withQ ? "g" : "y"]);
        if (withQ)
        {
            b = b.Node("QuantizeLinear", ["g", "so", "zo"], ["gq"]).Node("DequantizeLinear", ["gq", "so", "zo"], ["y"]);
        }

        return b.Output("y", DataType.Float).ToBytes();
    }

    private static byte[] FloatWeightConv(bool withQ)
    {
        var b = new OnnxBuilder(17)
            .Input("x", DataType.Float, 1, 3, 6, 6)
            .Initializer("s", F(0.03f))
            .Initializer("zi", Zp(DataType.UInt8, 128))
            .Initializer("w", Floats(7, 4, 3, 3, 3))
            .Initializer("bias", Floats(8, 4))
            .Initializer("so", F(0.05f))
            .Initializer("zo", Zp(DataType.UInt8, 128))
            .Node("QuantizeLinear", ["x", "s", "zi"], ["xq"])
            .Node("DequantizeLinear", ["xq", "s", "zi"], ["xd"])
            .Node("Conv", ["xd", "w", "bias"], [withQ ? "c" : "y"]);
        if (withQ)
        {
            b = b.Node("QuantizeLinear", ["c", "so", "zo"], ["cq"]).Node("DequantizeLinear", ["cq", "so", "zo"], ["y"]);
        }

        return b.Output("y", DataType.Float).ToBytes();
    }

    /// <summary>Per-channel int8 weights through a DQ and a float bias: only the bias is quantized.</summary>
    private static byte[] QuantWeightFloatBiasConv() => new OnnxBuilder(17)
        .Input("x", DataType.Float, 1, 3, 6, 6)
        .Initializer("s", F(0.03f))
        .Initializer("zi", Zp(DataType.UInt8, 128))
        .Initializer("wq", Int8s(9, 4, 3, 3, 3))
        .Initializer("ws", TensorValue.Create(DataType.Float, [4], new[] { 0.004f, 0.003f, 0.005f, 0.002f }))
        .Initializer("wz", TensorValue.Create(DataType.Int8, [4], new sbyte[4]))
        .Initializer("bias", Floats(10, 4))
        .Initializer("so", F(0.05f))
        .Initializer("zo", Zp(DataType.UInt8, 128))
        .Node("QuantizeLinear", ["x", "s", "zi"], ["xq"])
        .Node("DequantizeLinear", ["xq", "s", "zi"], ["xd"])
        .Node("DequantizeLinear", ["wq", "ws", "wz"], ["wd"], attributes: [("axis", 0L)])
        .Node("Conv", ["xd", "wd", "bias"], ["c"])
        .Node("QuantizeLinear", ["c", "so", "zo"], ["cq"])
        .Node("DequantizeLinear", ["cq", "so", "zo"], ["y"])
        .Output("y", DataType.Float).ToBytes();

    /// <summary>MatMul is not among WeightBiasQuantization's ops: its float weight stays float.</summary>
    private static byte[] FloatWeightMatMul() => new OnnxBuilder(17)
        .Input("x", DataType.Float, 3, 16)
        .Initializer("s", F(0.03f))
        .Initializer("zi", Zp(DataType.UInt8, 128))
        .Initializer("w", Floats(11, 16, 8))
        .Initializer("so", F(0.02f))
        .Initializer("zo", Zp(DataType.UInt8, 128))
        .Node("QuantizeLinear", ["x", "s", "zi"], ["xq"])
        .Node("DequantizeLinear", ["xq", "s", "zi"], ["xd"])
        .Node("MatMul", ["xd", "w"], ["m"])
        .Node("QuantizeLinear", ["m", "so", "zo"], ["mq"])
        .Node("DequantizeLinear", ["mq", "so", "zo"], ["y"])
        .Output("y", DataType.Float).ToBytes();

    /// <summary>Shape → Gather → Unsqueeze → Concat → Reshape: folds away when x's shape is static.</summary>
    private static byte[] ShapeToReshape() => ShapeToReshape(symbolic: false);

    private static byte[] ShapeToReshape(bool symbolic) => new OnnxBuilder(17)
        .Input("x", DataType.Float, symbolic ? null : 2, 3, 4)
        .Initializer("i0", TensorValue.Scalar(DataType.Int64, 0L))
        .Initializer("ax", TensorValue.Create(DataType.Int64, [1], new long[] { 0 }))
        .Initializer("rest", TensorValue.Create(DataType.Int64, [1], new long[] { -1 }))
        .Node("Relu", ["x"], ["r"])
        .Node("Shape", ["r"], ["sh"])
        .Node("Gather", ["sh", "i0"], ["n"], attributes: [("axis", 0L)])
        .Node("Unsqueeze", ["n", "ax"], ["nu"])
        .Node("Concat", ["nu", "rest"], ["target"], attributes: [("axis", 0L)])
        .Node("Reshape", ["r", "target"], ["y"])
        .Output("y", DataType.Float).ToBytes();

    /// <summary>A graph output computed from constants only, beside a real one.</summary>
    private static byte[] ConstantGraphOutput() => new OnnxBuilder(17)
        .Input("x", DataType.Float, 2, 3)
        .Initializer("a", Floats(12, 2, 3))
        .Initializer("b", Floats(13, 2, 3))
        .Node("Add", ["a", "b"], ["c"])
        .Node("Mul", ["x", "c"], ["y"])
        .Node("Sub", ["a", "b"], ["k"])
        .Output("y", DataType.Float)
        .Output("k", DataType.Float).ToBytes();

    /// <summary>DQ(constant) → Transpose → MatMul: the DQ stays (it heads a QDQ unit), the Transpose cannot fold.</summary>
    private static byte[] DqWeightTransposed() => new OnnxBuilder(17)
        .Input("x", DataType.Float, 3, 8)
        .Initializer("s", F(0.03f))
        .Initializer("zi", Zp(DataType.UInt8, 128))
        .Initializer("wq", Int8s(14, 6, 8))
        .Initializer("ws", F(0.004f))
        .Initializer("wz", Zp(DataType.Int8, 0))
        .Initializer("so", F(0.02f))
        .Initializer("zo", Zp(DataType.UInt8, 128))
        .Node("QuantizeLinear", ["x", "s", "zi"], ["xq"])
        .Node("DequantizeLinear", ["xq", "s", "zi"], ["xd"])
        .Node("DequantizeLinear", ["wq", "ws", "wz"], ["wd"])
        .Node("Transpose", ["wd"], ["wt"])
        .Node("MatMul", ["xd", "wt"], ["m"])
        .Node("QuantizeLinear", ["m", "so", "zo"], ["mq"])
        .Node("DequantizeLinear", ["mq", "so", "zo"], ["y"])
        .Output("y", DataType.Float).ToBytes();
}
