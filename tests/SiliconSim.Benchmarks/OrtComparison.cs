using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Graph.Quantization;
using SiliconSim.Numerics;
using SiliconSim.TestSupport;
using SiliconSim.TestSupport.Models;

namespace SiliconSim.Benchmarks;

/// <summary>
/// `--ort` (issue 18): ONNX Runtime's CPU provider against SiliconSim's <see cref="GraphExecutor"/> in the same process on
/// ResNet-18-, MobileNetV2- and transformer-sized models, each in the QDQ s8s8 per-channel and the QOperator u8s8
/// per-tensor form, batch 1; one intra-op thread and all cores; the median of <see cref="Runs"/> timed runs after a
/// warm-up; a markdown table of ORT ms, SiliconSim ms and their ratio, plus whether the outputs have the same bits.
/// `--ort-profile` prints where SiliconSim's time goes, by op type, on one thread.
/// </summary>
internal static class OrtComparison
{
    private const int Runs = 5;
    private const int ImageSize = 224;
    private const int TransformerSequence = 128;

    public static void Run(TextWriter output, IReadOnlyList<string> only)
    {
        var models = Models(only);
        int cores = Environment.ProcessorCount;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch 1, median of {Runs} after a warm-up; ORT {OrtVersion()} (graph optimizations: all), {cores} cores"));
        output.WriteLine();
        output.WriteLine("| model | threads | ORT ms | SiliconSim ms | ratio | same bits |");
        output.WriteLine("|---|---|---|---|---|---|");
        foreach (BenchModel model in models)
        {
            foreach (int threads in cores > 1 ? [1, cores] : (int[])[1])
            {
                var (ortMs, ortOut) = TimeOrt(model, threads);
                var (simMs, simOut) = TimeSiliconSim(model, threads);
                bool same = ortOut.AsSpan().SequenceEqual(simOut);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {model.Name} | {threads} | {ortMs:F2} | {simMs:F2} | {simMs / ortMs:F1} | {(same ? "yes" : "NO")} |"));
                output.Flush();
            }
        }
    }

