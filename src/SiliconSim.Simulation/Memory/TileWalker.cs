using System.Collections.Immutable;
using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation.Layers;

namespace SiliconSim.Simulation.Memory;

/// <summary>
/// Runs the chosen loop nest tile by tile: counts every SRAM and DRAM transfer and times the double-buffered pipeline
/// (docs/memory-model.md, "Timing"). Its DRAM totals equal the tile search's closed form, which tests check.
/// </summary>
internal sealed class TileWalker
{
    private readonly LayerGeometry _geo;
    private readonly TileChoice _choice;
    private readonly BufferAssignment _buffers;
    private readonly AcceleratorSpec _spec;
    private readonly Func<GemmShape, long> _computeCycles;
    private readonly Dictionary<GemmShape, long> _computeCache = [];
    private readonly WholeLayerCompute? _wholeLayer;
    private readonly OperandPlacement _placement;
    private readonly Dictionary<BufferSpec, long[]> _sram = new(ReferenceEqualityComparer.Instance);
    private readonly int _burst;
    private readonly double _dramBytesPerCycle;
    private readonly double _dramLatencyCycles;

    private long _inputRead;
    private long _weightRead;
    private long _psumRead;
    private long _outputWrite;
    private long _psumWrite;
    private long _macs;
    private long _compute;
    private long _portStall;

    /// <param name="wholeLayer">When given, the layer's compute cycles as one GEMM, spread over the tiles (see
    /// <see cref="WholeLayerCompute"/>); <paramref name="computeCycles"/> is then not called.</param>
    /// <param name="placement">Which operands the network plan holds on chip (their tiles are read from SRAM and never
    /// fetched) and whether final outputs leave for DRAM; null: the layer alone.</param>
    public TileWalker(LayerGeometry geo, TileChoice choice, BufferAssignment buffers, AcceleratorSpec spec, Func<GemmShape, long> computeCycles, WholeLayerCompute? wholeLayer = null, OperandPlacement? placement = null)
    {
        _placement = placement ?? OperandPlacement.Alone;
        _geo = geo;
        _choice = choice;
        _buffers = buffers;
        _spec = spec;
        _computeCycles = computeCycles;
        _wholeLayer = wholeLayer;
        _burst = spec.Memory.Dram.BurstBytes;
        // GB/s at a clock of f MHz: 1e9 B/s / (1e6 f cycles/s) = 1000 / f bytes per cycle per GB/s.
        _dramBytesPerCycle = spec.Memory.Dram.BandwidthGBps * 1000.0 / spec.ClockMhz;
        _dramLatencyCycles = spec.Memory.Dram.LatencyNs * spec.ClockMhz / 1000.0;
        foreach (BufferSpec b in buffers.Used)
        {
            _sram[b] = new long[4];
        }
    }

    /// <summary>Cycles to move <paramref name="bytes"/> over DRAM in one transfer: ceil(latency + bytes / bandwidth); 0 for no bytes.</summary>
    public static long TransferCycles(long bytes, double bytesPerCycle, double latencyCycles) =>
        bytes == 0 ? 0 : (long)Math.Ceiling(latencyCycles + (bytes / bytesPerCycle));

