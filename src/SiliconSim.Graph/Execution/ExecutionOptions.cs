using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Kernels.LowPrecision;

namespace SiliconSim.Graph.Execution;

/// <summary>Run settings of <see cref="GraphExecutor"/>.</summary>
public sealed record ExecutionOptions
{
    /// <summary>ORT's arithmetic everywhere: what the goldens were made with.</summary>
    public static ExecutionOptions Default { get; } = new();

    /// <summary>
    /// The arithmetic of the integer matrix unit for QLinearConv, QGemm, QLinearMatMul, ConvInteger, MatMulInteger and
    /// MatMulIntegerToFloat. Default <see cref="MatrixNumerics.Reference"/> (ORT's: the fast kernels run, goldens match
    /// bit for bit); anything else runs <see cref="ArrayMatrix"/>'s plain path with that width, overflow and requantizer.
    /// </summary>
    public MatrixNumerics MatrixNumerics { get; init; } = MatrixNumerics.Reference;

    /// <summary>
    /// How the low-precision array (<c>siliconsim.ArrayConv</c>/<c>ArrayGemm</c>, see
    /// <see cref="Passes.LowPrecisionArrayMapping"/>) sums a dot product. Default
    /// <see cref="LowPrecisionAccumulation.BlockExactThenFp32"/>: OCP MX v1.0 §6.2 defines the block dot product exactly and leaves
    /// the internal precision to the implementation; an exact block sum rounded once is the closest a design gets to it.
    /// </summary>
    public LowPrecisionAccumulation LowPrecisionAccumulation { get; init; } = LowPrecisionAccumulation.BlockExactThenFp32;

    /// <summary>
    /// The memory a tensor and the run may take, checked before each allocation (<see cref="MemoryBudget"/>); default
    /// <see cref="MemoryBudget.Default"/>, 2 GiB per tensor and 8 GiB per run, which a laptop holds.
    /// </summary>
    public MemoryBudget MemoryBudget { get; init; } = MemoryBudget.Default;

    /// <summary>
    /// Nodes whose outputs something outside the executor replaces or records (<see cref="INodeOverride"/>); default
    /// null: every node's own kernel decides its outputs.
    /// </summary>
    public INodeOverride? NodeOverride { get; init; }

    /// <summary>
    /// Threads the kernels may use (issue 18); default <see cref="Parallelism.Single"/>, so a library caller that runs
    /// many executors side by side (sweeps, tests) does not oversubscribe the cores; the commands that execute pass
    /// <c>--threads</c> (default all cores). Bits never depend on it.
    /// </summary>
    public Parallelism Parallelism { get; init; } = Parallelism.Single;

    /// <summary>
    /// Whether the <c>observe</c> callback of <see cref="GraphExecutor.Run"/> may keep the values it is shown (a tracer
    /// that stores them); default true, which stops the executor from reusing arrays during the run. A caller whose
    /// callback reads only shapes, or copies, sets false.
    /// </summary>
    public bool ObserverKeepsValues { get; init; } = true;
}
