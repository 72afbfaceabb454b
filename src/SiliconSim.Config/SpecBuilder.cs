using System.Collections.Immutable;
using SiliconSim.Hardware.Specs;
using SiliconSim.Hardware.Specs.Parameters;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Kernels.LowPrecision;

namespace SiliconSim.Config;

/// <summary>
/// Builds the <see cref="AcceleratorSpec"/> from the values the <see cref="ConfigBinder"/> accepted (ZigZag's factory
/// step), through the parameter catalogue alone: each value is converted by its parameter's
/// <see cref="SpecParameter.Conversion"/> (KiB to bytes, names to enums), and a value the config leaves out takes its
/// <see cref="SpecParameter.DefaultValue"/>. A value that is missing or bad has its binder diagnostic already; it gets
/// no substitute, and every part of the spec that needs it is left unbuilt. Each rule across fields
/// (<see cref="SpecRules"/>) runs exactly when all the values it reads are good, so no problem is ever reported about a
/// value the config did not give.
/// </summary>
internal sealed class SpecBuilder(ConfigBinder binder, string defaultName)
{
    private readonly HashSet<string> _bad = new(binder.BadPaths, StringComparer.Ordinal);
    private readonly ImmutableArray<SpecProblem>.Builder _problems = ImmutableArray.CreateBuilder<SpecProblem>();

    /// <summary>The spec when every value is good (null otherwise), and the problems found in conversion and by the rules.</summary>
    public (AcceleratorSpec? Spec, ImmutableArray<SpecProblem> Problems) Build()
    {
        string? name = Written("name") ? Text("name") : defaultName;
        if (name is not null)
        {
            Add(SpecRules.NotEmpty("name", name));
        }

        double? clock = Get<double>("clock_mhz");
        double? voltage = Get<double>("supply_voltage_v");
        int? node = Get<int>("technology_node_nm");
        ArraySpec? array = Array();
        VectorUnitSpec? vector = VectorUnit(array?.Cols ?? Get<int>("array.cols"));
        MemorySpec? memory = Memory();
        TimingModel? timing = Get<TimingModel>("timing");
        string? energy = Text("energy");
        ThermalSpec? thermal = Thermal();

        AcceleratorSpec? spec = name is not null && clock is not null && voltage is not null && node is not null && array is not null
            && vector is not null && memory is not null && timing is not null && energy is not null && thermal is not null
            ? new AcceleratorSpec
            {
                Name = name,
                ClockMhz = clock.Value,
                SupplyVoltageV = voltage.Value,
                TechnologyNodeNm = node.Value,
                Array = array,
                VectorUnit = vector,
                Memory = memory,
                Timing = timing.Value,
                EnergyTable = energy,
                Thermal = thermal,
            }
            : null;
        return (spec, _problems.ToImmutable());
    }

    /// <summary>The array's operand types when they are good (the energy table is checked against them).</summary>
    public ImmutableArray<DataType>? OperandTypes => Get<ImmutableArray<DataType>>("array.operand_types");

    /// <summary>The DRAM standard when it is good (the energy table is checked against it).</summary>
    public string? DramType => Section("memory") && Section("memory.dram") ? Text("memory.dram.type") : null;

