using System.Collections.Immutable;
using System.Globalization;
using SiliconSim.Config.Diagnostics;
using SiliconSim.Config.Documents;
using SiliconSim.Config.Yaml;
using SiliconSim.Hardware.Specs.Parameters;

namespace SiliconSim.Config;

/// <summary>
/// Walks a YAML tree against the parameter catalogue (<see cref="SpecParameters"/>): rejects unknown keys (naming the
/// closest known one), checks types, choices and ranges, reports missing required fields, and records where every
/// field was written. It never stops at the first problem.
/// </summary>
internal sealed class ConfigBinder(List<ConfigDiagnostic> diagnostics)
{
    /// <summary>Parsed values by concrete path: long, double, bool, string or ImmutableArray&lt;string&gt; (list counts as int).</summary>
    public Dictionary<string, object> Values { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, SourceLocation> Locations { get; } = new(StringComparer.Ordinal);

    /// <summary>Paths whose value is wrong or missing: the mapper puts placeholders there, so spec checks on them are moot.</summary>
    public HashSet<string> BadPaths { get; } = new(StringComparer.Ordinal);

    public void BindRoot(YamlNode root)
    {
        if (root is YamlScalar { IsNull: true })
        {
            root = new YamlMapping(root.Location, []);
        }

        if (root is YamlMapping map)
        {
            BindSection(map, string.Empty);
        }
        else
        {
            Bad(root.Location, string.Empty, "the top level must be a mapping of keys (clock_mhz: ..., array: ...)");
        }
    }

    public void BindValue(SpecParameter p, YamlNode node, string path, SourceLocation at)
    {
        switch (p.Kind)
        {
            case ParameterKind.Section:
                if (node is YamlScalar { IsNull: true })
                {
                    node = new YamlMapping(node.Location, []);
                }

                if (node is YamlMapping section)
                {
                    Values[path] = true;
                    BindSection(section, path);
                }
                else
                {
                    Bad(at, path, $"must be a mapping of keys ({string.Join(", ", SpecParameters.Children(path).Select(c => c.Key))}), got {Describe(node)}");
                }

                break;
            case ParameterKind.SectionList:
                if (node is not YamlSequence list)
                {
                    Bad(at, path, $"must be a list of mappings (- name: ...), got {Describe(node)}");
                    break;
                }

                Values[path] = list.Items.Length;
                for (int i = 0; i < list.Items.Length; i++)
                {
                    string item = $"{path}[{i}]";
                    Locations[item] = list.Items[i].Location;
                    if (list.Items[i] is YamlMapping m)
                    {
                        BindSection(m, item);
                    }
                    else
                    {
                        Bad(list.Items[i].Location, item, $"must be a mapping of keys, got {Describe(list.Items[i])}");
                    }
                }

                break;
            case ParameterKind.ChoiceList:
                if (node is not YamlSequence names)
                {
                    Bad(at, path, $"must be a list such as [{string.Join(", ", p.Choices.Take(2))}], got {Describe(node)}");
                    break;
                }

                var chosen = ImmutableArray.CreateBuilder<string>();
                for (int i = 0; i < names.Items.Length; i++)
                {
                    string item = $"{path}[{i}]";
                    Locations[item] = names.Items[i].Location;
                    if (Choice(p, names.Items[i], item, names.Items[i].Location) is string name)
                    {
                        chosen.Add(name);
                    }
                }

                Values[path] = chosen.ToImmutable();
                break;
            case ParameterKind.Choice:
                if (Choice(p, node, path, at) is string choice)
                {
                    Values[path] = choice;
                }

                break;
            default:
                BindScalar(p, node, path, at);
                break;
        }
    }

    private void BindSection(YamlMapping map, string path)
    {
        var known = SpecParameters.Children(path).ToList();
        foreach (var (key, value) in map.Entries)
        {
            string child = path.Length == 0 ? key.Text : $"{path}.{key.Text}";
            SpecParameter? p = known.Find(k => string.Equals(k.Key, key.Text, StringComparison.Ordinal));
            if (p is null)
            {
                string? hint = KeySuggester.Closest(key.Text, known.Select(k => k.Key));
                Error(key.Location, child, hint is null
                    ? $"unknown key; the keys here are {string.Join(", ", known.Select(k => k.Key))}"
                    : $"unknown key; did you mean '{hint}'?");
                continue;
            }

            Locations[child] = key.Location;
            BindValue(p, value, child, key.Location);
        }

        foreach (SpecParameter p in known.Where(k => k.IsRequired && !map.Entries.Any(e => string.Equals(e.Key.Text, k.Key, StringComparison.Ordinal))))
        {
            string child = path.Length == 0 ? p.Key : $"{path}.{p.Key}";
            Bad(Locations.GetValueOrDefault(path, map.Location), child, $"is required ({p.Doc})");
        }
    }

    private void BindScalar(SpecParameter p, YamlNode node, string path, SourceLocation at)
    {
        if (node is not YamlScalar scalar || scalar.IsNull)
        {
            Bad(at, path, $"{Expected(p)}, got {Describe(node)}");
            return;
        }

        string text = scalar.Text;
        switch (p.Kind)
        {
            case ParameterKind.Text:
                Values[path] = text;
                return;
            case ParameterKind.Boolean:
                if (scalar.Plain && text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
                {
                    Values[path] = text[0] is 't' or 'T';
                }
                else
                {
                    Bad(at, path, $"{Expected(p)}, got {Describe(node)}");
                }

                return;
            case ParameterKind.Integer when scalar.Plain && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n):
                if (Range(p, n, path, at))
                {
                    Values[path] = n;
                }

                return;
            case ParameterKind.Number when scalar.Plain && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x):
                if (Range(p, x, path, at))
                {
                    Values[path] = x;
                }

                return;
            default:
                Bad(at, path, $"{Expected(p)}, got {Describe(node)}");
                return;
        }
    }

