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

        if (args is ["--ort", .. var only])
        {
            OrtComparison.Run(Console.Out, only);
            return;
        }

        if (args is ["--ort-profile", .. var profiled])
        {
            OrtComparison.Profile(Console.Out, profiled);
            return;
        }

        if (args is ["--qdq-kernels"])
        {
            QdqKernelBench.Run(Console.Out);
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
