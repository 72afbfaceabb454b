using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Simulation.Timing;

namespace SiliconSim.Simulation.Oracle;

/// <summary>
/// The oracle of the fold-level timing engine: <see cref="FoldTimingModel"/>'s <see cref="TimingModel.Corrected"/> cycles
/// (<see cref="FoldTimingModel.CorrectedCycles"/>) are this simulator's cycle count in closed form, and its outputs are
/// the plain sequential GEMM's. It is not on the run path (PerformanceModel times layers with FoldTimingModel); it exists
/// so the closed form can be checked. <c>tests/SiliconSim.Simulation.Tests/Oracle/SystolicArraySimulatorTests.cs</c> holds
/// the two equal (cycles and folds on generated GEMMs, arrays and dataflows, and on every array up to 8 x 8) and the
/// outputs equal to the reference GEMM under every accumulator width and overflow policy;
/// <c>tests/SiliconSim.Benchmarks/SystolicArraySimulatorBenchmark.cs</c> measures its speed (docs/timing-model.md).
/// </summary>
/// <remarks>
/// A cycle-stepped R x C systolic array: every cycle each PE latches the operand from its left neighbour and the value
/// from its upper neighbour (one PE hop per cycle), multiplies, and accumulates with <see cref="NarrowAccumulator.Add"/>
/// (<c>acc = policy(acc + a*b)</c> at the accumulator's width, after every single MAC, so saturation is sticky in k order).
/// It computes the real output values and counts the cycles; <see cref="FoldTimingModel.CorrectedCycles"/> is its closed
/// form. Folds run one after another (column folds outer, row folds inner, as SCALE-Sim orders them), each mapped to the
/// top-left r x c PEs.
/// <list type="bullet">
/// <item><c>os</c>: A's row m enters array row m - m0 from the left, skewed by one cycle per row; B's column n enters array
/// column n - n0 from the top, skewed by one cycle per column; PE (i, j) does its k-th MAC at cycle k + i + j. After the
/// last MAC the accumulators shift down one row per cycle; the R-th shift writes the top row into the output buffer.</item>
/// <item><c>ws</c> (B stationary) and <c>is</c> (A transposed stationary): the stationary slice is shifted in from the top
/// over r cycles (pushed bottom row first); then the streamed operand enters row k from the left skewed by k cycles, and
/// partial sums flow down every one of the R rows (unused rows pass them on) and shift into the output buffer below the
/// last row. The partial sum entering the top of a column is the output buffer's value from the previous row fold (0 in
/// the first), so every output is accumulated in k order, and wrap or saturation happens exactly where the
/// plain sequential loop <c>acc = policy(acc + a*b)</c> does it.</item>
/// </list>
/// Every output then passes an L-cycle output pipeline (<see cref="ArraySpec.PipelineLatencyCycles"/>).
/// </remarks>
public sealed class SystolicArraySimulator
{
    private readonly int _rows;
    private readonly int _cols;
    private readonly Dataflow _dataflow;
    private readonly int _latency;
    private readonly int _accumulatorBits;
    private readonly AccumulatorOverflow _overflow;

