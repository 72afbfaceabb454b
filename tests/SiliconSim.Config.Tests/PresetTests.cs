using SiliconSim.Config;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;

namespace SiliconSim.Config.Tests;

/// <summary>Every shipped preset loads cleanly and carries the numbers its cited source gives.</summary>
public sealed class PresetTests
{
    public static TheoryData<string> Presets => new(PresetCatalog.Names());

    [Fact]
    public void Catalog_FindsTheSevenPresets()
    {
        Assert.Equal(["edge-npu", "edge-npu-mx", "eyeriss", "phone-npu", "scalesim-google", "tpu-v1", "tpu-v4"], PresetCatalog.Names().ToArray());
        Assert.Contains(PresetCatalog.DefaultPreset, PresetCatalog.Names());
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void Preset_LoadsWithoutDiagnostics_AndRoundTripsThroughTheWriter(string name)
    {
        ConfigLoadResult result = PresetCatalog.Load(name);
        Assert.Empty(result.Diagnostics);
        AcceleratorSpec spec = result.SpecOrThrow();
        Assert.Equal(name, spec.Name);

        ConfigLoadResult again = ConfigLoader.LoadText(ConfigWriter.Write(spec), name + ".yaml");
        Assert.Empty(again.Diagnostics);
        Assert.Equal(spec, again.Spec);
    }

    [Fact]
    public void TpuV1_HasThePaperNumbers()
    {
        AcceleratorSpec s = PresetCatalog.Load("tpu-v1").SpecOrThrow();
        Assert.Equal((256, 256), (s.Array.Rows, s.Array.Cols));
        Assert.Equal(Dataflow.WeightStationary, s.Array.Dataflow);
        Assert.Equal(700, s.ClockMhz);
        Assert.Equal(28, s.TechnologyNodeNm);
        BufferSpec ub = Assert.Single(s.Memory.Buffers);
        Assert.Equal(BufferRole.Unified, ub.Role);
        Assert.Equal(24L * 1024 * 1024, ub.CapacityBytes);
        Assert.Equal("DDR3", s.Memory.Dram.Type);
        Assert.Equal(30, s.Memory.Dram.BandwidthGBps);
    }

    [Fact]
    public void Eyeriss_HasThePaperNumbers()
    {
        AcceleratorSpec s = PresetCatalog.Load("eyeriss").SpecOrThrow();
        Assert.Equal((12, 14), (s.Array.Rows, s.Array.Cols));
        Assert.Equal(200, s.ClockMhz);
        Assert.Equal(65, s.TechnologyNodeNm);
        Assert.Equal(108 * 1024, Assert.Single(s.Memory.Buffers).CapacityBytes);
        Assert.Equal([DataType.Int16], s.Array.OperandTypes.ToArray());
        Assert.Equal(520, s.Memory.Registers.BytesPerPe);
    }

    [Fact]
    public void ScaleSimGoogle_MatchesGoogleCfg()
    {
        // configs/google.cfg: 256x256, ws, IfmapSramSzkB 6144, FilterSramSzkB 6144, OfmapSramSzkB 2048 (x 1024 bytes).
        AcceleratorSpec s = PresetCatalog.Load("scalesim-google").SpecOrThrow();
        Assert.Equal((256, 256), (s.Array.Rows, s.Array.Cols));
        Assert.Equal(Dataflow.WeightStationary, s.Array.Dataflow);
        Assert.Equal(TimingModel.ScaleSim, s.Timing);
        Assert.Equal(
            [(BufferRole.Input, 6144L * 1024), (BufferRole.Weight, 6144L * 1024), (BufferRole.Output, 2048L * 1024)],
            s.Memory.Buffers.Select(b => (b.Role, b.CapacityBytes)));
        Assert.All(s.Memory.Buffers, b => Assert.Equal((1, 1, true), (b.WordBytes, b.Banks, b.DoubleBuffered)));
    }

    [Fact]
    public void EdgeNpu_Is32x32WeightStationaryWithLpddr4()
    {
        AcceleratorSpec s = PresetCatalog.Load(null).SpecOrThrow();
        Assert.Equal("edge-npu", s.Name);
        Assert.Equal((32, 32, Dataflow.WeightStationary), (s.Array.Rows, s.Array.Cols, s.Array.Dataflow));
        Assert.Equal(320 * 1024, s.Memory.Buffers.Sum(b => b.CapacityBytes));
        Assert.Equal("LPDDR4", s.Memory.Dram.Type);
        Assert.True(s.Array.Numerics.IsReference);
    }

    [Fact]
    public void UnknownPreset_IsADiagnosticListingThePresets()
    {
        ConfigLoadResult result = PresetCatalog.Load("tpu-v9");
        Assert.False(result.Success);
        string message = Assert.Single(result.Diagnostics).ToString();
        Assert.StartsWith("tpu-v9:1:1: no such file or preset (presets: edge-npu, edge-npu-mx, eyeriss, phone-npu, scalesim-google, tpu-v1, tpu-v4)", message, StringComparison.Ordinal);
    }
}
