using System.Runtime.CompilerServices;
using SiliconSim.Config.Tests.Topology;
using SiliconSim.Config.Topology;
using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Results;
using SiliconSim.Simulation.Timing;

namespace SiliconSim.Config.Tests.ScaleSim;

public sealed class ScaleSimConfigReaderTests
{
    private const string Scale = """
        [general]
        run_name = scale_example_run_32x32_os

        [architecture_presets]
        ArrayHeight:    32
        ArrayWidth:     32
        IfmapSramSzkB:   64
        FilterSramSzkB:  64
        OfmapSramSzkB:   64
        IfmapOffset:    0
        FilterOffset:   10000000
        OfmapOffset:    20000000
        Bandwidth : 10
        Dataflow : os
        MemoryBanks:   1

        [run_presets]
        InterfaceBandwidth: CALC
        """;

    [Theory]
    [InlineData("google.cfg", "GoogleTPU_v1_ws", 256, 256, Dataflow.WeightStationary, 6144, 6144, 2048)]
    [InlineData("eyeriss.cfg", "eyeriss", 12, 14, Dataflow.WeightStationary, 36, 36, 36)]
    [InlineData("scale.cfg", "scale_example_run_32x32_os", 32, 32, Dataflow.OutputStationary, 64, 64, 64)]
    public void ShippedConfig_Loads(string file, string name, int rows, int cols, Dataflow dataflow, int ifmapKib, int filterKib, int ofmapKib)
    {
        ConfigLoadResult r = ConfigLoader.LoadFile(ConfigPath(file));
        Assert.True(r.Success, string.Join("\n", r.Diagnostics));
        AcceleratorSpec spec = r.Spec!;
        Assert.Equal(name, spec.Name);
        Assert.Equal(TimingModel.ScaleSim, spec.Timing);
        Assert.Equal((rows, cols, dataflow), (spec.Array.Rows, spec.Array.Cols, spec.Array.Dataflow));
        Assert.Equal([ifmapKib * 1024L, filterKib * 1024L, ofmapKib * 1024L], spec.Memory.Buffers.Select(b => b.CapacityBytes));
        Assert.Equal([BufferRole.Input, BufferRole.Weight, BufferRole.Output], spec.Memory.Buffers.Select(b => b.Role));
        Assert.All(spec.Memory.Buffers, b => Assert.True(b.DoubleBuffered && b.WordBytes == 1 && b.Banks == 1));
        Assert.Equal(10.0, spec.Memory.Dram.BandwidthGBps); // 10 words/cycle x 1 byte at 1 GHz
        Assert.Equal(1000, spec.ClockMhz);
    }

    [Fact]
    public void PresetCatalog_LoadsACfgPath()
    {
        Assert.True(PresetCatalog.Load(ConfigPath("google.cfg")).Success);
    }

    [Fact]
    public void AlexNetPart_OnA32x32WsArrayWith64KbSrams_TakesScaleSimsCycles()
    {
        // SCALE-Sim v2 on its own topologies/conv_nets/alexnet_part.csv with scale.cfg switched to ws: 112,283 cycles.
        // 55 x 55 ofmap (its ceil rule); K = 363 folds 12 times over 32 rows, N = 96 three times over 32 columns:
        // 36 x (2 x 32 + 32 + 3025 - 2) - 1.
        ConfigLoadResult r = ConfigLoader.LoadText(Scale.Replace("Dataflow : os", "Dataflow : ws", StringComparison.Ordinal), "scale_ws.cfg");
        Assert.True(r.Success, string.Join("\n", r.Diagnostics));
        var layers = ScaleSimTopologyReader.Parse(File.ReadAllText(ScaleSimFiles.Path("alexnet_part.csv")), "alexnet_part.csv");
        PerformanceOutcome outcome = PerformanceModel.Evaluate(r.Spec!, [.. layers.Cast<LayerWork>()], "alexnet_part", 1);
        LayerResult layer = Assert.Single(outcome.Result!.Layers);
        Assert.Equal(112_283, layer.ComputeCycles);

        // The 64 KB SRAMs force tiling (the ifmap alone is 147 KiB); SCALE-Sim's compute does not notice, nor does ours.
        AcceleratorSpec huge = r.Spec! with { Memory = r.Spec!.Memory with { Buffers = [.. r.Spec!.Memory.Buffers.Select(b => b with { CapacityBytes = 1L << 30 })] } };
        Assert.Equal(112_283, Assert.Single(PerformanceModel.Evaluate(huge, [.. layers.Cast<LayerWork>()], "alexnet_part", 1).Result!.Layers).ComputeCycles);
    }

