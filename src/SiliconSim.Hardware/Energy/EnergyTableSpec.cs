using System.Collections.Immutable;
using System.Globalization;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;

namespace SiliconSim.Hardware.Energy;

/// <summary>
/// A per-action energy table (Accelergy's energy reference table) published for one technology node and supply
/// voltage, in pJ. <see cref="EnergyModel"/> scales it to an accelerator's node and voltage. Built from
/// <c>configs/energy/*.yaml</c>, where every number carries its source.
/// </summary>
public sealed record EnergyTableSpec
{
    public required string Name { get; init; }

    /// <summary>The publication the table comes from.</summary>
    public string Source { get; init; } = string.Empty;

    /// <summary>The node the numbers were published for, in nm.</summary>
    public required int TechnologyNodeNm { get; init; }

    /// <summary>The supply voltage the numbers were published for, in V.</summary>
    public required double SupplyVoltageV { get; init; }

    /// <summary>Multiply energy per MAC by unordered operand pair.</summary>
    public required ImmutableArray<MacEnergy> Macs { get; init; }

    /// <summary>Integer adder energy: linear in width through these points (extrapolated beyond them).</summary>
    public required ImmutableArray<AdderEnergyPoint> IntegerAdd { get; init; }

    public required double Float16AddPj { get; init; }

    public required double Float32AddPj { get; init; }

    public required double RegisterReadPjPerBit { get; init; }

    public required double RegisterWritePjPerBit { get; init; }

    /// <summary>SRAM access energies; see <see cref="SramReadPj"/> for the interpolation rule.</summary>
    public required ImmutableArray<SramEnergyPoint> Sram { get; init; }

    /// <summary>DRAM energy per bit moved, by <see cref="DramSpec.Type"/> (upper case: LPDDR4, DDR3, HBM2, ...).</summary>
    public required ImmutableDictionary<string, double> DramPjPerBit { get; init; }

    /// <summary>Vector-unit energy per element by op class; a class without an entry costs nothing.</summary>
    public required ImmutableDictionary<VectorOpClass, double> VectorPjPerElement { get; init; }

    /// <summary>SRAM leakage power per KiB of capacity at <see cref="LeakageReferenceC"/>, in µW.</summary>
    public required double SramLeakageUwPerKib { get; init; }

    /// <summary>Leakage power per processing element at <see cref="LeakageReferenceC"/>, in µW.</summary>
    public required double PeLeakageUw { get; init; }

    /// <summary>
    /// The junction temperature at which the table's leakage figures hold, °C: leakage grows exponentially with
    /// temperature (<see cref="LeakageModel"/>), so a leakage figure without its temperature cannot be priced.
    /// </summary>
    public required double LeakageReferenceC { get; init; }

    /// <summary>Clock tree and control energy as a fraction of the on-chip dynamic energy (DRAM excluded).</summary>
    public required double ClockOverheadFraction { get; init; }

    /// <summary>Energy factors per node (Stillmaker &amp; Baas 2017); empty means no node scaling.</summary>
    public ImmutableArray<NodeScalingPoint> NodeScaling { get; init; } = [];

    /// <summary>The entry pricing <paramref name="a"/> x <paramref name="b"/>, or null.</summary>
    public MacEnergy? FindMac(DataType a, DataType b) => Macs.FirstOrDefault(m => m.Matches(a, b));

    /// <summary>
    /// Energy of one integer add of <paramref name="bits"/>-bit operands: linear in width through the two nearest points
    /// (the end segments extend outward); a single point scales proportionally to width.
    /// </summary>
    public double IntegerAddPj(int bits)
    {
        var pts = IntegerAdd.OrderBy(p => p.Bits).ToArray();
        if (pts.Length == 0)
        {
            throw new InvalidOperationException($"energy table '{Name}' has no integer adder points");
        }

        if (pts.Length == 1)
        {
            return pts[0].EnergyPj * bits / pts[0].Bits;
        }

        int i = 0;
        while (i < pts.Length - 2 && bits > pts[i + 1].Bits)
        {
            i++;
        }

        AdderEnergyPoint lo = pts[i], hi = pts[i + 1];
        return lo.EnergyPj + ((hi.EnergyPj - lo.EnergyPj) * (bits - lo.Bits) / (hi.Bits - lo.Bits));
    }

