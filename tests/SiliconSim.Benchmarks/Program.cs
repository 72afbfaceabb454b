using BenchmarkDotNet.Running;

namespace SiliconSim.Benchmarks;

internal static class Program
{
    private static void Main(string[] args)
    {
        if (args is ["--bench"])
        {
            QuickBench.Run(Console.Out);
            return;
        }

        if (args is ["--int8", ..])
        {
            // --int8 [threads] [runs]: the int8 conv nets of issue 18 against ONNX Runtime.
            int threads = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1;
            int runs = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5;
            Int8ModelBench.Run(Console.Out, threads, runs);
            return;
        }

        if (args is ["--int8-layers"])
        {
            Int8LayerBench.Run(Console.Out);
            return;
        }

        if (args is ["--ort", .. var only])
        {
            OrtComparison.Run(Console.Out, only);
            return;
        }

        if (args is ["--ort-profile", .. var profiled])
        {
            // `--ort-profile [--threads N] [NAME...]`: one thread unless told.
            int threads = profiled is ["--threads", var n, ..] ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 1;
            OrtComparison.Profile(Console.Out, profiled is ["--threads", _, .. var rest] ? rest : profiled, threads);
            return;
        }

        if (args is ["--qdq-kernels"])
        {
            QdqKernelBench.Run(Console.Out);
            return;
        }

        if (args is ["--lowp"])
        {
            LowPrecisionCompareBench.Run(Console.Out);
            return;
        }

        if (args is ["--lowp-kernel"])
        {
            LowPrecisionCompareBench.RunKernel(Console.Out);
            return;
        }

        if (args is ["--sweeps"])
        {
            SweepBench.Run(Console.Out);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
