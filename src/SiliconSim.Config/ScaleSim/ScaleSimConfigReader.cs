using System.Collections.Immutable;
using System.Globalization;
using SiliconSim.Config.Diagnostics;
using SiliconSim.Config.Yaml;

namespace SiliconSim.Config.ScaleSim;

/// <summary>
/// Reads a SCALE-Sim v2 <c>.cfg</c> file (Python configparser INI, as scalesim/scale_config.py reads it) as a SiliconSim
/// config tree, located in the .cfg so every later diagnostic names its line. Each SCALE-Sim field and where it goes:
/// <list type="table">
/// <item><term>[general] run_name</term><description><c>name</c>.</description></item>
/// <item><term>ArrayHeight, ArrayWidth</term><description><c>array.rows</c>, <c>array.cols</c>.</description></item>
/// <item><term>IfmapSramSzkB, FilterSramSzkB, OfmapSramSzkB</term><description>three buffers (input, weight, output)
/// of that many KiB (SCALE-Sim multiplies by 1024), 1-byte words (its word size), double buffered (its
/// active_buf_frac 0.5), feeding rows, columns and columns words per cycle (its SRAMs feed the array's edges every
/// cycle).</description></item>
/// <item><term>IfmapOffset, FilterOffset, OfmapOffset</term><description>checked as integers and ignored: they only
/// place the operands in the address space of SCALE-Sim's traces, which SiliconSim does not write.</description></item>
/// <item><term>Dataflow</term><description><c>array.dataflow</c> (os, ws, is).</description></item>
/// <item><term>Bandwidth</term><description>words per cycle, one value per bank: their sum x 1 byte x the clock is
/// <c>memory.dram.bandwidth_gbps</c>.</description></item>
/// <item><term>MemoryBanks</term><description>each buffer's <c>banks</c>.</description></item>
/// <item><term>[run_presets] InterfaceBandwidth</term><description>CALC or USER. SCALE-Sim's CALC reports the bandwidth
/// a stall-free run needs instead of stalls; SiliconSim still models DRAM stalls at Bandwidth, but its compute cycles
/// (what CALC reports) are the same in both.</description></item>
/// </list>
/// Always <c>timing: scalesim</c>, and <c>clock_mhz</c> 1000 (SCALE-Sim has no clock; at 1 GHz its W words/cycle read
/// as W GB/s, and no cycle count depends on it). Refused with a located message: <c>[network_presets]
/// TopologyCsvLoc</c> (the workload is given on the command line) and every field with no equivalent
/// (SCALE-Sim's later ReadRequestBuffer/WriteRequestBuffer, [layout], [sparsity], UseRamulatorTrace) or unknown.
/// </summary>
internal static class ScaleSimConfigReader
{
    /// <summary>The clock a .cfg config gets; SCALE-Sim counts cycles only.</summary>
    public const double ClockMhz = 1000;

