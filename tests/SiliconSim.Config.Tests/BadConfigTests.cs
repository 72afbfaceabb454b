using SiliconSim.Config.Diagnostics;
using SiliconSim.Hardware.Specs;

namespace SiliconSim.Config.Tests;

/// <summary>
/// Each kind of bad config gives the exact diagnostic: file, line, column of the key, the field path and the problem.
/// Line and column numbers are counted by hand from <see cref="Yamls.Valid"/> (keys of buffer items sit at column 7).
/// </summary>
public sealed class BadConfigTests
{
    private static string[] Load(string yaml)
    {
        ConfigLoadResult result = ConfigLoader.LoadText(yaml, "edge.yaml");
        Assert.False(result.Success);
        Assert.Null(result.Spec);
        return [.. result.Diagnostics.Select(d => d.ToString())];
    }

    [Fact]
    public void ValidConfig_HasNoDiagnostics()
    {
        ConfigLoadResult result = ConfigLoader.LoadText(Yamls.Valid, "edge.yaml");
        Assert.Empty(result.Diagnostics);
        Assert.Equal("edge", result.SpecOrThrow().Name);
    }

    [Theory]
    [InlineData(15, "      capacity_kib: -4", "edge.yaml:15:7: memory.buffers[1].capacity_kib: must be > 0, got -4")]
    [InlineData(15, "      capacity_kib: 0", "edge.yaml:15:7: memory.buffers[1].capacity_kib: must be > 0, got 0")]
    [InlineData(3, "  rows: 0", "edge.yaml:3:3: array.rows: must be >= 1, got 0")]
    [InlineData(4, "  cols: 5000", "edge.yaml:4:3: array.cols: must be <= 4096, got 5000")]
    [InlineData(1, "clock_mhz: -500", "edge.yaml:1:1: clock_mhz: must be > 0, got -500")]
    [InlineData(22, "    bandwidth_gbps: 0", "edge.yaml:22:5: memory.dram.bandwidth_gbps: must be > 0, got 0")]
    public void NonPositiveOrOversizedValue_IsOutOfRange(int line, string text, string expected) =>
        Assert.Equal([expected], Load(Yamls.ValidWith(line, text)));

    // Issue 13: positive but absurd values printed "0 MHz" and a 300-digit energy; the catalogue's physical floors
    // (a 1 kHz clock, 1 kB/s of DRAM bandwidth) make them located errors.
    [Theory]
    [InlineData(1, "clock_mhz: 1e-300", "edge.yaml:1:1: clock_mhz: must be >= 0.001, got 1E-300")]
    [InlineData(1, "clock_mhz: 0.0009", "edge.yaml:1:1: clock_mhz: must be >= 0.001, got 0.0009")]
    [InlineData(22, "    bandwidth_gbps: 1e-300", "edge.yaml:22:5: memory.dram.bandwidth_gbps: must be >= 1E-06, got 1E-300")]
    [InlineData(22, "    bandwidth_gbps: 1e-7", "edge.yaml:22:5: memory.dram.bandwidth_gbps: must be >= 1E-06, got 1E-07")]
    public void AbsurdlySmallClockOrBandwidth_IsBelowThePhysicalFloor(int line, string text, string expected) =>
        Assert.Equal([expected], Load(Yamls.ValidWith(line, text)));

    [Theory]
    [InlineData(1, "clock_mhz: 0.001")]
    [InlineData(22, "    bandwidth_gbps: 1e-6")]
    public void ClockOrBandwidth_AtTheFloor_IsAccepted(int line, string text) =>
        Assert.True(ConfigLoader.LoadText(Yamls.ValidWith(line, text), "edge.yaml").Success);

    [Fact]
    public void AbsurdlySlowDvfsStep_IsBelowThePhysicalFloor_WithoutFollowOnOrderErrors() =>
        Assert.Equal(
            ["edge.yaml:25:7: thermal.dvfs_steps[0].frequency_mhz: must be >= 0.001, got 1E-300"],
            Load(Yamls.Valid + "\nthermal:\n  dvfs_steps:\n    - frequency_mhz: 1e-300\n      voltage_v: 0.9\n    - frequency_mhz: 250\n      voltage_v: 0.8"));

