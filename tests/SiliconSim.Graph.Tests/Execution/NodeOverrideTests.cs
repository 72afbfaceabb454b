using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Tests.Execution;

/// <summary>The executor's per-node override: what co-simulation and vector export hang on.</summary>
public sealed class NodeOverrideTests
{
    [Fact]
    public void Override_ReplacesTheNodesOutputs_AndLaterNodesUseThem()
    {
        ModelGraph graph = Graph();
        var hook = new Hook("neg", computed => [TensorValue.FromFloats([3], [10f, 20f, 30f])]);

        var y = GraphExecutor.Run(graph, Inputs(), options: new ExecutionOptions { NodeOverride = hook })[0].Value.Items<float>();

        Assert.Equal([1f, 2f, 3f], hook.Seen); // the node's own kernel ran first: -x for x = -1, -2, -3
        Assert.Equal([20f, 40f, 60f], y);      // the Add after it doubled the replacement
    }

    [Fact]
    public void Override_WithTheWrongShape_IsAnErrorNamingTheNode()
    {
        var hook = new Hook("neg", _ => [TensorValue.FromFloats([2], [1f, 2f])]);

        var e = Assert.Throws<ExecutionException>(() => GraphExecutor.Run(Graph(), Inputs(), options: new ExecutionOptions { NodeOverride = hook }));

        Assert.Contains("'neg' (Neg)", e.Message, StringComparison.Ordinal);
        Assert.Contains("float[2]", e.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, TensorValue> Inputs() => new(StringComparer.Ordinal) { ["x"] = TensorValue.FromFloats([3], [-1f, -2f, -3f]) };

    private static ModelGraph Graph()
    {
        var b = new OnnxBuilder()
            .Input("x", DataType.Float, 3)
            .Node("Neg", ["x"], ["n"], name: "neg")
            .Node("Add", ["n", "n"], ["y"], name: "add")
            .Output("y", DataType.Float);
        using var stream = new MemoryStream(b.ToBytes());
        return OnnxModelReader.Read(stream);
    }

    private sealed class Hook(string name, Func<IReadOnlyList<TensorValue>, IReadOnlyList<TensorValue>> replace) : INodeOverride
    {
        public float[] Seen { get; private set; } = [];

        public bool Overrides(Node node) => node.Name == name;

        public IReadOnlyList<TensorValue> Run(Node node, IReadOnlyList<TensorValue?> inputs, IReadOnlyList<TensorValue> computed)
        {
            Seen = computed[0].Items<float>();
            return replace(computed);
        }
    }
}