    /// <summary>
    /// Energy of one read of a <paramref name="wordBytes"/>-byte word from an SRAM of <paramref name="capacityBytes"/>:
    /// each point is first brought to that word width (linear in width), then the result is linear in log2(capacity)
    /// between points; above the largest point the last segment's slope continues, below the smallest point its value holds.
    /// </summary>
    public double SramReadPj(long capacityBytes, int wordBytes) => SramPj(capacityBytes, wordBytes, p => p.ReadPj);

    /// <summary>Energy of one write; the same rule as <see cref="SramReadPj"/>.</summary>
    public double SramWritePj(long capacityBytes, int wordBytes) => SramPj(capacityBytes, wordBytes, p => p.WritePj);

    /// <summary>
    /// The factor taking this table's energies to <paramref name="nodeNm"/> at <paramref name="supplyVoltageV"/>:
    /// F(node)/F(table node) x (V/Vnom(node))^2 / (V_table/Vnom(table node))^2, with F and Vnom interpolated
    /// log-log between the listed nodes and held beyond the ends. Exactly 1 at the table's own node and voltage.
    /// Without node points only the voltage term (V/V_table)^2 applies.
    /// </summary>
    public double ScaleFactor(int nodeNm, double supplyVoltageV)
    {
        if (NodeScaling.IsDefaultOrEmpty)
        {
            double r = supplyVoltageV / SupplyVoltageV;
            return r * r;
        }

        (double fTo, double vTo) = NodeAt(nodeNm);
        (double fFrom, double vFrom) = NodeAt(TechnologyNodeNm);
        double to = supplyVoltageV / vTo, from = SupplyVoltageV / vFrom;
        return fTo / fFrom * (to * to) / (from * from);
    }

    /// <summary>
    /// The factor taking this table's leakage power to <paramref name="nodeNm"/> at <paramref name="supplyVoltageV"/>:
    /// F(node)/F(table node) x (V/Vnom(node)) / (V_table/Vnom(table node)), with F and Vnom as in
    /// <see cref="ScaleFactor"/>. Leakage is taken to shrink with the node like switched energy (both follow device
    /// width; a simplification, no published per-node leakage factors are in the table) and to be linear in V, the
    /// voltage law of <see cref="LeakageModel"/>. Exactly 1 at the table's own node and voltage; without node points
    /// only V/V_table applies.
    /// </summary>
    public double LeakageScaleFactor(int nodeNm, double supplyVoltageV)
    {
        if (NodeScaling.IsDefaultOrEmpty)
        {
            return supplyVoltageV / SupplyVoltageV;
        }

        (double fTo, double vTo) = NodeAt(nodeNm);
        (double fFrom, double vFrom) = NodeAt(TechnologyNodeNm);
        return fTo / fFrom * (supplyVoltageV / vTo) / (SupplyVoltageV / vFrom);
    }

