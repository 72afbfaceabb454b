using ScottPlot;
using ScottPlot.Plottables;
using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Thermal;
using SiliconSim.Reporting.Charts;
using SiliconSim.Simulation.Pipeline;
using SiliconSim.Simulation.Results;
using SiliconSim.Simulation.Thermal;
using static SiliconSim.Reporting.Tests.ReportFixtures;

namespace SiliconSim.Reporting.Tests;

/// <summary>
/// Every chart as a cookbook recipe (STYLE D5): seeded data in, PNG out under bin/.../recipes, assertions on the
/// plotted coordinates, titles, axis labels and legend entries rather than on pixels. Every chart reads a
/// <see cref="RunResult"/>, as <see cref="RunReportFiles"/> renders it.
/// </summary>
public sealed class ChartRecipeTests
{
    private static readonly string[] s_layers = ["conv0", "conv1", "pool", "fc"];

    [Fact]
    public void Latency_StacksStallOnTopOfCompute()
    {
        var rng = new Random(7);
        LayerResult[] data = [.. s_layers.Select(n => Layer(n, computeCycles: rng.Next(1000, 5000), stallCycles: rng.Next(0, 2000)))];
        Plot plot = LatencyChart.Build(Run(data));
        Recipe.Save(plot, "latency");

        var series = Recipe.BarSeries(plot);
        Assert.Equal(2, series.Count);
        for (int i = 0; i < data.Length; i++)
        {
            Assert.Equal(0, series[0].Bars[i].ValueBase);
            Assert.Equal(data[i].ComputeCycles, series[0].Bars[i].Value);
            Assert.Equal(data[i].ComputeCycles, series[1].Bars[i].ValueBase);
            Assert.Equal(data[i].ComputeCycles + data[i].StallCycles, series[1].Bars[i].Value);
            Assert.Equal(i, series[1].Bars[i].Position);
        }

        Assert.Equal("Latency per layer", plot.Axes.Title.Label.Text);
        Assert.Equal("Latency (cycles)", plot.Axes.Left.Label.Text);
        Assert.Equal(["compute", "stall"], Recipe.LegendLabels(plot));
    }

    [Fact]
    public void Utilization_PlotsPercentPerLayer_AndTheRunMean()
    {
        var rng = new Random(11);
        // 64 PEs x 4 layers of 250 cycles: 26,880 MACs in all is 42 % of the run's PE-cycles.
        LayerResult[] data = [.. s_layers.Select(n => Layer(n, computeCycles: 250, macs: 6720, utilization: rng.NextDouble()))];
        Plot plot = UtilizationChart.Build(Run(data));
        Recipe.Save(plot, "utilization");

        var bars = Assert.Single(Recipe.BarSeries(plot)).Bars;
        Assert.Equal(data.Select(d => 100 * d.Utilization), bars.Select(b => b.Value));
        Assert.Equal(42, Assert.Single(plot.GetPlottables().OfType<HorizontalLine>()).Y, 9);
        Assert.Equal("Utilization (% of PE-cycles)", plot.Axes.Left.Label.Text);
        Assert.Contains("whole run (42 %)", Recipe.LegendLabels(plot));
    }

