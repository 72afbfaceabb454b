using System.Collections.Immutable;
using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Results;
using SiliconSim.Simulation.Vector;

namespace SiliconSim.Simulation.Memory;

/// <summary>
/// The network memory plan (docs/memory-model.md, "The network plan"): walks the layers in execution order, keeps every
/// activation in the activation buffers while it fits beside the running layer's tiles, spills under pressure the
/// tensor read again furthest in the future (Belady's rule), streams weights (or keeps them resident), and hands each
/// layer's tiler the operands already on chip and the space left. Graph inputs come from DRAM, graph outputs go to it.
/// </summary>
internal sealed class NetworkMemoryPlanner
{
    private readonly AcceleratorSpec _spec;
    private readonly ImmutableArray<LayerWork> _layers;
    private readonly Func<MatrixLayer, OperandPlacement, MatrixLayerResult> _matrix;
    private readonly TensorLifetimes _lifetimes;
    private readonly int _burst;

    // Activation tensors on chip now, by name, with their bytes; and those with a copy in DRAM (graph inputs, graph
    // outputs written, spills), which are free to drop and must be read back from there when not on chip.
    private readonly Dictionary<string, long> _resident = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inDram = new(StringComparer.Ordinal);
    private readonly HashSet<string> _spilled = new(StringComparer.Ordinal);

    // Layer index -> the matrix layer whose epilogue runs it; and the tensors that only pass through an epilogue.
    private readonly Dictionary<int, int> _fusedInto = [];
    private readonly HashSet<string> _epilogueTensors = new(StringComparer.Ordinal);
    private readonly Dictionary<int, long> _totalCycles = [];

    // Matrix layer index -> the cycles of its run its epilogue chain has not yet filled (see Vector).
    private readonly Dictionary<int, long> _epilogueSlack = [];

    // Depth first: the tensors carried between the layers of a stack in line buffers (name -> line-buffer bytes), and
    // each stack layer's stack (the weight bytes of the other layers of its stack, held while it runs).
    private readonly Dictionary<string, long> _lineBuffered = new(StringComparer.Ordinal);
    private readonly Dictionary<int, long> _stackWeights = [];
    private readonly Dictionary<int, long> _bandRows = [];
    private readonly Dictionary<int, string> _chainOutput = [];

    // Re-planning (see WastedKeeps): outputs kept at their producer and not yet read on chip, and those spilled unread.
    private readonly IReadOnlySet<string> _writeThrough;
    private readonly HashSet<string> _keptUnread = new(StringComparer.Ordinal);
    private readonly HashSet<string> _wastedKeeps = new(StringComparer.Ordinal);

    /// <param name="writeThrough">Tensors whose producer writes them to DRAM instead of keeping them on chip (a previous
    /// plan's <see cref="WastedKeeps"/>).</param>
    /// <param name="depthFirst">Whether to form depth-first stacks (the spec's schedule asks; the caller may plan without them to compare).</param>
    public NetworkMemoryPlanner(AcceleratorSpec spec, ImmutableArray<LayerWork> layers, Func<MatrixLayer, OperandPlacement, MatrixLayerResult> matrix, IReadOnlySet<string>? writeThrough = null, bool? depthFirst = null)
    {
        _writeThrough = writeThrough ?? new HashSet<string>(StringComparer.Ordinal);
        _spec = spec;
        _layers = layers;
        _matrix = matrix;
        _lifetimes = new TensorLifetimes(layers);
        _burst = spec.Memory.Dram.BurstBytes;
        ConstantBytes = layers.SelectMany(l => l.Reads).Where(r => r.Origin == TensorOrigin.Constant)
            .DistinctBy(r => r.Name).Sum(r => r.Bytes);
        WeightCapacityBytes = WeightHome(spec.Memory.Buffers).Sum(b => b.CapacityBytes);
        WeightsResident = spec.Memory.Weights == WeightPlacement.Resident && ConstantBytes <= WeightCapacityBytes / 2;
        _inDram.UnionWith(layers.SelectMany(l => l.Reads).Where(r => r.Origin == TensorOrigin.GraphInput).Select(r => r.Name));
        FindEpilogues();
        _epilogueTensors.UnionWith(layers.SelectMany(l => l.Writes).Where(w => w.Transient).Select(w => w.Name));
        if (depthFirst ?? spec.Memory.Schedule == ExecutionSchedule.DepthFirst)
        {
            FindStacks();
        }
    }

    /// <summary>
    /// Outputs their producer kept on chip that left for DRAM before any reader read them there: the keep bought nothing
    /// and cost the producer tile space. Known once <see cref="Run"/> has finished.
    /// </summary>
    public IReadOnlySet<string> WastedKeeps => _wastedKeeps;

    /// <summary>How many depth-first stacks of two or more layers the plan formed.</summary>
    public int StackCount { get; private set; }

