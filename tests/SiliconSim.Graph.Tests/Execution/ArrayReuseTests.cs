using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;
using SiliconSim.TestSupport;

namespace SiliconSim.Graph.Tests.Execution;

/// <summary>
/// The executor's array reuse (<see cref="TensorArena"/>) must never hand a later node an array a live value still
/// holds: Reshape passes its input's storage on, so the storage stays in use after the input's last reader has run.
/// </summary>
public sealed class ArrayReuseTests
{
    // 64 x 1024 floats: well above TensorArena.MinPooledBytes, so the dequantized values come from the arena.
    private const int Rows = 64;
    private const int Cols = 1024;

    [Fact]
    public void ReshapedValue_KeepsItsStorage_WhenTheOriginalIsReleased()
    {
        // a = DQ(x); r = Reshape(a) shares a's array; a's last reader is the Reshape; c = DQ(x2) then allocates an
        // array of a's size and type. If the arena took a's array back, c would overwrite r.
        var b = new OnnxBuilder()
            .Input("x", DataType.Int8, Rows, Cols)
            .Input("x2", DataType.Int8, Rows, Cols)
            .Initializer("s", TensorValue.Scalar(DataType.Float, 0.5f))
            .Initializer("shape", TensorValue.Create(DataType.Int64, [2], new long[] { Cols, Rows }))
            .Node("DequantizeLinear", ["x", "s"], ["a"], name: "dq_a")
            .Node("Reshape", ["a", "shape"], ["r"], name: "reshape")
            .Node("DequantizeLinear", ["x2", "s"], ["c"], name: "dq_c")
            .Output("r", DataType.Float)
            .Output("c", DataType.Float);
        using var stream = new MemoryStream(b.ToBytes());
        ModelGraph graph = OnnxModelReader.Read(stream);
        var r = new Random(3);
        var x = TensorValue.Create(DataType.Int8, [Rows, Cols], Enumerable.Range(0, Rows * Cols).Select(_ => (sbyte)r.Next(-128, 128)).ToArray());
        var x2 = TensorValue.Create(DataType.Int8, [Rows, Cols], Enumerable.Range(0, Rows * Cols).Select(_ => (sbyte)r.Next(-128, 128)).ToArray());
        var outputs = GraphExecutor.Run(graph, new Dictionary<string, TensorValue>(StringComparer.Ordinal) { ["x"] = x, ["x2"] = x2 });

        float[] expectedR = DequantizeLinear.RunScalar(x, TensorValue.Scalar(DataType.Float, 0.5f), null, DataType.Float).Items<float>();
        float[] expectedC = DequantizeLinear.RunScalar(x2, TensorValue.Scalar(DataType.Float, 0.5f), null, DataType.Float).Items<float>();
        Assert.Equal(expectedR, outputs[0].Value.Items<float>());
        Assert.Equal(expectedC, outputs[1].Value.Items<float>());
        Assert.NotSame(outputs[0].Value.Data, outputs[1].Value.Data);
    }

    [Fact]
    public void ReleasedValue_StorageIsReused_ByALaterNodeOfTheSameSize()
    {
        // The reuse itself: a is dead once q is computed, so c (same type and size) gets a's array; the observer only
        // records which array a had, so it lets reuse stay on.
        var b = new OnnxBuilder()
            .Input("x", DataType.Int8, Rows, Cols)
            .Initializer("s", TensorValue.Scalar(DataType.Float, 0.5f))
            .Initializer("z", TensorValue.Scalar(DataType.Int8, (sbyte)0))
            .Node("DequantizeLinear", ["x", "s"], ["a"], name: "dq_a")
            .Node("QuantizeLinear", ["a", "s", "z"], ["q"], name: "q")
            .Node("DequantizeLinear", ["q", "s"], ["c"], name: "dq_c")
            .Output("c", DataType.Float);
        using var stream = new MemoryStream(b.ToBytes());
        ModelGraph graph = OnnxModelReader.Read(stream);
        var r = new Random(4);
        var x = TensorValue.Create(DataType.Int8, [Rows, Cols], Enumerable.Range(0, Rows * Cols).Select(_ => (sbyte)r.Next(-128, 128)).ToArray());
        var feeds = new Dictionary<string, TensorValue>(StringComparer.Ordinal) { ["x"] = x };
        Array? a = null;
        var traced = GraphExecutor.Run(graph, feeds, (name, value) => a = name == "a" ? value.Data : a, new ExecutionOptions { ObserverKeepsValues = false });
        Assert.Same(a, traced[0].Value.Data);
        // Quantizing the dequantized codes with the same scale and zero point gives the codes back.
        Assert.Equal(DequantizeLinear.RunScalar(x, TensorValue.Scalar(DataType.Float, 0.5f), null, DataType.Float).Items<float>(), traced[0].Value.Items<float>());
    }
}
