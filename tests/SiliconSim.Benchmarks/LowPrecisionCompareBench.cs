using System.Diagnostics;
using System.Globalization;
using SiliconSim.Cli.Io;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Quantization;
using SiliconSim.Numerics;
using SiliconSim.Simulation;
using SiliconSim.Simulation.Numerics;
using SiliconSim.Simulation.Pipeline;

namespace SiliconSim.Benchmarks;

/// <summary>
/// `--lowp`: where `compare` spends its time on the digits CNN, per format (quantize, execute the 360-image test set,
/// time one inference), by stopwatch, best of several runs after a warm-up.
/// </summary>
internal static class LowPrecisionCompareBench
{
    public static void Run(TextWriter output)
    {
        string folder = Workloads.Digits;
        ModelGraph fp32 = ModelFiles.LoadModel(Path.Combine(folder, "digits_cnn_fp32", "model.onnx"));
        TensorValue calib = ModelFiles.LoadTensor(Path.Combine(folder, "digits_calib_x.npy"));
        TensorValue test = ModelFiles.LoadTensor(Path.Combine(folder, "digits_test_x.npy"));
        string input = fp32.RuntimeInputs.First().Name;
        HardwareConfig config = HardwareConfig.Load("edge-npu-mx");
        foreach (string format in (string[])["int8", "fp8", "mxfp4", "nvfp4"])
        {
            ModelGraph? graph = null;
            double quantize = BestMs(() => graph = Quantize(fp32, input, calib, format), 3);
            ModelGraph lowered = AcceleratorLowering.Lower(graph!, config.Spec, MemoryBudget.Default);
            ExecutionOptions options = config.Spec.Array.Numerics.ToExecutionOptions();
            var inputs = new Dictionary<string, TensorValue>(StringComparer.Ordinal) { [input] = test };
            double execute = BestMs(() => GraphExecutor.Run(lowered, inputs, null, options), 3);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{format,-6} quantize {quantize,8:F1} ms  execute(360) {execute,8:F1} ms"));

            // Time between consecutive node outputs: each node's share of one run.
            var producer = lowered.Nodes.SelectMany(n => n.Outputs.Select(o => (o, n))).Where(p => p.o.Length > 0).ToDictionary(p => p.o, p => p.n, StringComparer.Ordinal);
            long last = Stopwatch.GetTimestamp();
            GraphExecutor.Run(lowered, inputs, (name, value) =>
            {
                double ms = Stopwatch.GetElapsedTime(last).TotalMilliseconds;
                Node n = producer[name];
                if (ms > 1)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {ms,8:F1} ms  {n.OpType,-14} {name} {ShapeText(value)}  inputs {string.Join(" ", n.Inputs.Where(i => i.Length > 0).Select(i => lowered.Initializers.TryGetValue(i, out TensorValue? w) ? ShapeText(w) : "-"))}"));
                }

                last = Stopwatch.GetTimestamp();
            }, options);
        }
    }

    private static ModelGraph Quantize(ModelGraph fp32, string input, TensorValue calib, string format)
    {
        var feeds = new Dictionary<string, TensorValue>(StringComparer.Ordinal) { [input] = calib };
        return format switch
        {
            "int8" => StaticQuantizer.Quantize(fp32, [feeds], new QuantizerOptions { Format = QuantFormat.Qdq, ActivationType = DataType.UInt8, WeightType = DataType.Int8, PerChannel = false, Calibration = CalibrationMethod.MinMax }),
            "fp8" => LowPrecisionQuantizer.Quantize(fp32, LowPrecisionFormat.Fp8E4M3Fn, [feeds]),
            "mxfp4" => LowPrecisionQuantizer.Quantize(fp32, LowPrecisionFormat.MxFp4),
            _ => LowPrecisionQuantizer.Quantize(fp32, LowPrecisionFormat.NvFp4, [feeds]),
        };
    }

    private static string ShapeText(TensorValue v) => DataTypeInfo.Name(v.Type) + "[" + string.Join(",", v.Shape) + "]";

    private static double BestMs(Action work, int runs)
    {
        double best = double.MaxValue;
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            work();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return best;
    }
}
