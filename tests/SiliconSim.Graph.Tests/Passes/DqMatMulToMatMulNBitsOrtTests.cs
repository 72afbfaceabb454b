using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels.Blockwise;
using Xunit.Abstractions;

namespace SiliconSim.Graph.Tests.Passes;

/// <summary>
/// ORT's DQMatMulToMatMulNBits rewrite (<see cref="DqMatMulToMatMulNBits"/>) on small seeded graphs, each labelled with
/// whether ORT 1.31 rewrites it, a label checked against the graph ORT writes itself: SiliconSim's lowering must hold the
/// same ops, its MatMulNBits the same attributes and byte-identical constants (B, scales, zero points), and the lowered
/// graph must give ORT's outputs bit for bit.
/// </summary>
public sealed class DqMatMulToMatMulNBitsOrtTests(ITestOutputHelper output)
{
    /// <summary>A model, whether ORT turns its DQ into MatMulNBits, and the activation's shape.</summary>
    private sealed record Case(Func<byte[]> Model, bool Rewritten, int[] A);

    private static readonly Dictionary<string, Case> s_cases = new(StringComparer.Ordinal)
    {
        // Blocked along K, K not a multiple of the block in most: the rewrite ORT makes.
        ["int4 zp bs32 K80"] = Blocked(DataType.Int4, k: 80, n: 5, block: 32, zp: true, m: 3),
        ["int4 bs16 K40"] = Blocked(DataType.Int4, k: 40, n: 3, block: 16, zp: false, m: 2),
        ["int4 zp bs256 K300 M1"] = Blocked(DataType.Int4, k: 300, n: 6, block: 256, zp: true, m: 1),
        ["uint4 zp bs128 K300"] = Blocked(DataType.UInt4, k: 300, n: 7, block: 128, zp: true, m: 4),
        ["uint4 bs64 K100"] = Blocked(DataType.UInt4, k: 100, n: 9, block: 64, zp: false, m: 2),
        ["uint4 zp bs16 K33 M1"] = Blocked(DataType.UInt4, k: 33, n: 130, block: 16, zp: true, m: 1),
        ["int8 zp bs32 K72"] = Blocked(DataType.Int8, k: 72, n: 5, block: 32, zp: true, m: 3),
        ["int8 bs64 K130 M1"] = Blocked(DataType.Int8, k: 130, n: 4, block: 64, zp: false, m: 1),
        ["uint8 bs16 K40"] = Blocked(DataType.UInt8, k: 40, n: 3, block: 16, zp: false, m: 2),
        ["uint8 zp bs128 K200"] = Blocked(DataType.UInt8, k: 200, n: 6, block: 128, zp: true, m: 5),
        ["int4 bs32 3-D A"] = new(() => BlockedModel(DataType.Int4, 70, 4, 32, zp: true, a: [2, 3, 70]), true, [2, 3, 70]),

        // Per tensor and per column: block size 32 (session.qdq_matmulnbits_block_size's default).
        ["int8 per-column zp K40"] = Coarse(DataType.Int8, k: 40, n: 3, perColumn: true, zp: true),
        ["int8 per-column K200"] = Coarse(DataType.Int8, k: 200, n: 3, perColumn: true, zp: false),
        ["int8 per-tensor K8"] = Coarse(DataType.Int8, k: 8, n: 3, perColumn: false, zp: false),
        ["uint4 per-tensor zp K40"] = Coarse(DataType.UInt4, k: 40, n: 3, perColumn: false, zp: true),
        ["int4 per-column zp K40"] = Coarse(DataType.Int4, k: 40, n: 3, perColumn: true, zp: true),
        ["uint8 per-column zp opset13"] = new(() => CoarseModel(DataType.UInt8, 40, 3, perColumn: true, zp: true, axis: null, opset: 13), true, [2, 40]),

        // Gemm: alpha 1, no transposes, bias [N] (MatMul + Add becomes such a Gemm at level 1).
        ["gemm int4 bias"] = new(() => GemmModel(alpha: 1f, transB: false, bias: true), true, [2, 40]),
        ["gemm int4 no bias"] = new(() => GemmModel(alpha: 1f, transB: false, bias: false), true, [2, 40]),
        ["gemm int4 DQ bias"] = new(GemmDqBiasModel, true, [2, 40]),
        ["matmul add 3-D A"] = new(MatMulAddModel, true, [2, 4, 40]),
        ["zero point shared by two DQs"] = new(() => TwoDqs(shareWeight: false, shareScale: false, shareZp: true), true, [2, 40]),

        // What ORT leaves as DQ + MatMul.
        ["block 8"] = Blocked(DataType.Int4, k: 40, n: 3, block: 8, zp: false, m: 2, rewritten: false),
        ["block 48"] = Blocked(DataType.Int4, k: 96, n: 3, block: 48, zp: false, m: 2, rewritten: false),
        ["block 512"] = Blocked(DataType.Int4, k: 600, n: 3, block: 512, zp: false, m: 2, rewritten: false),
        ["blocked along N"] = new(() => BlockedModel(DataType.Int4, 32, 40, 16, zp: false, a: [2, 32], axis: 1), false, [2, 32]),
        ["per-column axis -1"] = new(() => CoarseModel(DataType.UInt8, 40, 3, perColumn: true, zp: true, axis: -1), false, [2, 40]),
        ["weight not constant"] = new(NonConstantWeightModel, false, [2, 40]),
        ["DQ also read by Relu"] = new(() => SharedDqModel(reluReader: true, secondMatMul: false, graphOutput: false), false, [2, 40]),
        ["DQ read by two MatMuls"] = new(() => SharedDqModel(reluReader: false, secondMatMul: true, graphOutput: false), false, [2, 40]),
        ["DQ is a graph output"] = new(() => SharedDqModel(reluReader: false, secondMatMul: false, graphOutput: true), false, [2, 40]),
        ["weight shared by two DQs"] = new(() => TwoDqs(shareWeight: true, shareScale: false, shareZp: false), false, [2, 40]),
        ["scale shared by two DQs"] = new(() => TwoDqs(shareWeight: false, shareScale: true, shareZp: false), false, [2, 40]),
        ["MatMul feeds a Q"] = new(MatMulThenQModel, false, [2, 40]),
        ["gemm alpha 2"] = new(() => GemmModel(alpha: 2f, transB: false, bias: true), false, [2, 40]),
        ["gemm transB"] = new(() => GemmModel(alpha: 1f, transB: true, bias: true), false, [2, 40]),
        ["activation from a DQ too"] = new(QdqActivationModel, false, [2, 40]),
        ["DQ fp16 then Cast to float"] = new(() => Fp16Model(castToFloat: true), false, [2, 40]),
    };