    /// <summary>Bytes of every distinct constant the layers read.</summary>
    public long ConstantBytes { get; }

    /// <summary>The buffers weights may stay in: the weight buffers, else the unified one.</summary>
    public long WeightCapacityBytes { get; }

    /// <summary>
    /// Whether weights stay on chip: asked for, and all of them fit in half the weight buffers (the other half is left to
    /// the tiles, so that keeping weights never makes a layer untileable).
    /// </summary>
    public bool WeightsResident { get; }

    /// <summary>The capacity of the activation buffers: every buffer not dedicated to weights.</summary>
    public long ActivationCapacityBytes => _spec.Memory.Buffers.Where(b => b.Role != BufferRole.Weight).Sum(b => b.CapacityBytes);

    /// <summary>Plans and evaluates every layer; a layer that cannot be tiled yields its reason instead of a result.</summary>
    public IEnumerable<PlannedLayer> Run()
    {
        for (int i = 0; i < _layers.Length; i++)
        {
            PlannedLayer planned = _layers[i] switch
            {
                MatrixLayer m => Matrix(i, m),
                VectorLayer v => Vector(i, v),
                _ => throw new ArgumentException($"unknown layer kind {_layers[i].GetType().Name}"),
            };
            Release(i);
            yield return planned;
        }
    }

    private static IEnumerable<BufferSpec> WeightHome(ImmutableArray<BufferSpec> buffers)
    {
        var weight = buffers.Where(b => b.Role == BufferRole.Weight).ToList();
        return weight.Count > 0 ? weight : buffers.Where(b => b.Role == BufferRole.Unified).Take(1);
    }

    private bool Planned(LayerWork layer) => !layer.Writes.IsEmpty || !layer.Reads.IsEmpty;

    /// <summary>
    /// A vector layer runs in the epilogue of the matrix layer before it when fusion allows its op class, it moves data,
    /// and it reads that layer's output (or the output of an op already fused there) as the tensor's only reader.
    /// </summary>
    private void FindEpilogues()
    {
        EpilogueFusion fusion = _spec.Memory.Fusion;
        if (fusion == EpilogueFusion.None)
        {
            return;
        }

        int producer = -1;
        string? last = null;
        for (int i = 0; i < _layers.Length; i++)
        {
            LayerWork layer = _layers[i];
            if (layer is MatrixLayer m && m.Writes.Length == 1)
            {
                (producer, last) = (i, m.Writes[0].Name);
                _chainOutput[i] = last;
                continue;
            }

            if (layer is VectorLayer { MovesData: false })
            {
                continue; // a view between them changes no storage
            }

            if (layer is VectorLayer v && producer >= 0 && last is not null && v.Writes.Length == 1 && Fusible(v.OpClass, fusion)
                && v.Reads.Any(r => r.Name == last && !r.IsGraphOutput) && _lifetimes.Readers(last) == 1)
            {
                _fusedInto[i] = producer;
                _epilogueTensors.Add(last);
                last = v.Writes[0].Name;
                _chainOutput[producer] = last;
                continue;
            }

            (producer, last) = (-1, null);
        }
    }

    /// <summary>
    /// Depth first (DeFiNES, HPCA 2023): consecutive convolutions where each one's output (after its epilogue) is read
    /// only by the next form a stack, as long as the stack's weights fit in half the weight buffers (they stay on chip
    /// while bands of rows pass through). Between two stacked layers the tensor lives in a line buffer of the rows the
    /// next window needs, (kernel - 1) x dilation + stride rows, instead of whole.
    /// </summary>
    private void FindStacks()
    {
        var stack = new List<int>();
        long stackWeights = 0;
        void Close()
        {
            if (stack.Count > 1)
            {
                StackCount++;
                foreach (int member in stack)
                {
                    _stackWeights[member] = stackWeights - ((MatrixLayer)_layers[member]).WeightBytes;
                }
            }
            else
            {
                foreach (int member in stack)
                {
                    _stackWeights.Remove(member);
                }
            }

            stack.Clear();
            stackWeights = 0;
        }

        int previous = -1;
        for (int i = 0; i < _layers.Length; i++)
        {
            if (_layers[i] is not MatrixLayer { Conv: { SpatialRank: > 0 } conv, WeightIsConstant: true } m)
            {
                continue;
            }

            bool links = previous >= 0 && _chainOutput.TryGetValue(previous, out string? carried) && m.InputTensor == carried
                && _lifetimes.Readers(carried) == 1 && !_layers[previous].Writes.Any(w => w.IsGraphOutput)
                && stackWeights + m.WeightBytes <= WeightCapacityBytes / 2
                && Enumerable.Range(previous + 1, i - previous - 1).All(j => _fusedInto.ContainsKey(j) || _layers[j] is VectorLayer { MovesData: false });
            if (links)
            {
                string tensor = _chainOutput[previous];
                long bytes = m.Reads.First(r => r.Name == tensor).Bytes;
                long height = conv.InSpatial[0];
                long rows = Math.Min(height, ((conv.KernelSpatial[0] - 1L) * conv.Dilations[0]) + (BandRows(conv) * conv.Strides[0]));
                // Bands pass through the stack one image at a time: the line buffer holds rows of one image.
                _lineBuffered[tensor] = LayerGeometry.CeilDiv(bytes * rows, height * conv.Batch);
            }
            else
            {
                Close();
            }

            stack.Add(i);
            stackWeights += m.WeightBytes;
            _bandRows[i] = BandRows(conv);
            previous = i;
        }

        Close();
    }

