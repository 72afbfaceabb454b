using SiliconSim.Graph.Ir;

namespace SiliconSim.Graph.Passes;

/// <summary>One rewrite of the graph. Passes are pure: they edit a <see cref="GraphEditor"/> and touch nothing else.</summary>
public interface IGraphPass
{
    /// <summary>A short name for traces and `validate --passes`.</summary>
    string Name { get; }

    void Apply(GraphEditor graph);
}