    private string? Choice(SpecParameter p, YamlNode node, string path, SourceLocation at)
    {
        if (node is YamlScalar { IsNull: false } s && p.Choices.Contains(s.Text, StringComparer.Ordinal))
        {
            return s.Text;
        }

        string? hint = node is YamlScalar t ? KeySuggester.Closest(t.Text, p.Choices) : null;
        Bad(at, path, $"must be one of {string.Join(", ", p.Choices)}; got {Describe(node)}{(hint is null ? string.Empty : $" (did you mean '{hint}'?)")}");
        return null;
    }

    private bool Range(SpecParameter p, double value, string path, SourceLocation at)
    {
        if (p.CheckRange(value) is string problem)
        {
            Bad(at, path, problem);
            return false;
        }

        return true;
    }

    private static string Expected(SpecParameter p) => p.Kind switch
    {
        ParameterKind.Integer => "must be a whole number",
        ParameterKind.Number => "must be a finite number",
        ParameterKind.Boolean => "must be true or false",
        _ => "must be text",
    };

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalar { IsNull: true } => "nothing",
        YamlScalar s => $"'{s.Text}'",
        YamlSequence => "a list",
        _ => "a mapping",
    };

    private void Bad(SourceLocation at, string path, string message)
    {
        BadPaths.Add(path);
        Error(at, path, message);
    }

    private void Error(SourceLocation at, string path, string message) => diagnostics.Add(new ConfigDiagnostic(at, path, message));

    /// <summary>Collects the parsed values into documents (absent fields stay null).</summary>
    public AcceleratorDocument ToDocument()
    {
        T? Get<T>(string path)
            where T : struct => Values.TryGetValue(path, out object? v) ? (T)v : null;
        string? Text(string path) => Values.TryGetValue(path, out object? v) ? (string)v : null;

        var doc = new AcceleratorDocument
        {
            Name = Text("name"),
            ClockMhz = Get<double>("clock_mhz"),
            SupplyVoltageV = Get<double>("supply_voltage_v"),
            TechnologyNodeNm = Get<long>("technology_node_nm"),
            Timing = Text("timing"),
            Energy = Text("energy"),
        };
        if (Values.ContainsKey("array"))
        {
            doc.Array = new ArrayDocument
            {
                Rows = Get<long>("array.rows"),
                Cols = Get<long>("array.cols"),
                Dataflow = Text("array.dataflow"),
                OperandTypes = Get<ImmutableArray<string>>("array.operand_types"),
                AccumulatorBits = Get<long>("array.accumulator_bits"),
                Overflow = Text("array.overflow"),
                Requantizer = Text("array.requantizer"),
                FixedPointRounding = Text("array.fixed_point_rounding"),
                LowPrecisionAccumulation = Text("array.low_precision_accumulation"),
                PipelineLatencyCycles = Get<long>("array.pipeline_latency_cycles"),
            };
        }

        if (Values.ContainsKey("vector_unit"))
        {
            doc.VectorUnit = new VectorUnitDocument
            {
                Lanes = Get<long>("vector_unit.lanes"),
                Types = Get<ImmutableArray<string>>("vector_unit.types"),
                CyclesPerElement = SpecNames.VectorOpClasses.Names
                    .Where(n => Values.ContainsKey("vector_unit.cycles_per_element." + n))
                    .ToImmutableDictionary(n => n, n => (double)Values["vector_unit.cycles_per_element." + n], StringComparer.Ordinal),
            };
        }

        if (Values.ContainsKey("memory"))
        {
            doc.Memory = new MemoryDocument
            {
                Registers = Values.ContainsKey("memory.registers") ? new RegistersDocument { BytesPerPe = Get<long>("memory.registers.bytes_per_pe") } : null,
                Dram = Values.ContainsKey("memory.dram")
                    ? new DramDocument
                    {
                        Type = Text("memory.dram.type"),
                        BandwidthGbps = Get<double>("memory.dram.bandwidth_gbps"),
                        LatencyNs = Get<double>("memory.dram.latency_ns"),
                        BurstBytes = Get<long>("memory.dram.burst_bytes"),
                    }
                    : null,
                Buffers = Values.TryGetValue("memory.buffers", out object? count)
                    ? [.. Enumerable.Range(0, (int)count).Select(i => BufferAt($"memory.buffers[{i}]."))]
                    : null,
            };
        }

        if (Values.ContainsKey("thermal"))
        {
            doc.Thermal = ThermalAt("thermal.");
        }

        return doc;

        ThermalDocument ThermalAt(string at) => new()
        {
            AmbientC = Get<double>(at + "ambient_c"),
            JunctionToSpreaderKPerW = Get<double>(at + "junction_to_spreader_k_per_w"),
            SpreaderToHeatsinkKPerW = Get<double>(at + "spreader_to_heatsink_k_per_w"),
            HeatsinkToAmbientKPerW = Get<double>(at + "heatsink_to_ambient_k_per_w"),
            JunctionCapacitanceJPerK = Get<double>(at + "junction_capacitance_j_per_k"),
            SpreaderCapacitanceJPerK = Get<double>(at + "spreader_capacitance_j_per_k"),
            HeatsinkCapacitanceJPerK = Get<double>(at + "heatsink_capacitance_j_per_k"),
            LeakagePowerW = Get<double>(at + "leakage_power_w"),
            LeakageReferenceC = Get<double>(at + "leakage_reference_c"),
            LeakageDoublingC = Get<double>(at + "leakage_doubling_c"),
            IdlePowerW = Get<double>(at + "idle_power_w"),
            MaxJunctionC = Get<double>(at + "max_junction_c"),
            ThrottleC = Get<double>(at + "throttle_c"),
            HysteresisC = Get<double>(at + "hysteresis_c"),
            ControlPeriodMs = Get<double>(at + "control_period_ms"),
            DvfsSteps = Values.TryGetValue(at + "dvfs_steps", out object? steps)
                ? [.. Enumerable.Range(0, (int)steps).Select(i => new DvfsStepDocument
                {
                    FrequencyMhz = Get<double>($"{at}dvfs_steps[{i}].frequency_mhz"),
                    VoltageV = Get<double>($"{at}dvfs_steps[{i}].voltage_v"),
                })]
                : null,
        };

        BufferDocument BufferAt(string at) => new()
        {
            Name = Text(at + "name"),
            Role = Text(at + "role"),
            CapacityKib = Get<double>(at + "capacity_kib"),
            WordBytes = Get<long>(at + "word_bytes"),
            Banks = Get<long>(at + "banks"),
            Ports = Get<long>(at + "ports"),
            BytesPerCycle = Get<long>(at + "bytes_per_cycle"),
            DoubleBuffered = Get<bool>(at + "double_buffered"),
        };
    }
}