    /// <summary>
    /// Output rows per band: enough that a band's GEMM rows (band rows x output width, of one image) are at least twice
    /// the array's rows + columns, so the array's fill and drain per band stay small beside its streaming.
    /// </summary>
    private long BandRows(global::SiliconSim.Numerics.Kernels.ConvGeometry conv)
    {
        long width = conv.OutSpatial.Skip(1).Aggregate(1L, (a, b) => a * b);
        long wanted = LayerGeometry.CeilDiv(2L * (_spec.Array.Rows + _spec.Array.Cols), Math.Max(width, 1));
        return Math.Clamp(wanted, 1, conv.OutSpatial[0]);
    }

    private static bool Fusible(VectorOpClass opClass, EpilogueFusion fusion) => opClass switch
    {
        VectorOpClass.Elementwise or VectorOpClass.Quantize => true,
        VectorOpClass.Pooling => fusion == EpilogueFusion.ElementwiseAndPooling,
        _ => false,
    };

    private PlannedLayer Matrix(int i, MatrixLayer layer)
    {
        if (!Planned(layer))
        {
            MatrixLayerResult alone = _matrix(layer, OperandPlacement.Alone);
            return new PlannedLayer(layer, alone, null, alone.Dram.ByCauseAlone(), Occupancy(alone, OperandPlacement.Alone, []), 0);
        }

        var kept = layer.Writes.Where(o => Keeps(o, i)).Select(Stored).Concat(Admitted(i, layer)).ToList();
        var spilledHere = new List<string>();
        long spillWrite = 0;
        while (true)
        {
            OperandPlacement placement = Placement(i, layer, kept);
            MatrixLayerResult result = _matrix(layer, placement);
            bool feasible = result.Status == MappingStatus.Feasible;
            if (!feasible && _stackWeights.Remove(i))
            {
                continue; // the stack's held weights or the band leave no tiling: run this layer whole before spilling
            }

            string? victim = Victim(i, kept);

            if (victim is null && !feasible)
            {
                // Last resort: the layer's own resident inputs leave too, and its tiles stream them back.
                string? own = _resident.Keys.Where(n => layer.Reads.Any(r => r.Name == n)).OrderBy(n => n, StringComparer.Ordinal).FirstOrDefault();
                if (own is null)
                {
                    // Nothing left to spill: the layer cannot be tiled beside what must stay (resident weights, a
                    // stack's held weights); its infeasible mapping says why.
                    return new PlannedLayer(layer, result, null, DramTraffic.Zero, LayerOccupancy.None, 0);
                }

                // The outputs given up for room may fit again beside the tiles once the input has left.
                spillWrite += Evict(own, kept);
                spilledHere.Add(own);
                foreach (TensorUse output in layer.Writes.Where(o => Keeps(o, i) && !IsKept(kept, o)).Select(Stored))
                {
                    kept.Add(output);
                    spilledHere.Remove(output.Name);
                }

                continue;
            }

            if (victim is null || (feasible && !WorthSpilling(i, layer, kept, victim, result)))
            {
                if (feasible && layer.InputTensor is string input && InputWorthSpilling(i, layer, input, kept, result))
                {
                    spillWrite += Evict(input, kept);
                    spilledHere.Add(input);
                    continue;
                }

                (result, placement, long stagedWrite) = Stage(i, layer, kept, result, placement, spillWrite);
                return Finish(i, layer, result, placement, kept, spilledHere, spillWrite, stagedWrite);
            }

            spillWrite += Evict(victim, kept);
            spilledHere.Add(victim);
        }
    }

