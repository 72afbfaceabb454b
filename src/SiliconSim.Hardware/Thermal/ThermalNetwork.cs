using System.Collections.Immutable;
using SiliconSim.Hardware.Specs;

namespace SiliconSim.Hardware.Thermal;

/// <summary>
/// A linear thermal RC network in temperature rise above ambient θ: <c>C dθ/dt = P − G θ</c>, where G holds the
/// node-to-node conductances (a graph Laplacian) plus each node's conductance to ambient on its diagonal. Power enters
/// at node 0 (the junction). Built from a <see cref="ThermalSpec"/>'s three-node chain or from any list of links.
/// </summary>
public sealed class ThermalNetwork
{
    private readonly double[] _capacitance;
    private readonly double[] _ambientConductance;

    /// <param name="names">Node names; node 0 is the junction where power is dissipated.</param>
    /// <param name="capacitancesJPerK">Heat capacity of each node, J/K (&gt; 0).</param>
    /// <param name="links">Resistances between nodes (From, To, K/W).</param>
    /// <param name="ambientLinks">Resistances from nodes to ambient (Node, K/W); at least one, so a steady state exists.</param>
    public ThermalNetwork(IEnumerable<string> names, IEnumerable<double> capacitancesJPerK,
        IEnumerable<(int From, int To, double KPerW)> links, IEnumerable<(int Node, double KPerW)> ambientLinks)
    {
        NodeNames = [.. names];
        _capacitance = [.. capacitancesJPerK];
        int n = NodeNames.Length;
        if (n == 0 || _capacitance.Length != n || _capacitance.Any(c => !(c > 0)))
        {
            throw new ArgumentException("every node needs a positive capacitance", nameof(capacitancesJPerK));
        }

        Conductance = new double[n, n];
        _ambientConductance = new double[n];
        foreach (var (from, to, r) in links)
        {
            double g = 1 / r;
            Conductance[from, from] += g;
            Conductance[to, to] += g;
            Conductance[from, to] -= g;
            Conductance[to, from] -= g;
        }

        foreach (var (node, r) in ambientLinks)
        {
            _ambientConductance[node] += 1 / r;
            Conductance[node, node] += 1 / r;
        }

        if (_ambientConductance.All(g => g == 0))
        {
            throw new ArgumentException("at least one node must connect to ambient", nameof(ambientLinks));
        }
    }

    public ImmutableArray<string> NodeNames { get; }

    public int NodeCount => NodeNames.Length;

    public ReadOnlySpan<double> CapacitanceJPerK => _capacitance;

    /// <summary>Each node's conductance to ambient, W/K.</summary>
    public ReadOnlySpan<double> AmbientConductanceWPerK => _ambientConductance;

    /// <summary>G in W/K (symmetric; row sums equal the ambient conductances).</summary>
    internal double[,] Conductance { get; }

    /// <summary>The steady junction rise per watt dissipated at the junction, (G⁻¹)₀₀ in K/W.</summary>
    public double JunctionToAmbientKPerW => DenseMatrix.Inverse(Conductance)[0, 0];

    /// <summary>The system matrix A = −C⁻¹G of dθ/dt = Aθ + C⁻¹P.</summary>
    internal double[,] SystemMatrix()
    {
        var a = new double[NodeCount, NodeCount];
        for (int i = 0; i < NodeCount; i++)
        {
            for (int j = 0; j < NodeCount; j++)
            {
                a[i, j] = -Conductance[i, j] / _capacitance[i];
            }
        }

        return a;
    }

    /// <summary>The spec's chain: junction → spreader → heatsink → ambient.</summary>
    public static ThermalNetwork FromSpec(ThermalSpec spec) => new(
        ["junction", "spreader", "heatsink"],
        [spec.JunctionCapacitanceJPerK, spec.SpreaderCapacitanceJPerK, spec.HeatsinkCapacitanceJPerK],
        [(0, 1, spec.JunctionToSpreaderKPerW), (1, 2, spec.SpreaderToHeatsinkKPerW)],
        [(2, spec.HeatsinkToAmbientKPerW)]);
}