    [Theory]
    [InlineData("ReadRequestBuffer: 32", "x.cfg:6:1: ReadRequestBuffer: has no SiliconSim equivalent")]
    [InlineData("Frobnicate: 1", "x.cfg:6:1: Frobnicate: is not a SCALE-Sim field")]
    [InlineData("ArrayHeight: 8", "x.cfg:6:1: ArrayHeight: is given twice (first on line 5)")]
    [InlineData("IfmapOffset: zero", "x.cfg:6:1: IfmapOffset: must be an integer, got 'zero'")]
    [InlineData("[sparsity]", "x.cfg:6:1: sparsity: SiliconSim does not model sparse operands")]
    [InlineData("[network_presets]\nTopologyCsvLoc: \"topologies/conv_nets/alexnet.csv\"", "x.cfg:7:1: TopologyCsvLoc: has no SiliconSim equivalent")]
    public void UnsupportedFields_AreRefused_WithTheirLine(string extra, string expected)
    {
        string text = "[general]\nrun_name = x\n\n[architecture_presets]\nArrayHeight: 4\n" + extra + "\nArrayWidth: 4\n";
        string cfg = text + "IfmapSramSzkB: 1\nFilterSramSzkB: 1\nOfmapSramSzkB: 1\nDataflow: ws\nBandwidth: 1\n";
        if (extra.StartsWith('['))
        {
            cfg = "[general]\nrun_name = x\n\n[architecture_presets]\nArrayHeight: 4\nArrayWidth: 4\nIfmapSramSzkB: 1\nFilterSramSzkB: 1\nOfmapSramSzkB: 1\nDataflow: ws\nBandwidth: 1\n" + extra + "\n";
            expected = expected.Replace("x.cfg:6:", "x.cfg:12:", StringComparison.Ordinal).Replace("x.cfg:7:", "x.cfg:13:", StringComparison.Ordinal);
        }

        ConfigLoadResult r = ConfigLoader.LoadText(cfg, "x.cfg");
        Assert.False(r.Success);
        Assert.Contains(r.Diagnostics, d => d.ToString().StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void BadValues_AreLocatedAtTheCfgLine()
    {
        ConfigLoadResult r = ConfigLoader.LoadText(Scale.Replace("Dataflow : os", "Dataflow : rs", StringComparison.Ordinal).Replace("ArrayWidth:     32", "ArrayWidth:     0", StringComparison.Ordinal), "s.cfg");
        Assert.False(r.Success);
        Assert.Contains(r.Diagnostics, d => d.Location.Line == 6 && d.Path == "array.cols");
        Assert.Contains(r.Diagnostics, d => d.Location.Line == 14 && d.Path == "array.dataflow");
    }

    [Fact]
    public void UserMode_NeedsOneBandwidthPerBank()
    {
        string text = Scale.Replace("InterfaceBandwidth: CALC", "InterfaceBandwidth: USER", StringComparison.Ordinal).Replace("MemoryBanks:   1", "MemoryBanks:   2", StringComparison.Ordinal);
        Assert.Contains(ConfigLoader.LoadText(text, "u.cfg").Diagnostics, d => d.ToString().StartsWith("u.cfg:13:1: Bandwidth: gives 1 bandwidths for 2 memory banks", StringComparison.Ordinal));
        ConfigLoadResult two = ConfigLoader.LoadText(text.Replace("Bandwidth : 10", "Bandwidth : 10, 6", StringComparison.Ordinal), "u.cfg");
        Assert.True(two.Success, string.Join("\n", two.Diagnostics));
        Assert.Equal(16.0, two.Spec!.Memory.Dram.BandwidthGBps);
        Assert.All(two.Spec.Memory.Buffers, b => Assert.Equal(2, b.Banks));
    }

    private static string ConfigPath(string file, [CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Configs", file);
}