    /// <summary>
    /// Whether spilling <paramref name="victim"/> pays for itself at this layer: the tiler, given the victim's space,
    /// saves more DRAM bytes than the spill costs (its write now unless it has a DRAM copy or the tiles write it, plus
    /// what its later readers read back). Checked only when the
    /// layer moves more than each of its off-chip operands once, the least any tiling can move.
    /// </summary>
    private bool WorthSpilling(int i, MatrixLayer layer, List<TensorUse> kept, string victim, MatrixLayerResult withVictim)
    {
        long floor = 0;
        foreach (TensorUse read in layer.Reads)
        {
            if (!OnChip(read))
            {
                floor += Burst(read.Bytes);
            }
        }

        floor += layer.Writes.Where(o => !IsKept(kept, o) || o.IsGraphOutput).Sum(o => Burst(o.Bytes));
        if (withVictim.Dram.TotalBytes <= floor)
        {
            return false;
        }

        var without = kept.Where(k => k.Name != victim).ToList();
        long reserved = Reserved(kept) - (_resident.TryGetValue(victim, out long b) ? b : kept.First(k => k.Name == victim).Bytes);
        MatrixLayerResult alternative = _matrix(layer, Placement(i, layer, without) with { ReservedActivationBytes = reserved });
        if (alternative.Status != MappingStatus.Feasible)
        {
            return false;
        }

        // A kept tensor leaves with no write of its own: this layer's output is written by the alternative's tiles (its
        // traffic counts it), an admitted input already has its DRAM copy.
        bool keptHere = kept.Any(k => k.Name == victim);
        long bytes = _resident.TryGetValue(victim, out long r) ? r : kept.First(k => k.Name == victim).Bytes;
        long cost = (keptHere || _inDram.Contains(victim) ? 0 : Burst(bytes)) + RefillBytes(victim, bytes, i);
        return withVictim.Dram.TotalBytes - alternative.Dram.TotalBytes > cost;
    }

    /// <summary>
    /// Staging: an input the tiles would fetch from DRAM is loaded whole into the activation buffers first, and outputs
    /// bound for DRAM are left there by the tiles and written once, whole, at the end. Staged tensors are held once
    /// (not double buffered) and cost their bytes once, so staging pays where the tiles would fetch an input more than
    /// once (halos, the bands of a depth-first stack, loop-order refetches), write outputs in burst-rounded pieces, or
    /// cannot fit one pass of the other operands beside double-buffered tiles. Asked only when the layer moves at least
    /// each off-chip operand once; of the feasible combinations the one moving the fewest bytes wins, on equal bytes the
    /// one taking the fewest cycles (ties: the least staging), so a larger buffer cannot turn staging off and lose time. A staged input joins <paramref name="kept"/>; the returned bytes are the staged outputs' final write.
    /// </summary>
    private (MatrixLayerResult Result, OperandPlacement Placement, long OutputWriteBytes) Stage(int i, MatrixLayer layer, List<TensorUse> kept, MatrixLayerResult result, OperandPlacement placement, long spillWrite)
    {
        if (result.Status != MappingStatus.Feasible)
        {
            return (result, placement, 0);
        }

        TensorUse? input = !placement.InputOnChip && layer.Reads.FirstOrDefault(r => r.Name == layer.InputTensor) is { Name: not null } x
            && x.Origin != TensorOrigin.Constant && !_lineBuffered.ContainsKey(x.Name) ? x : null;
        var leaving = placement.OutputToDram
            ? layer.Writes.Where(o => o.IsGraphOutput || (!IsKept(kept, o) && !_epilogueTensors.Contains(o.Name) && _lifetimes.UsesAfter(o.Name, i) > 0)).ToList()
            : [];
        long inputWhole = input is { } ix ? Burst(ix.Bytes) : 0;
        long outputWhole = leaving.Sum(o => Burst(o.Bytes));
        long weightOnce = placement.WeightOnChip ? 0 : layer.Reads.Where(r => r.Name == layer.WeightTensor).Sum(r => Burst(r.Bytes));
        if ((input is null && leaving.Count == 0) || result.Dram.TotalBytes < inputWhole + outputWhole + weightOnce)
        {
            return (result, placement, 0);
        }

        // Cycles as Finish will charge them: the tiles, then the whole-tensor transfers beside them in one DMA.
        long beside = spillWrite + layer.Reads.Where(r => r.Name != layer.InputTensor && r.Name != layer.WeightTensor && !OnChip(r)).Sum(r => Burst(r.Bytes))
            + (layer.Reads.FirstOrDefault(r => r.Name == layer.InputTensor) is { Name: not null } admitted && IsKept(kept, admitted) && !OnChip(admitted) ? Burst(admitted.Bytes) : 0);
        long Cycles(MatrixLayerResult r, long staged) => r.TotalCycles + TileWalker.TransferCycles(beside + staged, BytesPerCycle, LatencyCycles);

        (MatrixLayerResult Result, OperandPlacement Placement, long Write, bool Input, long Total, long Cycles) best =
            (result, placement, 0, false, result.Dram.TotalBytes, Cycles(result, 0));
        foreach ((bool stageIn, bool stageOut) in new[] { (true, false), (false, true), (true, true) })
        {
            if ((stageIn && input is null) || (stageOut && leaving.Count == 0))
            {
                continue;
            }

            OperandPlacement staged = placement with
            {
                InputOnChip = placement.InputOnChip || stageIn,
                OutputToDram = placement.OutputToDram && !stageOut,
                ReservedActivationBytes = placement.ReservedActivationBytes + (stageIn ? input!.Value.Bytes : 0)
                    + (stageOut ? leaving.Where(o => !IsKept(kept, o)).Sum(o => o.Bytes) : 0),
            };
            MatrixLayerResult candidate = _matrix(layer, staged);
            long stagedBytes = (stageIn ? inputWhole : 0) + (stageOut ? outputWhole : 0);
            long total = candidate.Dram.TotalBytes + stagedBytes;
            if (candidate.Status != MappingStatus.Feasible)
            {
                continue;
            }

            long cycles = Cycles(candidate, stagedBytes);
            if (total < best.Total || (total == best.Total && cycles < best.Cycles))
            {
                best = (candidate, staged, stageOut ? outputWhole : 0, stageIn, total, cycles);
            }
        }

        if (best.Input)
        {
            kept.Add(input!.Value);
        }

        return (best.Result, best.Placement, best.Write);
    }