    /// <summary>Every problem with the table at once: negative energies and empty required lists.</summary>
    public ImmutableArray<SpecProblem> Validate()
    {
        var problems = ImmutableArray.CreateBuilder<SpecProblem>();
        void NonNegative(string path, double value)
        {
            if (!(value >= 0) || double.IsInfinity(value))
            {
                problems.Add(new SpecProblem(path, string.Create(CultureInfo.InvariantCulture, $"must be a finite energy >= 0, got {value}")));
            }
        }

        for (int i = 0; i < Macs.Length; i++)
        {
            NonNegative($"mac[{i}].multiply_pj", Macs[i].MultiplyPj);
        }

        for (int i = 0; i < IntegerAdd.Length; i++)
        {
            NonNegative($"integer_add[{i}].energy_pj", IntegerAdd[i].EnergyPj);
        }

        if (IntegerAdd.IsDefaultOrEmpty)
        {
            problems.Add(new SpecProblem("integer_add", "needs at least one point"));
        }

        NonNegative("float16_add_pj", Float16AddPj);
        NonNegative("float32_add_pj", Float32AddPj);
        NonNegative("register.read_pj_per_bit", RegisterReadPjPerBit);
        NonNegative("register.write_pj_per_bit", RegisterWritePjPerBit);
        for (int i = 0; i < Sram.Length; i++)
        {
            NonNegative($"sram[{i}].read_pj", Sram[i].ReadPj);
            NonNegative($"sram[{i}].write_pj", Sram[i].WritePj);
        }

        if (Sram.IsDefaultOrEmpty)
        {
            problems.Add(new SpecProblem("sram", "needs at least one point"));
        }

        foreach (var (type, pj) in DramPjPerBit.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            NonNegative($"dram_pj_per_bit.{type.ToLowerInvariant()}", pj);
        }

        foreach (var (cls, pj) in VectorPjPerElement.OrderBy(p => p.Key))
        {
            NonNegative($"vector_pj_per_element.{Specs.Parameters.SpecNames.VectorOpClasses.Name(cls)}", pj);
        }

        NonNegative("leakage.sram_uw_per_kib", SramLeakageUwPerKib);
        NonNegative("leakage.pe_uw", PeLeakageUw);
        if (!(LeakageReferenceC is >= -60 and <= 300))
        {
            problems.Add(new SpecProblem("leakage.reference_c", string.Create(CultureInfo.InvariantCulture, $"must be a junction temperature from -60 to 300 degC (thermal.leakage_reference_c's range), got {LeakageReferenceC}")));
        }

        NonNegative("clock_overhead_fraction", ClockOverheadFraction);
        for (int i = 0; i < NodeScaling.Length; i++)
        {
            if (!(NodeScaling[i].EnergyFactor > 0) || !(NodeScaling[i].NominalVoltageV > 0))
            {
                problems.Add(new SpecProblem($"node_scaling[{i}]", "energy_factor and vdd_v must be > 0"));
            }
        }

        return problems.ToImmutable();
    }

    private double SramPj(long capacityBytes, int wordBytes, Func<SramEnergyPoint, double> energy)
    {
        if (Sram.IsDefaultOrEmpty)
        {
            throw new InvalidOperationException($"energy table '{Name}' has no SRAM points");
        }

        int bits = wordBytes * 8;
        var pts = Sram.OrderBy(p => p.CapacityBytes).Select(p => (X: Math.Log2(p.CapacityBytes), E: energy(p) * bits / p.WordBits)).ToArray();
        double x = Math.Log2(Math.Max(1, capacityBytes));
        if (pts.Length == 1 || x <= pts[0].X)
        {
            return pts[0].E;
        }

        int i = 0;
        while (i < pts.Length - 2 && x > pts[i + 1].X)
        {
            i++;
        }

        var (lo, hi) = (pts[i], pts[i + 1]);
        return lo.E + ((hi.E - lo.E) * (x - lo.X) / (hi.X - lo.X));
    }

    private (double Factor, double NominalV) NodeAt(int nodeNm)
    {
        var pts = NodeScaling.OrderBy(p => p.NodeNm).ToArray();
        if (nodeNm <= pts[0].NodeNm)
        {
            return (pts[0].EnergyFactor, pts[0].NominalVoltageV);
        }

        if (nodeNm >= pts[^1].NodeNm)
        {
            return (pts[^1].EnergyFactor, pts[^1].NominalVoltageV);
        }

        int i = 0;
        while (nodeNm > pts[i + 1].NodeNm)
        {
            i++;
        }

        NodeScalingPoint lo = pts[i], hi = pts[i + 1];
        if (nodeNm == lo.NodeNm)
        {
            return (lo.EnergyFactor, lo.NominalVoltageV);
        }

        double t = (Math.Log(nodeNm) - Math.Log(lo.NodeNm)) / (Math.Log(hi.NodeNm) - Math.Log(lo.NodeNm));
        double f = Math.Exp(Math.Log(lo.EnergyFactor) + (t * (Math.Log(hi.EnergyFactor) - Math.Log(lo.EnergyFactor))));
        double v = lo.NominalVoltageV + (t * (hi.NominalVoltageV - lo.NominalVoltageV));
        return (f, v);
    }
}
