using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Mapping;
using SiliconSim.Simulation.Memory;
using SiliconSim.Simulation.Results;
using SiliconSim.Simulation.Tests.Mapping;
using SiliconSim.Simulation.Tests.Memory;
using SiliconSim.TestSupport;

namespace SiliconSim.Simulation.Tests.Whole;

/// <summary>A whole model (a digits network, or a few generated conv/gemm layers) on a generated accelerator.</summary>
public sealed record WholeCase(string Model, ImmutableArray<LayerWork> Layers, OperandTypes? Types, long IndependentMacs, AcceleratorSpec Spec)
{
    public override string ToString() =>
        $"{Model} on {Spec.Array.Rows}x{Spec.Array.Cols} {Spec.Array.Dataflow}, {Spec.Memory.Dram.BandwidthGBps} GB/s, buffers [{string.Join(", ", Spec.Memory.Buffers.Select(b => $"{b.Role} {b.CapacityBytes} B{(b.DoubleBuffered ? " db" : string.Empty)}"))}]";
}

/// <summary>
/// Laws of <see cref="PerformanceModel.Evaluate"/> over whole models: generated accelerators (arrays 1..64 x 1..64, every
/// dataflow, buffer sizes, DRAM bandwidths; built with <c>with</c>) and the quantized digits models' layers plus generated
/// conv and gemm layers.
/// </summary>
public sealed class WholeModelProperties
{
    private static readonly Lazy<ImmutableArray<(string Name, ImmutableArray<LayerWork> Layers, OperandTypes Types, long Macs)>> s_digits = new(LoadDigits);

    [Property(MaxTest = 60, Arbitrary = [typeof(WholeModelProperties)])]
    public void EveryLayer_TakesAtLeastCeilMacsOverPes(WholeCase c)
    {
        SimulationResult r = Run(c, c.Spec);
        foreach (LayerResult l in r.Layers.Where(l => l.Kind == LayerKind.Matrix))
        {
            long floor = (l.Macs + c.Spec.Array.PeCount - 1) / c.Spec.Array.PeCount;
            Assert.True(l.ComputeCycles >= floor, $"{l.Name}: {l.ComputeCycles} compute cycles < ceil({l.Macs} / {c.Spec.Array.PeCount})");
            Assert.True(l.TotalCycles >= l.ComputeCycles);
        }
    }

    [Property(MaxTest = 60, Arbitrary = [typeof(WholeModelProperties)])]
    public void TotalMacs_EqualTheIndependentCount_UnderEveryDataflowAndTiling(WholeCase c)
    {
        Assert.Equal(c.IndependentMacs, Run(c, c.Spec).Macs);
        // The tiler's own count (summed over the tiles it chose) agrees too.
        long tiled = c.Layers.OfType<MatrixLayer>().Sum(l => MatrixMemoryModel.Evaluate(l, c.Spec, g => g.Macs).Macs);
        Assert.Equal(c.IndependentMacs, tiled);
    }

    [Property(MaxTest = 40, Arbitrary = [typeof(WholeModelProperties)])]
    public void MoreDramBandwidth_NeverAddsCycles(WholeCase c, PositiveInt factor)
    {
        double scale = 1 + (factor.Get % 16);
        AcceleratorSpec faster = c.Spec with { Memory = c.Spec.Memory with { Dram = c.Spec.Memory.Dram with { BandwidthGBps = c.Spec.Memory.Dram.BandwidthGBps * scale } } };
        Assert.True(Run(c, faster).TotalCycles <= Run(c, c.Spec).TotalCycles);
    }

    [Property(MaxTest = 40, Arbitrary = [typeof(WholeModelProperties)])]
    public void LargerSram_NeverAddsDramTraffic(WholeCase c, PositiveInt factor)
    {
        long scale = 1 + (factor.Get % 8);
        AcceleratorSpec larger = c.Spec with
        {
            Memory = c.Spec.Memory with { Buffers = [.. c.Spec.Memory.Buffers.Select(b => b with { CapacityBytes = b.CapacityBytes * scale })] },
        };
        SimulationResult small = Run(c, c.Spec), big = Run(c, larger);
        Assert.True(
            big.Layers.Sum(l => l.DramReadBytes + l.DramWriteBytes) <= small.Layers.Sum(l => l.DramReadBytes + l.DramWriteBytes),
            $"x{scale} SRAM: {big.Layers.Sum(l => l.DramReadBytes + l.DramWriteBytes)} > {small.Layers.Sum(l => l.DramReadBytes + l.DramWriteBytes)} DRAM bytes");
    }

