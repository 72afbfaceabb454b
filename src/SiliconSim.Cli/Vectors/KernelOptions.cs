using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using SiliconSim.Cli.Io;
using SiliconSim.Hardware.Specs;

namespace SiliconSim.Cli.Vectors;

/// <summary>The <c>--kernel</c> and <c>--kernel-timeout-s</c> options that <c>run</c> and <c>validate</c> share.</summary>
internal static class KernelOptions
{
    public static Option<string[]> Kernel() => new("--kernel")
    {
        Description = "Co-simulate a layer: LAYER=COMMAND runs COMMAND with a folder of the layer's input vectors (hex) as its argument and continues the graph with the output.hex or accumulators.hex it writes there (see README). Repeatable.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static Option<double> Timeout() => new("--kernel-timeout-s")
    {
        Description = "Seconds one kernel command may run before it is stopped (default 600: an RTL simulation of a small layer takes seconds).",
        DefaultValueFactory = _ => ExternalKernel.DefaultTimeout.TotalSeconds,
    };

    public static TimeSpan TimeoutOf(ParseResult parse, Option<double> option)
    {
        double seconds = parse.GetValue(option);
        return seconds > 0 && seconds <= 86400
            ? TimeSpan.FromSeconds(seconds)
            : throw new UserInputException("--kernel-timeout-s", string.Create(CultureInfo.InvariantCulture, $"must be between 0 and 86400 seconds, got {seconds}"));
    }

    /// <summary>The co-simulation hook for <paramref name="kernels"/>; the workload must carry input values.</summary>
    public static ExternalKernel Create(ImmutableDictionary<string, string> kernels, AcceleratorSpec? spec, string folder, TimeSpan timeout, LoadedWorkload workload)
    {
        if (workload.Request.Inputs.Count == 0)
        {
            throw new UserInputException(workload.ModelPath, "--kernel needs input values: pass --input FILE or a test-case folder");
        }

        OutputFolder.Prepare(folder, "--kernel");
        return new ExternalKernel(kernels, spec?.Array.Numerics.ToMatrixNumerics() ?? SiliconSim.Numerics.Kernels.MatrixNumerics.Reference, folder, timeout);
    }

    /// <summary>A kernel for a layer that never ran names a node the lowered graph lacks: bad input.</summary>
    public static void CheckAllRan(ExternalKernel? kernels, string modelPath)
    {
        if (kernels is not null && kernels.Unused.ToList() is { Count: > 0 } unused)
        {
            throw new UserInputException("--kernel", $"no node {string.Join(", ", unused.Select(u => $"'{u}'"))} in the lowered graph of {modelPath} (see `siliconsim inspect --lowered`)");
        }
    }
}