    [Fact]
    public void Roofline_PlacesRoofsAtPeakAndBandwidth_AndEveryLayerLabelled()
    {
        // 64 PEs at 1 GHz: 128 GOPS peak; 16 GB/s DRAM: ridge at 8 ops/byte. Layer a: 2,000 ops over 1,000 DRAM bytes
        // in 100 cycles (2 ops/byte, 20 GOPS); b: 64,000 ops over 1,000 bytes in 640 cycles (64 ops/byte, 100 GOPS).
        RunResult data = Run(Layer("a", computeCycles: 100, macs: 1000, dramBytes: 1000), Layer("b", computeCycles: 640, macs: 32000, dramBytes: 1000));
        Plot plot = RooflineChart.Build(data);
        Recipe.Save(plot, "roofline");

        var lines = plot.GetPlottables().OfType<Scatter>().ToList();
        Coordinates[] memory = Recipe.Points(lines[0]);
        Coordinates[] compute = Recipe.Points(lines[1]);
        Assert.Equal(Math.Log10(8), memory[1].X, 9);
        Assert.Equal(Math.Log10(128e9), memory[1].Y, 9);
        // On the memory roof throughput = bandwidth x intensity: log y - log x = log 16e9.
        Assert.Equal(Math.Log10(16e9), memory[0].Y - memory[0].X, 9);
        Assert.All(compute, c => Assert.Equal(Math.Log10(128e9), c.Y, 9));

        Coordinates[] layers = Recipe.Points(lines[2]);
        Assert.Equal([Math.Log10(2), Math.Log10(64)], layers.Select(c => c.X));
        Assert.Equal(Math.Log10(20e9), layers[0].Y, 9);
        Assert.Equal(Math.Log10(100e9), layers[1].Y, 9);
        Assert.Equal(["a", "b"], plot.GetPlottables().OfType<Text>().Select(t => t.LabelText));
        Assert.Contains("ops per DRAM byte", plot.Axes.Bottom.Label.Text, StringComparison.Ordinal);
        Assert.Equal(3, Recipe.LegendLabels(plot).Length);
    }

    [Fact]
    public void RooflineFrom_ComputesAchievedOpsFromCyclesAndClock()
    {
        var layer = new LayerResult
        {
            Name = "g",
            OpType = "QGemm",
            Kind = LayerKind.Matrix,
            Shape = "",
            Macs = 1000,
            ComputeCycles = 80,
            StallCycles = 20,
            Utilization = 0.5,
            SramReadBytes = 0,
            SramWriteBytes = 0,
            DramReadBytes = 150,
            DramWriteBytes = 50,
        };
        var vector = layer with { Name = "relu", Kind = LayerKind.Vector, Macs = 0 };
        var result = new SimulationResult { Accelerator = "x", Model = "m", Batch = 1, ClockMhz = 500, PeCount = 16, DramBandwidthGBps = 4, Layers = [layer, vector] };

        var (name, p) = Assert.Single(RooflineChart.Points(result));

        Assert.Equal("g", name);
        Assert.Equal(10, p.OpsPerDramByte, 12);          // 2000 ops / 200 bytes
        Assert.Equal(2000 / (100 / 500e6), p.AttainedOpsPerSecond, 3); // 2000 ops in 100 cycles at 500 MHz
        Assert.Equal(16e9, p.PeakOpsPerSecond, 3);
        Assert.Equal(10 * 4e9, p.MemoryRoofOpsPerSecond, 3);
    }

    [Fact]
    public void EnergyPerLayer_StacksComponentsInNanojoules()
    {
        var rng = new Random(3);
        string[] components = ["MAC", "accumulator", "registers", "SRAM", "DRAM", "vector unit", "leakage", "clock/control", "idle"];
        double[][] pj = [.. s_layers.Select(_ => components.Select(_ => rng.NextDouble() * 1e4).ToArray())];
        var energy = Energy([.. s_layers.Select((n, i) => (n, Breakdown([.. pj[i].Select(p => p / 1e12)])))]);
        Plot plot = EnergyPerLayerChart.Build(Run(Run([.. s_layers.Select(n => Layer(n))]).Performance, energy));
        Recipe.Save(plot, "energy_layers");

        var series = Recipe.BarSeries(plot);
        Assert.Equal(components.Length, series.Count);
        for (int i = 0; i < s_layers.Length; i++)
        {
            Assert.Equal(pj[i].Sum() / 1e3, series[^1].Bars[i].Value, 9);
        }

        Assert.Equal(components, Recipe.LegendLabels(plot));
        Assert.Equal("Energy (nJ)", plot.Axes.Left.Label.Text);
    }

