using System.Globalization;
using System.Text;
using SiliconSim.Hardware.Specs;
using SiliconSim.Hardware.Specs.Parameters;

namespace SiliconSim.Config;

/// <summary>
/// Writes a spec as a config file with every field resolved (no defaults left implicit), so a resolved spec can be
/// stored beside its results and loaded back to an equal spec.
/// </summary>
public static class ConfigWriter
{
    public static string Write(AcceleratorSpec spec)
    {
        var sb = new StringBuilder();
        void Line(int indent, string key, string value) => sb.Append(' ', indent).Append(key).Append(':').Append(value.Length == 0 ? string.Empty : " " + value).Append('\n');
        static string N(double x) => SpecParameter.Format(x);
        static string I(long x) => x.ToString(CultureInfo.InvariantCulture);
        static string B(bool x) => x ? "true" : "false";

        Line(0, "name", Quote(spec.Name));
        Line(0, "clock_mhz", N(spec.ClockMhz));
        Line(0, "supply_voltage_v", N(spec.SupplyVoltageV));
        Line(0, "technology_node_nm", I(spec.TechnologyNodeNm));
        Line(0, "timing", SpecNames.Timings.Name(spec.Timing));
        Line(0, "energy", Quote(spec.EnergyTable));

        ArraySpec a = spec.Array;
        Line(0, "array", string.Empty);
        Line(2, "rows", I(a.Rows));
        Line(2, "cols", I(a.Cols));
        Line(2, "dataflow", SpecNames.Dataflows.Name(a.Dataflow));
        Line(2, "operand_types", "[" + string.Join(", ", a.OperandTypes.Select(SpecNames.OperandTypes.Name)) + "]");
        Line(2, "accumulator_bits", I(a.Numerics.AccumulatorBits));
        Line(2, "overflow", SpecNames.Overflows.Name(a.Numerics.Overflow));
        Line(2, "requantizer", SpecNames.Requantizers.Name(a.Numerics.Requantizer));
        Line(2, "fixed_point_rounding", SpecNames.Roundings.Name(a.Numerics.FixedPointRounding));
        Line(2, "low_precision_accumulation", SpecNames.LowPrecisionAccumulations.Name(a.Numerics.LowPrecisionAccumulation));
        Line(2, "pipeline_latency_cycles", I(a.PipelineLatencyCycles));

        VectorUnitSpec v = spec.VectorUnit;
        Line(0, "vector_unit", string.Empty);
        Line(2, "lanes", I(v.Lanes));
        Line(2, "cycles_per_element", string.Empty);
        foreach (VectorOpClass op in Enum.GetValues<VectorOpClass>().Where(v.CyclesPerElement.ContainsKey))
        {
            Line(4, SpecNames.VectorOpClasses.Name(op), N(v.CyclesPerElement[op]));
        }

        Line(2, "types", "[" + string.Join(", ", v.Types.Select(SpecNames.VectorTypes.Name)) + "]");

        MemorySpec m = spec.Memory;
        Line(0, "memory", string.Empty);
        Line(2, "schedule", SpecNames.Schedules.Name(m.Schedule));
        Line(2, "weights", SpecNames.WeightPlacements.Name(m.Weights));
        Line(2, "fusion", SpecNames.Fusions.Name(m.Fusion));
        Line(2, "registers", string.Empty);
        Line(4, "bytes_per_pe", I(m.Registers.BytesPerPe));
        Line(2, "buffers", string.Empty);
        foreach (BufferSpec b in m.Buffers)
        {
            Line(4, "- name", Quote(b.Name));
            Line(6, "role", SpecNames.Roles.Name(b.Role));
            Line(6, "capacity_kib", N(b.CapacityBytes / 1024.0));
            Line(6, "word_bytes", I(b.WordBytes));
            Line(6, "banks", I(b.Banks));
            Line(6, "ports", I(b.Ports));
            Line(6, "bytes_per_cycle", I(b.BytesPerCycle));
            Line(6, "double_buffered", B(b.DoubleBuffered));
        }

        Line(2, "dram", string.Empty);
        Line(4, "type", SpecNames.DramTypes.Names.First(n => SpecNames.DramTypes.TryParse(n, out string t) && t == m.Dram.Type));
        Line(4, "bandwidth_gbps", N(m.Dram.BandwidthGBps));
        Line(4, "latency_ns", N(m.Dram.LatencyNs));
        Line(4, "burst_bytes", I(m.Dram.BurstBytes));

        ThermalSpec t = spec.Thermal;
        Line(0, "thermal", string.Empty);
        Line(2, "ambient_c", N(t.AmbientC));
        Line(2, "junction_to_spreader_k_per_w", N(t.JunctionToSpreaderKPerW));
        Line(2, "spreader_to_heatsink_k_per_w", N(t.SpreaderToHeatsinkKPerW));
        Line(2, "heatsink_to_ambient_k_per_w", N(t.HeatsinkToAmbientKPerW));
        Line(2, "junction_capacitance_j_per_k", N(t.JunctionCapacitanceJPerK));
        Line(2, "spreader_capacitance_j_per_k", N(t.SpreaderCapacitanceJPerK));
        Line(2, "heatsink_capacitance_j_per_k", N(t.HeatsinkCapacitanceJPerK));
        // Absent, the energy table's leakage applies; the temperature belongs to the whole-die figure alone.
        if (t.LeakagePowerW is double leakage)
        {
            Line(2, "leakage_power_w", N(leakage));
            Line(2, "leakage_reference_c", N(t.LeakageReferenceCOrDefault));
        }

        Line(2, "leakage_doubling_c", N(t.LeakageDoublingC));
        Line(2, "idle_power_w", N(t.IdlePowerW));
        Line(2, "max_junction_c", N(t.MaxJunctionC));
        Line(2, "throttle_c", N(t.ThrottleC));
        Line(2, "hysteresis_c", N(t.HysteresisC));
        Line(2, "control_period_ms", N(t.ControlPeriodMs));
        if (!t.DvfsSteps.IsDefaultOrEmpty)
        {
            Line(2, "dvfs_steps", string.Empty);
            foreach (DvfsStep step in t.DvfsSteps)
            {
                Line(4, "- frequency_mhz", N(step.FrequencyMhz));
                Line(6, "voltage_v", N(step.VoltageV));
            }
        }
        return sb.ToString();
    }

    /// <summary>Single-quoted YAML text: no escapes except a doubled quote, so any name survives.</summary>
    private static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
