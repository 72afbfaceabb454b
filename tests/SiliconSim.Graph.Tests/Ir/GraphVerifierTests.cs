using System.Collections.Immutable;
using System.Diagnostics;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Tests.Ir;

/// <summary>
/// One small hand-built graph per rule of <see cref="GraphVerifier"/>, broken in exactly that way, so that each rule is
/// shown to bite; and the sound graphs beside them, so that none bites where it should not.
/// </summary>
public sealed class GraphVerifierTests
{
    private static readonly ImmutableDictionary<string, TensorValue> s_qParams = new Dictionary<string, TensorValue>
    {
        ["s"] = TensorValue.Scalar(DataType.Float, 0.5f),
        ["zp"] = TensorValue.Scalar(DataType.UInt8, (byte)128),
        ["zp_s8"] = TensorValue.Scalar(DataType.Int8, (sbyte)0),
    }.ToImmutableDictionary(StringComparer.Ordinal);

    [Fact]
    public void Verify_SoundQdqGraph_HasNoProblems()
    {
        ModelGraph graph = Graph([Node("q", "QuantizeLinear", ["x", "s", "zp"], ["xq"]), Node("dq", "DequantizeLinear", ["xq", "s", "zp"], ["y"])]);
        Assert.Empty(GraphVerifier.Verify(graph));
        Assert.Empty(GraphVerifier.Verify(new GraphEditor(graph)));
    }

    [Fact]
    public void Verify_EmptyOptionalInputAndInitializerListedAsInput_AreNotProblems()
    {
        // Clip's min omitted as ""; "s" both an initializer and a graph input (ONNX's way of giving an input a default).
        ModelGraph graph = Graph([Node("clip", "Clip", ["x", "", "s"], ["y"])], inputs: [Info("x", DataType.Float), Info("s", DataType.Float)]);
        Assert.Empty(GraphVerifier.Verify(graph));
    }

