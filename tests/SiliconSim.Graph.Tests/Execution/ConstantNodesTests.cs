using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;
using SiliconSim.TestSupport;

namespace SiliconSim.Graph.Tests.Execution;

/// <summary>
/// Nodes whose inputs are all constant run once per graph (<see cref="ConstantNodes"/>): later runs reuse their
/// outputs, which must keep their bits even when a run value shares their storage and the run's arena recycles arrays
/// of the same size, and an observer still sees them.
/// </summary>
public sealed class ConstantNodesTests
{
    private const int Rows = 64;
    private const int Cols = 1024;

    [Fact]
    public void FoldedValue_IsComputedOnce_AndNeverRecycled()
    {
        // wf = DQ(wq) is constant; r = Reshape(wf, Shape(x)) is a run value sharing wf's array, released after y; c =
        // DQ(x2) then asks the arena for an array of wf's size and type. Had the arena taken wf's array, c would
        // overwrite wf and the next run's y would be wrong.
        var rng = new Random(5);
        sbyte[] codes = [.. Enumerable.Range(0, Rows * Cols).Select(_ => (sbyte)rng.Next(-128, 128))];
        var wq = TensorValue.Create(DataType.Int8, [Rows, Cols], codes);
        var scale = TensorValue.Create(DataType.Float, [Cols], Enumerable.Range(0, Cols).Select(j => 0.01f * (j + 1)).ToArray());
        var b = new OnnxBuilder()
            .Input("x", DataType.Float, Rows * Cols)
            .Input("x2", DataType.Int8, Rows * Cols)
            .Initializer("wq", wq)
            .Initializer("ws", scale)
            .Initializer("s", TensorValue.Scalar(DataType.Float, 0.5f))
            .Node("DequantizeLinear", ["wq", "ws"], ["wf"], name: "dq_w", attributes: ("axis", 1L))
            .Node("Shape", ["x"], ["sh"], name: "shape")
            .Node("Reshape", ["wf", "sh"], ["r"], name: "reshape")
            .Node("Add", ["r", "x"], ["y"], name: "add")
            .Node("DequantizeLinear", ["x2", "s"], ["c"], name: "dq_c")
            .Output("y", DataType.Float)
            .Output("c", DataType.Float);
        using var stream = new MemoryStream(b.ToBytes());
        ModelGraph graph = OnnxModelReader.Read(stream);
        float[] w = DequantizeLinear.RunScalar(wq, scale, null, DataType.Float, axis: 1).Items<float>();
        var options = new ExecutionOptions { ObserverKeepsValues = false };
        var seen = new List<Array>();
        for (int run = 0; run < 3; run++)
        {
            float[] x = [.. Enumerable.Range(0, Rows * Cols).Select(_ => (float)rng.NextDouble())];
            var x2 = TensorValue.Create(DataType.Int8, [Rows * Cols], Enumerable.Range(0, Rows * Cols).Select(_ => (sbyte)rng.Next(-128, 128)).ToArray());
            var feeds = new Dictionary<string, TensorValue>(StringComparer.Ordinal) { ["x"] = TensorValue.FromFloats([Rows * Cols], x), ["x2"] = x2 };
            var outputs = GraphExecutor.Run(graph, feeds, (name, value) =>
            {
                if (name == "wf")
                {
                    seen.Add(value.Data);
                }
            }, options);
            Assert.Equal(w.Zip(x, (p, q) => p + q), outputs[0].Value.Items<float>());
            Assert.Equal(DequantizeLinear.RunScalar(x2, TensorValue.Scalar(DataType.Float, 0.5f), null, DataType.Float).Items<float>(), outputs[1].Value.Items<float>());
        }

        // Observed on every run, and the same array each time: computed once.
        Assert.Equal(3, seen.Count);
        Assert.Same(seen[0], seen[1]);
        Assert.Same(seen[0], seen[2]);
    }

    [Fact]
    public void NodeOverride_RunsEveryNode()
    {
        // An override may replace any node's outputs, so nothing is taken from the cache: the override sees the node.
        var b = new OnnxBuilder()
            .Input("x", DataType.Float, 4)
            .Initializer("wq", TensorValue.Create(DataType.Int8, [4], new sbyte[] { 1, -2, 3, -4 }))
            .Initializer("s", TensorValue.Scalar(DataType.Float, 0.5f))
            .Node("DequantizeLinear", ["wq", "s"], ["wf"], name: "dq_w")
            .Node("Add", ["wf", "x"], ["y"], name: "add")
            .Output("y", DataType.Float);
        using var stream = new MemoryStream(b.ToBytes());
        ModelGraph graph = OnnxModelReader.Read(stream);
        var feeds = new Dictionary<string, TensorValue>(StringComparer.Ordinal) { ["x"] = TensorValue.FromFloats([4], [1f, 1f, 1f, 1f]) };
        GraphExecutor.Run(graph, feeds);
        var hook = new DoubleDequantized();
        var outputs = GraphExecutor.Run(graph, feeds, options: new ExecutionOptions { NodeOverride = hook });
        Assert.Equal(1, hook.Calls);
        Assert.Equal([2f, -1f, 4f, -3f], outputs[0].Value.Items<float>());
    }

    private sealed class DoubleDequantized : INodeOverride
    {
        public int Calls { get; private set; }

        public bool Overrides(Node node) => node.OpType == "DequantizeLinear";

        public IReadOnlyList<TensorValue> Run(Node node, IReadOnlyList<TensorValue?> inputs, IReadOnlyList<TensorValue> computed)
        {
            Calls++;
            return [TensorValue.FromFloats([4], [.. computed[0].Items<float>().Select(v => v * 2)])];
        }
    }
}
