using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using SiliconSim.Config.Diagnostics;
using SiliconSim.Config.Files;
using SiliconSim.Config.Yaml;
using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;
using SiliconSim.Hardware.Specs.Parameters;
using SiliconSim.Numerics;

namespace SiliconSim.Config.Energy;

/// <summary>
/// Loads <c>configs/energy/*.yaml</c> into an <see cref="EnergyTableSpec"/> with hwconfig's diagnostics
/// (<c>file:line:column: field: message</c>, every problem at once, unknown keys rejected), then checks the table
/// (<see cref="EnergyTableSpec.Validate"/>). Comments carry each number's source; the loader ignores them.
/// </summary>
public static class EnergyTableLoader
{
    /// <summary>The table an accelerator uses when its config names none.</summary>
    public const string DefaultTable = "horowitz-45nm";

    private const string Folder = "configs/energy";

    // Full path to ((last-write time, length), result); an entry is replaced when its file changes.
    private static readonly ConcurrentDictionary<string, ((DateTime, long) Version, EnergyTableLoadResult Result)> s_cache = new(StringComparer.Ordinal);

    private static readonly string[] s_rootKeys =
    [
        "name", "source", "technology_node_nm", "supply_voltage_v", "mac", "integer_add", "float16_add_pj", "float32_add_pj",
        "register", "sram", "dram_pj_per_bit", "vector_pj_per_element", "leakage", "clock_overhead_fraction", "node_scaling",
    ];

    /// <summary>The energy-table folder above the executable or the current directory, or null.</summary>
    public static string? FindDirectory() => RepositoryFolders.FindAbove(Folder);

    /// <summary>
    /// Loads a table by name (<c>horowitz-45nm</c>, from <c>configs/energy</c>) or by file path; a relative path is tried
    /// against <paramref name="relativeTo"/> (the folder of the config file that names it) first. Files are read once
    /// per full path and last-write time (<see cref="LoadFile"/>), so a sweep's thousand points share one table.
    /// </summary>
    public static EnergyTableLoadResult Load(string nameOrPath, string? relativeTo = null)
    {
        ArgumentNullException.ThrowIfNull(nameOrPath);
        return Resolve(nameOrPath, relativeTo) is string path
            ? LoadFile(path)
            : Failed(nameOrPath, "no such energy table file or name (tables live in configs/energy)");
    }

