using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Simulation.Layers;

namespace SiliconSim.Simulation.Tests.Memory;

/// <summary>A generated matrix layer on a generated accelerator (small: the search and the tile walk stay cheap).</summary>
public sealed record MemoryCase(MatrixLayer Layer, AcceleratorSpec Spec)
{
    public override string ToString()
    {
        string layer = Layer.Conv is { } c
            ? $"conv N{c.Batch} C{c.InChannels} M{c.OutChannels} g{c.Group} in[{string.Join(',', c.InSpatial)}] k[{string.Join(',', c.KernelSpatial)}] s[{string.Join(',', c.Strides)}] d[{string.Join(',', c.Dilations)}] p[{string.Join(',', c.PadsBegin)}|{string.Join(',', c.PadsEnd)}]"
            : $"gemm {Layer.Gemm} x{Layer.Groups}";
        string buffers = string.Join(", ", Spec.Memory.Buffers.Select(b => $"{b.Name}:{b.Role} {b.CapacityBytes}B{(b.DoubleBuffered ? " db" : "")} {b.BytesPerCycle}x{b.Ports}/w{b.WordBytes}"));
        DramSpec d = Spec.Memory.Dram;
        return $"{layer} {Layer.InputType}x{Layer.WeightType}->{Layer.OutputType} | {Spec.Array.Rows}x{Spec.Array.Cols} {Spec.Array.Dataflow} acc{Spec.Array.Numerics.AccumulatorBits} | {buffers} | dram {d.BandwidthGBps} GB/s {d.LatencyNs} ns burst {d.BurstBytes} @ {Spec.ClockMhz} MHz";
    }
}

/// <summary>Generators for the memory-model properties.</summary>
public static class MemoryGenerators
{
    public static Arbitrary<MemoryCase> MemoryCases() => Arb.From(
        from layer in Gen.OneOf(GemmLayers(), ConvLayers(), SkinnyGemmLayers())
        from spec in Specs(4, 4096)
        select new MemoryCase(layer, spec));

    public static Gen<MatrixLayer> GemmLayers() =>
        from groups in Gen.Choose(1, 3)
        from m in Gen.Choose(1, 24)
        from n in Gen.Choose(1, 12)
        from k in Gen.Choose(1, 48)
        from types in Types()
        select TestSpecs.Gemm(m, n, k, groups, types.Input, types.Weight, types.Output);

    /// <summary>Few rows, many columns, long K: with a small output buffer, spilling partial sums beats re-reading inputs.</summary>
    public static Gen<MatrixLayer> SkinnyGemmLayers() =>
        from m in Gen.Choose(1, 8)
        from n in Gen.Choose(8, 32)
        from k in Gen.Choose(16, 64)
        from types in Types()
        select TestSpecs.Gemm(m, n, k, 1, types.Input, types.Weight, types.Output);

    public static Gen<MatrixLayer> ConvLayers() =>
        from rank in Gen.Choose(1, 2)
        from batch in Gen.Choose(1, 2)
        from grp in Gen.Choose(1, 2)
        from cg in Gen.Choose(1, 3)
        from mg in Gen.Choose(1, 3)
        from dims in Gen.ArrayOf(Gen.Choose(1, 6), rank)
        from kernel in Gen.ArrayOf(Gen.Choose(1, 3), rank)
        from strides in Gen.ArrayOf(Gen.Choose(1, 2), rank)
        from dilations in Gen.ArrayOf(Gen.Choose(1, 2), rank)
        from pads in Gen.ArrayOf(Gen.Choose(0, 1), 2 * rank)
        from types in Types()
        let inShape = new[] { batch, grp * cg }.Concat(dims.Select((d, i) => Math.Max(d, ((kernel[i] - 1) * dilations[i]) + 1))).ToArray()
        let conv = ConvGeometry.Resolve(inShape, grp * mg, kernel, [.. strides.Select(v => (long)v)], [.. dilations.Select(v => (long)v)], [.. pads.Select(v => (long)v)], "NOTSET", grp)
        select TestSpecs.Conv(conv, types.Input, types.Weight, types.Output);

    /// <summary>Specs whose buffers hold between <paramref name="minCapacity"/> and <paramref name="maxCapacity"/> bytes.</summary>
    public static Gen<AcceleratorSpec> Specs(int minCapacity, int maxCapacity) =>
        from unified in Gen.Elements(true, false)
        from buffers in Gen.ArrayOf(BufferGen(minCapacity, maxCapacity), 3)
        from bandwidth in Gen.Elements(0.25, 0.5, 1.0, 3.0, 8.0)
        from latency in Gen.Choose(0, 100)
        from burst in Gen.Elements(1, 8, 32, 64)
        from clock in Gen.Elements(200.0, 700.0, 1000.0)
        from rows in Gen.Choose(2, 8)
        from cols in Gen.Choose(2, 8)
        from dataflow in Gen.Elements(Dataflow.OutputStationary, Dataflow.WeightStationary, Dataflow.InputStationary)
        from acc in Gen.Elements(16, 24, 32)
        let named = unified
            ? ImmutableArray.Create(buffers[0] with { Name = "ub", Role = BufferRole.Unified, CapacityBytes = buffers[0].CapacityBytes * 3 })
            : ImmutableArray.Create(buffers[0] with { Name = "ib", Role = BufferRole.Input }, buffers[1] with { Name = "wb", Role = BufferRole.Weight }, buffers[2] with { Name = "ob", Role = BufferRole.Output })
        select TestSpecs.Spec(named, bandwidth, latency, burst, clock, rows, cols, dataflow, acc);

    // Capacities are log-uniform: tiny buffers force K tiling and spills, large ones hold whole layers.
    private static Gen<BufferSpec> BufferGen(int minCapacity, int maxCapacity) =>
        from exponent in Gen.Choose(0, 12)
        from jitter in Gen.Choose(0, 1 << 12)
        let capacity = Math.Clamp((1 << exponent) + (jitter % (1 << exponent)), minCapacity, maxCapacity)
        from db in Gen.Elements(true, false)
        from bytesPerCycle in Gen.Elements(1, 4, 16, 64)
        from ports in Gen.Choose(1, 2)
        from word in Gen.Elements(1, 2, 4, 8)
        select TestSpecs.Buffer("b", BufferRole.Unified, capacity, db, bytesPerCycle, ports, word);

    private static Gen<(DataType Input, DataType Weight, DataType Output)> Types() =>
        from input in Gen.Elements(DataType.UInt8, DataType.Int8, DataType.Int4)
        from weight in Gen.Elements(DataType.Int8, DataType.Int4)
        from output in Gen.Elements(DataType.UInt8, DataType.Int8, DataType.Int32)
        select (input, weight, output);
}
