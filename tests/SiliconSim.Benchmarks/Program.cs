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