    /// <summary>
    /// Whether the layer's own resident input should leave for its tiles: when what it occupies starves the tiles (tiny,
    /// burst-rounded pieces of the other operands), streaming the input instead can move fewer bytes in all, its spill
    /// and its later refills included. Asked once the layer is feasible with nothing else to spill.
    /// </summary>
    private bool InputWorthSpilling(int i, MatrixLayer layer, string input, List<TensorUse> kept, MatrixLayerResult withInput)
    {
        if (!_resident.TryGetValue(input, out long bytes) || _lineBuffered.ContainsKey(input))
        {
            return false;
        }

        OperandPlacement streamed = Placement(i, layer, kept) with { InputOnChip = false, ReservedActivationBytes = Reserved(kept) - bytes };
        MatrixLayerResult alternative = _matrix(layer, streamed);
        if (alternative.Status != MappingStatus.Feasible)
        {
            return false;
        }

        long cost = (_inDram.Contains(input) ? 0 : Burst(bytes)) + RefillBytes(input, bytes, i);
        return withInput.Dram.TotalBytes - alternative.Dram.TotalBytes > cost;
    }

    /// <summary>
    /// What the later readers of a spilled tensor read back: each reads it once, but a conv whose windows skip pixels (a
    /// strided 1x1) fetches only the pixels they touch, as its tiles do. Counting the whole tensor per reader priced a
    /// spill too high, so a larger buffer kept such a tensor and starved its producer's tiles into more traffic.
    /// </summary>
    private long RefillBytes(string tensor, long bytes, int i) =>
        _lifetimes.ReadersAfter(tensor, i).Sum(j => Burst(_layers[j] is MatrixLayer { Conv: not null } m && m.InputTensor == tensor
            ? Math.Min(bytes, LayerGeometry.TouchedInputBytes([m]))
            : bytes));

    private PlannedLayer Finish(int i, MatrixLayer layer, MatrixLayerResult result, OperandPlacement placement, List<TensorUse> kept, List<string> spilledHere, long spillWrite, long stagedWrite)
    {
        // Reads that are neither of the two operands (a bias, scales, a second activation) stream in whole.
        long auxWeights = 0, auxIn = 0, auxRefill = 0;
        foreach (TensorUse read in layer.Reads.Where(r => r.Name != layer.InputTensor && r.Name != layer.WeightTensor && !OnChip(r)))
        {
            Classify(read, Burst(read.Bytes), ref auxWeights, ref auxIn, ref auxRefill);
        }

        long inWeights = 0, inIn = 0, inRefill = 0;
        bool inputAdmitted = false;
        if (layer.Reads.FirstOrDefault(r => r.Name == layer.InputTensor) is { Name: not null } input)
        {
            // An admitted input is loaded whole before the tiles run (and stays for its later readers).
            inputAdmitted = IsKept(kept, input) && !OnChip(input);
            long loadedBytes = inputAdmitted ? kept.First(k => k.Name == input.Name).Bytes : 0;
            Classify(input, inputAdmitted ? Burst(loadedBytes) : result.Dram.InputReadBytes, ref inWeights, ref inIn, ref inRefill);
        }

        long wWeights = 0, wIn = 0, wRefill = 0;
        if (layer.Reads.FirstOrDefault(r => r.Name == layer.WeightTensor) is { Name: not null } weight)
        {
            Classify(weight, result.Dram.WeightReadBytes, ref wWeights, ref wIn, ref wRefill);
        }

        bool graphOutput = layer.Writes.Any(o => o.IsGraphOutput);
        long outputWrite = stagedWrite > 0 ? stagedWrite : result.Dram.OutputWriteBytes;
        var traffic = new DramTraffic
        {
            WeightReadBytes = auxWeights + inWeights + wWeights,
            ActivationInReadBytes = auxIn + inIn + wIn,
            RefillReadBytes = auxRefill + inRefill + wRefill + result.Dram.PartialSumReadBytes,
            ActivationOutWriteBytes = graphOutput ? outputWrite : 0,
            SpillWriteBytes = (graphOutput ? 0 : outputWrite) + result.Dram.PartialSumWriteBytes + spillWrite,
        };

        // Whole-tensor transfers beside the tiles (aux reads, spills of other tensors) are DMA work the layer waits for.
        long admittedBytes = inputAdmitted ? inWeights + inIn + inRefill : 0;
        long background = TileWalker.TransferCycles(auxWeights + auxIn + auxRefill + spillWrite + admittedBytes + stagedWrite, BytesPerCycle, LatencyCycles);
        Place(i, layer.Writes, kept, placement.OutputToDram || stagedWrite > 0);
        LayerOccupancy occupancy = Occupancy(result, placement, spilledHere);
        _totalCycles[i] = result.TotalCycles + background;
        return new PlannedLayer(layer, result, null, traffic, occupancy, background);
    }

