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
        ["prop_maxpool_opset12"] = () => ConvThenMover(12, "MaxPool"),
        ["prop_maxpool_opset11_kept"] = () => ConvThenMover(11, "MaxPool"),
        ["prop_gather_kept"] = () => ConvThenMover(17, "Gather"),
        ["prop_slice"] = () => ConvThenMover(17, "Slice"),
        ["prop_q_back_to_graph_input"] = TransposeFromGraphInput,
        ["prop_dq_without_zero_point"] = DqWithoutZeroPoint,
        ["double_qdq_u8"] = () => DoubleQdq(DataType.UInt8, 0.02f, 130, 0.015f, 120),
        ["double_qdq_s8"] = () => DoubleQdq(DataType.Int8, 0.02f, 3, 0.03f, -9),
        ["double_qdq_same"] = () => DoubleQdq(DataType.UInt8, 0.02f, 130, 0.02f, 130),
        ["wbq_gemm_q"] = () => FloatWeightGemm(withQ: true, bias: true),
        ["wbq_gemm_noq"] = () => FloatWeightGemm(withQ: false, bias: true),
        ["wbq_gemm_nobias"] = () => FloatWeightGemm(withQ: true, bias: false),
        ["wbq_conv_q"] = () => FloatWeightConv(withQ: true),
        ["wbq_conv_noq"] = () => FloatWeightConv(withQ: false),
        ["wbq_conv_int8w_floatbias"] = QuantWeightFloatBiasConv,
        ["wbq_conv_clip_unfused"] = () => FloatWeightConv(withQ: true, activation: "Clip"),
        ["wbq_conv_relu_unfused"] = () => FloatWeightConv(withQ: true, activation: "Relu"),
        ["wbq_matmul_untouched"] = FloatWeightMatMul,
        ["wbq_convtranspose"] = FloatWeightConvTranspose,
        ["wbq_gemm_transb_perchannel_bias"] = PerChannelGemmFloatBias,
        ["cf_shape_reshape"] = ShapeToReshape,
        ["reshape_fusion_symbolic_batch"] = () => ShapeToReshape(symbolic: true),
        ["reshape_fusion_wrong_position_kept"] = () => ShapeToReshape(symbolic: true, index: 1),
        ["cf_output_constant"] = ConstantGraphOutput,
        ["cf_dq_weight_kept"] = DqWeightTransposed,
        ["cf_gemm_of_constants"] = () => ConstantProduct("Gemm"),
        ["cf_matmul_of_constants"] = () => ConstantProduct("MatMul"),
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

    /// <summary>Conv → mover (MaxPool, Gather or Slice) → Q: whether the Q is copied back decides the Conv's fusion.</summary>
    private static byte[] ConvThenMover(int opset, string mover)
    {
        var b = new OnnxBuilder(opset)
            .Input("x", DataType.Float, 1, 4, 6, 6)
            .Initializer("s", F(0.03f))
            .Initializer("zi", Zp(DataType.UInt8, 128))
            .Initializer("wq", Int8s(15, 6, 4, 3, 3))
            .Initializer("ws", F(0.004f))
            .Initializer("wz", Zp(DataType.Int8, 0))
            .Initializer("so", F(0.02f))
            .Initializer("zo", Zp(DataType.UInt8, 120))
            .Initializer("idx", TensorValue.Create(DataType.Int64, [2], new long[] { 3, 1 }))
            .Initializer("starts", TensorValue.Create(DataType.Int64, [1], new long[] { 1 }))
            .Initializer("ends", TensorValue.Create(DataType.Int64, [1], new long[] { 5 }))
            .Initializer("axes", TensorValue.Create(DataType.Int64, [1], new long[] { 1 }))
            .Node("QuantizeLinear", ["x", "s", "zi"], ["xq"])
            .Node("DequantizeLinear", ["xq", "s", "zi"], ["xd"])
            .Node("DequantizeLinear", ["wq", "ws", "wz"], ["wd"])
            .Node("Conv", ["xd", "wd"], ["c"], attributes: [("pads", new long[] { 1, 1, 1, 1 })]);
        b = mover switch
        {
            "MaxPool" => b.Node("MaxPool", ["c"], ["m"], attributes: [("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 })]),
            "Gather" => b.Node("Gather", ["c", "idx"], ["m"], attributes: [("axis", 1L)]),
            _ => b.Node("Slice", ["c", "starts", "ends", "axes"], ["m"]),
        };
        return b.Node("QuantizeLinear", ["m", "so", "zo"], ["mq"])
            .Node("DequantizeLinear", ["mq", "so", "zo"], ["y"])
            .Output("y", DataType.Float).ToBytes();
    }

    /// <summary>x → Q1 → DQ1 → Q2 → DQ2 → Relu: the middle pair goes, the outer one takes the intersected range.</summary>
    private static byte[] DoubleQdq(DataType t, float s1, int z1, float s2, int z2) => new OnnxBuilder(17)
        .Input("x", DataType.Float, 4, 50)
        .Initializer("s1", F(s1))
        .Initializer("z1", Zp(t, z1))
        .Initializer("s2", F(s2))
        .Initializer("z2", Zp(t, z2))
        .Node("QuantizeLinear", ["x", "s1", "z1"], ["q1"])
        .Node("DequantizeLinear", ["q1", "s1", "z1"], ["d1"])
        .Node("QuantizeLinear", ["d1", "s2", "z2"], ["q2"])
        .Node("DequantizeLinear", ["q2", "s2", "z2"], ["d2"])
        .Node("Relu", ["d2"], ["y"])
        .Output("y", DataType.Float).ToBytes();

    /// <summary>x → Transpose → Q → DQ: the Q is copied onto the graph input itself.</summary>
    private static byte[] TransposeFromGraphInput() => new OnnxBuilder(17)
        .Input("x", DataType.Float, 2, 3, 4)
        .Initializer("s", F(0.03f))
        .Initializer("z", Zp(DataType.Int8, 7))
        .Node("Transpose", ["x"], ["t"], attributes: [("perm", new long[] { 2, 0, 1 })])
        .Node("QuantizeLinear", ["t", "s", "z"], ["tq"])
        .Node("DequantizeLinear", ["tq", "s", "z"], ["y"])
        .Output("y", DataType.Float).ToBytes();

    /// <summary>Q/DQ without zero points (uint8 by default) → Transpose → Conv unit.</summary>
    private static byte[] DqWithoutZeroPoint() => new OnnxBuilder(17)
        .Input("x", DataType.Float, 1, 5, 4, 4)
        .Initializer("s", F(0.03f))
        .Initializer("wq", Int8s(16, 3, 4, 1, 1))
        .Initializer("ws", F(0.004f))
        .Initializer("so", F(0.01f))
        .Node("QuantizeLinear", ["x", "s"], ["xq"])
        .Node("DequantizeLinear", ["xq", "s"], ["xd"])
        .Node("Transpose", ["xd"], ["t"], attributes: [("perm", new long[] { 0, 2, 1, 3 })])
        .Node("DequantizeLinear", ["wq", "ws"], ["wd"])
        .Node("Conv", ["t", "wd"], ["c"])
        .Node("QuantizeLinear", ["c", "so"], ["cq"])
        .Node("DequantizeLinear", ["cq", "so"], ["y"])
        .Output("y", DataType.Float).ToBytes();

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

    /// <summary>x → Q/DQ → Conv(float W, float bias) [→ Relu/Clip] [→ Q → DQ]. With a Relu (zp 128) or a Clip the
    /// Q's range does not make redundant, the weights are still quantized but the Conv stays float.</summary>
    private static byte[] FloatWeightConv(bool withQ, string? activation = null)
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
            .Initializer("lo", F(0f))
            .Initializer("hi", F(6f))
            .Node("Conv", ["xd", "w", "bias"], [withQ ? "c" : "y"]);
        if (activation is not null)
        {
            b = activation == "Relu" ? b.Node("Relu", ["c"], ["a"]) : b.Node("Clip", ["c", "lo", "hi"], ["a"]);
        }

        if (withQ)
        {
            string pre = activation is null ? "c" : "a";
            b = b.Node("QuantizeLinear", [pre, "so", "zo"], ["cq"]).Node("DequantizeLinear", ["cq", "so", "zo"], ["y"]);
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

    /// <summary>ConvTranspose's float weights are quantized too; with no integer kernel it then runs in float.</summary>
    private static byte[] FloatWeightConvTranspose() => new OnnxBuilder(17)
        .Input("x", DataType.Float, 1, 3, 4, 4)
        .Initializer("s", F(0.03f))
        .Initializer("zi", Zp(DataType.UInt8, 128))
        .Initializer("w", Floats(17, 3, 2, 3, 3))
        .Initializer("bias", Floats(18, 2))
        .Initializer("so", F(0.05f))
        .Initializer("zo", Zp(DataType.UInt8, 128))
        .Node("QuantizeLinear", ["x", "s", "zi"], ["xq"])
        .Node("DequantizeLinear", ["xq", "s", "zi"], ["xd"])
        .Node("ConvTranspose", ["xd", "w", "bias"], ["c"], attributes: [("strides", new long[] { 2, 2 })])
        .Node("QuantizeLinear", ["c", "so", "zo"], ["cq"])
        .Node("DequantizeLinear", ["cq", "so", "zo"], ["y"])
        .Output("y", DataType.Float).ToBytes();

    /// <summary>Gemm with transB and per-channel int8 weights on axis 0 and a float bias: the bias gets per-channel
    /// scales.</summary>
    private static byte[] PerChannelGemmFloatBias() => new OnnxBuilder(17)
        .Input("x", DataType.Float, 3, 16)
        .Initializer("s", F(0.03f))
        .Initializer("zi", Zp(DataType.UInt8, 128))
        .Initializer("wq", Int8s(19, 8, 16))
        .Initializer("ws", TensorValue.Create(DataType.Float, [8], new[] { 0.004f, 0.003f, 0.005f, 0.002f, 0.0041f, 0.0031f, 0.0051f, 0.0021f }))
        .Initializer("wz", TensorValue.Create(DataType.Int8, [8], new sbyte[8]))
        .Initializer("bias", Floats(20, 8))
        .Initializer("so", F(0.05f))
        .Initializer("zo", Zp(DataType.UInt8, 128))
        .Node("QuantizeLinear", ["x", "s", "zi"], ["xq"])
        .Node("DequantizeLinear", ["xq", "s", "zi"], ["xd"])
        .Node("DequantizeLinear", ["wq", "ws", "wz"], ["wd"], attributes: [("axis", 0L)])
        .Node("Gemm", ["xd", "wd", "bias"], ["g"], attributes: [("transB", 1L)])
        .Node("QuantizeLinear", ["g", "so", "zo"], ["gq"])
        .Node("DequantizeLinear", ["gq", "so", "zo"], ["y"])
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

    /// <summary>Shape → Gather → Unsqueeze → Concat → Reshape: folds away when x's shape is static; with a symbolic
    /// batch ReshapeFusion turns it into Reshape [0, -1] when the gathered dimension is the one it fills.</summary>
    private static byte[] ShapeToReshape() => ShapeToReshape(symbolic: false);

    private static byte[] ShapeToReshape(bool symbolic, long index = 0) => new OnnxBuilder(17)
        .Input("x", DataType.Float, symbolic ? null : 2, 3, 4)
        .Initializer("i0", TensorValue.Scalar(DataType.Int64, index))
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

    /// <summary>A Gemm or MatMul of two constants (M 1, K 300: where a pre-packed B would sum in another order) is
    /// folded with the kernel as ORT's constant folding runs it, which never pre-packs.</summary>
    private static byte[] ConstantProduct(string op) => new OnnxBuilder(17)
        .Input("x", DataType.Float, 1, 200)
        .Initializer("a", Floats(21, 1, 300))
        .Initializer("b", Floats(22, 300, 200))
        .Node(op, ["a", "b"], ["p"])
        .Node("Add", ["x", "p"], ["y"])
        .Output("y", DataType.Float).ToBytes();

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