    [Fact]
    public void EnergyPerInference_IsTheSumOverLayersPerComponent()
    {
        RunResult run = MacAndDram(batch: 1);
        Plot plot = EnergyPerInferenceChart.Build(run);
        Recipe.Save(plot, "energy_inference");

        Assert.Equal(4e-6, run.Energy.Total.MacJ, 15);
        Assert.Equal(6e-6, run.Energy.Total.DramJ, 15);
        var series = Recipe.BarSeries(plot);
        Assert.Equal(4, series[0].Bars[0].Value, 9);
        Assert.Equal(4, series[Dram].Bars[0].ValueBase, 9);
        Assert.Equal(10, series[Dram].Bars[0].Value, 9);
        Assert.Equal("Energy (µJ)", plot.Axes.Left.Label.Text);
    }

    [Fact]
    public void EnergyPerInference_DividesTheRunByItsBatch()
    {
        Plot plot = EnergyPerInferenceChart.Build(MacAndDram(batch: 4));

        var series = Recipe.BarSeries(plot);
        Assert.Equal(1, series[0].Bars[0].Value, 9);
        Assert.Equal(2.5, series[Dram].Bars[0].Value, 9);
        Assert.Contains("batch of 4", plot.Axes.Bottom.Label.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Thermal_PutsTemperatureAndLimitOnTheRightAxis_AndMarksThrottles()
    {
        var rng = new Random(5);
        double[] t = [.. Enumerable.Range(0, 50).Select(i => i * 1e-3)];
        double[] power = [.. t.Select(_ => 2 + rng.NextDouble())];
        double[] temp = [.. t.Select((s, i) => 40 + i)];
        RunResult run = Heated(t, power, temp, 85, double.NaN, [new DvfsChange(0.045, 85.2, 1000, 800), new DvfsChange(0.049, 79.9, 800, 1000)]);
        Plot plot = ThermalChart.Build(run);
        Recipe.Save(plot, "thermal");

        var lines = plot.GetPlottables().OfType<Scatter>().ToList();
        Assert.Equal(power, Recipe.Points(lines[0]).Select(c => c.Y));
        Assert.Equal(temp, Recipe.Points(lines[1]).Select(c => c.Y));
        Assert.Equal(49, Recipe.Points(lines[1])[^1].X, 9); // ms
        Assert.Same(plot.Axes.Right, lines[1].Axes.YAxis);
        HorizontalLine limit = Assert.Single(plot.GetPlottables().OfType<HorizontalLine>());
        Assert.Equal(85, limit.Y);
        Assert.Same(plot.Axes.Right, limit.Axes.YAxis);
        Assert.Equal([45.0, 49.0], plot.GetPlottables().OfType<VerticalLine>().Select(v => Math.Round(v.X, 9)));
        Assert.Equal("Junction temperature (°C)", plot.Axes.Right.Label.Text);
        Assert.Equal("Time (ms)", plot.Axes.Bottom.Label.Text);
        Assert.Equal(["power", "junction temperature", "throttle threshold (85 °C)", "throttle event"], Recipe.LegendLabels(plot));
        // The recovery 4 ms later is too close to label (labels keep 12 % of the span apart).
        Assert.Equal(["throttle to 800 MHz", ""], plot.GetPlottables().OfType<VerticalLine>().Select(v => v.Text));
        Assert.Equal("recover to 1000 MHz", ThermalChart.Label(run.ThermalSummary!.ThrottleEvents[1]));
    }

    [Fact]
    public void Thermal_LongRun_IsInSeconds_BinnedToAveragesAndShowsTheMaxJunctionLine()
    {
        int n = 60_000;
        double[] t = [.. Enumerable.Range(0, n).Select(i => i * 0.01)];
        double[] power = [.. Enumerable.Range(0, n).Select(i => i % 2 == 0 ? 1.0 : 3.0)];
        double[] temp = [.. Enumerable.Range(0, n).Select(i => 40 + (i * 1e-3))];
        Plot plot = ThermalChart.Build(Heated(t, power, temp, 95, 105, [new DvfsChange(300, 95.1, 1000, 800)]));
        Recipe.Save(plot, "thermal_long");

        var lines = plot.GetPlottables().OfType<Scatter>().ToList();
        Coordinates[] p = Recipe.Points(lines[0]);
        Assert.True(p.Length <= ThermalChart.MaxPoints, $"{p.Length} points");
        Assert.All(p, c => Assert.Equal(2.0, c.Y, 9)); // alternating 1 W and 3 W average to 2 W in every even-sized bin
        Assert.Equal(599.99, p[^1].X, 6);
        Assert.Equal("Time (s)", plot.Axes.Bottom.Label.Text);
        Assert.Equal([95.0, 105.0], plot.GetPlottables().OfType<HorizontalLine>().Select(h => h.Y));
        Assert.Contains("max junction (105 °C)", Recipe.LegendLabels(plot));
        Assert.Equal(300, Assert.Single(plot.GetPlottables().OfType<VerticalLine>()).X, 9);
    }

    [Fact]
    public void Thermal_WithoutAThermalRun_IsNotDrawn()
    {
        RunResult run = Run(Layer("a"));
        Assert.False(ThermalChart.Applies(run));
        Assert.Throws<ArgumentException>(() => ThermalChart.Build(run));
    }

    [Fact]
    public void MemoryOccupancy_StacksActivationsTilesAndWeightsInKiB_WithTheCapacityLineAndSpillMarkers()
    {
        // Planned(): activations 3, 3, 16, 40, 24, 1 KiB; tiles 0, 8, 0, 16, 32, 2 KiB, of which conv0's (#1) 2.25 KiB
        // weight tile sits in a weight buffer, stacked above the activation buffers' share; 8,704 B = 8.5 KiB of
        // resident weights on every layer; capacity 48 KiB; conv1 (#3) spills 20 KiB, conv2 (#4) reads it back.
        RunResult run = Planned(residentWeightBytes: 8704);
        Plot plot = MemoryOccupancyChart.Build(run);
        Recipe.Save(plot, "memory");

        Assert.True(MemoryOccupancyChart.Applies(run));
        var series = Recipe.BarSeries(plot);
        Assert.Equal(4, series.Count);
        Assert.Equal([3.0, 3, 16, 40, 24, 1], series[0].Bars.Select(b => b.Value));
        Assert.All(series[0].Bars, b => Assert.Equal(0, b.ValueBase));
        Assert.Equal([3.0, 3, 16, 40, 24, 1], series[1].Bars.Select(b => b.ValueBase));
        Assert.Equal([3.0, 8.75, 16, 56, 56, 3], series[1].Bars.Select(b => b.Value));
        Assert.Equal([3.0, 11, 16, 56, 56, 3], series[2].Bars.Select(b => b.Value));
        Assert.Equal([11.5, 19.5, 24.5, 64.5, 64.5, 11.5], series[3].Bars.Select(b => b.Value));
        Assert.Equal(48, Assert.Single(plot.GetPlottables().OfType<HorizontalLine>()).Y);

        var markers = plot.GetPlottables().OfType<Markers>().ToList();
        Assert.Equal(2, markers.Count);
        Assert.Equal([new Coordinates(3, 64.5)], markers[0].Data.GetScatterPoints());
        Assert.Equal([new Coordinates(4, 64.5)], markers[1].Data.GetScatterPoints());
        Assert.Equal(["spill 20 KiB", "refill 20 KiB"], plot.GetPlottables().OfType<Text>().Select(t => t.LabelText));

        Assert.Equal("On-chip memory occupancy per layer", plot.Axes.Title.Label.Text);
        Assert.Equal("Bytes on chip (KiB)", plot.Axes.Left.Label.Text);
        Assert.Equal("Layer (execution order)", plot.Axes.Bottom.Label.Text);
        Assert.Equal(
            ["resident activations", "tiles in the activation buffers", "weight tiles (weight buffer)", "resident weights", "activation capacity (48 KiB)", "spill (bytes written to DRAM)", "refill (bytes read back)"],
            Recipe.LegendLabels(plot));
    }

    [Fact]
    public void MemoryOccupancy_WithoutSpillsOrRefills_MarksNothing()
    {
        RunResult planned = Planned();
        RunResult run = planned with
        {
            Performance = planned.Performance with { Layers = [.. planned.Performance.Layers.Select(l => l with { Dram = l.Dram with { SpillWriteBytes = 0, RefillReadBytes = 0 } })] },
        };
        Plot plot = MemoryOccupancyChart.Build(run);
        Recipe.Save(plot, "memory_no_spills");

        Assert.Empty(plot.GetPlottables().OfType<Markers>());
        Assert.Empty(plot.GetPlottables().OfType<Text>());
        Assert.Equal(["resident activations", "tiles in the activation buffers", "weight tiles (weight buffer)", "resident weights (none: they stream)", "activation capacity (48 KiB)"], Recipe.LegendLabels(plot));
        Assert.Equal([3.0, 11, 16, 56, 56, 3], Recipe.BarSeries(plot)[2].Bars.Select(b => b.Value));
    }

    [Fact]
    public void MemoryOccupancy_ACapacityFarAboveEveryLayer_LeavesTheAxisToTheBars()
    {
        // 1 MiB of capacity against a fullest layer of 56 KiB (conv1 and conv2): the axis stays in KiB, up to 56 KiB
        // plus the 15 % headroom, and the legend names the capacity.
        RunResult planned = Planned();
        RunResult run = planned with { Performance = planned.Performance with { Plan = planned.Performance.Plan with { ActivationCapacityBytes = 1 << 20 } } };
        Plot plot = MemoryOccupancyChart.Build(run);
        Recipe.Save(plot, "memory_large_capacity");

        Assert.Equal("Bytes on chip (KiB)", plot.Axes.Left.Label.Text);
        Assert.Equal(56 * 1.15, plot.Axes.GetLimits().Top, 9);
        Assert.Equal([3.0, 11, 16, 56, 56, 3], Recipe.BarSeries(plot)[2].Bars.Select(b => b.Value));
        Assert.Contains("activation capacity (1 MiB, above the axis)", Recipe.LegendLabels(plot));
    }

    [Fact]
    public void MemoryOccupancy_WithoutAMemoryPlan_IsNotDrawn() => Assert.False(MemoryOccupancyChart.Applies(Run(Layer("a"))));

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1024, "1 KiB")]
    [InlineData(36864, "36 KiB")]
    [InlineData(1536 * 1024, "1.5 MiB")]
    [InlineData(25165824, "24 MiB")]
    public void MemoryOccupancy_Bytes_UsesBinaryUnits(long bytes, string expected) => Assert.Equal(expected, MemoryOccupancyChart.Bytes(bytes));

