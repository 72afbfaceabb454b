using System.Collections.Immutable;
using SiliconSim.Config.Documents;
using SiliconSim.Hardware.Specs;
using SiliconSim.Hardware.Specs.Parameters;
using SiliconSim.Numerics;

namespace SiliconSim.Config;

/// <summary>
/// Turns documents into an <see cref="AcceleratorSpec"/> (ZigZag's factory step): applies the catalogue's defaults,
/// converts units (KiB to bytes) and names to enums, then runs <see cref="AcceleratorSpec.Validate"/>. A value that is
/// missing or did not parse gets a harmless placeholder so the remaining checks still run; the loader drops problems
/// that only concern such placeholders.
/// </summary>
public static class SpecMapper
{
    /// <summary>Builds the spec and returns it with every problem found in unit conversion and validation.</summary>
    public static (AcceleratorSpec Spec, ImmutableArray<SpecProblem> Problems) Map(AcceleratorDocument doc, string defaultName)
    {
        var problems = ImmutableArray.CreateBuilder<SpecProblem>();
        ArrayDocument a = doc.Array ?? new ArrayDocument();
        VectorUnitDocument v = doc.VectorUnit ?? new VectorUnitDocument();
        MemoryDocument m = doc.Memory ?? new MemoryDocument();
        DramDocument d = m.Dram ?? new DramDocument();

        var numerics = new ArrayNumericsSpec
        {
            AccumulatorBits = ToInt(a.AccumulatorBits ?? ParameterDefaults.Get<long>("array.accumulator_bits")),
            Overflow = Parse(SpecNames.Overflows, a.Overflow, "array.overflow"),
            Requantizer = Parse(SpecNames.Requantizers, a.Requantizer, "array.requantizer"),
            FixedPointRounding = Parse(SpecNames.Roundings, a.FixedPointRounding, "array.fixed_point_rounding"),
            LowPrecisionAccumulation = Parse(SpecNames.LowPrecisionAccumulations, a.LowPrecisionAccumulation, "array.low_precision_accumulation"),
        };
        int cols = ToInt(a.Cols ?? 1);
        var array = new ArraySpec
        {
            Rows = ToInt(a.Rows ?? 1),
            Cols = cols,
            Dataflow = Parse(SpecNames.Dataflows, a.Dataflow, "array.dataflow"),
            OperandTypes = Types(SpecNames.OperandTypes, a.OperandTypes, "array.operand_types"),
            Numerics = numerics,
            PipelineLatencyCycles = ToInt(a.PipelineLatencyCycles ?? ParameterDefaults.Get<long>("array.pipeline_latency_cycles")),
        };
        var vector = new VectorUnitSpec
        {
            // One lane per array column by default: see the catalogue's reason for vector_unit.lanes.
            Lanes = ToInt(v.Lanes ?? cols),
            CyclesPerElement = SpecNames.VectorOpClasses.Names.ToImmutableDictionary(
                n => Parse(SpecNames.VectorOpClasses, n, "vector_unit.cycles_per_element"),
                n => v.CyclesPerElement.TryGetValue(n, out double c) ? c : ParameterDefaults.Get<double>("vector_unit.cycles_per_element." + n)),
            Types = Types(SpecNames.VectorTypes, v.Types, "vector_unit.types"),
        };
        var buffers = (m.Buffers ?? []).Select((b, i) => Buffer(b, i, problems)).ToImmutableArray();
        var memory = new MemorySpec
        {
            Registers = new RegisterFileSpec { BytesPerPe = ToInt(m.Registers?.BytesPerPe ?? ParameterDefaults.Get<long>("memory.registers.bytes_per_pe")) },
            Buffers = buffers,
            Dram = new DramSpec
            {
                Type = Parse(SpecNames.DramTypes, d.Type, "memory.dram.type"),
                BandwidthGBps = d.BandwidthGbps ?? 1,
                LatencyNs = d.LatencyNs ?? ParameterDefaults.Get<double>("memory.dram.latency_ns"),
                BurstBytes = ToInt(d.BurstBytes ?? ParameterDefaults.Get<long>("memory.dram.burst_bytes")),
            },
        };
        var spec = new AcceleratorSpec
        {
            Name = doc.Name ?? defaultName,
            ClockMhz = doc.ClockMhz ?? 1,
            SupplyVoltageV = doc.SupplyVoltageV ?? ParameterDefaults.Get<double>("supply_voltage_v"),
            TechnologyNodeNm = ToInt(doc.TechnologyNodeNm ?? ParameterDefaults.Get<long>("technology_node_nm")),
            Array = array,
            VectorUnit = vector,
            Memory = memory,
            Timing = Parse(SpecNames.Timings, doc.Timing, "timing"),
            EnergyTable = doc.Energy ?? ParameterDefaults.Get<string>("energy"),
            Thermal = Thermal(doc.Thermal ?? new ThermalDocument()),
        };
        problems.AddRange(spec.Validate());
        return (spec, problems.ToImmutable());
    }