    public MatrixLayerResult Run(string layerName)
    {
        LayerGeometry g = _geo;
        TileChoice c = _choice;
        long gTiles = LayerGeometry.CeilDiv(g.Groups, c.GroupsPerTile);
        long mTiles = g.MTiles(c.Axis, c.Extent);
        long nTiles = LayerGeometry.CeilDiv(g.N, c.NTile);
        long kTiles = LayerGeometry.CeilDiv(g.KUnits, c.UnitsPerTile);
        LoopOrder order = c.Order;
        long[] trips = new long[3];
        for (int p = 0; p < 3; p++)
        {
            trips[p] = order.At(p) switch { LoopDim.M => mTiles, LoopDim.N => nTiles, _ => kTiles };
        }

        Span<long> first = stackalloc long[g.Axes.Length];
        Span<long> end = stackalloc long[g.Axes.Length];
        Span<long> idx = stackalloc long[3];
        (long G, long M, long K) inKey = (-1, -1, -1);
        (long G, long K, long N) wKey = (-1, -1, -1);
        (long G, long M, long N) outKey = (-1, -1, -1);
        long outElements = 0, outK = 0;

        // The pipeline of docs/memory-model.md: total = Ldb(1) + Σ_i [Ls(i) + max(C(i), Ldb(i+1) + Wdb(i-1)) + Ws(i)] + Wdb(T).
        // Tile i's term closes when tile i+1 is known (its loads, and whether tile i's output leaves).
        long total = 0;
        bool havePrev = false;
        long prevLoadSerial = 0, prevCompute = 0, prevPrevWriteDb = 0;
        for (long gi = 0; gi < gTiles; gi++)
        {
            long gc = Math.Min(c.GroupsPerTile, g.Groups - (gi * c.GroupsPerTile));
            for (long a = 0; a < trips[0]; a++)
            {
                for (long b = 0; b < trips[1]; b++)
                {
                    for (long d = 0; d < trips[2]; d++)
                    {
                        idx[(int)order.Outer] = a;
                        idx[(int)order.Middle] = b;
                        idx[(int)order.Inner] = d;
                        long mi = idx[(int)LoopDim.M], ni = idx[(int)LoopDim.N], ki = idx[(int)LoopDim.K];
                        g.MTileRanges(c.Axis, c.Extent, mi, first, end);
                        long pixels = 1, touched = 1;
                        for (int ax = 0; ax < g.Axes.Length; ax++)
                        {
                            pixels *= end[ax] - first[ax];
                            touched *= g.Axes[ax].Touched(first[ax], end[ax]);
                        }

                        long units = Math.Min(c.UnitsPerTile, g.KUnits - (ki * c.UnitsPerTile));
                        long kc = units * g.KUnitSize;
                        long nc = Math.Min(c.NTile, g.N - (ni * c.NTile));

                        long loadDb = 0, loadSerial = 0, writeDb = 0, writeSerial = 0;
                        if (inKey != (gi, mi, ki) && !_placement.InputOnChip)
                        {
                            inKey = (gi, mi, ki);
                            long bytes = LayerGeometry.Bytes(gc * units * touched, g.InputWidth);
                            long burst = TileSearch.Burst(bytes, _burst);
                            _inputRead += burst;
                            Sram(_buffers.Input, write: bytes);
                            AddLoad(_buffers.Input, burst, ref loadDb, ref loadSerial);
                        }

                        if (wKey != (gi, ki, ni) && !_placement.WeightOnChip)
                        {
                            wKey = (gi, ki, ni);
                            long bytes = LayerGeometry.Bytes(gc * kc * nc, g.WeightWidth);
                            long burst = TileSearch.Burst(bytes, _burst);
                            _weightRead += burst;
                            Sram(_buffers.Weight, write: bytes);
                            AddLoad(_buffers.Weight, burst, ref loadDb, ref loadSerial);
                        }

                        if (outKey != (gi, mi, ni))
                        {
                            if (havePrev)
                            {
                                Evict(outElements, outK == kTiles - 1, ref writeDb, ref writeSerial);
                            }

                            outKey = (gi, mi, ni);
                            outElements = gc * pixels * nc;
                            if (ki > 0)
                            {
                                long bytes = LayerGeometry.Bytes(outElements, g.PartialSumWidth);
                                long burst = TileSearch.Burst(bytes, _burst);
                                _psumRead += burst;
                                Sram(_buffers.Output, write: bytes);
                                AddLoad(_buffers.Output, burst, ref loadDb, ref loadSerial);
                            }
                        }

                        outK = ki;
                        long compute = Compute(gc, pixels, nc, kc, ki);

                        // Evictions found while setting up this tile belong to the previous tile's writes.
                        if (havePrev)
                        {
                            long overlapped = Cycles(loadDb) + prevPrevWriteDb;
                            total += prevLoadSerial + Math.Max(prevCompute, overlapped) + Cycles(writeSerial);
                            prevPrevWriteDb = Cycles(writeDb);
                        }
                        else
                        {
                            total += Cycles(loadDb);
                        }

                        havePrev = true;
                        prevLoadSerial = Cycles(loadSerial);
                        prevCompute = compute;
                    }
                }
            }
        }

        long lastDb = 0, lastSerial = 0;
        Evict(outElements, outK == kTiles - 1, ref lastDb, ref lastSerial);
        total += prevLoadSerial + Math.Max(prevCompute, prevPrevWriteDb) + Cycles(lastSerial) + Cycles(lastDb);

        return Result(layerName, total, gTiles, mTiles, nTiles, kTiles);
    }

