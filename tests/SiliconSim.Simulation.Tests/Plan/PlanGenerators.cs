using System.Collections.Immutable;
using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Tests.Memory;

namespace SiliconSim.Simulation.Tests.Plan;

/// <summary>
/// The memory side of a generated accelerator: role-split (input, weight, output) or one unified buffer, capacities in
/// bytes, double buffering per buffer, and the plan's policies; the rest of the spec is fixed per case.
/// </summary>
public sealed record MemoryRecipe(
    bool Unified,
    ImmutableArray<long> Capacities,
    ImmutableArray<bool> DoubleBuffered,
    WeightPlacement Weights,
    EpilogueFusion Fusion,
    ExecutionSchedule Schedule,
    int BurstBytes,
    double BandwidthGBps,
    int LatencyNs,
    int Rows,
    int Cols,
    Dataflow Dataflow)
{
    public AcceleratorSpec ToSpec()
    {
        ImmutableArray<BufferSpec> buffers = Unified
            ? [TestSpecs.Buffer("ub", BufferRole.Unified, Capacities[0], DoubleBuffered[0])]
            : [
                TestSpecs.Buffer("ib", BufferRole.Input, Capacities[0], DoubleBuffered[0]),
                TestSpecs.Buffer("wb", BufferRole.Weight, Capacities[1], DoubleBuffered[1]),
                TestSpecs.Buffer("ob", BufferRole.Output, Capacities[2], DoubleBuffered[2]),
            ];
        AcceleratorSpec spec = TestSpecs.Spec(buffers, BandwidthGBps, LatencyNs, BurstBytes, 1000, Rows, Cols, Dataflow);
        return spec with
        {
            Array = spec.Array with { OperandTypes = [DataType.UInt8, DataType.Int8, DataType.Int4, DataType.Float4E2M1] },
            Memory = spec.Memory with { Weights = Weights, Fusion = Fusion, Schedule = Schedule },
        };
    }

    /// <summary>The same memory with every capacity replaced.</summary>
    public MemoryRecipe WithCapacities(Func<long, long> capacity) => this with { Capacities = [.. Capacities.Select(capacity)] };

    public override string ToString()
    {
        string Buf(int i, string name) => string.Create(CultureInfo.InvariantCulture, $"{name} {Capacities[i]} B{(DoubleBuffered[i] ? " db" : string.Empty)}");
        string buffers = Unified ? Buf(0, "unified") : $"{Buf(0, "input")}, {Buf(1, "weight")}, {Buf(2, "output")}";
        return string.Create(CultureInfo.InvariantCulture, $"[{buffers}] weights {Weights}, fusion {Fusion}, schedule {Schedule}, burst {BurstBytes}, {BandwidthGBps} GB/s, {LatencyNs} ns, {Rows}x{Cols} {Dataflow}");
    }
}

/// <summary>A generated network on a generated accelerator memory; <see cref="ToString"/> prints both recipes and every
/// layer with its tensors, so that a counterexample can be rebuilt and read.</summary>
public sealed class NetworkCase(NetworkRecipe network, MemoryRecipe memory)
{
    public NetworkRecipe Network { get; } = network;

    public MemoryRecipe Memory { get; } = memory;

    public ImmutableArray<LayerWork> Layers { get; } = NetworkBuilder.Build(network);

    public AcceleratorSpec Spec { get; } = memory.ToSpec();

    public int Batch => Network.Batch;

    public override string ToString() => $"network {Network}\n  memory {Memory}\n{Describe(Layers)}";

    /// <summary>One line per layer: op, GEMM or element count, and the tensors read and written with their bytes.</summary>
    public static string Describe(ImmutableArray<LayerWork> layers) => string.Join("\n", layers.Select(l =>
    {
        string Use(TensorUse u) => string.Create(CultureInfo.InvariantCulture, $"{u.Name}:{u.Bytes}{u.Origin switch { TensorOrigin.Constant => "c", TensorOrigin.GraphInput => "in", _ => string.Empty }}{(u.IsGraphOutput ? "(out)" : string.Empty)}");
        string what = l switch
        {
            MatrixLayer m when m.Conv is { } c => string.Create(CultureInfo.InvariantCulture, $"{m.Gemm} g{m.Groups} conv in[{string.Join(',', c.InSpatial)}] k[{string.Join(',', c.KernelSpatial)}] s{c.Strides[0]} p{c.PadsBegin[0]} {m.InputType}x{m.WeightType}->{m.OutputType}"),
            MatrixLayer m => string.Create(CultureInfo.InvariantCulture, $"{m.Gemm} g{m.Groups} {m.InputType}x{m.WeightType}->{m.OutputType}"),
            VectorLayer v => string.Create(CultureInfo.InvariantCulture, $"{v.OpClass} {v.Elements} el{(v.MovesData ? string.Empty : " view")}"),
            _ => l.GetType().Name,
        };
        return $"    {l.Name} {what} reads [{string.Join(' ', l.Reads.Select(Use))}] writes [{string.Join(' ', l.Writes.Select(Use))}]";
    }));
}

