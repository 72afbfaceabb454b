using System.Diagnostics;
using System.Globalization;
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
/// `--int8 [threads] [runs]`: the int8 conv nets of issue 18 at 224x224 batch 1 (ResNet-18 and MobileNetV2, QDQ s8s8
/// per channel and QOperator u8s8 per tensor), SiliconSim's executor against ONNX Runtime (one intra-op thread) in the
/// same process: median wall time and mean process CPU time of <c>runs</c> after a warm-up, then where SiliconSim's time goes, per op type (one profiled
/// run, timed between consecutive node outputs). A stopwatch tool for the int8 kernels' work, not a test.
/// </summary>
internal static class Int8ModelBench
{
    private const int Size = 224;

    public static void Run(TextWriter output, int threads, int runs)
    {
        var options = new ExecutionOptions { Parallelism = new Parallelism(threads) };
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"int8 models at {Size}x{Size} batch 1, SiliconSim on {threads} thread(s), median of {runs}"));
        foreach (var (name, model) in Models())
        {
            TensorValue input = ResNet18.Input(Size);
            ModelGraph lowered = OrtCpuLowering.Lower(OnnxModelReader.Read(new MemoryStream(model)));
            var feeds = new Dictionary<string, TensorValue>(StringComparer.Ordinal) { [ResNet18.InputName] = input };
            using var ort = new InferenceSession(model, new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = 1, InterOpNumThreads = 1 });
            var ortInputs = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor(ResNet18.InputName, new DenseTensor<float>(input.Items<float>(), [.. input.Shape])) };
            var (ortMs, ortCpuMs) = MedianMs(() =>
            {
                using var r = ort.Run(ortInputs);
            }, runs);
            TimeSpan pause = GC.GetTotalPauseDuration();
            int gen2 = GC.CollectionCount(2);
            var (simMs, simCpuMs) = MedianMs(() => GraphExecutor.Run(lowered, feeds, options: options), runs);
            double pausePerRunMs = (GC.GetTotalPauseDuration() - pause).TotalMilliseconds / (runs + 1);
            double gen2PerRun = (GC.CollectionCount(2) - gen2) / (double)(runs + 1);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-28} ORT {ortMs,8:F1} ms   SiliconSim {simMs,8:F1} ms   ratio {simMs / ortMs,6:F2}   CPU time ORT {ortCpuMs,7:F1} ms SiliconSim {simCpuMs,7:F1} ms ratio {simCpuMs / ortCpuMs,6:F2}   (GC pause {pausePerRunMs:F1} ms and {gen2PerRun:F1} gen2 per run)"));
            Profile(output, lowered, feeds, options);
        }
    }

    /// <summary>The four models: ResNet-18 from TestSupport, MobileNetV2 as the ORT comparison builds it (<see cref="MobileNetV2Sized"/>).</summary>
    private static IEnumerable<(string Name, byte[] Model)> Models()
    {
        yield return ("resnet18 qdq s8s8 channel", ResNet18.QdqS8S8Channel(Size));
        yield return ("resnet18 qop u8s8 tensor", ResNet18.QopU8S8Tensor(Size));
        yield return ("mobilenetv2 qdq s8s8 channel", MobileNetV2Sized.Quantized(ResNet18.QdqS8S8ChannelOptions));
        yield return ("mobilenetv2 qop u8s8 tensor", MobileNetV2Sized.Quantized(ResNet18.QopU8S8TensorOptions));
    }

    // Three runs with a timestamp at every node output: the time since the previous output is that node's; each
    // node's fastest run counts, summed per op type (the slowest QLinearConv nodes listed with their output shapes).
    private static void Profile(TextWriter output, ModelGraph graph, Dictionary<string, TensorValue> feeds, ExecutionOptions options)
    {
        var opOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Node node in graph.Nodes)
        {
            foreach (string o in node.Outputs)
            {
                opOf[o] = node.OpType;
            }
        }

        var best = new Dictionary<string, double>(StringComparer.Ordinal);
        var shapes = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int run = 0; run < 3; run++)
        {
            long last = Stopwatch.GetTimestamp();
            GraphExecutor.Run(graph, feeds, (name, value) =>
            {
                double ms = Stopwatch.GetElapsedTime(last).TotalMilliseconds;
                best[name] = Math.Min(best.GetValueOrDefault(name, double.MaxValue), ms);
                shapes[name] = value.ShapeText;
                last = Stopwatch.GetTimestamp();
            }, options);
        }

        var perOp = best.GroupBy(p => opOf.GetValueOrDefault(p.Key, "?"), StringComparer.Ordinal).Select(g => (Op: g.Key, Ms: g.Sum(p => p.Value)));
        output.WriteLine("    " + string.Join("  ", perOp.OrderByDescending(p => p.Ms).Take(7).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Op} {p.Ms:F1}"))));
        foreach (var p in best.Where(p => opOf.GetValueOrDefault(p.Key) == "QLinearConv").OrderByDescending(p => p.Value).Take(6))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"      {p.Value,6:F2} ms {shapes[p.Key]} {p.Key}"));
        }
    }

    // Median wall time, and the mean process CPU time of the same runs (the process clock ticks in 10 ms steps on
    // Linux, so one total over all runs): on a shared machine the CPU time is what the runs themselves cost (a
    // preempted run's wall time is not).
    private static (double WallMs, double CpuMs) MedianMs(Action work, int runs)
    {
        work();
        var wall = new double[runs];
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        TimeSpan cpu0 = process.TotalProcessorTime;
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            work();
            wall[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        process.Refresh();
        double cpuMs = (process.TotalProcessorTime - cpu0).TotalMilliseconds / runs;
        Array.Sort(wall);
        return (wall[runs / 2], cpuMs);
    }
}

