namespace SiliconSim.Config.Topology;

/// <summary>The two topology CSV layouts SCALE-Sim v2 reads (scalesim/topology_utils.py).</summary>
public enum ScaleSimTopologyFormat
{
    /// <summary>Decide from the header: a second column named M means <see cref="Gemm"/>, anything else <see cref="Conv"/>.</summary>
    Auto,

    /// <summary><c>Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,</c>
    /// with an optional ninth column, the stride along the width.</summary>
    Conv,

    /// <summary><c>Layer Name, M, N, K,</c> (SCALE-Sim's <c>-i gemm</c>).</summary>
    Gemm,
}