    [Theory]
    [InlineData(3, "  rows: sixteen", "edge.yaml:3:3: array.rows: must be a whole number, got 'sixteen'")]
    [InlineData(3, "  rows: 16.5", "edge.yaml:3:3: array.rows: must be a whole number, got '16.5'")]
    [InlineData(3, "  rows: \"16\"", "edge.yaml:3:3: array.rows: must be a whole number, got '16'")]
    [InlineData(3, "  rows: [16]", "edge.yaml:3:3: array.rows: must be a whole number, got a list")]
    [InlineData(3, "  rows:", "edge.yaml:3:3: array.rows: must be a whole number, got nothing")]
    [InlineData(1, "clock_mhz: .inf", "edge.yaml:1:1: clock_mhz: must be a finite number, got '.inf'")]
    [InlineData(16, "      double_buffered: maybe\n      bytes_per_cycle: 8", "edge.yaml:16:7: memory.buffers[1].double_buffered: must be true or false, got 'maybe'")]
    public void WrongType_NamesTheExpectedType(int line, string text, string expected) =>
        Assert.Equal([expected], Load(Yamls.ValidWith(line, text)));

    [Theory]
    [InlineData(5, "  dataflow: rs", "edge.yaml:5:3: array.dataflow: must be one of os, ws, is; got 'rs' (did you mean 'os'?)")]
    [InlineData(5, "  overflow: clamp", "edge.yaml:5:3: array.overflow: must be one of wrap, saturate; got 'clamp'")]
    [InlineData(5, "  operand_types: [uint8, Int8]", "edge.yaml:5:26: array.operand_types[1]: must be one of int2, uint2, int4, uint4, int8, uint8, int16, uint16, float8e4m3fn, float8e5m2, float4e2m1, float16, bfloat16; got 'Int8' (did you mean 'int8'?)")]
    [InlineData(22, "    type: lpdd4\n    bandwidth_gbps: 8", "edge.yaml:22:5: memory.dram.type: must be one of lpddr4, lpddr4x, lpddr5, lpddr5x, ddr3, ddr4, ddr5, gddr6, hbm2, hbm2e, hbm3; got 'lpdd4' (did you mean 'lpddr4'?)")]
    [InlineData(1, "timing: fast\nclock_mhz: 500", "edge.yaml:1:1: timing: must be one of corrected, scalesim; got 'fast'")]
    public void ValueNotInTheList_ListsTheChoices(int line, string text, string expected) =>
        Assert.Equal([expected], Load(Yamls.ValidWith(line, text)));

    [Fact]
    public void MisspeltRole_GivesOneDiagnostic_NotFollowOnRoleErrors() =>
        Assert.Equal(
            ["edge.yaml:14:7: memory.buffers[1].role: must be one of input, weight, output, unified; got 'wieght' (did you mean 'weight'?)"],
            Load(Yamls.ValidWith(14, "      role: wieght")));

    [Fact]
    public void UnknownKey_SuggestsTheClosestKnownKey() =>
        Assert.Equal(
            [
                "edge.yaml:13:7: memory.buffers[1].bytes_per_cycle: is required (Peak bytes per cycle between the buffer and the array.)",
                "edge.yaml:16:7: memory.buffers[1].bytes_per_cyle: unknown key; did you mean 'bytes_per_cycle'?",
            ],
            Load(Yamls.ValidWith(16, "      bytes_per_cyle: 8")));

    [Fact]
    public void UnknownKey_FarFromAnyKnownKey_ListsTheKeysOfItsSection() =>
        Assert.Equal(
            ["edge.yaml:6:3: array.frobnicate: unknown key; the keys here are rows, cols, dataflow, operand_types, accumulator_bits, overflow, requantizer, low_precision_accumulation, fixed_point_rounding, pipeline_latency_cycles"],
            Load(Yamls.ValidWith(5, "  dataflow: os\n  frobnicate: 3")));