    private static BufferSpec Buffer(BufferDocument b, int index, ImmutableArray<SpecProblem>.Builder problems)
    {
        string at = $"memory.buffers[{index}].";
        double kib = b.CapacityKib ?? 1;
        double bytes = kib * 1024;
        if (bytes != Math.Floor(bytes))
        {
            problems.Add(new SpecProblem(at + "capacity_kib", $"must be a whole number of bytes, got {SpecParameter.Format(kib)} KiB = {SpecParameter.Format(bytes)} bytes"));
        }

        return new BufferSpec
        {
            Name = b.Name ?? $"buffer{index}",
            Role = Parse(SpecNames.Roles, b.Role, at + "role"),
            CapacityBytes = (long)Math.Floor(bytes),
            WordBytes = ToInt(b.WordBytes ?? ParameterDefaults.Get<long>(at + "word_bytes")),
            Banks = ToInt(b.Banks ?? ParameterDefaults.Get<long>(at + "banks")),
            Ports = ToInt(b.Ports ?? ParameterDefaults.Get<long>(at + "ports")),
            BytesPerCycle = ToInt(b.BytesPerCycle ?? 1),
            DoubleBuffered = b.DoubleBuffered ?? ParameterDefaults.Get<bool>(at + "double_buffered"),
        };
    }

    private static ThermalSpec Thermal(ThermalDocument t)
    {
        static double Or(double? value, string key) => value ?? ParameterDefaults.Get<double>("thermal." + key);
        return new ThermalSpec
        {
            AmbientC = Or(t.AmbientC, "ambient_c"),
            JunctionToSpreaderKPerW = Or(t.JunctionToSpreaderKPerW, "junction_to_spreader_k_per_w"),
            SpreaderToHeatsinkKPerW = Or(t.SpreaderToHeatsinkKPerW, "spreader_to_heatsink_k_per_w"),
            HeatsinkToAmbientKPerW = Or(t.HeatsinkToAmbientKPerW, "heatsink_to_ambient_k_per_w"),
            JunctionCapacitanceJPerK = Or(t.JunctionCapacitanceJPerK, "junction_capacitance_j_per_k"),
            SpreaderCapacitanceJPerK = Or(t.SpreaderCapacitanceJPerK, "spreader_capacitance_j_per_k"),
            HeatsinkCapacitanceJPerK = Or(t.HeatsinkCapacitanceJPerK, "heatsink_capacitance_j_per_k"),
            LeakagePowerW = Or(t.LeakagePowerW, "leakage_power_w"),
            LeakageReferenceC = Or(t.LeakageReferenceC, "leakage_reference_c"),
            LeakageDoublingC = Or(t.LeakageDoublingC, "leakage_doubling_c"),
            IdlePowerW = Or(t.IdlePowerW, "idle_power_w"),
            MaxJunctionC = Or(t.MaxJunctionC, "max_junction_c"),
            ThrottleC = Or(t.ThrottleC, "throttle_c"),
            HysteresisC = Or(t.HysteresisC, "hysteresis_c"),
            ControlPeriodMs = Or(t.ControlPeriodMs, "control_period_ms"),

            // A missing frequency or voltage was reported by the binder; 1 is a placeholder that passes range checks.
            DvfsSteps = [.. (t.DvfsSteps ?? []).Select(s => new DvfsStep(s.FrequencyMhz ?? 1, s.VoltageV ?? 1))],
        };
    }

    /// <summary>The binder has already range-checked integers; a value outside int only reaches here as a placeholder.</summary>
    private static int ToInt(long value) => (int)Math.Clamp(value, int.MinValue, int.MaxValue);

    private static T Parse<T>(NameTable<T> table, string? name, string path)
        where T : notnull
    {
        // A name that is absent (or was rejected by the binder) takes the default; the loader drops problems that
        // depend on a rejected value.
        string? text = name;
        if (text is null || !table.TryParse(text, out T value))
        {
            SpecParameter p = SpecParameters.Get(path);
            text = p.Default ?? p.Choices.FirstOrDefault() ?? table.Names[0];
            if (!table.TryParse(text, out value))
            {
                value = table.TryParse(table.Names[0], out T first) ? first : throw new InvalidOperationException(path);
            }
        }

        return value;
    }

    private static ImmutableArray<DataType> Types(NameTable<DataType> table, ImmutableArray<string>? names, string path) =>
        [.. (names ?? ParameterDefaults.Get<ImmutableArray<string>>(path)).Select(n => table.TryParse(n, out DataType t) ? t : DataType.Undefined).Where(t => t != DataType.Undefined)];
}
