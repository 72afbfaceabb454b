using System.Collections.Immutable;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Tests.Passes;

/// <summary>
/// The lowering verifies the graph after every pass: a pass that breaks it throws an exception naming the pass and the
/// problems; a flaw the imported model already had is no pass's bug; and <see cref="GraphEditor.ToGraph"/> keeps the
/// value_info of the graph a lowering returns up to date (the two bugs the verifier found).
/// </summary>
public sealed class PassVerificationTests
{
    [Fact]
    public void After_PassThatDropsAProducer_ThrowsNamingThePassAndTheProblem()
    {
        var editor = new GraphEditor(Graph([Node("relu", "Relu", ["x"], ["r"]), Node("neg", "Neg", ["r"], ["y"])]));
        var verifier = new PassVerifier(editor, observer: null);

        editor.Remove(editor.Nodes[0]);
        var e = Assert.Throws<PassVerificationException>(() => verifier.After("drop-producer", editor));

        Assert.Equal("drop-producer", e.Pass);
        GraphProblem p = Assert.Single(e.Problems);
        Assert.Equal((GraphRule.UndefinedInput, "r"), (p.Rule, p.Value));
        Assert.StartsWith("pass 'drop-producer' left 1 graph problem(s):", e.Message, StringComparison.Ordinal);
        Assert.Contains("node #0 'neg' (Neg) reads 'r'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void After_SoundPass_TellsTheObserver()
    {
        var editor = new GraphEditor(Graph([Node("relu", "Relu", ["x"], ["y"])]));
        var observer = new Recorder();
        var verifier = new PassVerifier(editor, observer);

        verifier.After("no-op", editor);
        verifier.Finish(editor);

        Assert.Equal(["no-op", "to-graph"], observer.Passes);
    }

    [Fact]
    public void After_FlawTheImportedModelAlreadyHad_IsNotBlamedOnThePass()
    {
        // A dead node and a stale value_info in the user's file: the lowering runs, and a pass that then breaks the
        // graph is still caught.
        ModelGraph model = Graph([Node("relu", "Relu", ["x"], ["y"]), Node("orphan", "Neg", ["x"], ["unused"])], valueInfos: [Info("gone", DataType.Float)]);
        Assert.Equal(2, GraphVerifier.Verify(model).Count);
        var editor = new GraphEditor(model);
        var verifier = new PassVerifier(editor, observer: null);
        verifier.After("no-op", editor);
        verifier.Finish(editor);
        OrtCpuLowering.Lower(model);

        editor.Nodes.Add(Node("late", "Relu", ["y"], ["y"]));
        Assert.Equal("duplicate", Assert.Throws<PassVerificationException>(() => verifier.After("duplicate", editor)).Pass);
    }

    [Fact]
    public void Lower_FusionRemovingAValueWithValueInfo_DropsTheValueInfo()
    {
        // ReluQuantFusion removes the Relu, and with it 'r', which the model declared in value_info. ToGraph kept the
        // entry, and the lowering's verifier reported it after "to-graph"; ToGraph now drops it.
        ModelGraph model = Graph(
            [Node("relu", "Relu", ["x"], ["r"]), Node("q", "QuantizeLinear", ["r", "s", "zp_u8_min"], ["rq"]), Node("dq", "DequantizeLinear", ["rq", "s", "zp_u8_min"], ["y"])],
            valueInfos: [Info("r", DataType.Float), Info("rq", DataType.UInt8)]);
        Assert.Empty(GraphVerifier.Verify(model));

        ModelGraph lowered = OrtCpuLowering.Lower(model);

        Assert.DoesNotContain(lowered.Nodes, n => n.OpType == "Relu");
        Assert.Equal(["rq"], lowered.ValueInfos.Keys);
        Assert.Empty(GraphVerifier.Verify(lowered));
    }

    [Fact]
    public void Lower_S8ToU8RetypingAValueWithValueInfo_DeclaresTheNewType()
    {
        // QdqS8ToU8 turns the int8 Q→DQ pair into uint8 in place: 'xq' keeps its name and changes type. ToGraph kept the
        // declaration Int8 (the lowering's verifier reported the mismatch after "to-graph"); it now declares UInt8.
        ModelGraph model = Graph(
            [Node("q", "QuantizeLinear", ["x", "s", "zp_s8"], ["xq"]), Node("dq", "DequantizeLinear", ["xq", "s", "zp_s8"], ["y"])],
            valueInfos: [Info("xq", DataType.Int8)]);
        Assert.Empty(GraphVerifier.Verify(model));

        ModelGraph lowered = OrtCpuLowering.Lower(model);

        Assert.Equal(DataType.UInt8, lowered.ValueInfos["xq"].Type);
        Assert.Empty(GraphVerifier.Verify(lowered));
    }

    private sealed class Recorder : ILoweringObserver
    {
        public List<string> Passes { get; } = [];

        public void PassApplied(string pass, GraphEditor graph) => Passes.Add(pass);
    }

    private static Node Node(string name, string op, string[] inputs, string[] outputs) =>
        new(name, op, string.Empty, [.. inputs], [.. outputs], ImmutableDictionary<string, AttributeValue>.Empty);

    private static ValueInfo Info(string name, DataType type) => new(name, type, []);

    private static ModelGraph Graph(Node[] nodes, ValueInfo[]? valueInfos = null) =>
        new(
            "g",
            [.. nodes],
            new Dictionary<string, TensorValue>
            {
                ["s"] = TensorValue.Scalar(DataType.Float, 0.5f),
                ["zp_u8_min"] = TensorValue.Scalar(DataType.UInt8, (byte)0),
                ["zp_s8"] = TensorValue.Scalar(DataType.Int8, (sbyte)3),
            }.ToImmutableDictionary(StringComparer.Ordinal),
            [Info("x", DataType.Float)],
            [Info("y", DataType.Float)],
            (valueInfos ?? []).ToImmutableDictionary(v => v.Name, StringComparer.Ordinal),
            ImmutableDictionary<string, int>.Empty.Add(string.Empty, 21));
}