    [Fact]
    public void FormatComparison_BarsEnergy_AndMarksAccuracyOnTheRightAxis()
    {
        FormatPoint[] formats = [new("Int8", 12.5, 0.98), new("Fp8E4M3", 10.0, 0.975), new("Fp4E2M1", 6.25, 0.91)];
        Plot plot = FormatComparisonChart.Build(formats);
        Recipe.Save(plot, "formats");

        Assert.Equal([12.5, 10.0, 6.25], Assert.Single(Recipe.BarSeries(plot)).Bars.Select(b => b.Value));
        Scatter accuracy = Assert.Single(plot.GetPlottables().OfType<Scatter>());
        Assert.Equal([98, 97.5, 91], Recipe.Points(accuracy).Select(c => Math.Round(c.Y, 9)));
        Assert.Same(plot.Axes.Right, accuracy.Axes.YAxis);
        Assert.Equal(["energy per inference", "top-1 accuracy"], Recipe.LegendLabels(plot));
    }

    [Fact]
    public void Pareto_RingsExactlyTheNonDominatedPoints_InLatencyOrder()
    {
        var rng = new Random(42);
        SweepPoint[] points = [.. Enumerable.Range(0, 30).Select(i => new SweepPoint($"p{i}", 1e-3 * (1 + rng.NextDouble()), 1e-6 * (1 + rng.NextDouble()), 8 << (i % 4)))];
        Plot plot = ParetoChart.Build(points, "array rows");
        Recipe.Save(plot, "pareto");

        Assert.Equal(points.Length, plot.GetPlottables().OfType<Marker>().Count());
        Coordinates[] front = Recipe.Points(Assert.Single(plot.GetPlottables().OfType<Scatter>()));
        // Law: no plotted point is better than a front point in both coordinates, and the front is sorted by latency
        // with energy falling.
        foreach (Coordinates f in front)
        {
            Assert.DoesNotContain(points, p => p.LatencySeconds * 1e3 < f.X && p.EnergyPerInferenceJoules * 1e6 < f.Y);
        }

        for (int i = 1; i < front.Length; i++)
        {
            Assert.True(front[i].X >= front[i - 1].X && front[i].Y <= front[i - 1].Y);
        }

        Assert.Equal("array rows", Assert.Single(plot.Axes.GetPanels().OfType<ScottPlot.Panels.ColorBar>()).Label);
        Assert.Equal("Latency of one run, whole batch (ms)", plot.Axes.Bottom.Label.Text);
        Assert.Equal(["Pareto front"], Recipe.LegendLabels(plot));
    }