    private PlannedLayer Vector(int i, VectorLayer layer)
    {
        if (!Planned(layer))
        {
            VectorLayerResult alone = VectorUnitModel.Evaluate(layer, _spec);
            return new PlannedLayer(layer, null, alone, alone.Dram.ByCauseAlone(), LayerOccupancy.None, 0);
        }

        if (!layer.MovesData)
        {
            // A view reads and writes nothing (its readers read the tensor it names); metadata (Shape, Size, Constant)
            // appears on chip without reading its input.
            Place(i, layer.Writes, [.. layer.Writes.Where(o => Keeps(o, i))], toDram: false);
            return new PlannedLayer(layer, null, VectorUnitModel.Evaluate(layer, _spec, 0, 0), DramTraffic.Zero, LayerOccupancy.None, 0);
        }

        var kept = layer.Writes.Where(o => Keeps(o, i)).Select(Stored).Concat(Admitted(i, layer)).ToList();
        var spilledHere = new List<string>();
        long spillWrite = 0;
        while (Reserved(kept) > ActivationCapacityBytes && Victim(i, kept) is string victim)
        {
            spillWrite += Evict(victim, kept);
            spilledHere.Add(victim);
        }

        long weights = 0, actIn = 0, refill = 0;
        long epilogueBytes = 0;
        foreach (TensorUse read in layer.Reads)
        {
            if (_epilogueTensors.Contains(read.Name))
            {
                epilogueBytes += read.Bytes;
            }
            else if (!OnChip(read))
            {
                Classify(read, Burst(read.Bytes), ref weights, ref actIn, ref refill);
            }
        }

        long outWrite = 0, outSpill = 0;
        foreach (TensorUse output in layer.Writes)
        {
            bool keep = IsKept(kept, output);
            if (output.IsGraphOutput)
            {
                outWrite += Burst(output.Bytes);
            }
            else if (!keep && !_epilogueTensors.Contains(output.Name) && _lifetimes.UsesAfter(output.Name, i) > 0)
            {
                outSpill += Burst(output.Bytes);
            }
        }

        // A fused op reads the producer's output in its epilogue, not from a buffer.
        VectorLayer costed = layer with { InputBytes = Math.Max(0, layer.InputBytes - epilogueBytes) };
        VectorLayerResult result = VectorUnitModel.Evaluate(costed, _spec, weights + actIn + refill, outWrite + outSpill);
        long background = TileWalker.TransferCycles(spillWrite, BytesPerCycle, LatencyCycles);
        if (_fusedInto.TryGetValue(i, out int producer))
        {
            // The epilogue runs beside the array: only the time it takes beyond the producer's shows. The ops of a chain
            // (quantize, then dequantize) share that time, so each hides only under what the ones before it left:
            // the chain shows max(0, its cycles - the producer's), and a faster producer shows at most what it saved.
            long slack = _epilogueSlack.TryGetValue(producer, out long left) ? left : _totalCycles.GetValueOrDefault(producer);
            long total = Math.Max(0, result.TotalCycles - slack);
            _epilogueSlack[producer] = Math.Max(0, slack - result.TotalCycles);
            result = result with { ComputeCycles = Math.Min(result.ComputeCycles, total), TotalCycles = total };
        }

        var traffic = new DramTraffic
        {
            WeightReadBytes = weights,
            ActivationInReadBytes = actIn,
            RefillReadBytes = refill,
            ActivationOutWriteBytes = outWrite,
            SpillWriteBytes = outSpill + spillWrite,
        };
        var occupancy = new LayerOccupancy
        {
            ResidentActivationBytes = Reserved(kept),
            ResidentWeightBytes = WeightsResident ? ConstantBytes : 0,
            Spilled = spilledHere,
        };
        Place(i, layer.Writes, kept, toDram: true);
        _totalCycles[i] = result.TotalCycles + background;
        return new PlannedLayer(layer, null, result, traffic, occupancy, background) { FusedInto = _fusedInto.TryGetValue(i, out int p) ? _layers[p].Name : null };
    }