    private ArraySpec? Array()
    {
        if (!Section("array"))
        {
            return null;
        }

        int? bits = Get<int>("array.accumulator_bits");
        AccumulatorOverflow? overflow = Get<AccumulatorOverflow>("array.overflow");
        RequantizerArithmetic? requantizer = Get<RequantizerArithmetic>("array.requantizer");
        ShiftRounding? rounding = Get<ShiftRounding>("array.fixed_point_rounding");
        LowPrecisionAccumulation? accumulation = Get<LowPrecisionAccumulation>("array.low_precision_accumulation");
        if (requantizer is not null && bits is not null)
        {
            Add(SpecRules.FixedPointAccumulator(requantizer.Value, bits.Value));
        }

        ImmutableArray<DataType>? types = Types("array.operand_types", SpecNames.OperandTypes);
        int? rows = Get<int>("array.rows"), cols = Get<int>("array.cols"), latency = Get<int>("array.pipeline_latency_cycles");
        Dataflow? dataflow = Get<Dataflow>("array.dataflow");
        if (bits is null || overflow is null || requantizer is null || rounding is null || accumulation is null
            || types is null || rows is null || cols is null || latency is null || dataflow is null)
        {
            return null;
        }

        return new ArraySpec
        {
            Rows = rows.Value,
            Cols = cols.Value,
            Dataflow = dataflow.Value,
            OperandTypes = types.Value,
            Numerics = new ArrayNumericsSpec
            {
                AccumulatorBits = bits.Value,
                Overflow = overflow.Value,
                Requantizer = requantizer.Value,
                FixedPointRounding = rounding.Value,
                LowPrecisionAccumulation = accumulation.Value,
            },
            PipelineLatencyCycles = latency.Value,
        };
    }

    private VectorUnitSpec? VectorUnit(int? cols)
    {
        if (!Section("vector_unit") || !Section("vector_unit.cycles_per_element"))
        {
            return null;
        }

        // One lane per array column unless written: see the catalogue's reason for vector_unit.lanes.
        int? lanes = Written("vector_unit.lanes") ? Get<int>("vector_unit.lanes") : cols;
        var cycles = ImmutableDictionary.CreateBuilder<VectorOpClass, double>();
        bool allCycles = true;
        foreach (VectorOpClass op in Enum.GetValues<VectorOpClass>())
        {
            if (Get<double>("vector_unit.cycles_per_element." + SpecNames.VectorOpClasses.Name(op)) is double c)
            {
                cycles[op] = c;
            }
            else
            {
                allCycles = false;
            }
        }

        ImmutableArray<DataType>? types = Types("vector_unit.types", SpecNames.VectorTypes);
        return lanes is not null && allCycles && types is not null
            ? new VectorUnitSpec { Lanes = lanes.Value, CyclesPerElement = cycles.ToImmutable(), Types = types.Value }
            : null;
    }

    private MemorySpec? Memory()
    {
        if (!Section("memory"))
        {
            return null;
        }

        int? bytesPerPe = Section("memory.registers") ? Get<int>("memory.registers.bytes_per_pe") : null;
        ImmutableArray<BufferSpec>? buffers = Buffers();
        DramSpec? dram = null;
        if (Section("memory.dram"))
        {
            string? type = Text("memory.dram.type");
            double? bandwidth = Get<double>("memory.dram.bandwidth_gbps"), latency = Get<double>("memory.dram.latency_ns");
            int? burst = Get<int>("memory.dram.burst_bytes");
            dram = type is not null && bandwidth is not null && latency is not null && burst is not null
                ? new DramSpec { Type = type, BandwidthGBps = bandwidth.Value, LatencyNs = latency.Value, BurstBytes = burst.Value }
                : null;
        }

        ExecutionSchedule? schedule = Get<ExecutionSchedule>("memory.schedule");
        WeightPlacement? weights = Get<WeightPlacement>("memory.weights");
        EpilogueFusion? fusion = Get<EpilogueFusion>("memory.fusion");
        return bytesPerPe is not null && buffers is not null && dram is not null && schedule is not null && weights is not null && fusion is not null
            ? new MemorySpec
            {
                Registers = new RegisterFileSpec { BytesPerPe = bytesPerPe.Value },
                Buffers = buffers.Value,
                Dram = dram,
                Schedule = schedule.Value,
                Weights = weights.Value,
                Fusion = fusion.Value,
            }
            : null;
    }