    [Property(MaxTest = 15, Arbitrary = [typeof(WholeModelProperties)])]
    public void Results_AreIdentical_RepeatedAndFromSeveralThreads(WholeCase c)
    {
        string expected = Fingerprint(Run(c, c.Spec));
        var seen = new string[8];
        Parallel.For(0, seen.Length, i => seen[i] = Fingerprint(Run(c, c.Spec)));
        Assert.All(seen, s => Assert.Equal(expected, s));
        Assert.Equal(expected, Fingerprint(Run(c, c.Spec)));
    }

    [Property(MaxTest = 60, Arbitrary = [typeof(WholeModelProperties)])]
    public void ScaleSimMode_WithIdealMemory_ComputeCyclesEqualThePublishedFormula(WholeCase c)
    {
        // Ideal memory: every buffer holds any layer whole, DRAM is (nearly) infinitely fast with no latency.
        AcceleratorSpec ideal = c.Spec with
        {
            Timing = TimingModel.ScaleSim,
            Memory = c.Spec.Memory with
            {
                Buffers = [.. c.Spec.Memory.Buffers.Select(b => b with { CapacityBytes = 1L << 40, DoubleBuffered = false })],
                Dram = c.Spec.Memory.Dram with { BandwidthGBps = 1e12, LatencyNs = 0 },
            },
        };
        SimulationResult r = Run(c, ideal);
        var matrices = c.Layers.OfType<MatrixLayer>().ToDictionary(l => l.Name, StringComparer.Ordinal);
        foreach (LayerResult l in r.Layers.Where(l => l.Kind == LayerKind.Matrix))
        {
            MatrixLayer layer = matrices[l.Name];
            Assert.Equal(layer.Groups * ScaleSimFormula(layer.Gemm, ideal.Array), l.ComputeCycles);
        }
    }

    /// <summary>
    /// SCALE-Sim v2 (scalesim/compute/systolic_compute_{os,ws,is}.py, topology_utils.calc_spatio_temporal_params): Sr x Sc
    /// spatial over R x C, T streamed; folds ceil(Sr/R) x ceil(Sc/C); per fold T + R + C - 2 (os) or 2R + C + T - 2 (ws,
    /// is); a GEMM takes folds x per-fold - 1.
    /// </summary>
    private static long ScaleSimFormula(GemmShape g, ArraySpec a)
    {
        (long sr, long sc, long t) = a.Dataflow switch
        {
            Dataflow.OutputStationary => (g.M, g.N, g.K),
            Dataflow.WeightStationary => (g.K, g.N, g.M),
            _ => (g.K, g.M, g.N),
        };
        long r = a.Rows, cols = a.Cols;
        long folds = ((sr + r - 1) / r) * ((sc + cols - 1) / cols);
        long perFold = a.Dataflow == Dataflow.OutputStationary ? t + r + cols - 2 : (2 * r) + cols + t - 2;
        return (folds * perFold) - 1;
    }

    public static Arbitrary<WholeCase> Cases() => Arb.From(
        from model in Gen.OneOf(DigitsModels(), GeneratedModels())
        from spec in SpecsUpTo64()
        select new WholeCase(model.Name, model.Layers, model.Types, model.Macs, spec));

    private static Gen<(string Name, ImmutableArray<LayerWork> Layers, OperandTypes? Types, long Macs)> DigitsModels() =>
        Gen.Elements(s_digits.Value.Select(d => (d.Name, d.Layers, (OperandTypes?)d.Types, d.Macs)).ToArray());