    private static bool IsKept(List<TensorUse> kept, TensorUse output) => kept.Any(k => k.Name == output.Name);

    /// <summary>
    /// The activations layer <paramref name="i"/> reads from DRAM (graph inputs, spilled tensors) that a later layer
    /// reads again: loaded whole, they stay on chip for those readers, as produced tensors do. Like kept outputs they
    /// yield to pressure (<see cref="Victim"/>), at no write cost: DRAM has their copy.
    /// </summary>
    private IEnumerable<TensorUse> Admitted(int i, LayerWork layer) => layer.Reads
        .Where(r => r.Origin != TensorOrigin.Constant && !OnChip(r) && !_lineBuffered.ContainsKey(r.Name) && _lifetimes.UsesAfter(r.Name, i) > 0)
        .DistinctBy(r => r.Name)
        .Select(r => r with { Bytes = Math.Min(r.Bytes, WindowedBytes(r.Name)) });

    /// <summary>
    /// The bytes of <paramref name="tensor"/> its readers need when every one of them is a conv whose windows skip part
    /// of it (strided 1x1 convs read every other pixel): only the pixels some window touches are loaded, as the lower
    /// bound counts them; otherwise all of it.
    /// </summary>
    private long WindowedBytes(string tensor)
    {
        var readers = _lifetimes.ReadersAfter(tensor, -1).Select(j => _layers[j]).ToList();
        return readers.Count > 0 && readers.All(l => l is MatrixLayer { Conv: not null } m && m.InputTensor == tensor)
            ? LayerGeometry.TouchedInputBytes([.. readers.Cast<MatrixLayer>()])
            : long.MaxValue;
    }

    /// <summary>A tensor as the buffers hold it: whole, or the line buffer a depth-first stack carries it in.</summary>
    private TensorUse Stored(TensorUse output) => _lineBuffered.TryGetValue(output.Name, out long line) ? output with { Bytes = line } : output;

    /// <summary>Whether a freshly written tensor should stay on chip: a later layer reads it (epilogue tensors never land).</summary>
    private bool Keeps(TensorUse output, int i) => !_epilogueTensors.Contains(output.Name) && !_writeThrough.Contains(output.Name) && _lifetimes.UsesAfter(output.Name, i) > 0;

    private bool OnChip(TensorUse read) => read.Origin == TensorOrigin.Constant ? WeightsResident : _resident.ContainsKey(read.Name) || _epilogueTensors.Contains(read.Name);

    private void Classify(TensorUse read, long bytes, ref long weights, ref long activationIn, ref long refill)
    {
        if (read.Origin == TensorOrigin.Constant)
        {
            weights += bytes;
        }
        else if (read.Origin == TensorOrigin.GraphInput && !_spilled.Contains(read.Name))
        {
            activationIn += bytes;
        }
        else
        {
            refill += bytes;
        }
    }

    private OperandPlacement Placement(int i, MatrixLayer layer, List<TensorUse> kept)
    {
        TensorUse? weight = layer.Reads.FirstOrDefault(r => r.Name == layer.WeightTensor) is { Name: not null } w ? w : null;
        TensorUse? input = layer.Reads.FirstOrDefault(r => r.Name == layer.InputTensor) is { Name: not null } a ? a : null;
        bool outputNeeded = layer.Writes.Any(o => o.IsGraphOutput || (!IsKept(kept, o) && !_epilogueTensors.Contains(o.Name) && _lifetimes.UsesAfter(o.Name, i) > 0));
        return new OperandPlacement
        {
            InputOnChip = input is { } x && (OnChip(x) || IsKept(kept, x)),
            WeightOnChip = weight is { } ww && OnChip(ww),
            OutputToDram = outputNeeded,
            ReservedActivationBytes = Reserved(kept),
            ReservedWeightBytes = (WeightsResident ? ConstantBytes : 0) + (WeightsResident ? 0 : _stackWeights.GetValueOrDefault(i)),
            BandRows = _stackWeights.ContainsKey(i) ? _bandRows[i] : null,
        };
    }

    private long Reserved(List<TensorUse> kept) => _resident.Values.Sum() + kept.Sum(k => k.Bytes);