    private ImmutableArray<BufferSpec>? Buffers()
    {
        if (!Section("memory.buffers") || binder.Values.GetValueOrDefault("memory.buffers") is not int count)
        {
            return null;
        }

        Add(SpecRules.SomeBuffer(count));
        var names = new string?[count];
        var roles = new BufferRole?[count];
        var buffers = ImmutableArray.CreateBuilder<BufferSpec>(count);
        for (int i = 0; i < count; i++)
        {
            string at = $"memory.buffers[{i}]";
            if (!Section(at))
            {
                continue;
            }

            names[i] = Text(at + ".name");
            roles[i] = Get<BufferRole>(at + ".role");
            long? bytes = Get<long>(at + ".capacity_kib");
            int? word = Get<int>(at + ".word_bytes"), banks = Get<int>(at + ".banks"), ports = Get<int>(at + ".ports"), perCycle = Get<int>(at + ".bytes_per_cycle");
            bool? doubled = Get<bool>(at + ".double_buffered");
            if (bytes is not null && word is not null && banks is not null)
            {
                Add(SpecRules.WholeRows(i, bytes.Value, word.Value, banks.Value));
            }

            if (names[i] is string name && roles[i] is BufferRole role && bytes is not null && word is not null && banks is not null
                && ports is not null && perCycle is not null && doubled is not null)
            {
                buffers.Add(new BufferSpec
                {
                    Name = name,
                    Role = role,
                    CapacityBytes = bytes.Value,
                    WordBytes = word.Value,
                    Banks = banks.Value,
                    Ports = ports.Value,
                    BytesPerCycle = perCycle.Value,
                    DoubleBuffered = doubled.Value,
                });
            }
        }

        for (int i = 0; i < count; i++)
        {
            Add(SpecRules.BufferName(i, names));
        }

        // Which roles are missing or doubled can only be said when every buffer's role is known.
        if (roles.All(r => r is not null))
        {
            BufferRole[] known = [.. roles.Select(r => r!.Value)];
            for (int i = 0; i < count; i++)
            {
                Add(SpecRules.BufferRole(i, known));
            }

            foreach (SpecProblem problem in SpecRules.MissingRoles(known))
            {
                Add(problem);
            }
        }

        return buffers.Count == count ? buffers.ToImmutable() : null;
    }

    private ThermalSpec? Thermal()
    {
        if (!Section("thermal"))
        {
            return null;
        }

        double? V(string key) => Get<double>("thermal." + key);
        double? ambient = V("ambient_c"), max = V("max_junction_c"), throttle = V("throttle_c"), hysteresis = V("hysteresis_c");
        if (throttle is not null && max is not null)
        {
            Add(SpecRules.ThrottleBelowLimit(throttle.Value, max.Value));
        }

        if (throttle is not null && hysteresis is not null && ambient is not null)
        {
            Add(SpecRules.ReleaseAboveAmbient(throttle.Value, hysteresis.Value, ambient.Value));
        }

        // The whole-die leakage and its temperature are optional (null: the energy table's leakage); written, each must
        // be good, and the temperature alone is refused (SpecRules.LeakageReferenceNeedsPower).
        (bool Written, double? Value) Optional(string key) => Written("thermal." + key) ? (true, V(key)) : (false, null);
        var (powerWritten, power) = Optional("leakage_power_w");
        var (referenceWritten, reference) = Optional("leakage_reference_c");
        if ((!powerWritten || power is not null) && (!referenceWritten || reference is not null))
        {
            Add(SpecRules.LeakageReferenceNeedsPower(power, reference));
        }

        // A whole-die figure without its temperature is at the catalogue's default one, resolved here so that the
        // written config says it.
        reference ??= powerWritten && !referenceWritten ? Get<double>("thermal.leakage_reference_c") : null;

        ImmutableArray<DvfsStep>? steps = DvfsSteps();
        double?[] values =
        [
            ambient, V("junction_to_spreader_k_per_w"), V("spreader_to_heatsink_k_per_w"), V("heatsink_to_ambient_k_per_w"),
            V("junction_capacitance_j_per_k"), V("spreader_capacitance_j_per_k"), V("heatsink_capacitance_j_per_k"),
            0, 0, V("leakage_doubling_c"), V("idle_power_w"), max, throttle, hysteresis,
            V("control_period_ms"),
        ];
        if (steps is null || values.Any(v => v is null) || (powerWritten && power is null) || (referenceWritten && reference is null))
        {
            return null;
        }

        return new ThermalSpec
        {
            AmbientC = values[0]!.Value,
            JunctionToSpreaderKPerW = values[1]!.Value,
            SpreaderToHeatsinkKPerW = values[2]!.Value,
            HeatsinkToAmbientKPerW = values[3]!.Value,
            JunctionCapacitanceJPerK = values[4]!.Value,
            SpreaderCapacitanceJPerK = values[5]!.Value,
            HeatsinkCapacitanceJPerK = values[6]!.Value,
            LeakagePowerW = power,
            LeakageReferenceC = reference,
            LeakageDoublingC = values[9]!.Value,
            IdlePowerW = values[10]!.Value,
            MaxJunctionC = values[11]!.Value,
            ThrottleC = values[12]!.Value,
            HysteresisC = values[13]!.Value,
            ControlPeriodMs = values[14]!.Value,
            DvfsSteps = steps.Value,
        };
    }