/// <summary>
/// `--int8-layers`: packed QLinearConv (u8 x s8, per-tensor) on ResNet-18's and MobileNetV2's conv shapes, one thread,
/// CPU time per call and the MAC rate it implies: how close the conv kernels run to the machine's int8 peak.
/// </summary>
internal static class Int8LayerBench
{
    public static void Run(TextWriter output)
    {
        (string Name, int C, int M, int Size, int K, int Stride, int Group)[] layers =
        [
            ("resnet conv1 7x7/2", 3, 64, 224, 7, 2, 1),
            ("resnet layer1 3x3", 64, 64, 56, 3, 1, 1),
            ("resnet layer2 3x3", 128, 128, 28, 3, 1, 1),
            ("resnet layer3 3x3", 256, 256, 14, 3, 1, 1),
            ("resnet layer4 3x3", 512, 512, 7, 3, 1, 1),
            ("resnet layer3 1x1/2", 128, 256, 28, 1, 2, 1),
            ("mobilenet expand 1x1", 24, 144, 56, 1, 1, 1),
            ("mobilenet dw 3x3", 144, 144, 56, 3, 1, 144),
            ("mobilenet dw 3x3/2", 144, 144, 56, 3, 2, 144),
        ];
        var rng = new Random(7);
        using var process = Process.GetCurrentProcess();
        foreach (var (name, c, m, size, k, stride, group) in layers)
        {
            int pad = k / 2;
            var g = Numerics.Kernels.ConvGeometry.Resolve([1, c, size, size], m, [k, k], [stride, stride], null, [pad, pad, pad, pad], "NOTSET", group);
            var x = new byte[c * size * size];
            rng.NextBytes(x);
            var w = new sbyte[m * (c / group) * k * k];
            rng.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(w.AsSpan()));
            var y = new byte[m * g.OutSize];
            var packed = Numerics.Kernels.PackedConvWeights.Pack<byte, sbyte>(g, 128, w, [0]);
            void Call() => Numerics.Kernels.QLinearConv.Compute<byte, byte>(packed, x, 0.02f, [0.01f], 0.05f, 128, Array.Empty<int>(), y, Parallelism.Single);
            Call();
            long macs = (long)m * (c / group) * k * k * g.OutSize;
            int calls = (int)Math.Clamp(4_000_000_000L / Math.Max(macs, 1), 20, 2000);
            process.Refresh();
            TimeSpan cpu0 = process.TotalProcessorTime;
            for (int i = 0; i < calls; i++)
            {
                Call();
            }

            process.Refresh();
            double ms = (process.TotalProcessorTime - cpu0).TotalMilliseconds / calls;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-22} {macs / 1e6,8:F1} MMAC  {ms,7:F3} ms CPU  {macs / ms / 1e6,7:F1} GMAC/s"));
        }
    }
}