    /// <summary>
    /// The tensor to spill next: among the resident tensors the layer does not read and its outputs it would keep, the
    /// one read again furthest in the future (ties: the larger, then by name); a depth-first line buffer only when
    /// nothing else is left (its stack then reads it whole from DRAM); null when there is none.
    /// </summary>
    private string? Victim(int i, List<TensorUse> kept)
    {
        var reads = _layers[i].Reads.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var candidates = _resident.Where(kv => !reads.Contains(kv.Key)).Select(kv => (Name: kv.Key, Bytes: kv.Value))
            .Concat(kept.Select(k => (k.Name, k.Bytes)));
        return candidates
            .OrderBy(c => _lineBuffered.ContainsKey(c.Name))
            .ThenByDescending(c => _lifetimes.NextUse(c.Name, i))
            .ThenByDescending(c => c.Bytes)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name)
            .FirstOrDefault();
    }

    /// <summary>Spills <paramref name="victim"/>; returns the DRAM bytes written now (a kept output leaves through the tiler instead).</summary>
    private long Evict(string victim, List<TensorUse> kept)
    {
        _lineBuffered.Remove(victim);
        int at = kept.FindIndex(k => k.Name == victim);
        if (at >= 0)
        {
            kept.RemoveAt(at);
            return 0;
        }

        long bytes = _resident[victim];
        _resident.Remove(victim);
        if (_keptUnread.Remove(victim))
        {
            _wastedKeeps.Add(victim);
        }

        _spilled.Add(victim);
        return _inDram.Add(victim) ? Burst(bytes) : 0;
    }

    /// <summary>After layer <paramref name="i"/>: kept outputs become resident, written ones have a DRAM copy.</summary>
    private void Place(int i, ImmutableArray<TensorUse> writes, List<TensorUse> kept, bool toDram)
    {
        foreach (TensorUse admitted in kept.Where(k => !writes.Any(w => w.Name == k.Name)))
        {
            _resident[admitted.Name] = admitted.Bytes;
        }

        foreach (TensorUse output in writes)
        {
            if (kept.FirstOrDefault(k => k.Name == output.Name) is { Name: not null } stored)
            {
                _resident[output.Name] = stored.Bytes;
                _keptUnread.Add(output.Name);
            }
            else if (!_epilogueTensors.Contains(output.Name) && _lifetimes.UsesAfter(output.Name, i) > 0)
            {
                _spilled.Add(output.Name);
            }

            if (output.IsGraphOutput || (!IsKept(kept, output) && toDram && _lifetimes.UsesAfter(output.Name, i) > 0))
            {
                _inDram.Add(output.Name);
            }
        }
    }

    /// <summary>Frees the tensors no layer after <paramref name="i"/> reads.</summary>
    private void Release(int i)
    {
        // Layer i has run: the tensors it read on chip have served a reader.
        _keptUnread.ExceptWith(_layers[i].Reads.Where(r => _resident.ContainsKey(r.Name)).Select(r => r.Name));
        foreach (string name in _resident.Keys.Where(n => _lifetimes.UsesAfter(n, i) == 0).ToList())
        {
            _resident.Remove(name);
        }
    }

    private LayerOccupancy Occupancy(MatrixLayerResult result, OperandPlacement placement, List<string> spilled)
    {
        long tiles = 0;
        long weightBufferTiles = 0;
        if (result.Mapping is { } m)
        {
            BufferAssignment? buffers = BufferAssignment.Resolve(_spec.Memory.Buffers, out _);
            long Space(BufferSpec b, long bytes) => b.DoubleBuffered ? 2 * bytes : bytes;
            if (buffers is not null)
            {
                long weightTiles = Space(buffers.Weight, placement.WeightOnChip ? 0 : m.WeightTileBytes);
                tiles = Space(buffers.Input, placement.InputOnChip ? 0 : m.InputTileBytes) + weightTiles + Space(buffers.Output, m.OutputTileBytes);
                weightBufferTiles = buffers.Weight.Role == BufferRole.Weight ? weightTiles : 0;
            }
        }

        return new LayerOccupancy
        {
            ResidentActivationBytes = placement.ReservedActivationBytes,
            ResidentWeightBytes = placement.ReservedWeightBytes,
            TileBytes = tiles,
            WeightBufferTileBytes = weightBufferTiles,
            Spilled = spilled,
        };
    }

    private long Burst(long bytes) => TileSearch.Burst(bytes, _burst);

    private double BytesPerCycle => _spec.Memory.Dram.BandwidthGBps * 1000.0 / _spec.ClockMhz;

    private double LatencyCycles => _spec.Memory.Dram.LatencyNs * _spec.ClockMhz / 1000.0;
}

/// <summary>One layer as the plan ran it: the tiler's or the vector unit's result, its DRAM traffic by cause, what the
/// buffers held, and the cycles of whole-tensor transfers it waited for beside its tiles.</summary>
internal sealed record PlannedLayer(LayerWork Layer, MatrixLayerResult? Matrix, VectorLayerResult? Vector, DramTraffic Traffic, LayerOccupancy Occupancy, long BackgroundCycles)
{
    /// <summary>The matrix layer whose epilogue ran this vector layer, or null.</summary>
    public string? FusedInto { get; init; }
}