    public static void Profile(TextWriter output, IReadOnlyList<string> only)
    {
        foreach (BenchModel model in Models(only))
        {
            var opOf = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Node n in model.Lowered.Nodes)
            {
                foreach (string o in n.Outputs)
                {
                    opOf[o] = n.NormalizedDomain.Length > 0 ? $"{n.NormalizedDomain}:{n.OpType}" : n.OpType;
                }
            }

            var msByOp = new Dictionary<string, double>(StringComparer.Ordinal);
            var msByValue = new Dictionary<string, double>(StringComparer.Ordinal);
            // The callback only reads names, so the executor may recycle arrays as it does without one.
            var options = new ExecutionOptions { Parallelism = Parallelism.Single, ObserverKeepsValues = false };
            GraphExecutor.Run(model.Lowered, model.Feeds, options: options);
            double total = 0;
            int gen2Before = GC.CollectionCount(2);
            TimeSpan pauseBefore = GC.GetTotalPauseDuration();
            for (int run = 0; run < Runs; run++)
            {
                long last = Stopwatch.GetTimestamp();
                long start = last;
                GraphExecutor.Run(model.Lowered, model.Feeds, (name, _) =>
                {
                    long now = Stopwatch.GetTimestamp();
                    string op = opOf[name];
                    msByOp[op] = msByOp.GetValueOrDefault(op) + (Stopwatch.GetElapsedTime(last, now).TotalMilliseconds / Runs);
                    msByValue[name] = msByValue.GetValueOrDefault(name) + (Stopwatch.GetElapsedTime(last, now).TotalMilliseconds / Runs);
                    last = Stopwatch.GetTimestamp();
                }, options);
                total += Stopwatch.GetElapsedTime(start).TotalMilliseconds / Runs;
            }

            double pauseMs = (GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds / Runs;
            double gen2 = (GC.CollectionCount(2) - gen2Before) / (double)Runs;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{model.Name}: {total:F1} ms (mean of {Runs}; GC pauses {pauseMs:F1} ms, {gen2:F1} gen2 collections per run), by op:"));
            foreach (var (op, ms) in msByOp.OrderByDescending(p => p.Value))
            {
                int count = model.Lowered.Nodes.Count(n => n.Outputs.Length > 0 && opOf[n.Outputs[0]] == op);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {op,-28} x{count,-3} {ms,8:F2} ms"));
            }

            output.WriteLine("  slowest nodes:");
            foreach (var (name, ms) in msByValue.OrderByDescending(p => p.Value).Take(8))
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {opOf[name],-20} {name,-50} {ms,8:F2} ms"));
            }

            output.Flush();
        }
    }

    private static (double Ms, float[] Output) TimeOrt(BenchModel model, int threads)
    {
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(model.Bytes, options);
        var feeds = model.Feeds.Select(f => NamedOnnxValue.CreateFromTensor(f.Key, new DenseTensor<float>(f.Value.Items<float>(), [.. f.Value.Shape]))).ToList();
        float[] Once()
        {
            using var results = session.Run(feeds);
            return results[0].AsTensor<float>().ToArray();
        }

        float[] result = Once();
        return (MedianMs(() => Once()), result);
    }

    private static (double Ms, float[] Output) TimeSiliconSim(BenchModel model, int threads)
    {
        var options = new ExecutionOptions { Parallelism = new Parallelism(threads) };
        float[] Once() => GraphExecutor.Run(model.Lowered, model.Feeds, options: options)[0].Value.Items<float>();
        float[] result = Once();
        return (MedianMs(() => Once()), result);
    }

    private static double MedianMs(Action work)
    {
        var times = new double[Runs];
        for (int i = 0; i < Runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            work();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        return times[Runs / 2];
    }

    private static string OrtVersion() => typeof(InferenceSession).Assembly.GetName().Version?.ToString(3) ?? "?";

    private sealed record BenchModel(string Name, byte[] Bytes, ModelGraph Lowered, IReadOnlyDictionary<string, TensorValue> Feeds);

    private static List<BenchModel> Models(IReadOnlyList<string> only)
    {
        var makers = new (string Name, Func<(byte[] Model, TensorValue Input, string InputName)> Make)[]
        {
            ("ResNet-18 QDQ s8s8 per channel", () => (ResNet18.QdqS8S8Channel(ImageSize), ResNet18.Input(ImageSize), ResNet18.InputName)),
            ("ResNet-18 QOp u8s8 per tensor", () => (ResNet18.QopU8S8Tensor(ImageSize), ResNet18.Input(ImageSize), ResNet18.InputName)),
            ("MobileNetV2 QDQ s8s8 per channel", () => (MobileNetV2Sized.Quantized(ResNet18.QdqS8S8ChannelOptions), MobileNetV2Sized.Input(), MobileNetV2Sized.InputName)),
            ("MobileNetV2 QOp u8s8 per tensor", () => (MobileNetV2Sized.Quantized(ResNet18.QopU8S8TensorOptions), MobileNetV2Sized.Input(), MobileNetV2Sized.InputName)),
            ("2-layer transformer QDQ s8s8 per channel", () => Transformer(TransformerEncoderForms.QdqS8S8Channel)),
            ("2-layer transformer QOp u8s8 per tensor", () => Transformer(TransformerEncoderForms.QopU8S8Tensor)),
        };
        var models = new List<BenchModel>();
        foreach (var (name, make) in makers)
        {
            if (only.Count > 0 && !only.Any(o => name.Contains(o, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var (bytes, input, inputName) = make();
            ModelGraph lowered = OrtCpuLowering.Lower(OnnxModelReader.Read(new MemoryStream(bytes)));
            models.Add(new BenchModel(name, bytes, lowered, new Dictionary<string, TensorValue>(StringComparer.Ordinal) { [inputName] = input }));
        }

        return models;
    }

    private static (byte[], TensorValue, string) Transformer(string form)
    {
        byte[] bytes = TransformerEncoderForms.Build(form).ToByteArray();
        return (bytes, TransformerEncoderBuilder.Input(1, TransformerSequence, 7), TransformerEncoderBuilder.InputName);
    }
}

/// <summary>
/// A MobileNetV2 of the real size (Sandler et al., CVPR 2018, Table 2: width 1.0, 224x224 input, 17 inverted
/// residuals, 1280 features, 1000 classes) with seeded BatchNorm-folded weights, quantized by SiliconSim's quantize_static
/// on two seeded images.
/// </summary>
internal static class MobileNetV2Sized
{
    public const string InputName = "input";
    private const int Size = 224;

    /// <summary>(expansion t, channels c, repeats n, first stride s) per stage, Table 2.</summary>
    private static readonly (int T, int C, int N, int S)[] s_stages =
        [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)];

    public static TensorValue Input() => new SeededTensors(224).Normal(1f, 1, 3, Size, Size);

    public static byte[] Quantized(QuantizerOptions options)
    {
        ModelGraph fp32 = OnnxModelReader.Read(new MemoryStream(Fp32()));
        var rand = new SeededTensors(2242);
        var calibration = Enumerable.Range(0, 2).Select(_ => (IReadOnlyDictionary<string, TensorValue>)new Dictionary<string, TensorValue>(StringComparer.Ordinal)
        {
            [InputName] = rand.Normal(1f, 1, 3, Size, Size),
        }).ToList();
        return OnnxModelWriter.ToBytes(StaticQuantizer.Quantize(fp32, calibration, options));
    }

    private static byte[] Fp32()
    {
        var b = new OnnxBuilder(opset: 17).Input(InputName, DataType.Float, null, 3, Size, Size);
        var c = new CnnBuilder(b, seed: 2);
        string x = c.Relu6(c.Conv(InputName, 3, 32, 3, 2));
        int channels = 32;
        foreach (var (t, outChannels, n, s) in s_stages)
        {
            for (int i = 0; i < n; i++)
            {
                int stride = i == 0 ? s : 1;
                int hidden = channels * t;
                string y = t == 1 ? x : c.Relu6(c.Conv(x, channels, hidden, 1, name: "expand"));
                y = c.Relu6(c.Conv(y, hidden, hidden, 3, stride, group: hidden, name: "dw"));
                y = c.Conv(y, hidden, outChannels, 1, name: "project");
                x = stride == 1 && channels == outChannels ? c.Add(y, x) : y;
                channels = outChannels;
            }
        }

        x = c.Relu6(c.Conv(x, channels, 1280, 1));
        c.Head(x, 1280, 1000, "logits");
        return b.Output("logits", DataType.Float).ToBytes();
    }
}