/// <summary>
/// Generators (and shrinkers) of networks and accelerator memories for the network-plan properties. Networks: a graph
/// input of 1..2 x 1..4 x 1..6 x 1..6 (float or uint8, sometimes a second input) and 1..8 steps; tensors stay under
/// ~2 KiB so that the tile search of every layer is cheap. Memories: each buffer's capacity either log-uniform in
/// 64 B .. 16 KiB (from "everything spills" to "everything fits") or near the size of one or two of the network's tensors
/// (where keeping a tensor decides what else fits), either buffer organisation, double buffering per buffer, both
/// weight placements, every fusion level and schedule.
/// </summary>
public static class PlanGenerators
{
    public static Arbitrary<NetworkCase> NetworkCases() => Arb.From(Cases(), Shrink);

    public static Gen<NetworkCase> Cases() =>
        from network in Networks()
        from memory in Memories(TensorSizes(network))
        select new NetworkCase(network, memory);

    /// <summary>The distinct tensor sizes of a network, for capacities near them (where keeping one tensor decides what else fits).</summary>
    private static long[] TensorSizes(NetworkRecipe network) =>
        [.. NetworkBuilder.Build(network).SelectMany(l => l.Reads.Concat(l.Writes)).Select(u => u.Bytes).Where(b => b > 0).Distinct().Order()];

