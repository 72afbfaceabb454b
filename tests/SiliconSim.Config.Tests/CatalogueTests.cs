using SiliconSim.Hardware.Specs;
using SiliconSim.Hardware.Specs.Parameters;

namespace SiliconSim.Config.Tests;

/// <summary>The parameter catalogue is the one source of units, defaults and reasons; these tests keep the rest in step with it.</summary>
public sealed class CatalogueTests
{
    private const string Minimal = """
        clock_mhz: 100
        array: {rows: 4, cols: 6}
        memory:
          buffers: [{name: u, role: unified, capacity_kib: 1, bytes_per_cycle: 4}]
          dram: {bandwidth_gbps: 1}
        """;

    [Fact]
    public void EveryParameter_HasADocAndAReason_AndEveryLeafAUnitOrChoices()
    {
        Assert.All(SpecParameters.All, p =>
        {
            Assert.False(string.IsNullOrWhiteSpace(p.Doc), p.Path);
            Assert.False(string.IsNullOrWhiteSpace(p.Reason), p.Path);
            Assert.True(p.Parent.Length == 0 || SpecParameters.Find(p.Parent.Replace("[]", string.Empty, StringComparison.Ordinal)) is not null, p.Path);
        });
        Assert.Equal(SpecParameters.All.Length, SpecParameters.All.Select(p => p.Path).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(PresetTests.Presets), MemberType = typeof(PresetTests))]
    public void EveryNumber_ReadsBackFromTheSpec_AsTheResolvedConfigWritesIt(string preset)
    {
        Assert.All(SpecParameters.All.Where(p => p.Kind is ParameterKind.Integer or ParameterKind.Number), p => Assert.NotNull(p.Read));
        AcceleratorSpec spec = PresetCatalog.Load(preset).SpecOrThrow();
        var numbers = SpecValues.Flatten(spec).Where(v => SpecParameters.Find(v.Key)!.Read is not null).ToList();
        Assert.NotEmpty(numbers);
        Assert.All(numbers, v => Assert.Equal(v.Value, SpecParameter.Format(SpecParameters.ReadNumber(spec, v.Key)!.Value)));
    }

    [Fact]
    public void CatalogueDefaults_EqualTheSpecRecordsInitializers()
    {
        AcceleratorSpec spec = ConfigLoader.LoadText(Minimal, "minimal.yaml").SpecOrThrow();
        Assert.Equal(new ArrayNumericsSpec(), spec.Array.Numerics);
        Assert.Equal(new ArraySpec { Rows = 4, Cols = 6, Dataflow = spec.Array.Dataflow, OperandTypes = spec.Array.OperandTypes, Numerics = new() }.PipelineLatencyCycles, spec.Array.PipelineLatencyCycles);
        BufferSpec b = spec.Memory.Buffers[0];
        BufferSpec fresh = new() { Name = "u", Role = BufferRole.Unified, CapacityBytes = 1024, WordBytes = b.WordBytes, BytesPerCycle = 4 };
        Assert.Equal(fresh, b);
        Assert.Equal(TimingModel.Corrected, spec.Timing);
        Assert.Equal(new AcceleratorSpec { Name = "x", ClockMhz = 1, SupplyVoltageV = 1, TechnologyNodeNm = 1, Array = spec.Array, VectorUnit = spec.VectorUnit, Memory = spec.Memory }.Timing, spec.Timing);
    }

    [Fact]
    public void EveryLeaf_BindsThroughItsConversion_AndEveryValueDefault_HasTheSpecTypeAndFitsItsRange()
    {
        Assert.All(SpecParameters.All.Where(p => p.Kind is not (ParameterKind.Section or ParameterKind.SectionList)), p =>
        {
            Assert.NotNull(p.Conversion);
            if (p.DefaultValue is not { } value)
            {
                return;
            }

            Assert.IsType(p.Conversion!.SpecType, value);
            object config = p.Conversion.ToConfig(value);
            Assert.True(p.Conversion.TryToSpec(config, out object? back, out string? problem), problem);
            Assert.Equal(value, back);
            if (config is double or long)
            {
                Assert.Null(p.CheckRange(Convert.ToDouble(config, System.Globalization.CultureInfo.InvariantCulture)));
            }
        });
    }

    [Fact]
    public void EveryPhysicalFloor_LiesAboveTheMinimum_AndSaysWhy() =>
        Assert.All(SpecParameters.All.Where(p => p.Floor is not null), p =>
        {
            Assert.True(p.Floor > (p.Min ?? double.NegativeInfinity), p.Path);
            Assert.False(string.IsNullOrWhiteSpace(p.RangeReason), p.Path);
        });