    private static Gen<(string Name, ImmutableArray<LayerWork> Layers, OperandTypes? Types, long Macs)> GeneratedModels() =>
        from count in Gen.Choose(1, 4)
        from layers in Gen.ArrayOf(Gen.OneOf(MemoryGenerators.ConvLayers(), MemoryGenerators.GemmLayers()), count)
        let named = layers.Select((l, i) => l with { Name = $"layer{i}" }).ToImmutableArray()
        select ("generated", named.CastArray<LayerWork>(), (OperandTypes?)null, named.Sum(IndependentMacs));

    /// <summary>MACs straight from the layer's definition: a conv's output elements x its window x input channels per group.</summary>
    private static long IndependentMacs(MatrixLayer l) => l.Conv is { } conv
        ? (long)conv.Batch * conv.OutSize * conv.OutChannels * (conv.InChannels / conv.Group) * conv.KernelSize
        : l.Groups * l.Gemm.M * l.Gemm.N * l.Gemm.K;

    private static Gen<AcceleratorSpec> SpecsUpTo64() =>
        from baseSpec in MemoryGenerators.Specs(1024, 4096)
        from rows in Gen.Choose(1, 64)
        from cols in Gen.Choose(1, 64)
        from dataflow in Gen.Elements(Dataflow.OutputStationary, Dataflow.WeightStationary, Dataflow.InputStationary)
        from kib in Gen.Elements(1L, 4L, 16L, 64L, 256L)
        from bandwidth in Gen.Elements(0.5, 4.0, 30.0, 300.0)
        from latency in Gen.Choose(0, 3)
        from timing in Gen.Elements(TimingModel.Corrected, TimingModel.ScaleSim)
        select baseSpec with
        {
            Timing = timing,
            Array = baseSpec.Array with { Rows = rows, Cols = cols, Dataflow = dataflow, PipelineLatencyCycles = latency, OperandTypes = [DataType.UInt8, DataType.Int8, DataType.Int4] },
            Memory = baseSpec.Memory with
            {
                Buffers = [.. baseSpec.Memory.Buffers.Select(b => b with { CapacityBytes = b.CapacityBytes * kib })],
                Dram = baseSpec.Memory.Dram with { BandwidthGBps = bandwidth },
            },
        };

    private static SimulationResult Run(WholeCase c, AcceleratorSpec spec)
    {
        PerformanceOutcome outcome = PerformanceModel.Evaluate(spec, c.Layers, c.Model, 1, c.Types);
        Assert.True(outcome.Success, string.Join("; ", outcome.Problems.Select(p => $"{p.ConfigPath}: {p.Message}")));
        return outcome.Result!;
    }

    private static string Fingerprint(SimulationResult r) => string.Join(
        "\n",
        r.Layers.Select(l => $"{l.Name} {l.Macs} {l.Folds} {l.ComputeCycles} {l.StallCycles} {l.SramReadBytes} {l.SramWriteBytes} {l.DramReadBytes} {l.DramWriteBytes} {string.Join(",", l.Buffers.Select(b => b.ToString()))}"));

    private static ImmutableArray<(string Name, ImmutableArray<LayerWork> Layers, OperandTypes Types, long Macs)> LoadDigits()
    {
        var models = ImmutableArray.CreateBuilder<(string, ImmutableArray<LayerWork>, OperandTypes, long)>();
        foreach (string name in new[] { "digits_cnn_qop_u8s8_tensor", "digits_cnn_qdq_s8s8_channel", "digits_mlp_qdq_u8s8_tensor" })
        {
            ModelGraph lowered;
            using (var s = File.OpenRead(Path.Combine(SharedData.Digits, name, "model.onnx")))
            {
                lowered = OrtCpuLowering.Lower(OnnxModelReader.Read(s));
            }

            var observed = LayerExtractorTests.Observe(lowered, batch: 1);
            long macs = lowered.Nodes.Sum(n => LayerExtractorTests.IndependentMacs(lowered, n, observed));
            models.Add((name, LayerExtractor.ExtractWithShapes(lowered, observed).Layers, new OperandTypes(lowered), macs));
        }

        return models.ToImmutable();
    }
}