    public static Gen<NetworkRecipe> Networks() =>
        from batch in Gen.Choose(1, 2)
        from channels in Gen.Choose(1, 4)
        from height in Gen.Choose(1, 6)
        from width in Gen.Choose(1, 6)
        from floatInput in Gen.Elements(true, false, false)
        from second in Gen.Elements(true, false, false, false)
        from extra in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(1, 8)))
        from count in Gen.Choose(1, 8)
        from steps in Gen.ArrayOf(Steps(), count)
        select new NetworkRecipe(batch, channels, height, width, floatInput, second, extra, [.. steps]);

    private static Gen<Step> Steps() =>
        from kind in Gen.Frequency(
            (5, Gen.Constant(StepKind.Conv)),
            (3, Gen.Constant(StepKind.Linear)),
            (2, Gen.Constant(StepKind.MatMul)),
            (3, Gen.Constant(StepKind.Unary)),
            (4, Gen.Constant(StepKind.Add)),
            (2, Gen.Constant(StepKind.Requantize)),
            (2, Gen.Constant(StepKind.Pool)),
            (1, Gen.Constant(StepKind.GlobalPool)),
            (1, Gen.Constant(StepKind.View)),
            (1, Gen.Constant(StepKind.Split)))
        from a in Gen.Frequency((4, Gen.Constant(0)), (2, Gen.Choose(1, 3)))
        from b in Gen.Choose(0, 7)
        from c in Gen.Choose(0, 11)
        from d in Gen.Choose(0, 31)
        select new Step(kind, a, b, c, d);

    public static Gen<MemoryRecipe> Memories(long[] tensorSizes) =>
        from unified in Gen.Elements(true, false)
        from capacities in Gen.ArrayOf(tensorSizes.Length == 0 ? Capacity() : Gen.OneOf(Capacity(), NearTensor(tensorSizes)), 3)
        from db in Gen.ArrayOf(Gen.Elements(true, false), 3)
        from weights in Gen.Elements(WeightPlacement.Stream, WeightPlacement.Resident)
        from fusion in Gen.Elements(EpilogueFusion.None, EpilogueFusion.Elementwise, EpilogueFusion.ElementwiseAndPooling)
        from schedule in Gen.Elements(ExecutionSchedule.LayerByLayer, ExecutionSchedule.DepthFirst)
        from burst in Gen.Elements(1, 8, 32, 64)
        from bandwidth in Gen.Elements(0.5, 2.0, 16.0)
        from latency in Gen.Elements(0, 20, 100)
        from rows in Gen.Choose(2, 8)
        from cols in Gen.Choose(2, 8)
        from dataflow in Gen.Elements(Dataflow.OutputStationary, Dataflow.WeightStationary, Dataflow.InputStationary)
        select new MemoryRecipe(unified, [.. capacities], [.. db], weights, fusion, schedule, burst, bandwidth, latency, rows, cols, dataflow);

    // One tensor (or two together) times 1/2..4, or plus 0..64 B (the tensor stays and the tiles get the rest); >= 16 B.
    private static Gen<long> NearTensor(long[] sizes) =>
        from a in Gen.Elements(sizes)
        from b in Gen.Frequency((2, Gen.Constant(0L)), (1, Gen.Elements(sizes)))
        from eighths in Gen.Choose(4, 32)
        from slack in Gen.Choose(0, 64)
        from scaled in Gen.Elements(true, false)
        select Math.Max(16, scaled ? (a + b) * eighths / 8 : a + b + slack);

    // Log-uniform from 64 B to 16 KiB, not only powers of two.
    private static Gen<long> Capacity() =>
        from exponent in Gen.Choose(6, 14)
        from jitter in Gen.Choose(0, 1023)
        select (1L << exponent) + (jitter * (1L << exponent) / 1024);

    /// <summary>Smaller cases first: fewer steps, simpler steps and inputs, simpler memories, smaller capacities.</summary>
    public static IEnumerable<NetworkCase> Shrink(NetworkCase c)
    {
        foreach (NetworkRecipe n in ShrinkNetwork(c.Network))
        {
            yield return new NetworkCase(n, c.Memory);
        }

        foreach (MemoryRecipe m in ShrinkMemory(c.Memory))
        {
            yield return new NetworkCase(c.Network, m);
        }
    }

    private static IEnumerable<NetworkRecipe> ShrinkNetwork(NetworkRecipe n)
    {
        for (int i = n.Steps.Length - 1; i >= 0; i--)
        {
            yield return n with { Steps = n.Steps.RemoveAt(i) };
        }

        if (n.SecondInput)
        {
            yield return n with { SecondInput = false };
        }

        if (n.FloatInput)
        {
            yield return n with { FloatInput = false };
        }

        if (n.ExtraOutput > 0)
        {
            yield return n with { ExtraOutput = 0 };
        }

        foreach (int b in Smaller(n.Batch, 1))
        {
            yield return n with { Batch = b };
        }

        foreach (int v in Smaller(n.Channels, 1))
        {
            yield return n with { Channels = v };
        }

        foreach (int v in Smaller(n.Height, 1))
        {
            yield return n with { Height = v };
        }

        foreach (int v in Smaller(n.Width, 1))
        {
            yield return n with { Width = v };
        }

        for (int i = 0; i < n.Steps.Length; i++)
        {
            Step s = n.Steps[i];
            foreach (Step smaller in Smaller(s.A, 0).Select(v => s with { A = v })
                .Concat(Smaller(s.B, 0).Select(v => s with { B = v }))
                .Concat(Smaller(s.C, 0).Select(v => s with { C = v }))
                .Concat(Smaller(s.D, 0).Select(v => s with { D = v })))
            {
                yield return n with { Steps = n.Steps.SetItem(i, smaller) };
            }
        }
    }

    private static IEnumerable<MemoryRecipe> ShrinkMemory(MemoryRecipe m)
    {
        if (m.Schedule != ExecutionSchedule.LayerByLayer)
        {
            yield return m with { Schedule = ExecutionSchedule.LayerByLayer };
        }

        if (m.Fusion != EpilogueFusion.None)
        {
            yield return m with { Fusion = EpilogueFusion.None };
        }

        if (m.Weights != WeightPlacement.Stream)
        {
            yield return m with { Weights = WeightPlacement.Stream };
        }

        int used = m.Unified ? 1 : 3;
        for (int i = 0; i < used; i++)
        {
            if (m.DoubleBuffered[i])
            {
                yield return m with { DoubleBuffered = m.DoubleBuffered.SetItem(i, false) };
            }
        }

        if (m.BurstBytes != 1)
        {
            yield return m with { BurstBytes = 1 };
        }

        if (m.LatencyNs != 0)
        {
            yield return m with { LatencyNs = 0 };
        }

        if (m.Dataflow != Dataflow.OutputStationary)
        {
            yield return m with { Dataflow = Dataflow.OutputStationary };
        }

        if ((m.Rows, m.Cols) != (2, 2))
        {
            yield return m with { Rows = 2, Cols = 2 };
        }

        for (int i = 0; i < used; i++)
        {
            long cap = m.Capacities[i];
            long pow2 = 1L << (int)(63 - long.LeadingZeroCount(cap));
            foreach (long smaller in new[] { pow2 == cap ? cap / 2 : pow2, cap - 16, cap - 1 }.Where(v => v >= 16 && v < cap).Distinct())
            {
                yield return m with { Capacities = m.Capacities.SetItem(i, smaller) };
            }
        }
    }

    private static IEnumerable<int> Smaller(int value, int least)
    {
        if (value > least)
        {
            yield return least;
        }

        if (value - 1 > least)
        {
            yield return value - 1;
        }
    }
}