    [Fact]
    public void ParetoFront_KeepsTiesAndDropsDominatedPoints()
    {
        // (latency, energy): (1,5) (2,2) (3,1) trade off; (4,4) is dominated by (2,2); a copy of (2,2) ties and stays.
        SweepPoint[] points = [new("a", 1, 5, 0), new("b", 2, 2, 0), new("c", 3, 1, 0), new("d", 4, 4, 0), new("e", 2, 2, 0)];
        Assert.Equal([0, 1, 2, 4], ParetoFront.Indices(points));
    }

    [Fact]
    public void ParetoFrontOf_SortsByLatencyThenMetricThenIndex_AndLeavesOutNaN()
    {
        (double, double)[] points = [(3, 1), (2, 2), (1, 5), (4, 4), (2, 2), (double.NaN, 0), (1, 6)];
        Assert.Equal([2, 1, 4, 0], ParetoFront.Of(points).ToArray());
    }

    /// <summary>The DRAM series' index among the stacked energy components.</summary>
    private const int Dram = 4;

    /// <summary>Layers a (1 µJ MAC, 2 µJ DRAM) and b (3 µJ MAC, 4 µJ DRAM): 4 µJ MAC and 6 µJ DRAM per run.</summary>
    private static RunResult MacAndDram(int batch)
    {
        var performance = Run(Layer("a"), Layer("b")).Performance with { Batch = batch };
        return Run(performance, Energy(("a", Breakdown([1e-6, 0, 0, 0, 2e-6, 0, 0, 0])), ("b", Breakdown([3e-6, 0, 0, 0, 4e-6, 0, 0, 0]))));
    }