    /// <summary>An array of <paramref name="rows"/> x <paramref name="cols"/> PEs.</summary>
    /// <param name="rows">R, at least 1.</param>
    /// <param name="cols">C, at least 1.</param>
    /// <param name="dataflow">Which operand stays in the PEs.</param>
    /// <param name="pipelineLatencyCycles">Extra cycles every output spends in the output pipeline.</param>
    /// <param name="accumulatorBits">The PE accumulator's width, 2..32; 32 by default (ORT's int32).</param>
    /// <param name="overflow">The PE accumulator's overflow policy; wrap by default (ORT's int32 adds).</param>
    public SystolicArraySimulator(
        int rows, int cols, Dataflow dataflow, int pipelineLatencyCycles = 0, int accumulatorBits = 32, AccumulatorOverflow overflow = AccumulatorOverflow.Wrap)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(pipelineLatencyCycles);
        if (accumulatorBits is < 2 or > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(accumulatorBits), accumulatorBits, "accumulator width must be 2..32 bits");
        }

        _accumulatorBits = accumulatorBits;
        _overflow = overflow;
        _rows = rows;
        _cols = cols;
        _dataflow = dataflow;
        _latency = pipelineLatencyCycles;
    }

    /// <summary>The array <paramref name="spec"/> describes, with its accumulator width and overflow policy.</summary>
    public static SystolicArraySimulator From(ArraySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new SystolicArraySimulator(spec.Rows, spec.Cols, spec.Dataflow, spec.PipelineLatencyCycles, spec.Numerics.AccumulatorBits, spec.Numerics.Overflow);
    }

    /// <summary>Multiplies two 2-D int8 or uint8 tensors, [M, K] x [K, N].</summary>
    public SystolicRunResult Run(TensorValue a, TensorValue b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Shape.Length != 2 || b.Shape.Length != 2 || a.Shape[1] != b.Shape[0])
        {
            throw new ArgumentException($"expected [M, K] x [K, N], got [{string.Join(", ", a.Shape)}] x [{string.Join(", ", b.Shape)}]");
        }

        return Run(a.Shape[0], b.Shape[1], a.Shape[1], ToInts(a), ToInts(b));
    }

    /// <summary>
    /// Computes <c>out[m, n] = sum over k in order of a[m, k] * b[k, n]</c>, accumulated with the array's accumulator, and
    /// counts the cycles. Operands are any int values (int8/uint8 widened); products are exact in 64 bits.
    /// </summary>
    /// <param name="m">Rows of A.</param>
    /// <param name="n">Columns of B.</param>
    /// <param name="k">Columns of A and rows of B.</param>
    /// <param name="a">A, m x k row-major.</param>
    /// <param name="b">B, k x n row-major.</param>
    public SystolicRunResult Run(int m, int n, int k, ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (a.Length != (long)m * k || b.Length != (long)k * n)
        {
            throw new ArgumentException($"operand sizes {a.Length} and {b.Length} do not match M={m}, N={n}, K={k}");
        }

        var run = new RunState(new int[m * n]);
        if (m > 0 && n > 0 && k > 0)
        {
            if (_dataflow == Dataflow.OutputStationary)
            {
                RunOutputStationary(m, n, k, a, b, ref run);
            }
            else
            {
                RunStationaryOperand(m, n, k, a, b, ref run);
            }
        }

        return new SystolicRunResult(m, n, run.Output, run.Cycles, run.Macs, run.Folds, run.PeUpdates);
    }

    private void RunOutputStationary(int m, int n, int k, ReadOnlySpan<int> a, ReadOnlySpan<int> b, ref RunState run)
    {
        int rr = _rows, cc = _cols;
        var aVal = new int[rr * cc];
        var aOk = new bool[rr * cc];
        var bVal = new int[rr * cc];
        var bOk = new bool[rr * cc];
        var acc = new int[rr * cc];
        var drainTag = new int[rr * cc];
        for (int n0 = 0; n0 < n; n0 += cc)
        {
            int c = Math.Min(cc, n - n0);
            for (int m0 = 0; m0 < m; m0 += rr)
            {
                int r = Math.Min(rr, m - m0);
                Array.Clear(aOk);
                Array.Clear(bOk);
                Array.Clear(acc);
                long foldMacs = (long)r * c * k, done = 0, t = 0;

                // Streaming: PEs are visited bottom-right first so a neighbour's register still holds last cycle's value.
                while (done < foldMacs)
                {
                    for (int i = r - 1; i >= 0; i--)
                    {
                        for (int j = c - 1; j >= 0; j--)
                        {
                            int p = (i * cc) + j;
                            bool okA, okB;
                            int va, vb;
                            if (j == 0)
                            {
                                long kk = t - i;
                                okA = kk >= 0 && kk < k;
                                va = okA ? a[((m0 + i) * k) + (int)kk] : 0;
                            }
                            else
                            {
                                okA = aOk[p - 1];
                                va = aVal[p - 1];
                            }

                            if (i == 0)
                            {
                                long kk = t - j;
                                okB = kk >= 0 && kk < k;
                                vb = okB ? b[((int)kk * n) + n0 + j] : 0;
                            }
                            else
                            {
                                okB = bOk[p - cc];
                                vb = bVal[p - cc];
                            }

                            aOk[p] = okA;
                            aVal[p] = va;
                            bOk[p] = okB;
                            bVal[p] = vb;
                            if (okA && okB)
                            {
                                acc[p] = NarrowAccumulator.Add(acc[p], (long)va * vb, _accumulatorBits, _overflow);
                                done++;
                            }
                        }
                    }

                    run.PeUpdates += r * c;
                    t++;
                }

                // Drain: the accumulators shift down a column of all R rows; the bottom row shifts into the output buffer.
                for (int i = 0; i < rr; i++)
                {
                    for (int j = 0; j < c; j++)
                    {
                        drainTag[(i * cc) + j] = i < r ? m0 + i : -1;
                    }
                }

                long written = 0, lastWrite = 0, outputs = (long)r * c;
                while (written < outputs)
                {
                    for (int j = 0; j < c; j++)
                    {
                        int bottom = ((rr - 1) * cc) + j;
                        if (drainTag[bottom] >= 0)
                        {
                            run.Output[(drainTag[bottom] * n) + n0 + j] = acc[bottom];
                            written++;
                            lastWrite = t;
                        }

                        for (int i = rr - 1; i > 0; i--)
                        {
                            int p = (i * cc) + j;
                            drainTag[p] = drainTag[p - cc];
                            acc[p] = acc[p - cc];
                        }

                        drainTag[j] = -1;
                    }

                    run.PeUpdates += (long)rr * c;
                    t++;
                }

                run.Cycles += lastWrite + 1 + _latency;
                run.Macs += done;
                run.Folds++;
            }
        }
    }

    private void RunStationaryOperand(int m, int n, int k, ReadOnlySpan<int> a, ReadOnlySpan<int> b, ref RunState run)
    {
        bool ws = _dataflow == Dataflow.WeightStationary;

        // ws: stationary B (k x n), streamed A rows (t = m), output (t, j) at out[t, n0 + j].
        // is: stationary A^T (k x m), streamed B columns (t = n), output (t, j) at out[m0 + j, t].
        int sc = ws ? n : m, tLen = ws ? m : n;
        int rr = _rows, cc = _cols;
        var w = new int[rr * cc];
        var xVal = new int[rr * cc];
        var xOk = new bool[rr * cc];
        var pVal = new int[rr * cc];
        var pTag = new int[rr * cc];
        for (int j0 = 0; j0 < sc; j0 += cc)
        {
            int c = Math.Min(cc, sc - j0);
            for (int k0 = 0; k0 < k; k0 += rr)
            {
                int r = Math.Min(rr, k - k0);
                long t = 0;

                // Load: each used column shifts its stationary values down; the last-needed row is pushed first.
                Array.Clear(w);
                for (int loaded = 0; loaded < r; loaded++)
                {
                    int kk = k0 + r - 1 - loaded;
                    for (int j = 0; j < c; j++)
                    {
                        for (int i = r - 1; i > 0; i--)
                        {
                            w[(i * cc) + j] = w[((i - 1) * cc) + j];
                        }

                        w[j] = ws ? b[(kk * n) + j0 + j] : a[((j0 + j) * k) + kk];
                    }

                    run.PeUpdates += (long)r * c;
                    t++;
                }

                Array.Clear(xOk);
                Array.Fill(pTag, -1);
                long outputs = (long)tLen * c, written = 0, lastWrite = 0, streamStart = t;
                while (written < outputs)
                {
                    // The bottom row's partial sums of last cycle shift into the output buffer.
                    for (int j = 0; j < c; j++)
                    {
                        int bottom = ((rr - 1) * cc) + j;
                        if (pTag[bottom] >= 0)
                        {
                            run.Output[OutIndex(ws, n, j0 + j, pTag[bottom])] = pVal[bottom];
                            written++;
                            lastWrite = t;
                        }
                    }

                    long s = t - streamStart;
                    for (int i = rr - 1; i >= 0; i--)
                    {
                        for (int j = c - 1; j >= 0; j--)
                        {
                            int p = (i * cc) + j;
                            int tag, val;
                            if (i == 0)
                            {
                                long tt = s - j;
                                tag = tt >= 0 && tt < tLen ? (int)tt : -1;
                                val = tag >= 0 ? run.Output[OutIndex(ws, n, j0 + j, tag)] : 0;
                            }
                            else
                            {
                                tag = pTag[p - cc];
                                val = pVal[p - cc];
                            }

                            if (i < r)
                            {
                                bool ok;
                                int x;
                                if (j == 0)
                                {
                                    long tt = s - i;
                                    ok = tt >= 0 && tt < tLen;
                                    x = !ok ? 0 : ws ? a[((int)tt * k) + k0 + i] : b[((k0 + i) * n) + (int)tt];
                                }
                                else
                                {
                                    ok = xOk[p - 1];
                                    x = xVal[p - 1];
                                }

                                xOk[p] = ok;
                                xVal[p] = x;
                                if (ok)
                                {
                                    // The skews line up: the operand for row i and the partial sum for the same t meet here.
                                    System.Diagnostics.Debug.Assert(tag >= 0, "operand and partial sum out of step");
                                    val = NarrowAccumulator.Add(val, (long)x * w[p], _accumulatorBits, _overflow);
                                    run.Macs++;
                                }
                            }

                            pTag[p] = tag;
                            pVal[p] = val;
                        }
                    }

                    run.PeUpdates += (long)rr * c;
                    t++;
                }

                run.Cycles += lastWrite + 1 + _latency;
                run.Folds++;
            }
        }
    }

    private static int OutIndex(bool ws, int n, int j, int t) => ws ? (t * n) + j : (j * n) + t;

    private static int[] ToInts(TensorValue v) => v.Type switch
    {
        DataType.Int8 => Array.ConvertAll(v.Items<sbyte>(), x => (int)x),
        DataType.UInt8 => Array.ConvertAll(v.Items<byte>(), x => (int)x),
        DataType.Int32 => v.Items<int>(),
        _ => throw new ArgumentException($"the array multiplies int8, uint8 or int32 operands, not {v.Type}"),
    };

    private struct RunState(int[] output)
    {
        public int[] Output = output;
        public long Cycles;
        public long Macs;
        public long Folds;
        public long PeUpdates;
    }
}
