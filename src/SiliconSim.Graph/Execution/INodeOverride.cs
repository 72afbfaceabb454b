using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Execution;

/// <summary>
/// A hook <see cref="GraphExecutor"/> calls for chosen nodes after their kernel ran: it sees the node's inputs and the
/// kernel's outputs and returns the outputs the rest of the graph continues with. Co-simulation puts an external
/// kernel's results here (an RTL simulation of one layer); the exporter of test vectors records a layer's operands.
/// The core stays free of I/O: an implementation that runs processes or writes files lives in the front door.
/// </summary>
public interface INodeOverride
{
    /// <summary>Whether <see cref="Run"/> is to be called for <paramref name="node"/>.</summary>
    bool Overrides(Node node);

    /// <summary>
    /// The outputs <paramref name="node"/> hands on, given its <paramref name="inputs"/> (null for an absent optional
    /// input) and the outputs SiliconSim's own kernel computed (<paramref name="computed"/>). Return
    /// <paramref name="computed"/> to observe only; the replacement must have the same count, types and shapes.
    /// </summary>
    IReadOnlyList<TensorValue> Run(Node node, IReadOnlyList<TensorValue?> inputs, IReadOnlyList<TensorValue> computed);
}
