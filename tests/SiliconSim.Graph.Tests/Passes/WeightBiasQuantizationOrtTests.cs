using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Tests.Passes;

/// <summary>
/// ORT quantizes float Gemm/Conv weights and biases itself (WeightBiasQuantization, then constant folding): the int8
/// weights, their scale and zero point and the int32 bias SiliconSim computes must be the initializers ORT writes into
/// its optimised graph, bit for bit, and the fused kernels must then give ORT's outputs.
/// </summary>
public sealed class WeightBiasQuantizationOrtTests
{
    [Fact]
    public void QuantizedGemmInitializers_AreOrts_OverGeneratedWeights()
    {
        var failures = new List<string>();
        for (int seed = 0; seed < 60; seed++)
        {
            var rng = new Random(seed);
            int k = rng.Next(1, 20);
            int n = rng.Next(1, 12);
            byte[] model = GemmModel(rng, k, n);
            ModelGraph ortGraph = OrtGraphs.Optimized(model);
            ModelGraph ours = OrtCpuLowering.Lower(OnnxModelReader.Read(new MemoryStream(model)), OrtOptimizationLevel.Extended);
            Node ourNode = ours.Nodes.Single(x => x.OpType == "QGemm");
            Node ort = ortGraph.Nodes.Single(x => x.OpType == "QGemm");

            // QGemm inputs: A, a_scale, a_zp, B, b_scale, b_zp, C, y_scale, y_zp.
            foreach (int slot in new[] { 3, 4, 5, 6 })
            {
                TensorValue expected = ortGraph.Initializers[ort.Inputs[slot]];
                TensorValue actual = ours.Initializers[ourNode.Inputs[slot]];
                if (!SameBits(expected, actual))
                {
                    failures.Add($"seed {seed} (K {k}, N {n}) input {slot}: ORT {expected} vs ours {actual}");
                }
            }

            var x = TensorValue.Create(DataType.Float, [2, k], Enumerable.Range(0, 2 * k).Select(_ => (float)((rng.NextDouble() * 6) - 3)).ToArray());
            var e = OrtOracle.RunSingle(model, ("x", x));
            var a = OrtGraphs.RunLowered(model, [("x", x)])[0].Value;
            if (!SameBits(e, a))
            {
                failures.Add($"seed {seed}: outputs differ");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>x → Q/DQ → Gemm(float W, float bias) → Q → DQ, with weights that are all positive, all negative, all
    /// zero, mixed, or on a coarse grid (so that w / scale lands on rounding ties).</summary>
    private static byte[] GemmModel(Random rng, int k, int n)
    {
        int kind = rng.Next(5);
        var w = new float[k * n];
        for (int i = 0; i < w.Length; i++)
        {
            double u = rng.NextDouble();
            w[i] = kind switch
            {
                0 => (float)u,
                1 => (float)-u,
                2 => 0f,
                3 => MathF.Round((float)((u * 2) - 1) * 8f) / 16f,
                _ => (float)((u * 2) - 1) * (float)Math.Pow(10, rng.Next(-3, 2)),
            };
        }

        var bias = Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
        return new OnnxBuilder(17)
            .Input("x", DataType.Float, 2, k)
            .Initializer("s", TensorValue.Scalar(DataType.Float, (float)(0.01 + (rng.NextDouble() * 0.05))))
            .Initializer("zi", TensorValue.Scalar(DataType.UInt8, (byte)rng.Next(0, 256)))
            .Initializer("w", TensorValue.Create(DataType.Float, [k, n], w))
            .Initializer("bias", TensorValue.Create(DataType.Float, [n], bias))
            .Initializer("so", TensorValue.Scalar(DataType.Float, 0.05f))
            .Initializer("zo", TensorValue.Scalar(DataType.UInt8, (byte)128))
            .Node("QuantizeLinear", ["x", "s", "zi"], ["xq"])
            .Node("DequantizeLinear", ["xq", "s", "zi"], ["xd"])
            .Node("Gemm", ["xd", "w", "bias"], ["g"])
            .Node("QuantizeLinear", ["g", "so", "zo"], ["gq"])
            .Node("DequantizeLinear", ["gq", "so", "zo"], ["y"])
            .Output("y", DataType.Float).ToBytes();
    }

    private static bool SameBits(TensorValue a, TensorValue b)
    {
        if (a.Type != b.Type || a.Length != b.Length || !a.Shape.SequenceEqual(b.Shape))
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            object x = a.Data.GetValue(i)!;
            object y = b.Data.GetValue(i)!;
            bool same = x is float fx && y is float fy ? BitConverter.SingleToInt32Bits(fx) == BitConverter.SingleToInt32Bits(fy) : x.Equals(y);
            if (!same)
            {
                return false;
            }
        }

        return true;
    }
}