    [Fact]
    public void MissingRequiredFields_AreEachReported_AtTheirSection()
    {
        Assert.Equal(["edge.yaml:2:1: array.rows: is required (PE rows (SCALE-Sim's ArrayHeight).)"], Load(Yamls.ValidWith(3, "  # rows omitted")));
        Assert.Equal(
            [
                "edge.yaml:1:1: array: is required (The systolic array of MAC processing elements (PEs).)",
                "edge.yaml:1:1: memory: is required (The memory hierarchy from the PE registers out to DRAM.)",
            ],
            Load("clock_mhz: 1\n"));
    }

    [Fact]
    public void SectionOfTheWrongShape_IsATypeError()
    {
        Assert.Equal(
            ["edge.yaml:21:3: memory.dram: must be a mapping of keys (type, bandwidth_gbps, latency_ns, burst_bytes), got '8'"],
            Load(Yamls.Valid.Replace("  dram:\n    bandwidth_gbps: 8", "  dram: 8", StringComparison.Ordinal)));
        Assert.Equal(
            ["edge.yaml:4:3: memory.buffers: must be a list of mappings (- name: ...), got a mapping"],
            Load("clock_mhz: 1\narray: {rows: 1, cols: 1}\nmemory:\n  buffers: {}\n  dram: {bandwidth_gbps: 1}\n"));
    }

    [Fact]
    public void DuplicateKey_IsReportedAtTheSecondOne() =>
        Assert.Equal(["edge.yaml:4:3: duplicate key 'rows' (first written at line 3)"], Load(Yamls.ValidWith(3, "  rows: 16\n  rows: 3")));

    [Theory]
    [InlineData("", "edge.yaml:1:1: the file is empty")]
    [InlineData("# only a comment\n", "edge.yaml:1:1: the file is empty")]
    [InlineData("- 1\n- 2\n", "edge.yaml:1:1: the top level must be a mapping of keys (clock_mhz: ..., array: ...)")]
    [InlineData("clock_mhz: [1\narray: {", "edge.yaml:2:1: YAML syntax error: the file ends inside an unclosed [ ] or { }")]
    public void UnusableFile_IsOneDiagnostic(string yaml, string expected) =>
        Assert.Equal([expected], Load(yaml));

    [Fact]
    public void YamlSyntaxError_IsLocated()
    {
        string only = Assert.Single(Load("clock_mhz: 1\narray:\n  rows: 1\n cols: 2\n"));
        Assert.StartsWith("edge.yaml:4:", only, StringComparison.Ordinal);
        Assert.Contains(": YAML syntax error: ", only, StringComparison.Ordinal);
    }

    [Fact]
    public void UnifiedBufferBesidePerRoleBuffers_IsReportedAtEachPerRoleBuffer() =>
        Assert.Equal(
            [
                "edge.yaml:9:7: memory.buffers[0].role: memory.buffers[1] is a unified buffer that holds every operand, so no input buffer may sit beside it",
                "edge.yaml:18:7: memory.buffers[2].role: memory.buffers[1] is a unified buffer that holds every operand, so no output buffer may sit beside it",
            ],
            Load(Yamls.ValidWith(14, "      role: unified")));

    [Fact]
    public void MissingRoleWithoutUnifiedBuffer_AndSecondBufferOfARole_AreBothReported() =>
        Assert.Equal(
            [
                "edge.yaml:7:3: memory.buffers: no buffer holds output operands: add one with role: output, or use a single buffer with role: unified",
                "edge.yaml:18:7: memory.buffers[2].role: memory.buffers[0] already has role input; each role has one buffer",
            ],
            Load(Yamls.ValidWith(18, "      role: input")));

    [Fact]
    public void FixedPointRequantizer_WithAccumulatorWiderThan32Bits_IsRejected() =>
        Assert.Equal(
            ["edge.yaml:7:3: array.accumulator_bits: must be <= 32 with requantizer: fixed_point (its multiplier takes an int32 accumulator), got 40"],
            Load(Yamls.ValidWith(5, "  dataflow: os\n  requantizer: fixed_point\n  accumulator_bits: 40")));