    public static TheoryData<string> Cases() => [.. s_cases.Keys.Order(StringComparer.Ordinal)];

    public static TheoryData<string> RewrittenCases() => [.. s_cases.Where(c => c.Value.Rewritten).Select(c => c.Key).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Lowering_HasTheOpsOfOrtsOptimizedGraph(string name)
    {
        byte[] model = s_cases[name].Model();
        ModelGraph ort = OrtGraphs.Optimized(model);
        string ours = OrtGraphs.Lowered(model);
        output.WriteLine($"ORT:  {OrtGraphs.Histogram(ort)}\nours: {ours}");
        Assert.True(s_cases[name].Rewritten == ort.Nodes.Any(n => n.OpType == "MatMulNBits"), $"{name}: the case's label disagrees with ORT's graph");
        Assert.Equal(OrtGraphs.Histogram(ort), ours);
    }

    [Theory]
    [MemberData(nameof(RewrittenCases))]
    public void MatMulNBits_HasOrtsAttributesAndConstants(string name)
    {
        byte[] model = s_cases[name].Model();
        ModelGraph ort = OrtGraphs.Optimized(model);
        ModelGraph ours = OrtCpuLowering.Lower(OnnxModelReader.Read(new MemoryStream(model)), OrtOptimizationLevel.Extended);
        Node[] theirs = [.. ort.Nodes.Where(n => n.OpType == "MatMulNBits")];
        Node[] mine = [.. ours.Nodes.Where(n => n.OpType == "MatMulNBits")];
        Assert.Equal(theirs.Length, mine.Length);
        for (int i = 0; i < theirs.Length; i++)
        {
            foreach (string attr in new[] { "K", "N", "bits", "block_size", "accuracy_level" })
            {
                Assert.True(theirs[i].Attributes[attr].Int == mine[i].Attributes[attr].Int, $"{name}: {attr} {mine[i].Attributes[attr].Int}, ORT {theirs[i].Attributes[attr].Int}");
            }

            Assert.Equal(theirs[i].Inputs.Length, mine[i].Inputs.Length);
            for (int slot = 1; slot < theirs[i].Inputs.Length; slot++)
            {
                TensorValue? t = ort.Initializers.GetValueOrDefault(theirs[i].Inputs[slot]);
                TensorValue? m = ours.Initializers.GetValueOrDefault(mine[i].Inputs[slot]);
                Assert.True((t is null) == (m is null), $"{name}: input {slot} is constant in one graph only");
                if (t is not null)
                {
                    Assert.Equal(t.Type, m!.Type);
                    Assert.Equal([.. t.Shape], m.Shape.ToArray());
                    Assert.True(Bytes(t).SequenceEqual(Bytes(m)), $"{name}: input {slot} ({theirs[i].Inputs[slot]}) differs from ORT's bytes");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Lowering_GivesOrtsOutputs(string name)
    {
        Case c = s_cases[name];
        byte[] model = c.Model();
        var rng = new Random(name.Length * 7919);
        ModelGraph graph = OnnxModelReader.Read(new MemoryStream(model));
        var inputs = graph.RuntimeInputs.Select(i => (i.Name, i.Name == "a" ? RandomFloats(rng, c.A) : RandomWeights(rng, [.. i.Dims.Select(d => d ?? 1)]))).ToList();
        if (c.Rewritten && !MatMulNBitsKernel.CompInt8HostIsModelled)
        {
            // ORT runs another MLAS CompInt8 kernel on this host; SiliconSim refuses rather than give other bits.
            Assert.Throws<ExecutionException>(() => OrtGraphs.RunLowered(model, inputs));
            return;
        }

        OrtGraphs.AssertSameBitsAsOrt(name, model, inputs);
    }

    /// <summary>fp16 scales with fp16 activations: ORT rewrites (then runs MatMulNBits in fp32 between inserted Casts,
    /// which SiliconSim does not model); SiliconSim rewrites the same way and refuses to run it, naming the op.</summary>
    [Fact]
    public void Fp16_IsRewrittenAsOrtDoes_AndRefusedByTheKernel()
    {
        byte[] model = Fp16Model(castToFloat: false);
        Assert.Contains(OrtGraphs.Optimized(model).Nodes, n => n.OpType == "MatMulNBits");
        ModelGraph lowered = OrtCpuLowering.Lower(OnnxModelReader.Read(new MemoryStream(model)));
        Assert.Contains(lowered.Nodes, n => n.OpType == "MatMulNBits");
        var a = TensorValue.Create(DataType.Float16, [2, 40], Enumerable.Range(0, 80).Select(i => (Half)(i * 0.01f)).ToArray());
        var e = Assert.Throws<ExecutionException>(() => GraphExecutor.Run(lowered, new Dictionary<string, TensorValue> { ["a"] = a }));
        Assert.Contains("MatMulNBits", e.Message, StringComparison.Ordinal);
    }

    private static Case Blocked(DataType type, int k, int n, int block, bool zp, int m, bool rewritten = true) =>
        new(() => BlockedModel(type, k, n, block, zp, a: [m, k]), rewritten, [m, k]);

    private static Case Coarse(DataType type, int k, int n, bool perColumn, bool zp) =>
        new(() => CoarseModel(type, k, n, perColumn, zp, axis: null), true, [2, k]);

    /// <summary>a × DQ(w [k, n], scale and zero point [⌈k/block⌉, n] along <paramref name="axis"/> 0, or
    /// [k, ⌈n/block⌉] along 1).</summary>
    private static byte[] BlockedModel(DataType type, int k, int n, int block, bool zp, int[] a, int axis = 0)
    {
        int[] paramShape = axis == 0 ? [(k + block - 1) / block, n] : [k, (n + block - 1) / block];
        var b = new OnnxBuilder(21).Input("a", DataType.Float, [.. a.Select(d => (int?)d)])
            .Initializer("w", Codes(type, [k, n], seed: k + n))
            .Initializer("s", Scales(paramShape, seed: block));
        var dqInputs = new List<string> { "w", "s" };
        if (zp)
        {
            b.Initializer("z", Codes(type, paramShape, seed: 7));
            dqInputs.Add("z");
        }

        return b.Node("DequantizeLinear", [.. dqInputs], ["wd"], attributes: [("axis", (long)axis), ("block_size", (long)block)])
            .Node("MatMul", ["a", "wd"], ["y"])
            .Output("y", DataType.Float)
            .ToBytes();
    }

    /// <summary>a × DQ(w [k, n]) per column (scale [n]) or per tensor (scalar scale); <paramref name="axis"/> null leaves
    /// the attribute out.</summary>
    private static byte[] CoarseModel(DataType type, int k, int n, bool perColumn, bool zp, int? axis, int opset = 21)
    {
        int[] paramShape = perColumn ? [n] : [];
        var b = new OnnxBuilder(opset).Input("a", DataType.Float, 2, k)
            .Initializer("w", Codes(type, [k, n], seed: k))
            .Initializer("s", Scales(paramShape, seed: n));
        var dqInputs = new List<string> { "w", "s" };
        if (zp)
        {
            b.Initializer("z", Codes(type, paramShape, seed: 5));
            dqInputs.Add("z");
        }

        (string, object)[] attributes = axis is int ax ? [("axis", (long)ax)] : [];
        return b.Node("DequantizeLinear", [.. dqInputs], ["wd"], attributes: attributes)
            .Node("MatMul", ["a", "wd"], ["y"])
            .Output("y", DataType.Float)
            .ToBytes();
    }

    private static OnnxBuilder Int4Block16(OnnxBuilder b, string suffix = "", int seed = 1) => b
        .Initializer("w" + suffix, Codes(DataType.Int4, [40, 3], seed))
        .Initializer("s" + suffix, Scales([3, 3], seed))
        .Node("DequantizeLinear", ["w" + suffix, "s" + suffix], ["wd" + suffix], attributes: [("axis", 0L), ("block_size", 16L)]);

    private static byte[] GemmModel(float alpha, bool transB, bool bias)
    {
        var b = new OnnxBuilder(21).Input("a", DataType.Float, 2, 40).Initializer("bias", Scales([3], seed: 9));
        if (transB)
        {
            b.Initializer("w", Codes(DataType.Int4, [3, 40], 1)).Initializer("s", Scales([1, 40], 1))
                .Node("DequantizeLinear", ["w", "s"], ["wd"], attributes: [("axis", 0L), ("block_size", 16L)]);
        }
        else
        {
            Int4Block16(b);
        }

        return b.Node("Gemm", bias ? ["a", "wd", "bias"] : ["a", "wd"], ["y"], attributes: [("alpha", alpha), ("beta", 1f), ("transB", transB ? 1L : 0L)])
            .Output("y", DataType.Float)
            .ToBytes();
    }

    /// <summary>A Gemm whose bias comes from a DQ of int32: the bias DQ stays and feeds MatMulNBits' bias slot.</summary>
    private static byte[] GemmDqBiasModel() => Int4Block16(new OnnxBuilder(21).Input("a", DataType.Float, 2, 40))
        .Initializer("bq", TensorValue.Create(DataType.Int32, [3], new[] { 100, -50, 7 }))
        .Initializer("bs", TensorValue.Scalar(DataType.Float, 0.01f))
        .Node("DequantizeLinear", ["bq", "bs"], ["bd"])
        .Node("Gemm", ["a", "wd", "bd"], ["y"])
        .Output("y", DataType.Float)
        .ToBytes();

    private static byte[] MatMulAddModel() => Int4Block16(new OnnxBuilder(21).Input("a", DataType.Float, 2, 4, 40).Initializer("bias", Scales([3], seed: 9)))
        .Node("MatMul", ["a", "wd"], ["m"])
        .Node("Add", ["m", "bias"], ["y"])
        .Output("y", DataType.Float)
        .ToBytes();

    private static byte[] TwoDqs(bool shareWeight, bool shareScale, bool shareZp)
    {
        var b = new OnnxBuilder(21).Input("a", DataType.Float, 2, 40)
            .Initializer("w", Codes(DataType.UInt4, [40, 3], 1)).Initializer("s", Scales([3, 3], 1)).Initializer("z", Codes(DataType.UInt4, [3, 3], 3))
            .Initializer("w2", Codes(DataType.UInt4, [40, 3], 2)).Initializer("s2", Scales([3, 3], 2)).Initializer("z2", Codes(DataType.UInt4, [3, 3], 4));
        string[] second = [shareWeight ? "w" : "w2", shareScale ? "s" : "s2", shareZp ? "z" : "z2"];
        return b.Node("DequantizeLinear", ["w", "s", "z"], ["wd"], attributes: [("axis", 0L), ("block_size", 16L)])
            .Node("DequantizeLinear", second, ["wd2"], attributes: [("axis", 0L), ("block_size", 16L)])
            .Node("MatMul", ["a", "wd"], ["y"])
            .Node("MatMul", ["a", "wd2"], ["y2"])
            .Output("y", DataType.Float).Output("y2", DataType.Float)
            .ToBytes();
    }

    private static byte[] NonConstantWeightModel() => new OnnxBuilder(21).Input("a", DataType.Float, 2, 40).Input("w", DataType.Int8, 40, 3)
        .Initializer("s", Scales([3, 3], 1))
        .Node("DequantizeLinear", ["w", "s"], ["wd"], attributes: [("axis", 0L), ("block_size", 16L)])
        .Node("MatMul", ["a", "wd"], ["y"])
        .Output("y", DataType.Float)
        .ToBytes();

    private static byte[] SharedDqModel(bool reluReader, bool secondMatMul, bool graphOutput)
    {
        var b = Int4Block16(new OnnxBuilder(21).Input("a", DataType.Float, 2, 40)).Node("MatMul", ["a", "wd"], ["y"]).Output("y", DataType.Float);
        if (reluReader)
        {
            b.Node("Relu", ["wd"], ["r"]).Output("r", DataType.Float);
        }

        if (secondMatMul)
        {
            b.Node("MatMul", ["a", "wd"], ["y2"]).Output("y2", DataType.Float);
        }

        if (graphOutput)
        {
            b.Output("wd", DataType.Float);
        }

        return b.ToBytes();
    }

    private static byte[] MatMulThenQModel() => Int4Block16(new OnnxBuilder(21).Input("a", DataType.Float, 2, 40))
        .Initializer("qs", TensorValue.Scalar(DataType.Float, 0.05f))
        .Initializer("qz", TensorValue.Scalar(DataType.UInt8, (byte)128))
        .Node("MatMul", ["a", "wd"], ["m"])
        .Node("QuantizeLinear", ["m", "qs", "qz"], ["q"])
        .Node("DequantizeLinear", ["q", "qs", "qz"], ["y"])
        .Output("y", DataType.Float)
        .ToBytes();

    private static byte[] QdqActivationModel() => Int4Block16(new OnnxBuilder(21).Input("a", DataType.Float, 2, 40))
        .Initializer("as", TensorValue.Scalar(DataType.Float, 0.03f))
        .Initializer("az", TensorValue.Scalar(DataType.UInt8, (byte)120))
        .Node("QuantizeLinear", ["a", "as", "az"], ["aq"])
        .Node("DequantizeLinear", ["aq", "as", "az"], ["ad"])
        .Node("MatMul", ["ad", "wd"], ["y"])
        .Output("y", DataType.Float)
        .ToBytes();

    /// <summary>DQ(int4, fp16 scales) feeding an fp16 MatMul, or a Cast to float and a float MatMul.</summary>
    private static byte[] Fp16Model(bool castToFloat)
    {
        var scales = TensorValue.Create(DataType.Float16, [3, 3], Scales([3, 3], 1).Items<float>().Select(v => (Half)v).ToArray());
        var b = new OnnxBuilder(21).Input("a", castToFloat ? DataType.Float : DataType.Float16, 2, 40)
            .Initializer("w", Codes(DataType.Int4, [40, 3], 1)).Initializer("s", scales)
            .Node("DequantizeLinear", ["w", "s"], ["wd"], attributes: [("axis", 0L), ("block_size", 16L)]);
        if (castToFloat)
        {
            b.Node("Cast", ["wd"], ["wc"], attributes: [("to", (long)DataType.Float)]).Node("MatMul", ["a", "wc"], ["y"]);
        }
        else
        {
            b.Node("MatMul", ["a", "wd"], ["y"]);
        }

        return b.Output("y", castToFloat ? DataType.Float : DataType.Float16).ToBytes();
    }

    /// <summary>Seeded codes over the type's whole range.</summary>
    private static TensorValue Codes(DataType type, int[] shape, int seed)
    {
        var rng = new Random(seed);
        (long min, long max) = DataTypeInfo.IntegerRange(type);
        int count = shape.Aggregate(1, (x, y) => x * y);
        return type is DataType.Int4 or DataType.Int8
            ? TensorValue.Create(type, shape, Enumerable.Range(0, count).Select(_ => (sbyte)rng.Next((int)min, (int)max + 1)).ToArray())
            : TensorValue.Create(type, shape, Enumerable.Range(0, count).Select(_ => (byte)rng.Next((int)min, (int)max + 1)).ToArray());
    }

    private static TensorValue Scales(int[] shape, int seed)
    {
        var rng = new Random(seed * 31);
        int count = shape.Aggregate(1, (x, y) => x * y);
        return TensorValue.Create(DataType.Float, shape, Enumerable.Range(0, count).Select(_ => (float)((rng.NextDouble() * 0.1) + 0.005)).ToArray());
    }

    private static TensorValue RandomFloats(Random rng, int[] shape)
    {
        var data = new float[shape.Aggregate(1, (x, y) => x * y)];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)((rng.NextDouble() * 8) - 4);
        }

        return TensorValue.Create(DataType.Float, shape, data);
    }

    /// <summary>The non-constant int8 weight of one case.</summary>
    private static TensorValue RandomWeights(Random rng, int[] shape) =>
        TensorValue.Create(DataType.Int8, shape, Enumerable.Range(0, shape.Aggregate(1, (x, y) => x * y)).Select(_ => (sbyte)rng.Next(-128, 128)).ToArray());

    private static byte[] Bytes(TensorValue t) => t.Type switch
    {
        DataType.UInt8 => t.Items<byte>(),
        DataType.Float => [.. t.Items<float>().SelectMany(BitConverter.GetBytes)],
        _ => throw new NotSupportedException(t.Type.ToString()),
    };
}