    private ImmutableArray<DvfsStep>? DvfsSteps()
    {
        const string List = "thermal.dvfs_steps";
        if (!Written(List))
        {
            // Without listed steps the part runs only at its nominal point (the catalogue's default).
            return [];
        }

        if (!Section(List) || binder.Values.GetValueOrDefault(List) is not int count)
        {
            return null;
        }

        var frequencies = new double?[count];
        var voltages = new double?[count];
        for (int i = 0; i < count; i++)
        {
            if (Section($"{List}[{i}]"))
            {
                frequencies[i] = Get<double>($"{List}[{i}].frequency_mhz");
                voltages[i] = Get<double>($"{List}[{i}].voltage_v");
            }

            if (i > 0 && frequencies[i] is double f && frequencies[i - 1] is double previousF)
            {
                Add(SpecRules.StepSlower(i, f, previousF));
            }

            if (i > 0 && voltages[i] is double v && voltages[i - 1] is double previousV)
            {
                Add(SpecRules.StepVoltageNotHigher(i, v, previousV));
            }
        }

        return frequencies.All(f => f is not null) && voltages.All(v => v is not null)
            ? [.. frequencies.Select((f, i) => new DvfsStep(f!.Value, voltages[i]!.Value))]
            : null;
    }

    private ImmutableArray<DataType>? Types(string path, NameTable<DataType> table)
    {
        ImmutableArray<DataType>? types = Get<ImmutableArray<DataType>>(path);
        if (types is not null)
        {
            foreach (SpecProblem problem in SpecRules.Types(path, types.Value, table))
            {
                Add(problem);
            }
        }

        return types;
    }

    /// <summary>True when the config writes the key (well or badly), false when it leaves it to its default.</summary>
    private bool Written(string path) => binder.Values.ContainsKey(path) || _bad.Contains(path);

    /// <summary>True when a section or list item is usable: written as a mapping (or list), or absent with all defaults.</summary>
    private bool Section(string path) => !_bad.Contains(path);

    private string? Text(string path) => Value(path) as string;

    private T? Get<T>(string path)
        where T : struct => Value(path) is T value ? value : null;

    /// <summary>
    /// A value in the spec's terms: as written (converted by the catalogue) or the catalogue's default when left out;
    /// null when missing or bad (the binder has said so) or when it cannot be converted (said here).
    /// </summary>
    private object? Value(string path)
    {
        // A list of names with one bad item is a bad list: it is not the list the config meant.
        if (_bad.Contains(path) || _bad.Any(b => b.StartsWith(path + "[", StringComparison.Ordinal)))
        {
            return null;
        }

        SpecParameter p = SpecParameters.Get(path);
        if (!binder.Values.TryGetValue(path, out object? written))
        {
            return p.DefaultValue;
        }

        if (p.Conversion!.TryToSpec(written, out object? value, out string? problem))
        {
            return value;
        }

        _bad.Add(path);
        _problems.Add(new SpecProblem(path, problem!));
        return null;
    }

    private void Add(SpecProblem? problem)
    {
        if (problem is not null)
        {
            _problems.Add(problem);
        }
    }
}
