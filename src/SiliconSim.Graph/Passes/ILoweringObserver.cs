using SiliconSim.Graph.Ir;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// Watches a lowering (<see cref="OrtCpuLowering.Lower"/>, <see cref="LowPrecisionArrayMapping.Apply"/>): told after
/// every pass, once <see cref="GraphVerifier"/> has found that the pass broke nothing, with the pass's name and the
/// graph as the pass left it. Tests use it to prove which passes ran and were verified.
/// </summary>
public interface ILoweringObserver
{
    /// <param name="pass">The pass's <see cref="IGraphPass.Name"/>, or the name of a step that is not an
    /// <see cref="IGraphPass"/> ("to-graph" for the graph a lowering returns).</param>
    /// <param name="graph">The graph after the pass; observers must not edit it.</param>
    void PassApplied(string pass, GraphEditor graph);
}