    private static readonly ImmutableDictionary<string, string> s_noEquivalent = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["readrequestbuffer"] = "SiliconSim's DRAM model has no request queue (transfers are whole tiles at the DRAM bandwidth)",
        ["writerequestbuffer"] = "SiliconSim's DRAM model has no request queue (transfers are whole tiles at the DRAM bandwidth)",
        ["useramulatortrace"] = "SiliconSim does not read Ramulator traces; its DRAM is bandwidth, latency and bursts",
        ["topologycsvloc"] = "a SiliconSim config names no workload: give the topology CSV as the command's model argument",
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="fileName"/> is read by this reader (a <c>.cfg</c> file).</summary>
    public static bool Handles(string fileName) => fileName.EndsWith(".cfg", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads <paramref name="text"/> into a config tree; every problem goes to <paramref name="diagnostics"/>.
    /// Returns null when the file cannot describe an accelerator.</summary>
    public static YamlNode? Read(string text, string fileName, List<ConfigDiagnostic> diagnostics)
    {
        var fields = new Dictionary<string, Field>(StringComparer.Ordinal);
        string? section = null;
        var sections = new HashSet<string>(StringComparer.Ordinal);
        string[] lines = text.Split('\n');
        int errors = diagnostics.Count;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            string trimmed = line.Trim();
            int lead = line.Length - line.TrimStart().Length;
            var at = new SourceLocation(fileName, i + 1, lead + 1);
            if (trimmed.Length == 0 || trimmed[0] is '#' or ';')
            {
                continue;
            }

            if (trimmed[0] == '[')
            {
                section = trimmed.EndsWith(']') ? trimmed[1..^1].Trim() : null;
                if (section is null)
                {
                    diagnostics.Add(new ConfigDiagnostic(at, string.Empty, $"'{trimmed}' is not a section header ([name])"));
                }
                else if (!sections.Add(section))
                {
                    diagnostics.Add(new ConfigDiagnostic(at, section, "the section appears twice"));
                }
                else if (section is "layout" or "sparsity")
                {
                    diagnostics.Add(new ConfigDiagnostic(at, section, section == "layout"
                        ? "SCALE-Sim's custom SRAM layouts have no SiliconSim equivalent (its buffers are banks x ports x bytes per cycle)"
                        : "SiliconSim does not model sparse operands; remove the section to simulate dense layers"));
                }

                continue;
            }

            if (lead > 0)
            {
                diagnostics.Add(new ConfigDiagnostic(at, string.Empty, "continuation lines are not supported; write each field on one line"));
                continue;
            }

            int eq = trimmed.IndexOfAny(['=', ':']);
            if (eq <= 0)
            {
                diagnostics.Add(new ConfigDiagnostic(at, string.Empty, $"expected 'Field: value' or 'Field = value', got '{trimmed}'"));
                continue;
            }

            string name = trimmed[..eq].Trim();
            string rawValue = trimmed[(eq + 1)..];
            string value = rawValue.Trim();
            var valueAt = new SourceLocation(fileName, i + 1, lead + eq + 2 + (rawValue.Length - rawValue.TrimStart().Length));
            if (section is null)
            {
                diagnostics.Add(new ConfigDiagnostic(at, name, "the field comes before any [section]"));
                continue;
            }

            if (section is "layout" or "sparsity")
            {
                continue;
            }

            string key = name.ToLowerInvariant(); // configparser's optionxform: field names are case-insensitive
            if (s_noEquivalent.TryGetValue(key, out string? why))
            {
                diagnostics.Add(new ConfigDiagnostic(at, name, $"has no SiliconSim equivalent: {why}"));
            }
            else if (!s_fieldSections.TryGetValue(key, out string? home))
            {
                diagnostics.Add(new ConfigDiagnostic(at, name, $"is not a SCALE-Sim field SiliconSim knows (fields: {string.Join(", ", s_fieldSections.Keys.Select(k => s_display[k]))})"));
            }
            else if (home != section)
            {
                diagnostics.Add(new ConfigDiagnostic(at, name, $"belongs in [{home}], not [{section}]"));
            }
            else if (!fields.TryAdd(key, new Field(name, value, at, valueAt)))
            {
                diagnostics.Add(new ConfigDiagnostic(at, name, $"is given twice (first on line {fields[key].At.Line})"));
            }
        }

        var file = new SourceLocation(fileName, 1, 1);
        foreach (string required in s_required)
        {
            if (!fields.ContainsKey(required))
            {
                diagnostics.Add(new ConfigDiagnostic(file, s_display[required], $"is missing from [{s_fieldSections[required]}]"));
            }
        }

        // SCALE-Sim reads these with int(); its offsets mean nothing here but must still be what SCALE-Sim accepts.
        foreach (string integer in new[] { "arrayheight", "arraywidth", "ifmapsramszkb", "filtersramszkb", "ofmapsramszkb", "ifmapoffset", "filteroffset", "ofmapoffset", "memorybanks" })
        {
            if (fields.TryGetValue(integer, out Field f) && !long.TryParse(f.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            {
                diagnostics.Add(new ConfigDiagnostic(f.At, f.Name, $"must be an integer, got '{f.Value}'"));
            }
        }

        string mode = fields.TryGetValue("interfacebandwidth", out Field m) ? m.Value : "CALC";
        if (mode is not ("CALC" or "USER"))
        {
            diagnostics.Add(new ConfigDiagnostic(m.At, m.Name, $"must be CALC or USER, got '{mode}'"));
        }

        double bandwidth = 0;
        if (fields.TryGetValue("bandwidth", out Field bw))
        {
            string[] parts = bw.Value.Split(',', StringSplitOptions.TrimEntries);
            long banks = fields.TryGetValue("memorybanks", out Field b) && long.TryParse(b.Value, CultureInfo.InvariantCulture, out long n) ? n : 1;
            if (parts.Any(p => !long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out long w) || w <= 0))
            {
                diagnostics.Add(new ConfigDiagnostic(bw.At, bw.Name, $"must be positive integers (words per cycle), one per memory bank, got '{bw.Value}'"));
            }
            else if (mode == "USER" && parts.Length != banks)
            {
                // scale_config.py asserts the same in USER mode.
                diagnostics.Add(new ConfigDiagnostic(bw.At, bw.Name, $"gives {parts.Length} bandwidths for {banks} memory banks; USER mode needs one per bank"));
            }
            else
            {
                bandwidth = parts.Sum(p => long.Parse(p, CultureInfo.InvariantCulture));
            }
        }

        if (diagnostics.Count > errors)
        {
            return null;
        }

        return Tree(fields, file, bandwidth);
    }

    private static YamlMapping Tree(Dictionary<string, Field> f, SourceLocation file, double bandwidthWords)
    {
        YamlScalar Key(string text, SourceLocation at) => new(at, text, Plain: true);
        YamlScalar Value(string key) => new(f[key].ValueAt, f[key].Value, Plain: true);
        YamlScalar Fixed(string text, SourceLocation at) => new(at, text, Plain: true);
        SourceLocation At(string key) => f[key].At;

        YamlScalar banks = f.ContainsKey("memorybanks") ? Value("memorybanks") : Fixed("1", file);
        YamlMapping Buffer(string name, string role, string size, YamlScalar bytesPerCycle) => new(At(size),
        [
            new(Key("name", At(size)), Fixed(name, At(size))),
            new(Key("role", At(size)), Fixed(role, At(size))),
            new(Key("capacity_kib", At(size)), Value(size)),
            new(Key("word_bytes", At(size)), Fixed("1", At(size))),
            new(Key("banks", banks.Location), banks),
            new(Key("bytes_per_cycle", At(size)), bytesPerCycle),
            new(Key("double_buffered", At(size)), Fixed("true", At(size))),
        ]);

        string gbps = (bandwidthWords * ClockMhz / 1000).ToString("R", CultureInfo.InvariantCulture);
        return new YamlMapping(file,
        [
            new(Key("name", At("run_name")), new YamlScalar(f["run_name"].ValueAt, f["run_name"].Value, Plain: false)),
            new(Key("clock_mhz", file), Fixed(ClockMhz.ToString(CultureInfo.InvariantCulture), file)),
            new(Key("timing", file), Fixed("scalesim", file)),
            new(Key("array", At("arrayheight")), new YamlMapping(At("arrayheight"),
            [
                new(Key("rows", At("arrayheight")), Value("arrayheight")),
                new(Key("cols", At("arraywidth")), Value("arraywidth")),
                new(Key("dataflow", At("dataflow")), Value("dataflow")),
            ])),
            new(Key("memory", file), new YamlMapping(file,
            [
                new(Key("buffers", file), new YamlSequence(file,
                [
                    Buffer("ifmap_sram", "input", "ifmapsramszkb", Value("arrayheight")),
                    Buffer("filter_sram", "weight", "filtersramszkb", Value("arraywidth")),
                    Buffer("ofmap_sram", "output", "ofmapsramszkb", Value("arraywidth")),
                ])),
                new(Key("dram", At("bandwidth")), new YamlMapping(At("bandwidth"),
                [
                    new(Key("bandwidth_gbps", At("bandwidth")), Fixed(gbps, f["bandwidth"].ValueAt)),
                ])),
            ])),
        ]);
    }

    private readonly record struct Field(string Name, string Value, SourceLocation At, SourceLocation ValueAt);

    // Every field SCALE-Sim v2's scale_config.py reads, lower-cased as configparser keys are, with its section.
    private static readonly ImmutableDictionary<string, string> s_fieldSections = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["run_name"] = "general",
        ["arrayheight"] = "architecture_presets",
        ["arraywidth"] = "architecture_presets",
        ["ifmapsramszkb"] = "architecture_presets",
        ["filtersramszkb"] = "architecture_presets",
        ["ofmapsramszkb"] = "architecture_presets",
        ["ifmapoffset"] = "architecture_presets",
        ["filteroffset"] = "architecture_presets",
        ["ofmapoffset"] = "architecture_presets",
        ["dataflow"] = "architecture_presets",
        ["bandwidth"] = "architecture_presets",
        ["memorybanks"] = "architecture_presets",
        ["interfacebandwidth"] = "run_presets",
    }.ToImmutableDictionary(StringComparer.Ordinal);

    private static readonly ImmutableDictionary<string, string> s_display = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["run_name"] = "run_name",
        ["arrayheight"] = "ArrayHeight",
        ["arraywidth"] = "ArrayWidth",
        ["ifmapsramszkb"] = "IfmapSramSzkB",
        ["filtersramszkb"] = "FilterSramSzkB",
        ["ofmapsramszkb"] = "OfmapSramSzkB",
        ["ifmapoffset"] = "IfmapOffset",
        ["filteroffset"] = "FilterOffset",
        ["ofmapoffset"] = "OfmapOffset",
        ["dataflow"] = "Dataflow",
        ["bandwidth"] = "Bandwidth",
        ["memorybanks"] = "MemoryBanks",
        ["interfacebandwidth"] = "InterfaceBandwidth",
    }.ToImmutableDictionary(StringComparer.Ordinal);

    // What SiliconSim needs to build the spec; SCALE-Sim requires the offsets and InterfaceBandwidth too, which are
    // optional here since nothing depends on them (a missing InterfaceBandwidth reads as CALC).
    private static readonly string[] s_required = ["run_name", "arrayheight", "arraywidth", "ifmapsramszkb", "filtersramszkb", "ofmapsramszkb", "dataflow", "bandwidth"];
}