    [Fact]
    public void Verify_InputNothingProduces_IsUndefinedInput()
    {
        ModelGraph graph = Graph([Node("add", "Add", ["x", "ghost"], ["y"])]);
        GraphProblem p = Assert.Single(GraphVerifier.Verify(graph));
        Assert.Equal((GraphRule.UndefinedInput, "'add' (Add)", "ghost"), (p.Rule, p.Node, p.Value));
        Assert.Contains("node #0 'add' (Add) reads 'ghost'", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_TwoNodesWritingOneValue_IsDuplicateProducer()
    {
        ModelGraph graph = Graph([Node("a", "Relu", ["x"], ["y"]), Node("b", "Neg", ["x"], ["y"])]);
        GraphProblem p = Assert.Single(GraphVerifier.Verify(graph));
        Assert.Equal((GraphRule.DuplicateProducer, "'b' (Neg)", "y"), (p.Rule, p.Node, p.Value));
        Assert.Contains("which node #0 'a' (Relu) already produces", p.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x", "a graph input")]
    [InlineData("s", "an initializer")]
    public void Verify_NodeWritingAGraphInputOrInitializer_IsDuplicateProducer(string value, string producer)
    {
        ModelGraph graph = Graph([Node("a", "Relu", ["x"], ["y"]), Node("b", "Relu", ["y"], [value])]);
        GraphProblem p = Assert.Single(GraphVerifier.Verify(graph), q => q.Rule == GraphRule.DuplicateProducer);
        Assert.Equal(value, p.Value);
        Assert.Contains(producer, p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_GraphInputListedTwice_IsDuplicateProducer()
    {
        ModelGraph graph = Graph([Node("a", "Relu", ["x"], ["y"])], inputs: [Info("x", DataType.Float), Info("x", DataType.Float)]);
        Assert.Equal(GraphRule.DuplicateProducer, Assert.Single(GraphVerifier.Verify(graph)).Rule);
    }

    [Fact]
    public void Verify_ConsumerBeforeProducer_IsOutOfOrder()
    {
        ModelGraph graph = Graph([Node("b", "Neg", ["t"], ["y"]), Node("a", "Relu", ["x"], ["t"])]);
        GraphProblem p = Assert.Single(GraphVerifier.Verify(graph));
        Assert.Equal((GraphRule.OutOfOrder, "'b' (Neg)", "t"), (p.Rule, p.Node, p.Value));
        Assert.Contains("before node #1 'a' (Relu) produces it", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_Cycle_IsOutOfOrder()
    {
        // a reads b's output and b reads a's: whichever comes first reads a value not yet produced.
        ModelGraph graph = Graph([Node("a", "Add", ["x", "u"], ["t"]), Node("b", "Relu", ["t"], ["u"]), Node("c", "Neg", ["t"], ["y"])]);
        GraphProblem p = Assert.Single(GraphVerifier.Verify(graph));
        Assert.Equal((GraphRule.OutOfOrder, "u"), (p.Rule, p.Value));
    }

    [Fact]
    public void Verify_SelfLoop_IsOutOfOrder()
    {
        ModelGraph graph = Graph([Node("a", "Add", ["x", "y"], ["y"])]);
        Assert.Equal(GraphRule.OutOfOrder, Assert.Single(GraphVerifier.Verify(graph)).Rule);
    }

    [Fact]
    public void Verify_OutputNothingProduces_IsUnproducedOutput()
    {
        ModelGraph graph = Graph([Node("a", "Relu", ["x"], ["y"])], outputs: [Info("y", DataType.Float), Info("z", DataType.Float)]);
        GraphProblem p = Assert.Single(GraphVerifier.Verify(graph));
        Assert.Equal((GraphRule.UnproducedOutput, string.Empty, "z"), (p.Rule, p.Node, p.Value));
    }

    /// <summary>Each op's rule from <see cref="TypeInference"/>, against an output declared with another type.</summary>
    public static TheoryData<string, string, string[], DataType, DataType> TypeRules() => new()
    {
        // op, domain, inputs, declared (wrong), rule's type
        { "QuantizeLinear", "", ["x", "s", "zp_s8"], DataType.UInt8, DataType.Int8 },
        { "DequantizeLinear", "", ["xq", "s", "zp"], DataType.UInt8, DataType.Float },
        { "QLinearConv", "", ["xq", "s", "zp", "w", "s", "zp_s8", "s", "zp_s8"], DataType.UInt8, DataType.Int8 },
        { "QLinearMatMul", "", ["xq", "s", "zp", "w", "s", "zp_s8", "s", "zp"], DataType.Int8, DataType.UInt8 },
        { "QGemm", "com.microsoft", ["xq", "s", "zp", "w", "s", "zp_s8", "", "s", "zp"], DataType.Float, DataType.UInt8 },
        { "QGemm", "com.microsoft", ["xq", "s", "zp", "w", "s", "zp_s8"], DataType.UInt8, DataType.Float },
        { "ConvInteger", "", ["xq", "w", "zp", "zp_s8"], DataType.Float, DataType.Int32 },
        { "MatMulInteger", "", ["xq", "w", "zp", "zp_s8"], DataType.UInt8, DataType.Int32 },
        { "MatMulIntegerToFloat", "com.microsoft", ["xq", "w", "s", "s", "zp", "zp_s8"], DataType.Int32, DataType.Float },
        { "ArrayGemm", "siliconsim", ["x", "w", "s"], DataType.Int8, DataType.Float },
        { "ArrayConv", "siliconsim", ["x", "w", "s", "", "", "s", "zp_s8"], DataType.Float, DataType.Int8 },
        { "Cast", "", ["x"], DataType.Float, DataType.Int64 },
        { "Less", "", ["x", "x"], DataType.Float, DataType.Bool },
    };

    [Theory]
    [MemberData(nameof(TypeRules))]
    public void Verify_OutputDeclaredAgainstTheOpsRule_IsTypeMismatch(string op, string domain, string[] inputs, DataType declared, DataType rule)
    {
        var attributes = op == "Cast" ? ImmutableDictionary<string, AttributeValue>.Empty.Add("to", new AttributeValue(AttributeKind.Int) { Int = (long)DataType.Int64 }) : ImmutableDictionary<string, AttributeValue>.Empty;
        Node node = new("n", op, domain, [.. inputs], ["y"], attributes);
        ModelGraph graph = Graph([Node("q", "QuantizeLinear", ["x", "s", "zp"], ["xq"]), node], inits: s_qParams.Add("w", TensorValue.Zeros(DataType.Int8, [4, 4])));
        // The Q's output is a graph output too, so that the Q is not dead where the op does not read it.
        Assert.Empty(GraphVerifier.Verify(graph with { Outputs = [Info("y", rule), Info("xq", DataType.UInt8)] }));

        ModelGraph broken = graph with { Outputs = [Info("y", declared), Info("xq", DataType.UInt8)] };
        GraphProblem p = Assert.Single(GraphVerifier.Verify(broken));
        Assert.Equal((GraphRule.TypeMismatch, "y"), (p.Rule, p.Value));
        Assert.Contains($"as {rule} by its op's rule, but the graph declares it {declared}", p.Message, StringComparison.Ordinal);

        // The editor's declared outputs are checked as well.
        Assert.Equal(GraphRule.TypeMismatch, Assert.Single(GraphVerifier.Verify(new GraphEditor(broken))).Rule);
    }

    [Fact]
    public void Verify_ValueInfoAgainstTheOpsRule_IsTypeMismatch()
    {
        ModelGraph graph = Graph([Node("q", "QuantizeLinear", ["x", "s", "zp"], ["xq"]), Node("dq", "DequantizeLinear", ["xq", "s", "zp"], ["y"])],
            valueInfos: [Info("xq", DataType.Int8)]);
        GraphProblem p = Assert.Single(GraphVerifier.Verify(graph));
        Assert.Equal((GraphRule.TypeMismatch, "'q' (QuantizeLinear)", "xq"), (p.Rule, p.Node, p.Value));
    }

    [Fact]
    public void Verify_OpWithoutARule_IsNotTypeChecked()
    {
        // ConstantOfShape writes float from an int64 shape: TypeInference's fallback (the first input's type) would be
        // wrong, which is why ops without a rule are left alone.
        ModelGraph graph = Graph([Node("c", "ConstantOfShape", ["shape"], ["y"])], inits: s_qParams.Add("shape", TensorValue.Zeros(DataType.Int64, [1])), inputs: []);
        Assert.Empty(GraphVerifier.Verify(graph));
    }

    [Fact]
    public void Verify_EditorTypeAPassForgotToUpdate_IsTypeMismatch()
    {
        var editor = new GraphEditor(Graph([Node("q", "QuantizeLinear", ["x", "s", "zp"], ["xq"]), Node("dq", "DequantizeLinear", ["xq", "s", "zp"], ["y"])]));

        // A pass switching the zero point to int8 without retyping the Q's output.
        editor.Replace(editor.Nodes[0], editor.Nodes[0] with { Inputs = ["x", "s", "zp_s8"] });
        editor.Replace(editor.Nodes[1], editor.Nodes[1] with { Inputs = ["xq", "s", "zp_s8"] });
        GraphProblem p = Assert.Single(GraphVerifier.Verify(editor));
        Assert.Equal((GraphRule.TypeMismatch, "xq"), (p.Rule, p.Value));
        Assert.Contains("as Int8 by its op's rule, but its recorded type is UInt8", p.Message, StringComparison.Ordinal);

        editor.Types["xq"] = DataType.Int8;
        Assert.Empty(GraphVerifier.Verify(editor));
    }

    [Fact]
    public void Verify_EditorValueWithNoRecordedType_IsTypeMismatch()
    {
        var editor = new GraphEditor(Graph([Node("q", "QuantizeLinear", ["x", "s", "zp"], ["xq"]), Node("dq", "DequantizeLinear", ["xq", "s", "zp"], ["y"])]));
        editor.Nodes.Insert(1, Node("q2", "QuantizeLinear", ["x", "s", "zp"], ["fresh"]));
        editor.Replace(editor.Nodes[2], editor.Nodes[2] with { Inputs = ["fresh", "s", "zp"] });
        editor.Nodes.RemoveAt(0);
        GraphProblem p = Assert.Single(GraphVerifier.Verify(editor));
        Assert.Equal((GraphRule.TypeMismatch, "fresh"), (p.Rule, p.Value));
        Assert.Contains("no type is recorded", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ValueInfoForAValueThatIsGone_IsDanglingValueInfo()
    {
        ModelGraph graph = Graph([Node("a", "Relu", ["x"], ["y"])], valueInfos: [Info("fused_away", DataType.Float)]);
        GraphProblem p = Assert.Single(GraphVerifier.Verify(graph));
        Assert.Equal((GraphRule.DanglingValueInfo, string.Empty, "fused_away"), (p.Rule, p.Node, p.Value));
    }

    [Fact]
    public void Verify_NodeNobodyReads_IsDeadNode()
    {
        ModelGraph graph = Graph([Node("a", "Relu", ["x"], ["y"]), Node("orphan", "Neg", ["x"], ["unused"])]);
        GraphProblem p = Assert.Single(GraphVerifier.Verify(graph));
        Assert.Equal((GraphRule.DeadNode, "'orphan' (Neg)", "unused"), (p.Rule, p.Node, p.Value));
        Assert.Single(GraphVerifier.Verify(new GraphEditor(graph)));
    }

    [Fact]
    public void Verify_UnusedOptionalOutputOfALiveNode_IsNotDead()
    {
        // MaxPool's Indices and DynamicQuantizeLinear's scale and zero point may go unread: the node itself is live.
        ModelGraph graph = Graph(
            [Node("pool", "MaxPool", ["x"], ["p", "indices"]), Node("dql", "DynamicQuantizeLinear", ["p"], ["pq", "ps", "pzp"]), Node("c", "Cast", ["pq"], ["y"])],
            outputs: [Info("y", DataType.Undefined)]);
        Assert.Empty(GraphVerifier.Verify(graph));
    }

    [Fact]
    public void Verify_ReturnsEveryProblemAtOnce()
    {
        ModelGraph graph = Graph(
            [Node("b", "Neg", ["t"], ["y"]), Node("a", "Relu", ["ghost"], ["t"]), Node("c", "Relu", ["x"], ["t"])],
            outputs: [Info("y", DataType.Float), Info("z", DataType.Float)],
            valueInfos: [Info("gone", DataType.Float)]);
        Assert.Equal(
            [GraphRule.DuplicateProducer, GraphRule.OutOfOrder, GraphRule.UndefinedInput, GraphRule.UnproducedOutput, GraphRule.DanglingValueInfo],
            GraphVerifier.Verify(graph).Select(p => p.Rule));
    }

    [Fact]
    public void Verify_HundredThousandNodeChain_IsLinear()
    {
        // A later issue lowers a 100,000-node chain in seconds; a verifier quadratic in the nodes would take hours.
        const int Count = 100_000;
        var nodes = new Node[Count];
        for (int i = 0; i < Count; i++)
        {
            nodes[i] = Node($"n{i}", "Relu", [i == 0 ? "x" : $"v{i - 1}"], [i == Count - 1 ? "y" : $"v{i}"]);
        }

        ModelGraph graph = Graph(nodes);
        var watch = Stopwatch.StartNew();
        Assert.Empty(GraphVerifier.Verify(graph));
        Assert.Empty(GraphVerifier.Verify(new GraphEditor(graph)));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"verifying took {watch.Elapsed}");
    }

    private static Node Node(string name, string op, string[] inputs, string[] outputs) =>
        new(name, op, op is "QGemm" or "MatMulIntegerToFloat" ? "com.microsoft" : string.Empty, [.. inputs], [.. outputs], ImmutableDictionary<string, AttributeValue>.Empty);

    private static ValueInfo Info(string name, DataType type) => new(name, type, []);

    private static ModelGraph Graph(
        Node[] nodes, ImmutableDictionary<string, TensorValue>? inits = null, ValueInfo[]? inputs = null, ValueInfo[]? outputs = null, ValueInfo[]? valueInfos = null) =>
        new(
            "g",
            [.. nodes],
            inits ?? s_qParams,
            [.. inputs ?? [Info("x", DataType.Float)]],
            [.. outputs ?? [Info("y", DataType.Float)]],
            (valueInfos ?? []).ToImmutableDictionary(v => v.Name, StringComparer.Ordinal),
            ImmutableDictionary<string, int>.Empty.Add(string.Empty, 21));
}
