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
/// per-tensor form, batch 1; one intra-op thread and all cores; the median of timed runs after a
/// warm-up long enough for the tiered JIT; a markdown table of ORT ms, SiliconSim ms and their ratio, plus whether the outputs have the same bits.
/// `--ort-profile [--threads N] [NAME...]` prints where SiliconSim's time goes, by op type and slowest node (medians).
/// </summary>
internal static class OrtComparison
{
    private const int Runs = 5;
    // BENCH_WARMUP_MS=0 shows what the first runs of a short-lived process cost before tiering (see MedianMs).
    private static readonly double WarmUpMs = double.Parse(Environment.GetEnvironmentVariable("BENCH_WARMUP_MS") ?? "2000", CultureInfo.InvariantCulture);
    private const double TimedMs = 1000;
    private const int ImageSize = 224;
    private const int TransformerSequence = 128;

    public static void Run(TextWriter output, IReadOnlyList<string> only)
    {
        var models = Models(only);
        int cores = Environment.ProcessorCount;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch 1, median of at least {Runs} runs (1 s of them) after a {WarmUpMs / 1000:F1} s warm-up; ORT {OrtVersion()} (graph optimizations: all), {cores} cores"));
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

    public static void Profile(TextWriter output, IReadOnlyList<string> only, int threads)
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

            // Small models run for about a second so that one scheduler hiccup or GC pause does not dominate; each node
            // reports its median over the runs, which is what a steady-state user sees.
            var samplesByValue = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            var kibByValue = new Dictionary<string, double>(StringComparer.Ordinal);
            // The callback only reads names, so the executor may recycle arrays as it does without one.
            var options = new ExecutionOptions { Parallelism = new Parallelism(threads), ObserverKeepsValues = false };
            long warmStart = Stopwatch.GetTimestamp();
            int warmRuns = 0;
            do
            {
                GraphExecutor.Run(model.Lowered, model.Feeds, options: options);
                warmRuns++;
            }
            while (Stopwatch.GetElapsedTime(warmStart).TotalMilliseconds < WarmUpMs);

            double warmMs = Stopwatch.GetElapsedTime(warmStart).TotalMilliseconds / warmRuns;
            int runs = Math.Clamp((int)(TimedMs / warmMs), Runs, 400);
            var totals = new List<double>();
            int gen2Before = GC.CollectionCount(2);
            TimeSpan pauseBefore = GC.GetTotalPauseDuration();
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            for (int run = 0; run < runs; run++)
            {
                long last = Stopwatch.GetTimestamp();
                long start = last;
                long lastAllocated = GC.GetAllocatedBytesForCurrentThread();
                GraphExecutor.Run(model.Lowered, model.Feeds, (name, _) =>
                {
                    long now = Stopwatch.GetTimestamp();
                    long allocated = GC.GetAllocatedBytesForCurrentThread();
                    kibByValue[name] = kibByValue.GetValueOrDefault(name) + ((allocated - lastAllocated) / 1024.0);
                    lastAllocated = allocated;
                    if (!samplesByValue.TryGetValue(name, out var samples))
                    {
                        samplesByValue[name] = samples = [];
                    }

                    samples.Add(Stopwatch.GetElapsedTime(last, now).TotalMilliseconds);
                    last = Stopwatch.GetTimestamp();
                    lastAllocated = GC.GetAllocatedBytesForCurrentThread();
                }, options);
                totals.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            static double Median(List<double> xs)
            {
                var sorted = xs.Order().ToList();
                return sorted[sorted.Count / 2];
            }

            var msByValue = samplesByValue.ToDictionary(p => p.Key, p => Median(p.Value), StringComparer.Ordinal);
            var msByOp = new Dictionary<string, double>(StringComparer.Ordinal);
            var kibByOp = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (name, ms) in msByValue)
            {
                msByOp[opOf[name]] = msByOp.GetValueOrDefault(opOf[name]) + ms;
                kibByOp[opOf[name]] = kibByOp.GetValueOrDefault(opOf[name]) + (kibByValue.GetValueOrDefault(name) / runs);
            }

            double allocatedKiB = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1024.0 / runs;
            double pauseMs = (GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds / runs;
            double gen2 = (GC.CollectionCount(2) - gen2Before) / (double)runs;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{model.Name}, {threads} thread(s): {Median(totals):F2} ms (median of {runs}; sum of node medians {msByValue.Values.Sum():F2} ms; {allocatedKiB:F0} KiB allocated, GC pauses {pauseMs:F2} ms, {gen2:F2} gen2 collections per run), by op:"));
            foreach (var (op, ms) in msByOp.OrderByDescending(p => p.Value))
            {
                int count = model.Lowered.Nodes.Count(n => n.Outputs.Length > 0 && opOf[n.Outputs[0]] == op);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {op,-28} x{count,-3} {ms,8:F3} ms {kibByOp[op],8:F0} KiB"));
            }

            output.WriteLine("  slowest nodes:");
            foreach (var (name, ms) in msByValue.OrderByDescending(p => p.Value).Take(12))
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {opOf[name],-20} {name,-50} {ms,8:F3} ms"));
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

    /// <summary>
    /// Warms up for <see cref="WarmUpMs"/> (so .NET's tiered JIT has promoted the hot kernels to optimised code, as it has
    /// in any run that pushes a validation set through; ORT's native code needs no such time but gets the same), then
    /// times at least <see cref="Runs"/> runs and as many more as fit in <see cref="TimedMs"/>, and returns the median.
    /// </summary>
    private static double MedianMs(Action work)
    {
        long warmStart = Stopwatch.GetTimestamp();
        do
        {
            work();
        }
        while (Stopwatch.GetElapsedTime(warmStart).TotalMilliseconds < WarmUpMs);

        var times = new List<double>();
        long timedStart = Stopwatch.GetTimestamp();
        while (times.Count < Runs || (Stopwatch.GetElapsedTime(timedStart).TotalMilliseconds < TimedMs && times.Count < 200))
        {
            long start = Stopwatch.GetTimestamp();
            work();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        times.Sort();
        return times[times.Count / 2];
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