    /// <summary>
    /// The file a table name or path stands for, or null when there is none: a relative path against
    /// <paramref name="relativeTo"/> first, then as given, then a name (no folder separator) in <c>configs/energy</c>.
    /// </summary>
    public static string? Resolve(string nameOrPath, string? relativeTo = null)
    {
        ArgumentNullException.ThrowIfNull(nameOrPath);
        if (relativeTo is not null && !Path.IsPathRooted(nameOrPath) && File.Exists(Path.Combine(relativeTo, nameOrPath)))
        {
            return Path.Combine(relativeTo, nameOrPath);
        }

        if (File.Exists(nameOrPath))
        {
            return nameOrPath;
        }

        if (FindDirectory() is string dir && nameOrPath.IndexOfAny(['/', '\\']) < 0)
        {
            string path = Path.Combine(dir, nameOrPath.EndsWith(".yaml", StringComparison.Ordinal) ? nameOrPath : nameOrPath + ".yaml");
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>
    /// Loads a table file; the result is cached by full path, last-write time and length, so an unchanged file is read
    /// and checked once per process and an edited one is read again. A missing file is not cached.
    /// </summary>
    public static EnergyTableLoadResult LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full;
        (DateTime, long) version;
        try
        {
            full = Path.GetFullPath(path);
            var info = new FileInfo(full);
            version = info.Exists ? (info.LastWriteTimeUtc, info.Length) : default;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Failed(path, $"cannot read the file: {e.Message}");
        }

        if (version == default)
        {
            return Read(full);
        }

        if (s_cache.TryGetValue(full, out var cached) && cached.Version == version)
        {
            return cached.Result;
        }

        EnergyTableLoadResult result = Read(full);
        s_cache[full] = (version, result);
        return result;
    }

    private static EnergyTableLoadResult Read(string path)
    {
        string text;
        try
        {
            text = InputFiles.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Failed(path, e is InputFileException ? e.Message : $"cannot read the file: {e.Message}");
        }

        return LoadText(text, path);
    }

    /// <summary>Loads table text; <paramref name="fileName"/> names it in diagnostics.</summary>
    public static EnergyTableLoadResult LoadText(string yaml, string fileName = "energy.yaml")
    {
        var diagnostics = new List<ConfigDiagnostic>();
        YamlNode? root = YamlTreeReader.Read(yaml, fileName, diagnostics);
        var reader = new Reader(diagnostics);
        EnergyTableSpec? table = root is null ? null : reader.Root(root);
        var map = new SourceMap(fileName, reader.Locations.ToImmutableDictionary(StringComparer.Ordinal));
        if (table is not null)
        {
            foreach (SpecProblem problem in table.Validate())
            {
                diagnostics.Add(map.Diagnostic(problem.Path, problem.Message));
            }
        }

        var sorted = diagnostics.OrderBy(d => d.Location.Line).ThenBy(d => d.Location.Column).ToImmutableArray();
        return new EnergyTableLoadResult(sorted.IsEmpty ? table : null, sorted, map);
    }

    private static EnergyTableLoadResult Failed(string file, string message)
    {
        var location = new SourceLocation(file, 1, 1);
        return new EnergyTableLoadResult(null, [new ConfigDiagnostic(location, string.Empty, message)],
            new SourceMap(file, ImmutableDictionary<string, SourceLocation>.Empty));
    }

    /// <summary>Walks the YAML tree; records each field's location and reports each problem where it is.</summary>
    private sealed class Reader(List<ConfigDiagnostic> diagnostics)
    {
        private bool _failed;

        public Dictionary<string, SourceLocation> Locations { get; } = new(StringComparer.Ordinal);

        public EnergyTableSpec? Root(YamlNode root)
        {
            var map = Mapping(root, string.Empty, s_rootKeys);
            if (map is null)
            {
                return null;
            }

            string name = Text(map, "name", string.Empty, required: true) ?? string.Empty;
            string source = Text(map, "source", string.Empty, required: false) ?? string.Empty;
            double node = Number(map, "technology_node_nm", string.Empty, required: true);
            double volts = Number(map, "supply_voltage_v", string.Empty, required: true);

            var macs = ImmutableArray.CreateBuilder<MacEnergy>();
            foreach (var (item, path) in Items(map, "mac", required: true))
            {
                var m = Mapping(item, path, ["input", "weight", "multiply_pj"]);
                if (m is not null)
                {
                    DataType a = Type(m, "input", path), b = Type(m, "weight", path);
                    macs.Add(new MacEnergy(a, b, Number(m, "multiply_pj", path, required: true)));
                }
            }

            var adds = ImmutableArray.CreateBuilder<AdderEnergyPoint>();
            foreach (var (item, path) in Items(map, "integer_add", required: true))
            {
                var m = Mapping(item, path, ["bits", "energy_pj"]);
                if (m is not null)
                {
                    adds.Add(new AdderEnergyPoint((int)Number(m, "bits", path, required: true, positive: true), Number(m, "energy_pj", path, required: true)));
                }
            }

            var sram = ImmutableArray.CreateBuilder<SramEnergyPoint>();
            foreach (var (item, path) in Items(map, "sram", required: true))
            {
                var m = Mapping(item, path, ["capacity_kib", "word_bits", "read_pj", "write_pj"]);
                if (m is not null)
                {
                    long cap = (long)(Number(m, "capacity_kib", path, required: true, positive: true) * 1024);
                    int word = (int)Number(m, "word_bits", path, required: true, positive: true);
                    sram.Add(new SramEnergyPoint(cap, word, Number(m, "read_pj", path, required: true), Number(m, "write_pj", path, required: true)));
                }
            }

            var dram = ImmutableDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
            if (Child(map, "dram_pj_per_bit", string.Empty, required: true) is YamlNode dn && Mapping(dn, "dram_pj_per_bit", SpecNames.DramTypes.Names) is YamlMapping dm)
            {
                foreach (var (key, _) in dm.Entries)
                {
                    if (SpecNames.DramTypes.TryParse(key.Text, out string type))
                    {
                        dram[type] = Number(dm, key.Text, "dram_pj_per_bit", required: true);
                    }
                }
            }

            var vector = ImmutableDictionary.CreateBuilder<VectorOpClass, double>();
            if (Child(map, "vector_pj_per_element", string.Empty, required: true) is YamlNode vn && Mapping(vn, "vector_pj_per_element", SpecNames.VectorOpClasses.Names) is YamlMapping vm)
            {
                foreach (var (key, _) in vm.Entries)
                {
                    if (SpecNames.VectorOpClasses.TryParse(key.Text, out VectorOpClass cls))
                    {
                        vector[cls] = Number(vm, key.Text, "vector_pj_per_element", required: true);
                    }
                }
            }

            double regRead = 0, regWrite = 0, sramLeak = 0, peLeak = 0, leakC = 0;
            if (Child(map, "register", string.Empty, required: true) is YamlNode rn && Mapping(rn, "register", ["read_pj_per_bit", "write_pj_per_bit"]) is YamlMapping rm)
            {
                regRead = Number(rm, "read_pj_per_bit", "register", required: true);
                regWrite = Number(rm, "write_pj_per_bit", "register", required: true);
            }

            // The temperature is required: leakage is priced at a junction temperature, and a figure without its own
            // says nothing about any other.
            if (Child(map, "leakage", string.Empty, required: true) is YamlNode ln && Mapping(ln, "leakage", ["sram_uw_per_kib", "pe_uw", "reference_c"]) is YamlMapping lm)
            {
                sramLeak = Number(lm, "sram_uw_per_kib", "leakage", required: true);
                peLeak = Number(lm, "pe_uw", "leakage", required: true);
                leakC = Number(lm, "reference_c", "leakage", required: true);
            }

            var nodes = ImmutableArray.CreateBuilder<NodeScalingPoint>();
            foreach (var (item, path) in Items(map, "node_scaling", required: false))
            {
                var m = Mapping(item, path, ["node_nm", "vdd_v", "energy_factor"]);
                if (m is not null)
                {
                    nodes.Add(new NodeScalingPoint((int)Number(m, "node_nm", path, required: true, positive: true), Number(m, "vdd_v", path, required: true), Number(m, "energy_factor", path, required: true)));
                }
            }

            var table = new EnergyTableSpec
            {
                Name = name,
                Source = source,
                TechnologyNodeNm = (int)node,
                SupplyVoltageV = volts,
                Macs = macs.ToImmutable(),
                IntegerAdd = adds.ToImmutable(),
                Float16AddPj = Number(map, "float16_add_pj", string.Empty, required: true),
                Float32AddPj = Number(map, "float32_add_pj", string.Empty, required: true),
                RegisterReadPjPerBit = regRead,
                RegisterWritePjPerBit = regWrite,
                Sram = sram.ToImmutable(),
                DramPjPerBit = dram.ToImmutable(),
                VectorPjPerElement = vector.ToImmutable(),
                SramLeakageUwPerKib = sramLeak,
                PeLeakageUw = peLeak,
                LeakageReferenceC = leakC,
                ClockOverheadFraction = Number(map, "clock_overhead_fraction", string.Empty, required: true),
                NodeScaling = nodes.ToImmutable(),
            };
            return _failed ? null : table;
        }

        private static string Join(string parent, string key) => parent.Length == 0 ? key : parent + "." + key;

        private void Error(SourceLocation at, string path, string message)
        {
            _failed = true;
            diagnostics.Add(new ConfigDiagnostic(at, path, message));
        }

        private YamlMapping? Mapping(YamlNode node, string path, IReadOnlyCollection<string> keys)
        {
            Locations.TryAdd(path, node.Location);
            if (node is not YamlMapping m)
            {
                Error(node.Location, path, "expected a mapping");
                return null;
            }

            foreach (var (key, value) in m.Entries)
            {
                string child = Join(path, key.Text);
                Locations.TryAdd(child, value.Location);
                if (!keys.Contains(key.Text))
                {
                    Error(key.Location, child, $"unknown key '{key.Text}' (expected one of: {string.Join(", ", keys)})");
                }
            }

            return m;
        }

        private YamlNode? Child(YamlMapping map, string key, string parent, bool required)
        {
            foreach (var (k, v) in map.Entries)
            {
                if (k.Text == key)
                {
                    return v;
                }
            }

            if (required)
            {
                Error(map.Location, Join(parent, key), "required but missing");
            }

            return null;
        }

        private IEnumerable<(YamlNode Item, string Path)> Items(YamlMapping map, string key, bool required)
        {
            YamlNode? node = Child(map, key, string.Empty, required);
            if (node is null)
            {
                yield break;
            }

            if (node is not YamlSequence seq)
            {
                Error(node.Location, key, "expected a list");
                yield break;
            }

            for (int i = 0; i < seq.Items.Length; i++)
            {
                string path = $"{key}[{i}]";
                Locations.TryAdd(path, seq.Items[i].Location);
                yield return (seq.Items[i], path);
            }
        }

        private string? Text(YamlMapping map, string key, string parent, bool required)
        {
            YamlNode? node = Child(map, key, parent, required);
            if (node is YamlScalar s && !s.IsNull)
            {
                return s.Text;
            }

            if (node is not null)
            {
                Error(node.Location, Join(parent, key), "expected text");
            }

            return null;
        }

        private double Number(YamlMapping map, string key, string parent, bool required, bool positive = false)
        {
            YamlNode? node = Child(map, key, parent, required);
            if (node is null)
            {
                return 0;
            }

            string path = Join(parent, key);
            if (node is not YamlScalar s || !s.Plain || !double.TryParse(s.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            {
                Error(node.Location, path, $"expected a number, got '{(node as YamlScalar)?.Text}'");
                return 0;
            }

            if (positive && value <= 0)
            {
                Error(node.Location, path, string.Create(CultureInfo.InvariantCulture, $"must be > 0, got {value}"));
            }

            return value;
        }

        private DataType Type(YamlMapping map, string key, string parent)
        {
            string? text = Text(map, key, parent, required: true);
            if (text is null)
            {
                return DataType.Undefined;
            }

            if (SpecNames.OperandTypes.TryParse(text, out DataType t) || SpecNames.VectorTypes.TryParse(text, out t))
            {
                return t;
            }

            Error(Child(map, key, parent, required: true)!.Location, Join(parent, key), $"unknown type '{text}' (expected one of: {string.Join(", ", SpecNames.OperandTypes.Names.Concat(SpecNames.VectorTypes.Names).Distinct())})");
            return DataType.Undefined;
        }
    }
}
