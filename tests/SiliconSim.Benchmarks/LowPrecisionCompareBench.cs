using System.Diagnostics;
using System.Globalization;
using SiliconSim.Cli.Io;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Quantization;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Formats.Blocks;
using SiliconSim.Numerics.Kernels.LowPrecision;
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

    /// <summary>
    /// The array matmul alone on operands shaped like the digits CNN's second conv (23040 pixels x 144 reduction values
    /// x 32 channels): the 64-bit path (<see cref="ScaledMatMul.Compute"/>) against the 128-bit one it replaces, same run.
    /// </summary>
    public static void RunKernel(TextWriter output)
    {
        var rng = new Random(18);
        foreach ((string name, MxElementType type, BlockScaling scaling, int depth) in (ReadOnlySpan<(string, MxElementType, BlockScaling, int)>)
            [("mxfp4 K=144 blocks of 16", MxElementType.Fp4E2M1, BlockScaling.Mx, 144), ("mxfp4 K=288 blocks of 32", MxElementType.Fp4E2M1, BlockScaling.Mx, 288),
             ("nvfp4 K=288 blocks of 16", MxElementType.Fp4E2M1, BlockScaling.NvFp4, 288), ("fp8 per row K=144", MxElementType.Fp8E4M3, BlockScaling.PerRow, 144)])
        {
            int rows = 23040 / 4, columns = 32;
            int blockSize = depth == 144 && scaling == BlockScaling.Mx ? 16 : OperandQuantizer.BlockSize(scaling, depth);
            float[] x = [.. Enumerable.Range(0, rows * depth).Select(_ => (float)(rng.NextDouble() * 2 - 0.5))];
            float[] w = [.. Enumerable.Range(0, columns * depth).Select(_ => (float)(rng.NextDouble() - 0.5))];
            ScaledOperand a = OperandQuantizer.Quantize(x, rows, depth, type, scaling, blockSize);
            ScaledOperand b = OperandQuantizer.Quantize(w, columns, depth, type, scaling, blockSize);
            float[] fast = [], wide = [];
            double fastMs = BestMs(() => fast = ScaledMatMul.Compute(a, b, LowPrecisionAccumulation.BlockExactThenFp32), 5);
            double wideMs = BestMs(() => wide = ScaledMatMul.ComputeWide(a, b, LowPrecisionAccumulation.BlockExactThenFp32), 3);
            bool same = fast.AsSpan().SequenceEqual(wide);
            double macs = (double)rows * columns * depth;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-26} {rows}x{depth}x{columns}: 64-bit {fastMs,7:F1} ms ({macs / fastMs / 1e6:F2} GMAC/s), 128-bit {wideMs,7:F1} ms, x{wideMs / fastMs:F1}, bits {(same ? "identical" : "DIFFER")}"));
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