    private static EnergyBreakdown Breakdown(double[] j) => ReportFixtures.Breakdown(j[0], j[1], j[2], j[3], j[4], j[5], j[6], j[7], j.Length > 8 ? j[8] : 0);

    /// <summary>A run with the given thermal trace (NaN max junction: unknown, no line drawn) and step changes.</summary>
    private static RunResult Heated(double[] t, double[] power, double[] junction, double throttleC, double maxJunctionC, DvfsChange[] changes)
    {
        var thermal = new ThermalRunResult
        {
            Status = ThermalRunStatus.Completed,
            EndTimeS = t[^1],
            Samples = [.. t.Select((s, i) => new ThermalSample(s, junction[i], power[i], 0, 1000))],
            ThrottleEvents = [],
            NominalSteadyState = new ThermalSteadyState(true, 90, 0.1, null),
            PeakJunctionC = junction.Max(),
            FinalJunctionC = junction[^1],
            ExceededMaxJunction = false,
            InferencesCompleted = 1,
            AverageInferencesPerSecond = 1,
            SustainedInferencesPerSecond = 1,
            DynamicEnergyJ = 1,
            LeakageEnergyJ = 0,
            AmbientEnergyJ = 1,
            StoredEnergyJ = 0,
        };
        var summary = new ThermalSummary
        {
            DurationS = t[^1],
            AmbientC = 40,
            PeakJunctionC = junction.Max(),
            MaxJunctionC = maxJunctionC,
            ThrottleC = throttleC,
            ExceededMaxJunction = false,
            SustainedInferencesPerSecond = 1,
            ThrottleEvents = [.. changes],
            TimeAtEachStep = [],
        };
        return Run(Run(Layer("a")).Performance, null, thermal, summary);
    }
}