    [Fact]
    public void WideAccumulator_WithFloatRequantizer_IsAllowed() =>
        Assert.Equal(40, ConfigLoader.LoadText(Yamls.ValidWith(5, "  accumulator_bits: 40"), "edge.yaml").SpecOrThrow().Array.Numerics.AccumulatorBits);

    [Fact]
    public void ThrottleRule_WithMaxJunctionBad_SaysNothingAboutAPlaceholder() =>
        Assert.Equal(
            ["edge.yaml:24:3: thermal.max_junction_c: must be a finite number, got 'hot'"],
            Load(Yamls.Valid + "\nthermal:\n  max_junction_c: hot\n  throttle_c: 200"));

    // Issue 14: one leakage figure. A whole-die figure must be a power; its temperature alone would change nothing (the
    // energy table's leakage carries its own), so it is refused rather than silently ignored; a bad figure also keeps
    // the rule about it quiet.
    [Theory]
    [InlineData("  leakage_power_w: -0.05", "edge.yaml:24:3: thermal.leakage_power_w: must be >= 0, got -0.05")]
    [InlineData("  leakage_power_w: lots\n  leakage_reference_c: 40", "edge.yaml:24:3: thermal.leakage_power_w: must be a finite number, got 'lots'")]
    [InlineData("  leakage_reference_c: 40", "edge.yaml:24:3: thermal.leakage_reference_c: is the temperature of thermal.leakage_power_w, which is not set (the energy table's leakage carries its own leakage.reference_c): set both or neither")]
    public void BadWholeDieLeakage_IsOneLocatedDiagnostic(string text, string expected) =>
        Assert.Equal([expected], Load(Yamls.Valid + "\nthermal:\n" + text));

    [Fact]
    public void WholeDieLeakage_WithoutItsTemperature_IsAtTheDefaultOne()
    {
        ThermalSpec t = ConfigLoader.LoadText(Yamls.Valid + "\nthermal:\n  leakage_power_w: 0.1", "edge.yaml").SpecOrThrow().Thermal;
        Assert.Equal((0.1, 25.0), (t.LeakagePowerW, t.LeakageReferenceC));
        Assert.Equal((null, null), (ConfigLoader.LoadText(Yamls.Valid, "edge.yaml").SpecOrThrow().Thermal.LeakagePowerW, ConfigLoader.LoadText(Yamls.Valid, "edge.yaml").SpecOrThrow().Thermal.LeakageReferenceC));
    }

    [Fact]
    public void DuplicateBufferName_WithANameMissing_ComparesOnlyTheNamesWritten() =>
        Assert.Equal(
            [
                "edge.yaml:13:7: memory.buffers[1].name: is required (A name for reports (unique).)",
                "edge.yaml:17:7: memory.buffers[2].name: 'in' is already the name of memory.buffers[0]",
            ],
            Load(Yamls.ValidWith(13, "    - word_bytes: 1").Replace("- name: out", "- name: in", StringComparison.Ordinal)));

    [Fact]
    public void DuplicateBufferName_IsReported() =>
        Assert.Equal(["edge.yaml:13:7: memory.buffers[1].name: 'in' is already the name of memory.buffers[0]"], Load(Yamls.ValidWith(13, "    - name: in")));

    [Fact]
    public void CapacityThatIsNotWholeBytes_OrNotWholeRows_IsReported()
    {
        Assert.Equal(["edge.yaml:10:7: memory.buffers[0].capacity_kib: must be a whole number of bytes, got 0.0001 KiB = 0.1024 bytes"], Load(Yamls.ValidWith(10, "      capacity_kib: 0.0001")));

        // buffer 0 has 16-byte words: 0.5 KiB = 512 bytes is 32 rows, 0.25 KiB + 8 bytes is not whole rows.
        Assert.True(ConfigLoader.LoadText(Yamls.ValidWith(10, "      capacity_kib: 0.5"), "edge.yaml").Success);
        Assert.Equal(["edge.yaml:10:7: memory.buffers[0].capacity_kib: 264 bytes is not a whole number of rows of word_bytes x banks = 16 bytes"], Load(Yamls.ValidWith(10, "      capacity_kib: 0.2578125")));
    }