    [Fact]
    public void SpecRecordDefaults_AreTheCataloguesValues()
    {
        Assert.Equal(SpecParameters.Default<int>("array.accumulator_bits"), new ArrayNumericsSpec().AccumulatorBits);
        Assert.Equal(SpecParameters.Default<double>("thermal.throttle_c"), new ThermalSpec().ThrottleC);
        Assert.Equal(SpecParameters.Default<double>("thermal.idle_power_w"), new ThermalSpec().IdlePowerW);
        Assert.Equal("95", SpecParameters.Get("thermal.throttle_c").Default);
        Assert.Equal("[uint8, int8]", SpecParameters.Get("array.operand_types").Default);
        Assert.Equal("lpddr4", SpecParameters.Get("memory.dram.type").Default);
        Assert.Throws<ArgumentException>(() => SpecParameters.Default<int>("array.rows"));
    }

    [Fact]
    public void DefaultsTheCatalogueStates_AreTheOnesAMinimalConfigGets()
    {
        // Expected values are the catalogue's documented defaults, read as a user reads them in `describe`.
        AcceleratorSpec s = ConfigLoader.LoadText(Minimal, "minimal.yaml").SpecOrThrow();
        Assert.Equal("minimal", s.Name);
        Assert.Equal((0.9, 28), (s.SupplyVoltageV, s.TechnologyNodeNm));
        Assert.Equal(Dataflow.WeightStationary, s.Array.Dataflow);
        Assert.Equal([Numerics.DataType.UInt8, Numerics.DataType.Int8], s.Array.OperandTypes.ToArray());
        Assert.Equal(6, s.VectorUnit.Lanes);
        Assert.Equal(4, s.VectorUnit.CyclesPerElement[VectorOpClass.Transcendental]);
        Assert.Equal(2, s.VectorUnit.CyclesPerElement[VectorOpClass.Normalization]);
        Assert.Equal(8, s.Memory.Registers.BytesPerPe);
        Assert.Equal((1, 1, 1, true), (s.Memory.Buffers[0].WordBytes, s.Memory.Buffers[0].Banks, s.Memory.Buffers[0].Ports, s.Memory.Buffers[0].DoubleBuffered));
        Assert.Equal(("LPDDR4", 100.0, 64), (s.Memory.Dram.Type, s.Memory.Dram.LatencyNs, s.Memory.Dram.BurstBytes));
    }

    [Fact]
    public void Writer_WritesEveryCatalogueKey()
    {
        string text = ConfigWriter.Write(ConfigLoader.LoadText(Minimal, "minimal.yaml").SpecOrThrow());
        // The minimal config lists no DVFS steps and no whole-die leakage, so those optional keys are rightly absent
        // (and written once given: the second config).
        string[] optional = ["thermal.dvfs_steps", "thermal.leakage_power_w", "thermal.leakage_reference_c"];
        Assert.All(SpecParameters.All.Where(p => !optional.Any(o => p.Path.StartsWith(o, StringComparison.Ordinal))), p => Assert.Contains(p.Key + ":", text, StringComparison.Ordinal));
        string withLeakage = ConfigWriter.Write(ConfigLoader.LoadText(Minimal + "\nthermal: {leakage_power_w: 0.2}", "minimal.yaml").SpecOrThrow());
        Assert.Contains("  leakage_power_w: 0.2\n  leakage_reference_c: 25\n", withLeakage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("memory.buffers[3].capacity_kib", "memory.buffers[].capacity_kib")]
    [InlineData("array.operand_types[0]", "array.operand_types[]")]
    [InlineData("clock_mhz", "clock_mhz")]
    public void Normalize_ReplacesIndicesWithBrackets(string path, string expected) =>
        Assert.Equal(expected, SpecParameters.Normalize(path));

    [Fact]
    public void EveryEnumValue_HasAConfigName_ThatParsesBack()
    {
        static void RoundTrips<T>(NameTable<T> table)
            where T : struct, Enum
        {
            Assert.All(Enum.GetValues<T>(), v => Assert.True(table.TryParse(table.Name(v), out T back) && back.Equals(v), v.ToString()));
            Assert.Equal(table.Names.Length, table.Names.Distinct(StringComparer.Ordinal).Count());
        }

        RoundTrips(SpecNames.Dataflows);
        RoundTrips(SpecNames.Overflows);
        RoundTrips(SpecNames.Requantizers);
        RoundTrips(SpecNames.Roundings);
        RoundTrips(SpecNames.Roles);
        RoundTrips(SpecNames.Timings);
        RoundTrips(SpecNames.VectorOpClasses);
    }

    [Theory]
    [InlineData("bytes_per_cyle", "bytes_per_cycle")]
    [InlineData("capacity_kb", "capacity_kib")]
    [InlineData("Rows", "rows")]
    [InlineData("frobnicate", null)]
    public void KeySuggester_FindsCloseKeys_AndNothingForFarOnes(string typo, string? expected) =>
        Assert.Equal(expected, KeySuggester.Closest(typo, ["rows", "cols", "bytes_per_cycle", "capacity_kib", "banks"]));
}