    private long Cycles(long bytes) => TransferCycles(bytes, _dramBytesPerCycle, _dramLatencyCycles);

    private void AddLoad(BufferSpec buffer, long bytes, ref long loadDb, ref long loadSerial)
    {
        if (buffer.DoubleBuffered)
        {
            loadDb += bytes;
        }
        else
        {
            loadSerial += bytes;
        }
    }

    /// <summary>The output tile leaves: final outputs (requantized to the output type) or a partial-sum spill.</summary>
    private void Evict(long elements, bool complete, ref long writeDb, ref long writeSerial)
    {
        OperandWidth hold = _choice.OutputHoldsPartialSums ? _geo.PartialSumWidth : _geo.OutputWidth;
        Sram(_buffers.Output, read: LayerGeometry.Bytes(elements, complete ? hold : _geo.PartialSumWidth));
        if (complete && !_placement.OutputToDram)
        {
            // The final outputs stay on chip: the epilogue writes them into the tensor's resident place.
            return;
        }

        long bytes = TileSearch.Burst(LayerGeometry.Bytes(elements, complete ? _geo.OutputWidth : _geo.PartialSumWidth), _burst);
        if (complete)
        {
            _outputWrite += bytes;
        }
        else
        {
            _psumWrite += bytes;
        }

        if (_buffers.Output.DoubleBuffered)
        {
            writeDb += bytes;
        }
        else
        {
            writeSerial += bytes;
        }
    }

    /// <summary>
    /// One tile on the array: the compute delegate's cycles per group, stretched when a buffer's ports cannot move the
    /// tile's array-side bytes in that time. SRAM reads to the array follow SCALE-Sim's fold counts: a streamed
    /// operand is re-read once per fold of the other mapped dimension.
    /// </summary>
    private long Compute(long gc, long m, long n, long k, long ki)
    {
        long macs = gc * m * n * k;
        long cycles;
        if (_wholeLayer is WholeLayerCompute whole)
        {
            cycles = whole.CyclesThrough(_macs + macs) - whole.CyclesThrough(_macs);
        }
        else
        {
            var shape = new GemmShape(m, n, k);
            if (!_computeCache.TryGetValue(shape, out long perGroup))
            {
                perGroup = _computeCycles(shape);
                _computeCache[shape] = perGroup;
            }

            cycles = gc * perGroup;
        }

        _macs += macs;
        _compute += cycles;

        long rows = _spec.Array.Rows, cols = _spec.Array.Cols;
        (long inReads, long wReads, long accumulations) = _spec.Array.Dataflow switch
        {
            Dataflow.OutputStationary => (m * k * LayerGeometry.CeilDiv(n, cols), k * n * LayerGeometry.CeilDiv(m, rows), 1L),
            Dataflow.WeightStationary => (m * k * LayerGeometry.CeilDiv(n, cols), k * n, LayerGeometry.CeilDiv(k, rows)),
            _ => (m * k, k * n * LayerGeometry.CeilDiv(m, cols), LayerGeometry.CeilDiv(k, rows)),
        };

        OperandWidth hold = _choice.OutputHoldsPartialSums ? _geo.PartialSumWidth : _geo.OutputWidth;
        long outWrites = LayerGeometry.Bytes(gc * m * n * accumulations, hold);
        long outReads = LayerGeometry.Bytes(gc * m * n * (accumulations - 1 + (ki > 0 ? 1 : 0)), _geo.PartialSumWidth);
        long inBytes = LayerGeometry.Bytes(gc * inReads, _geo.InputWidth);
        long wBytes = LayerGeometry.Bytes(gc * wReads, _geo.WeightWidth);
        Sram(_buffers.Input, read: inBytes);
        Sram(_buffers.Weight, read: wBytes);
        Sram(_buffers.Output, read: outReads, write: outWrites);

        long needed = cycles;
        foreach (BufferSpec b in _buffers.Used)
        {
            long bytes = (ReferenceEquals(b, _buffers.Input) ? inBytes : 0) + (ReferenceEquals(b, _buffers.Weight) ? wBytes : 0)
                + (ReferenceEquals(b, _buffers.Output) ? outReads + outWrites : 0);
            needed = Math.Max(needed, LayerGeometry.CeilDiv(bytes, (long)b.BytesPerCycle * b.Ports));
        }

        _portStall += needed - cycles;
        return needed;
    }