    [Fact]
    public void SeveralProblems_AreReportedTogether_InFileOrder() =>
        Assert.Equal(
            [
                "edge.yaml:3:3: array.rows: must be a whole number, got 'many'",
                "edge.yaml:5:3: array.dataflow: must be one of os, ws, is; got 'xs' (did you mean 'os'?)",
                "edge.yaml:15:7: memory.buffers[1].capacity_kib: must be > 0, got -4",
                "edge.yaml:17:7: memory.buffers[2].capacity_kib: is required (Capacity in KiB (1024 bytes); may be fractional if it is a whole number of bytes.)",
                "edge.yaml:19:7: memory.buffers[2].capacity_kb: unknown key; did you mean 'capacity_kib'?",
            ],
            Load(Yamls.Valid.Replace("rows: 16", "rows: many", StringComparison.Ordinal).Replace("dataflow: os", "dataflow: xs", StringComparison.Ordinal)
                .Replace("capacity_kib: 32", "capacity_kib: -4", StringComparison.Ordinal).Replace("capacity_kib: 16", "capacity_kb: 16", StringComparison.Ordinal)));

    [Fact]
    public void SourceMap_LocatesWrittenFields_AndDefaultedOnesAtTheirSection()
    {
        ConfigLoadResult result = ConfigLoader.LoadText(Yamls.Valid, "edge.yaml");
        Assert.Equal("edge.yaml:15:7: memory.buffers[1].capacity_kib: too small for one tile",
            result.Diagnostic("memory.buffers[1].capacity_kib", "too small for one tile").ToString());
        Assert.Equal(new SourceLocation("edge.yaml", 2, 1), result.SourceMap.Locate("array.overflow"));
        Assert.Equal(new SourceLocation("edge.yaml", 13, 7), result.SourceMap.Locate("memory.buffers[1].word_bytes"));
        Assert.Equal(new SourceLocation("edge.yaml", 1, 1), result.SourceMap.Locate("vector_unit.lanes"));
        Assert.True(result.SourceMap.Contains("array.dataflow"));
        Assert.False(result.SourceMap.Contains("array.overflow"));
    }

    [Fact]
    public void MissingFile_IsADiagnostic_NotAnException()
    {
        ConfigLoadResult result = ConfigLoader.LoadFile("/nonexistent/edge.yaml");
        Assert.Equal("/nonexistent/edge.yaml:1:1: no such file", Assert.Single(result.Diagnostics).ToString());
    }

    [Fact]
    public void AnchorsAndAliases_AreResolved()
    {
        string yaml = Yamls.Valid.Replace("      capacity_kib: 64", "      capacity_kib: &size 64", StringComparison.Ordinal)
            .Replace("      capacity_kib: 32", "      capacity_kib: *size", StringComparison.Ordinal);
        Assert.Equal(64 * 1024, ConfigLoader.LoadText(yaml, "edge.yaml").SpecOrThrow().Memory.Buffers[1].CapacityBytes);
    }

    [Fact]
    public void Validate_OnASpecBuiltInCode_ReportsInConfigTerms()
    {
        AcceleratorSpec spec = ConfigLoader.LoadText(Yamls.Valid, "edge.yaml").SpecOrThrow();
        AcceleratorSpec bad = spec with
        {
            Array = spec.Array with { Rows = 0 },
            Memory = spec.Memory with { Buffers = spec.Memory.Buffers.SetItem(1, spec.Memory.Buffers[1] with { CapacityBytes = -4096 }) },
        };
        Assert.Equal(
            ["array.rows: must be >= 1, got 0", "memory.buffers[1].capacity_kib: must be > 0, got -4"],
            bad.Validate().Select(p => p.ToString()));
    }
}
