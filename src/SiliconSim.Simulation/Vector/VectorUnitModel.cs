using System.Collections.Immutable;
using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Memory;

namespace SiliconSim.Simulation.Vector;

/// <summary>
/// Timing and traffic of a layer on the vector unit (docs/memory-model.md, "Vector unit"). Deliberately simple:
/// compute is ceil(elements / lanes) x cycles per element of the op class; the operands stay in SRAM when they fit,
/// otherwise they stream through DRAM overlapped with compute.
/// </summary>
public static class VectorUnitModel
{
    // Ops that only relabel a tensor's shape: no element is moved, so they cost neither cycles nor traffic.
    /// <summary>
    /// Evaluates <paramref name="layer"/>. Compute: ceil(ceil(Elements / Lanes) x CyclesPerElement[OpClass]) cycles,
    /// zero for <see cref="VectorOpClass.DataMovement"/>. Fit: inputs go to the input buffer (or the unified one),
    /// outputs to the output buffer (or the unified one); they fit when the bytes assigned to each buffer are at most
    /// its whole capacity. Then DRAM traffic is zero and total = compute. Otherwise inputs are read from and outputs
    /// written to DRAM as one stream each (burst-rounded), overlapped with compute behind one exposed latency:
    /// total = ceil(latency + max(compute, DRAM bytes / bandwidth)). Views and metadata
    /// (<see cref="VectorLayer.MovesData"/> false: Reshape, Shape, ...) cost nothing at all.
    /// </summary>
    /// <exception cref="ArgumentException">the vector unit has no cost for the layer's op class.</exception>
    public static VectorLayerResult Evaluate(VectorLayer layer, AcceleratorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(spec);
        ImmutableArray<BufferSpec> buffers = spec.Memory.Buffers;
        BufferSpec? unified = buffers.FirstOrDefault(b => b.Role == BufferRole.Unified);
        BufferSpec? input = buffers.FirstOrDefault(b => b.Role == BufferRole.Input) ?? unified;
        BufferSpec? output = buffers.FirstOrDefault(b => b.Role == BufferRole.Output) ?? unified;
        bool fits = input is not null && output is not null && (ReferenceEquals(input, output)
            ? layer.InputBytes + layer.OutputBytes <= input.CapacityBytes
            : layer.InputBytes <= input.CapacityBytes && layer.OutputBytes <= output.CapacityBytes);
        return fits ? Evaluate(layer, spec, 0, 0) : Evaluate(layer, spec, layer.InputBytes, layer.OutputBytes);
    }

    /// <summary>
    /// Evaluates <paramref name="layer"/> inside a network memory plan, which decides how many of its input bytes stream
    /// in from DRAM (<paramref name="dramReadBytes"/>: spilled tensors, graph inputs, constants) and how many output bytes
    /// leave for it (<paramref name="dramWriteBytes"/>: spills and graph outputs); everything else is on chip. With no
    /// DRAM bytes, total = compute; otherwise each stream is burst-rounded and overlaps compute behind one exposed
    /// latency: total = ceil(latency + max(compute, DRAM bytes / bandwidth)).
    /// </summary>
    public static VectorLayerResult Evaluate(VectorLayer layer, AcceleratorSpec spec, long dramReadBytes, long dramWriteBytes)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(spec);
        if (!layer.MovesData)
        {
            return new VectorLayerResult { LayerName = layer.Name, ComputeCycles = 0, TotalCycles = 0, FitsOnChip = true, Dram = DramCounters.Zero, Buffers = [] };
        }

        long compute = 0;
        if (layer.OpClass != VectorOpClass.DataMovement)
        {
            if (!spec.VectorUnit.CyclesPerElement.TryGetValue(layer.OpClass, out double perElement))
            {
                throw new ArgumentException($"layer '{layer.Name}': the vector unit has no cycles per element for {layer.OpClass}");
            }

            long steps = LayerGeometry.CeilDiv(layer.Elements, Math.Max(spec.VectorUnit.Lanes, 1));
            compute = (long)Math.Ceiling(steps * perElement);
        }

        ImmutableArray<BufferSpec> allBuffers = spec.Memory.Buffers;
        BufferSpec? unifiedBuffer = allBuffers.FirstOrDefault(b => b.Role == BufferRole.Unified);
        BufferSpec? inputBuffer = allBuffers.FirstOrDefault(b => b.Role == BufferRole.Input) ?? unifiedBuffer;
        BufferSpec? outputBuffer = allBuffers.FirstOrDefault(b => b.Role == BufferRole.Output) ?? unifiedBuffer;
        bool fits = dramReadBytes == 0 && dramWriteBytes == 0;

        var counters = new Dictionary<BufferSpec, long[]>(ReferenceEqualityComparer.Instance);
        void Sram(BufferSpec? b, long read, long write)
        {
            if (b is null)
            {
                return;
            }

            if (!counters.TryGetValue(b, out long[]? c))
            {
                c = new long[4];
                counters[b] = c;
            }

            c[0] += read;
            c[1] += write;
            c[2] += LayerGeometry.CeilDiv(read, b.WordBytes);
            c[3] += LayerGeometry.CeilDiv(write, b.WordBytes);
        }

        // The unit reads its operands from SRAM and writes its results there; streaming adds the DRAM fill and drain.
        Sram(inputBuffer, layer.InputBytes, Math.Min(dramReadBytes, layer.InputBytes));
        Sram(outputBuffer, Math.Min(dramWriteBytes, layer.OutputBytes), layer.OutputBytes);
        var bufferCounters = allBuffers.Where(counters.ContainsKey).Select(b => new BufferCounters
        {
            Name = b.Name,
            Role = b.Role,
            Operands = ReferenceEquals(inputBuffer, outputBuffer) ? [OperandKind.Input, OperandKind.Output] : ReferenceEquals(b, inputBuffer) ? [OperandKind.Input] : [OperandKind.Output],
            ReadBytes = counters[b][0],
            WriteBytes = counters[b][1],
            ReadAccesses = counters[b][2],
            WriteAccesses = counters[b][3],
        }).ToImmutableArray();

        if (fits)
        {
            return new VectorLayerResult { LayerName = layer.Name, ComputeCycles = compute, TotalCycles = compute, FitsOnChip = true, Dram = DramCounters.Zero, Buffers = bufferCounters };
        }

        DramSpec dram = spec.Memory.Dram;
        var traffic = new DramCounters
        {
            InputReadBytes = TileSearch.Burst(dramReadBytes, dram.BurstBytes),
            OutputWriteBytes = TileSearch.Burst(dramWriteBytes, dram.BurstBytes),
        };
        double bytesPerCycle = dram.BandwidthGBps * 1000.0 / spec.ClockMhz;
        double latency = dram.LatencyNs * spec.ClockMhz / 1000.0;
        long total = (long)Math.Ceiling(latency + Math.Max(compute, traffic.TotalBytes / bytesPerCycle));
        return new VectorLayerResult { LayerName = layer.Name, ComputeCycles = compute, TotalCycles = total, FitsOnChip = false, Dram = traffic, Buffers = bufferCounters };
    }
}