    private void Sram(BufferSpec buffer, long read = 0, long write = 0)
    {
        long[] s = _sram[buffer];
        s[0] += read;
        s[1] += write;
        s[2] += LayerGeometry.CeilDiv(read, buffer.WordBytes);
        s[3] += LayerGeometry.CeilDiv(write, buffer.WordBytes);
    }

    private MatrixLayerResult Result(string layerName, long total, long gTiles, long mTiles, long nTiles, long kTiles)
    {
        TileChoice c = _choice;
        var dram = new DramCounters
        {
            InputReadBytes = _inputRead,
            WeightReadBytes = _weightRead,
            PartialSumReadBytes = _psumRead,
            OutputWriteBytes = _outputWrite,
            PartialSumWriteBytes = _psumWrite,
        };
        var buffers = _buffers.Used.Select(b => new BufferCounters
        {
            Name = b.Name,
            Role = b.Role,
            Operands = Enum.GetValues<OperandKind>().Where(o => ReferenceEquals(_buffers.For(o), b)).ToArray(),
            ReadBytes = _sram[b][0],
            WriteBytes = _sram[b][1],
            ReadAccesses = _sram[b][2],
            WriteAccesses = _sram[b][3],
        }).ToImmutableArray();

        long ops = 2 * _macs;
        double seconds = total * _spec.CycleSeconds;
        double intensity = dram.TotalBytes == 0 ? double.PositiveInfinity : ops / (double)dram.TotalBytes;
        var roofline = new RooflinePoint
        {
            Ops = ops,
            OpsPerDramByte = intensity,
            AttainedOpsPerSecond = seconds > 0 ? ops / seconds : 0,
            PeakOpsPerSecond = 2.0 * _spec.Array.PeCount * _spec.ClockMhz * 1e6,
            MemoryRoofOpsPerSecond = intensity * _spec.Memory.Dram.BandwidthGBps * 1e9,
        };

        return new MatrixLayerResult
        {
            LayerName = layerName,
            Status = MappingStatus.Feasible,
            Mapping = new TileMapping
            {
                GroupsPerTile = (int)c.GroupsPerTile,
                MSlabAxis = c.Axis,
                MSlabExtent = c.Extent,
                MTile = _geo.MTile(c.Axis, c.Extent),
                NTile = c.NTile,
                KTile = c.UnitsPerTile * _geo.KUnitSize,
                Order = c.Order,
                GroupTiles = gTiles,
                MTiles = mTiles,
                NTiles = nTiles,
                KTiles = kTiles,
                InputTileBytes = c.InputTileBytes,
                WeightTileBytes = c.WeightTileBytes,
                OutputTileBytes = c.OutputTileBytes,
                OutputHoldsPartialSums = c.OutputHoldsPartialSums,
            },
            Macs = _macs,
            ComputeCycles = _compute,
            PortStallCycles = _portStall,
            DramStallCycles = total - _compute - _portStall,
            TotalCycles = total,
            Buffers = buffers,
            Dram = dram,
            Roofline = roofline,
        };
    }
}
