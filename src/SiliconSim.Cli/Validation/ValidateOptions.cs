using SiliconSim.Graph.Ir;

namespace SiliconSim.Cli.Validation;

/// <summary>Settings of one `validate` run.</summary>
/// <param name="RelativeTolerance">rtol for float outputs, or null to choose per case (<see cref="ToleranceFor"/>).</param>
/// <param name="AbsoluteTolerance">atol for float outputs, or null to choose per case.</param>
/// <param name="Labels">Class labels for the accuracy line, or null.</param>
internal sealed record ValidateOptions(double? RelativeTolerance, double? AbsoluteTolerance, int[]? Labels)
{
    /// <summary>The ONNX backend test runner's tolerance (onnx/backend/test/runner: rtol 1e-3, atol 1e-7).</summary>
    public static readonly (double Rtol, double Atol) OnnxBackendTolerance = (1e-3, 1e-7);

    /// <summary>
    /// With <c>--config</c>: the loaded (valid) accelerator config. Cases then execute under its array numerics, are timed
    /// on it, and under non-reference numerics report drift from the golden instead of failing.
    /// </summary>
    public Io.HardwareConfig? Hardware { get; init; }

    /// <summary>The memory budget each case's lowering and execution must stay within (<c>--max-memory-gib</c>).</summary>
    public Numerics.MemoryBudget MemoryBudget { get; init; } = Numerics.MemoryBudget.Default;

    /// <summary>Threads the kernels may use (<c>--threads</c>); the values do not depend on it.</summary>
    public Numerics.Parallelism Parallelism { get; init; } = Numerics.Parallelism.AllCores;

    /// <summary>Co-simulated layers (<c>--kernel LAYER=COMMAND</c>): command per lowered node name; empty: none.</summary>
    public System.Collections.Immutable.ImmutableDictionary<string, string> Kernels { get; init; } = System.Collections.Immutable.ImmutableDictionary<string, string>.Empty;

    /// <summary>How long one kernel command may run (<c>--kernel-timeout-s</c>).</summary>
    public TimeSpan KernelTimeout { get; init; } = Vectors.ExternalKernel.DefaultTimeout;

    /// <summary>
    /// The float tolerance for a case. Given tolerances win. Otherwise a model made by ONNX's backend-test generator
    /// (producer_name "backend-test") carries outputs of the ONNX reference implementation, whose float arithmetic no
    /// runtime reproduces, so it gets the backend runner's own tolerance; every other case (goldens from ONNX Runtime)
    /// is compared bit for bit.
    /// </summary>
    public (double Rtol, double Atol) ToleranceFor(ModelGraph model)
    {
        ArgumentNullException.ThrowIfNull(model);
        (double rtol, double atol) auto = model.ProducerName == "backend-test" ? OnnxBackendTolerance : (0, 0);
        return (RelativeTolerance ?? auto.rtol, AbsoluteTolerance ?? auto.atol);
    }
}
