using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Formats;

namespace SiliconSim.Graph.Tests.Execution;

/// <summary>
/// The low-precision array's Conv and Gemm against a plain float64 computation in the test. Every value sits on the
/// fp4 grid, so MX conversion is lossless (a block's power-of-two scale maps each grid value onto the grid) and every
/// sum is exact in fp32: any wrong element, window, padding, group, block or bias position shows.
/// </summary>
public sealed class LowPrecisionArrayTests
{
    private static readonly float[] s_grid = [0f, 0.5f, 1f, 1.5f, 2f, 3f, 4f, 6f, -0.5f, -1f, -1.5f, -2f, -3f, -4f, -6f];

    [Theory]
    [InlineData(3, 4, 1, 3, 1, 1)]     // a partial block (3 of 32 channels), padding
    [InlineData(40, 6, 2, 3, 2, 1)]    // 20 channels per group, stride 2
    [InlineData(36, 5, 1, 1, 1, 0)]    // 1x1, 36 channels: one full block and a partial one
    [InlineData(4, 4, 4, 3, 1, 1)]     // depthwise
    public void ArrayConv_MatchesTheExactConv(int channels, int outPerGroup, int group, int kernel, int stride, int pad)
    {
        var rng = new Random(channels * 100 + kernel);
        int cg = channels / group, oc = outPerGroup * group, h = 6, w = 5;
        float[] x = Grid(rng, 2 * channels * h * w);
        float[] wv = Grid(rng, oc * cg * kernel * kernel);
        float[] bias = Grid(rng, oc);
        int blocks = (cg + 31) / 32;
        var b = new OnnxBuilder(23)
            .Input("x", DataType.Float, 2, channels, h, w)
            .Initializer("wq", Fp4(wv, [oc, cg, kernel, kernel]))
            .Initializer("ws", TensorValue.FromFloats([oc, blocks, kernel, kernel], [.. Enumerable.Repeat(1f, oc * blocks * kernel * kernel)]))
            .Initializer("b", TensorValue.FromFloats([oc], bias))
            .Node("DequantizeLinear", ["wq", "ws"], ["wd"], attributes: [("axis", 1L), ("block_size", 32L)])
            .Node("Conv", ["x", "wd", "b"], ["y"], name: "conv", attributes: [("group", (long)group), ("kernel_shape", new long[] { kernel, kernel }), ("strides", new long[] { stride, stride }), ("pads", new long[] { pad, pad, pad, pad })])
            .Output("y", DataType.Float);
        ModelGraph mapped = LowPrecisionArrayMapping.Apply(Read(b), _ => true);
        Assert.Equal(["ArrayConv"], mapped.Nodes.Select(n => n.OpType));

        float[] y = GraphExecutor.Run(mapped, new Dictionary<string, TensorValue>(StringComparer.Ordinal) { ["x"] = TensorValue.FromFloats([2, channels, h, w], x) })[0].Value.Items<float>();

        int oh = ((h + (2 * pad) - kernel) / stride) + 1, ow = ((w + (2 * pad) - kernel) / stride) + 1;
        Assert.Equal(2 * oc * oh * ow, y.Length);
        for (int n = 0; n < 2; n++)
        {
            for (int o = 0; o < oc; o++)
            {
                int gi = o / outPerGroup;
                for (int i = 0; i < oh; i++)
                {
                    for (int j = 0; j < ow; j++)
                    {
                        double sum = bias[o];
                        for (int c = 0; c < cg; c++)
                        {
                            for (int ki = 0; ki < kernel; ki++)
                            {
                                for (int kj = 0; kj < kernel; kj++)
                                {
                                    int r = (i * stride) - pad + ki, s = (j * stride) - pad + kj;
                                    if (r >= 0 && r < h && s >= 0 && s < w)
                                    {
                                        sum += (double)x[((((n * channels) + (gi * cg) + c) * h) + r) * w + s] * wv[((((o * cg) + c) * kernel) + ki) * kernel + kj];
                                    }
                                }
                            }
                        }

                        Assert.Equal((float)sum, y[((((n * oc) + o) * oh) + i) * ow + j]);
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData("Gemm", true)]
    [InlineData("Gemm", false)]
    [InlineData("MatMul", false)]
    public void ArrayGemm_MatchesTheExactProduct(string op, bool transB)
    {
        var rng = new Random(op.Length + (transB ? 1 : 0));
        int m = 3, k = 45, n = 4, blocks = 2;
        float[] a = Grid(rng, m * k);
        float[] wv = Grid(rng, k * n); // [k, n]
        float[] stored = transB ? [.. Enumerable.Range(0, n * k).Select(i => wv[((i % k) * n) + (i / k)])] : wv;
        int[] shape = transB ? [n, k] : [k, n];
        int[] scaleShape = transB ? [n, blocks] : [blocks, n];
        var b = new OnnxBuilder(23)
            .Input("a", DataType.Float, m, k)
            .Initializer("wq", Fp4(stored, shape))
            .Initializer("ws", TensorValue.FromFloats(scaleShape, [.. Enumerable.Repeat(2f, n * blocks)]))
            .Node("DequantizeLinear", ["wq", "ws"], ["wd"], attributes: [("axis", transB ? 1L : 0L), ("block_size", 32L)]);
        b = op == "Gemm"
            ? b.Node("Gemm", ["a", "wd"], ["y"], name: "g", attributes: [("transB", transB ? 1L : 0L)])
            : b.Node("MatMul", ["a", "wd"], ["y"], name: "g");
        ModelGraph mapped = LowPrecisionArrayMapping.Apply(Read(b.Output("y", DataType.Float)), _ => true);
        Assert.Equal(["ArrayGemm"], mapped.Nodes.Select(x => x.OpType));

        float[] y = GraphExecutor.Run(mapped, new Dictionary<string, TensorValue>(StringComparer.Ordinal) { ["a"] = TensorValue.FromFloats([m, k], a) })[0].Value.Items<float>();
        for (int r = 0; r < m; r++)
        {
            for (int c = 0; c < n; c++)
            {
                double sum = 0;
                for (int i = 0; i < k; i++)
                {
                    sum += (double)a[(r * k) + i] * wv[(i * n) + c] * 2;
                }

                Assert.Equal((float)sum, y[(r * n) + c]);
            }
        }
    }

    [Fact]
    public void Apply_LeavesOpsTheArrayDoesNotListAndUnsupportedLayouts()
    {
        var b = new OnnxBuilder(23)
            .Input("a", DataType.Float, 2, 32)
            .Initializer("wq", Fp4(new float[32 * 3], [32, 3]))
            .Initializer("ws", TensorValue.FromFloats([2, 3], [1, 1, 1, 1, 1, 1]))
            .Node("DequantizeLinear", ["wq", "ws"], ["wd"], attributes: [("axis", 0L), ("block_size", 16L)])
            .Node("MatMul", ["a", "wd"], ["y"], name: "g")
            .Output("y", DataType.Float);
        ModelGraph graph = Read(b);

        Assert.Equal(["DequantizeLinear", "MatMul"], LowPrecisionArrayMapping.Apply(graph, t => t != DataType.Float4E2M1).Nodes.Select(n => n.OpType));
        Assert.Equal(["ArrayGemm"], LowPrecisionArrayMapping.Apply(graph, _ => true).Nodes.Select(n => n.OpType));

        // Blocks of 8 are neither MX nor NVFP4: the op keeps ONNX's float semantics.
        var odd = new OnnxBuilder(23)
            .Input("a", DataType.Float, 2, 32)
            .Initializer("wq", Fp4(new float[32 * 3], [32, 3]))
            .Initializer("ws", TensorValue.FromFloats([4, 3], [.. Enumerable.Repeat(1f, 12)]))
            .Node("DequantizeLinear", ["wq", "ws"], ["wd"], attributes: [("axis", 0L), ("block_size", 8L)])
            .Node("MatMul", ["a", "wd"], ["y"], name: "g")
            .Output("y", DataType.Float);
        Assert.Equal(["DequantizeLinear", "MatMul"], LowPrecisionArrayMapping.Apply(Read(odd), _ => true).Nodes.Select(n => n.OpType));
    }

    [Fact]
    public void Apply_FusesRelu_AndStoresMxBetweenArrayOps_WithoutChangingTheResult()
    {
        var rng = new Random(7);
        float[] w1 = [.. Enumerable.Range(0, 40 * 8).Select(_ => (float)(rng.NextDouble() - 0.5))];
        float[] w2 = [.. Enumerable.Range(0, 40 * 5).Select(_ => (float)(rng.NextDouble() - 0.5))];
        var b = new OnnxBuilder(23)
            .Input("x", DataType.Float, 3, 8)
            .Initializer("w1q", Fp4([.. w1.Select(v => v * 8)], [8, 40]))
            .Initializer("w1s", TensorValue.FromFloats([1, 40], [.. Enumerable.Repeat(0.125f, 40)]))
            .Initializer("w2q", Fp4([.. w2.Select(v => v * 8)], [40, 5]))
            .Initializer("w2s", TensorValue.FromFloats([2, 5], [.. Enumerable.Repeat(0.25f, 10)]))
            .Node("DequantizeLinear", ["w1q", "w1s"], ["w1"], attributes: [("axis", 0L), ("block_size", 32L)])
            .Node("DequantizeLinear", ["w2q", "w2s"], ["w2"], attributes: [("axis", 0L), ("block_size", 32L)])
            .Node("MatMul", ["x", "w1"], ["h"], name: "m1")
            .Node("Relu", ["h"], ["r"], name: "relu")
            .Node("MatMul", ["r", "w2"], ["y"], name: "m2")
            .Output("y", DataType.Float);
        ModelGraph mapped = LowPrecisionArrayMapping.Apply(Read(b), _ => true);

        Assert.Equal(["ArrayGemm", "ArrayGemm"], mapped.Nodes.Select(n => n.OpType));
        Node first = mapped.Nodes[0];
        Assert.Equal("Relu", first.Attributes["activation"].String);
        Assert.Equal(1, first.Attributes["store_mx"].Int);
        Assert.False(mapped.Nodes[1].Attributes.ContainsKey("store_mx")); // the graph output stays fp32
        Assert.Equal(DataType.Float4E2M1, Assert.Single(LowPrecisionArrayMapping.StoredFormats(mapped)).Value.ElementType);

        // The same ops unfused and unstored: a separate Relu, no conversion on the way out.
        ModelGraph plain = mapped with
        {
            Nodes =
            [
                first with { Outputs = ["h"], Attributes = first.Attributes.Remove("activation").Remove("store_mx") },
                new Node("relu", "Relu", string.Empty, ["h"], ["r"], first.Attributes.Clear()),
                mapped.Nodes[1],
            ],
        };
        var feeds = new Dictionary<string, TensorValue>(StringComparer.Ordinal) { ["x"] = TensorValue.FromFloats([3, 8], [.. Enumerable.Range(0, 24).Select(_ => (float)(rng.NextDouble() * 4 - 2))]) };
        float[] stored = GraphExecutor.Run(mapped, feeds)[0].Value.Items<float>();
        float[] unstored = GraphExecutor.Run(plain, feeds)[0].Value.Items<float>();

        // The second array converts its input to MX with the blocks the first one stored it in: converting twice is
        // converting once, so storing in MX changes no bit.
        Assert.Equal(unstored.Select(BitConverter.SingleToInt32Bits), stored.Select(BitConverter.SingleToInt32Bits));
        float[] hidden = GraphExecutor.Run(mapped with { Outputs = [.. mapped.Outputs, mapped.Outputs[0] with { Name = "r" }] }, feeds)[1].Value.Items<float>();
        Assert.Contains(hidden, v => v == 0f);
        Assert.All(hidden, v => Assert.True(v >= 0f));
    }

    [Fact]
    public void Apply_StaticFp8Activations_ReachTheArrayAsCodes_AndItsOutputQuantizerRunsInTheEpilogue()
    {
        // x is on the fp8 grid at scale 2^-3, the weights at per-channel scales of powers of two, so every sum is exact.
        var rng = new Random(3);
        int m = 4, k = 24, n = 3;
        float[] x = [.. Enumerable.Range(0, m * k).Select(_ => s_grid[rng.Next(s_grid.Length)] * 0.125f)];
        float[] w = [.. Enumerable.Range(0, k * n).Select(_ => s_grid[rng.Next(s_grid.Length)])];
        float[] ws = [0.5f, 1f, 2f];
        TensorValue Fp8(float[] v, int[] shape) => TensorValue.Create(DataType.Float8E4M3FN, shape, v.Select(f => Fp8E4M3Fn.Encode(f)).ToArray());
        var b = new OnnxBuilder(23)
            .Input("x", DataType.Float, m, k)
            .Initializer("xs", TensorValue.Scalar(DataType.Float, 0.125f))
            .Initializer("xz", Fp8([0f], []))
            .Initializer("wq", Fp8([.. Enumerable.Range(0, k * n).Select(i => w[i] / ws[i % n])], [k, n]))
            .Initializer("ws", TensorValue.FromFloats([n], ws))
            .Initializer("ys", TensorValue.Scalar(DataType.Float, 0.5f))
            .Node("QuantizeLinear", ["x", "xs", "xz"], ["xq"])
            .Node("DequantizeLinear", ["xq", "xs", "xz"], ["xd"])
            .Node("DequantizeLinear", ["wq", "ws"], ["wd"], attributes: [("axis", 1L)])
            .Node("MatMul", ["xd", "wd"], ["h"], name: "g")
            .Node("QuantizeLinear", ["h", "ys", "xz"], ["y"])
            .Output("y", DataType.Float8E4M3FN);
        ModelGraph mapped = LowPrecisionArrayMapping.Apply(Read(b), _ => true);

        Assert.Equal(["QuantizeLinear", "ArrayGemm"], mapped.Nodes.Select(node => node.OpType));
        Node gemm = mapped.Nodes[1];
        Assert.Equal("xq", gemm.Inputs[0]);
        Assert.Equal("xs", gemm.Inputs[4]);
        Assert.Equal("y", Assert.Single(gemm.Outputs));
        Assert.Equal(DataType.Float8E4M3FN, TypeInference.Infer(mapped)["y"]);

        byte[] y = GraphExecutor.Run(mapped, new Dictionary<string, TensorValue>(StringComparer.Ordinal) { ["x"] = TensorValue.FromFloats([m, k], x) })[0].Value.Items<byte>();
        for (int r = 0; r < m; r++)
        {
            for (int c = 0; c < n; c++)
            {
                double sum = 0;
                for (int i = 0; i < k; i++)
                {
                    sum += (double)x[(r * k) + i] * w[(i * n) + c];
                }

                Assert.Equal(Fp8E4M3Fn.Encode((float)sum / 0.5f), y[(r * n) + c]);
            }
        }
    }

    [Fact]
    public void Apply_MovesAnFp8QuantizerAboveMaxPool_WithTheSameCodes()
    {
        var rng = new Random(11);
        float[] x = [.. Enumerable.Range(0, 2 * 3 * 7 * 7).Select(_ => (float)((rng.NextDouble() * 20) - 10))];
        var b = new OnnxBuilder(23)
            .Input("x", DataType.Float, 2, 3, 7, 7)
            .Initializer("s", TensorValue.Scalar(DataType.Float, 0.01f)) // saturates the largest values: Q still monotone
            .Initializer("z", TensorValue.Create(DataType.Float8E4M3FN, [], new byte[] { 0 }))
            .Node("MaxPool", ["x"], ["p"], name: "pool", attributes: [("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("pads", new long[] { 1, 1, 1, 1 })])
            .Node("QuantizeLinear", ["p", "s", "z"], ["y"], name: "q")
            .Output("y", DataType.Float8E4M3FN);
        ModelGraph original = Read(b);
        ModelGraph mapped = LowPrecisionArrayMapping.Apply(original, _ => true);

        Assert.Equal(["QuantizeLinear", "MaxPool"], mapped.Nodes.Select(n => n.OpType));
        Assert.Equal(NchwcSelection.Domain, mapped.Nodes[1].Domain);
        var feeds = new Dictionary<string, TensorValue>(StringComparer.Ordinal) { ["x"] = TensorValue.FromFloats([2, 3, 7, 7], x) };
        Assert.Equal(GraphExecutor.Run(original, feeds)[0].Value.Items<byte>(), GraphExecutor.Run(mapped, feeds)[0].Value.Items<byte>());
    }

    [Theory]
    [InlineData(40, 3, 1, 3, 1, 1)]  // 40 channels: two blocks of 16 and a partial one per pixel; padding
    [InlineData(16, 2, 2, 3, 2, 1)]  // groups of 8 channels, two to a stored block; stride 2
    [InlineData(8, 1, 8, 3, 1, 1)]   // depthwise: eight one-channel groups in one stored block
    [InlineData(32, 4, 2, 1, 1, 0)]  // 1x1, groups of 16: one stored block each
    public void Apply_TakesACalibratedNvFp4Activation_AndTheArrayReadsTheCodesItsQuantizerWrites(int channels, int outPerGroup, int group, int kernel, int stride, int pad)
    {
        var rng = new Random((channels * 10) + group);
        const float S = 0.0625f;
        int cg = channels / group, oc = outPerGroup * group, h = 5, w = 4;
        float[] x = NvFp4Blocks(rng, 2, channels, h * w, S);
        float[] wv = Grid(rng, oc * cg * kernel * kernel);
        float[] bias = Grid(rng, oc);
        int wBlocks = (cg + 15) / 16;
        float[] wScales = [.. Enumerable.Range(0, oc * wBlocks * kernel * kernel).Select(_ => rng.Next(2) == 0 ? 1f : 0.5f)];
        var b = NvFp4Activation(new OnnxBuilder(23).Input("x", DataType.Float, 2, channels, h, w), S, axis: 1)
            .Initializer("wq", Fp4(wv, [oc, cg, kernel, kernel]))
            .Initializer("ws", TensorValue.FromFloats([oc, wBlocks, kernel, kernel], wScales))
            .Initializer("b", TensorValue.FromFloats([oc], bias))
            .Node("DequantizeLinear", ["wq", "ws"], ["wd"], attributes: [("axis", 1L), ("block_size", 16L)])
            .Node("Conv", ["xd", "wd", "b"], ["y"], name: "conv", attributes: [("group", (long)group), ("kernel_shape", new long[] { kernel, kernel }), ("strides", new long[] { stride, stride }), ("pads", new long[] { pad, pad, pad, pad })])
            .Output("y", DataType.Float);
        ModelGraph original = Read(b);
        ModelGraph mapped = LowPrecisionArrayMapping.Apply(original, _ => true);

        // The quantizer chain is gone: the array reads X and the static tensor scale.
        Node conv = Assert.Single(mapped.Nodes);
        Assert.Equal(("ArrayConv", "x", "s"), (conv.OpType, conv.Inputs[0], conv.Inputs[4]));

        // The activation values the model's own quantizer chain produces (ONNX semantics, no array): each block's
        // largest value is 6 · 2^e · S, so its E4M3 scale is exactly 2^e, and the others round to the E2M1 grid.
        var feeds = new Dictionary<string, TensorValue>(StringComparer.Ordinal) { ["x"] = TensorValue.FromFloats([2, channels, h, w], x) };
        var reference = GraphExecutor.Run(original with { Outputs = [.. original.Outputs, original.Outputs[0] with { Name = "xd" }] }, feeds);
        float[] xd = reference[1].Value.Items<float>();
        Assert.Contains(Enumerable.Range(0, x.Length), i => xd[i] != x[i]); // the conversion is lossy

        // Every product and sum is exact in fp32 (few significant bits, a narrow exponent range), so the array's result
        // is the exact conv of those values: a wrong code, block scale, pixel, group or padding shows.
        float[] y = GraphExecutor.Run(mapped, feeds)[0].Value.Items<float>();
        Assert.Equal(reference[0].Value.Items<float>().Select(BitConverter.SingleToInt32Bits), y.Select(BitConverter.SingleToInt32Bits));
        int oh = ((h + (2 * pad) - kernel) / stride) + 1, ow = ((w + (2 * pad) - kernel) / stride) + 1;
        for (int n = 0; n < 2; n++)
        {
            for (int o = 0; o < oc; o++)
            {
                int gi = o / outPerGroup;
                for (int i = 0; i < oh; i++)
                {
                    for (int j = 0; j < ow; j++)
                    {
                        double sum = bias[o];
                        for (int c = 0; c < cg; c++)
                        {
                            for (int ki = 0; ki < kernel; ki++)
                            {
                                for (int kj = 0; kj < kernel; kj++)
                                {
                                    int r = (i * stride) - pad + ki, t = (j * stride) - pad + kj;
                                    if (r >= 0 && r < h && t >= 0 && t < w)
                                    {
                                        int wi = (((o * cg) + c) * kernel + ki) * kernel + kj;
                                        double weight = (double)wv[wi] * wScales[(((o * wBlocks) + (c / 16)) * kernel + ki) * kernel + kj];
                                        sum += (double)xd[((((n * channels) + (gi * cg) + c) * h) + r) * w + t] * weight;
                                    }
                                }
                            }
                        }

                        Assert.Equal((float)sum, y[((((n * oc) + o) * oh) + i) * ow + j]);
                    }
                }
            }
        }
    }

    [Fact]
    public void Apply_TakesACalibratedNvFp4Activation_IntoAGemm()
    {
        var rng = new Random(5);
        const float S = 0.25f;
        int m = 3, k = 40, n = 4, blocks = 3;
        float[] a = NvFp4Blocks(rng, m, k, 1, S);
        float[] wv = Grid(rng, n * k); // [n, k], transB
        var b = NvFp4Activation(new OnnxBuilder(23).Input("x", DataType.Float, m, k), S, axis: -1)
            .Initializer("wq", Fp4(wv, [n, k]))
            .Initializer("ws", TensorValue.FromFloats([n, blocks], [.. Enumerable.Repeat(0.5f, n * blocks)]))
            .Node("DequantizeLinear", ["wq", "ws"], ["wd"], attributes: [("axis", 1L), ("block_size", 16L)])
            .Node("Gemm", ["xd", "wd"], ["y"], name: "g", attributes: [("transB", 1L)])
            .Output("y", DataType.Float);
        ModelGraph original = Read(b);
        ModelGraph mapped = LowPrecisionArrayMapping.Apply(original, _ => true);
        Node gemm = Assert.Single(mapped.Nodes);
        Assert.Equal(("ArrayGemm", "x", "s"), (gemm.OpType, gemm.Inputs[0], gemm.Inputs[4]));

        var feeds = new Dictionary<string, TensorValue>(StringComparer.Ordinal) { ["x"] = TensorValue.FromFloats([m, k], a) };
        float[] xd = GraphExecutor.Run(original with { Outputs = [original.Outputs[0] with { Name = "xd" }] }, feeds)[0].Value.Items<float>();
        float[] y = GraphExecutor.Run(mapped, feeds)[0].Value.Items<float>();
        for (int r = 0; r < m; r++)
        {
            for (int c = 0; c < n; c++)
            {
                double sum = 0;
                for (int i = 0; i < k; i++)
                {
                    sum += (double)xd[(r * k) + i] * wv[(c * k) + i] * 0.5;
                }

                Assert.Equal((float)sum, y[(r * n) + c]);
            }
        }
    }

    [Fact]
    public void Apply_KeepsTheNvFp4Quantizer_WhenGroupsStraddleTheStoredBlocks()
    {
        // Groups of 24 channels: the second group starts in the middle of a 16-channel block, so a block the array
        // forms would take elements with two different scales. The chain stays, the array converts its output itself.
        var b = NvFp4Activation(new OnnxBuilder(23).Input("x", DataType.Float, 1, 48, 3, 3), 1f, axis: 1)
            .Initializer("wq", Fp4(new float[4 * 24], [4, 24, 1, 1]))
            .Initializer("ws", TensorValue.FromFloats([4, 2, 1, 1], [.. Enumerable.Repeat(1f, 8)]))
            .Node("DequantizeLinear", ["wq", "ws"], ["wd"], attributes: [("axis", 1L), ("block_size", 16L)])
            .Node("Conv", ["xd", "wd"], ["y"], name: "conv", attributes: [("group", 2L)])
            .Output("y", DataType.Float);
        ModelGraph mapped = LowPrecisionArrayMapping.Apply(Read(b), _ => true);
        Assert.Equal(["TRT_FP4DynamicQuantize", "DequantizeLinear", "DequantizeLinear", "ArrayConv"], mapped.Nodes.Select(n => n.OpType));
        Assert.Equal(["xd", "wq", "ws"], mapped.Nodes[3].Inputs.ToArray()); // the dequantized activation, no static scale
    }

    [Fact]
    public void WeightScaleBytes_AreTheFormatsScales_NotTheGraphsFp32()
    {
        // MX (32-blocks, power-of-two scales): one E8M0 byte per block. NVFP4 (16-blocks): one E4M3 byte per block (its
        // fp32 second-level scale is a constant of the op, as the activations' static scale is). Per-row fp8: fp32 per row, as the graph has it (not listed). A scale
        // another node reads too keeps its graph type.
        var b = new OnnxBuilder(23)
            .Input("x", DataType.Float, 2, 64)
            .Initializer("mxq", Fp4(new float[64 * 3], [64, 3]))
            .Initializer("mxs", TensorValue.FromFloats([2, 3], [.. Enumerable.Repeat(0.5f, 6)]))
            .Initializer("nvq", Fp4(new float[5 * 64], [5, 64]))
            .Initializer("nvs", TensorValue.FromFloats([5, 4], [.. Enumerable.Repeat(0.75f, 20)]))
            .Initializer("f8q", TensorValue.Create(DataType.Float8E4M3FN, [64, 7], new byte[64 * 7]))
            .Initializer("f8s", TensorValue.FromFloats([7], [.. Enumerable.Repeat(0.1f, 7)]))
            .Node("DequantizeLinear", ["mxq", "mxs"], ["mxw"], attributes: [("axis", 0L), ("block_size", 32L)])
            .Node("DequantizeLinear", ["nvq", "nvs"], ["nvw"], attributes: [("axis", 1L), ("block_size", 16L)])
            .Node("DequantizeLinear", ["f8q", "f8s"], ["f8w"], attributes: [("axis", 1L)])
            .Node("MatMul", ["x", "mxw"], ["a"], name: "mx")
            .Node("Gemm", ["x", "nvw"], ["c"], name: "nv", attributes: [("transB", 1L)])
            .Node("MatMul", ["x", "f8w"], ["d"], name: "f8")
            .Output("a", DataType.Float).Output("c", DataType.Float).Output("d", DataType.Float);
        ModelGraph mapped = LowPrecisionArrayMapping.Apply(Read(b), _ => true);
        Assert.Equal(["ArrayGemm", "ArrayGemm", "ArrayGemm"], mapped.Nodes.Select(n => n.OpType));

        IReadOnlyDictionary<string, long> bytes = LowPrecisionArrayMapping.WeightScaleBytes(mapped);
        Assert.Equal(new Dictionary<string, long> { ["mxs"] = 6, ["nvs"] = 20 }, bytes);

        ModelGraph shared = mapped with
        {
            Nodes = [.. mapped.Nodes, new Node("peek", "Identity", string.Empty, ["mxs"], ["mxs_copy"], mapped.Nodes[0].Attributes.Clear())],
            Outputs = [.. mapped.Outputs, mapped.Outputs[0] with { Name = "mxs_copy" }],
        };
        Assert.Equal(["nvs"], LowPrecisionArrayMapping.WeightScaleBytes(shared).Keys);
    }

    /// <summary>X → trt::TRT_FP4DynamicQuantize(X, s) → DequantizeLinear(block scales, s) → DequantizeLinear(codes, ·,
    /// axis, 16) → "xd", as NVIDIA's Model Optimizer exports an NVFP4 activation (s: the static tensor scale).</summary>
    private static OnnxBuilder NvFp4Activation(OnnxBuilder b, float s, long axis) => b
        .Initializer("s", TensorValue.Scalar(DataType.Float, s))
        .Node("TRT_FP4DynamicQuantize", ["x", "s"], ["xq", "xqs"], domain: "trt", name: "quantize", attributes: [("axis", axis), ("block_size", 16L), ("scale_type", (long)DataType.Float8E4M3FN)])
        .Node("DequantizeLinear", ["xqs", "s"], ["xqsd"], name: "scales")
        .Node("DequantizeLinear", ["xq", "xqsd"], ["xd"], name: "codes", attributes: [("axis", axis), ("block_size", 16L)]);

    /// <summary>
    /// [outer, channels, inner] values in blocks of 16 channels (the last partial): in each, one element is ±6 · 2^e · S
    /// (e from 0 to 2) and the others are uniform within it, so NVFP4 under S gives the block the E4M3 scale 2^e and
    /// rounds the others.
    /// </summary>
    private static float[] NvFp4Blocks(Random rng, int outer, int channels, int inner, float s)
    {
        float[] x = new float[outer * channels * inner];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                for (int start = 0; start < channels; start += 16)
                {
                    int size = Math.Min(16, channels - start), top = rng.Next(size);
                    float max = 6f * (1 << rng.Next(3)) * s;
                    for (int c = start; c < start + size; c++)
                    {
                        float v = c - start == top ? max : (float)((rng.NextDouble() * 2) - 1) * max;
                        x[(((o * channels) + c) * inner) + i] = rng.Next(2) == 0 ? v : -v;
                    }
                }
            }
        }

        return x;
    }

    private static float[] Grid(Random rng, int count) => [.. Enumerable.Range(0, count).Select(_ => s_grid[rng.Next(s_grid.Length)])];

    private static TensorValue Fp4(float[] values, int[] shape) =>
        TensorValue.Create(DataType.Float4E2M1, shape, values.Select(v => Fp4E2M1.Encode(v)).ToArray());

    private static ModelGraph Read(OnnxBuilder b)
    {
        using var stream = new MemoryStream(b.ToBytes());
        return OnnxModelReader.Read(stream);
    }
}
