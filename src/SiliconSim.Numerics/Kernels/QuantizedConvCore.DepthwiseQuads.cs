using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SiliconSim.Numerics.Kernels;

// The u8s8 depthwise route (AVX-VNNI): per channel, the zero-point-bordered byte plane (u8 codes, s8 flipped by the top
// bit) becomes a quad plane (DepthwiseQuadKernel.BuildQuads: per column position the four bytes one kernel row reads),
// and each output row is one vpdpbusd per kernel row and eight columns, with the zero points applied by the same exact
// expansion as the u8s8 GEMM route: Σ x'w' − w_zp'·Σ x' − x_zp'·Σ w' + K·x_zp'·w_zp'. Width stride 2 builds the
// quads of every other column (bytes 2k..2k+3), so only the kept columns are computed; row and depth strides just
// pick the rows. Each channel's outputs stay in an L1-sized buffer until they are copied out or requantized.
internal sealed partial class QuantizedConvCore
{
    private int[] _dqOffsets = [];
    private int[] _dqWeights = [];
    private int[] _dqOnes = [];
    private int[] _dqInit = [];
    private int[] _dqWz = [];
    private int _dqQuadsPerRow;
    private int _dqRowWidth;
    private int _dqRows;
    private int _dqOut2Pad;
    private int _dqBytesLength;
    private int _dqWidePad;
    private int _dqQuadCount;

    // Width stride 2 reads quads at even columns only, so its quads must start at even columns: width dilation 1.
    private bool FitsDepthwiseQuads => _s[2] == 1 || (_s[2] == 2 && _d[2] == 1);

    // Unit strides: every output row is a run of the one flat wide grid, computed in one pass.
    private bool IsFlatDepthwise => _s[0] == 1 && _s[1] == 1 && _s[2] == 1;

    // Quad offsets in the quad plane, and the plane and buffer extents.
    private void InitDepthwiseQuads()
    {
        int ph = _padded[1], pw = _padded[2], kw = _k[2];
        bool adjacent = _d[2] == 1;
        _dqQuadsPerRow = adjacent ? (kw + 3) / 4 : kw;
        _dqOut2Pad = (_out[2] + 7) & ~7;
        int quadCols = _s[2] == 1 ? 0 : _dqOut2Pad + (2 * (_dqQuadsPerRow - 1));
        _dqRowWidth = _s[2] == 1 ? pw : (quadCols + 7) & ~7;
        var offsets = new List<int>();
        int maxRowPart = 0;
        for (int z = 0; z < _k[0]; z++)
        {
            for (int y = 0; y < _k[1]; y++)
            {
                int rowPart = (z * _d[0] * ph) + (y * _d[1]);
                maxRowPart = Math.Max(maxRowPart, rowPart);
                for (int u = 0; u < _dqQuadsPerRow; u++)
                {
                    int col = adjacent ? 4 * u : u * _d[2];
                    offsets.Add((rowPart * _dqRowWidth) + (_s[2] == 1 ? col : col / 2));
                }
            }
        }

        _dqOffsets = [.. offsets];
        int maxRow = OutSize == 0 ? 0 : ((_out[0] - 1) * _s[0] * ph) + ((_out[1] - 1) * _s[1]) + maxRowPart;
        if (_s[2] == 1)
        {
            // One flat run of quads over the rows read: the last row's reads end _dqOut2Pad + the last quad column on.
            _dqRows = 1;
            int count = (maxRow * pw) + _dqOffsets[^1] - (maxRowPart * pw) + _dqOut2Pad;
            if (IsFlatDepthwise)
            {
                // One run over the wide grid of all rows (the columns past the output width are dropped afterwards).
                int wide = OutSize == 0 ? 0 : (((((_out[0] - 1) * ph) + _out[1] - 1) * pw) + _out[2]);
                _dqWidePad = (wide + 7) & ~7;
                count = Math.Max(count, _dqOffsets[^1] + _dqWidePad);
            }

            _dqQuadCount = (Math.Max(count, 1) + 7) & ~7;
            _dqBytesLength = Math.Max(_planePadded, _dqQuadCount + 24) + 8;
        }
        else
        {
            _dqRows = maxRow + 1;
            _dqQuadCount = _dqRows * _dqRowWidth;
            _dqBytesLength = Math.Max(_planePadded, (maxRow * pw) + (2 * _dqRowWidth) + 24) + 8;
        }
    }

    // Weights as s8 quads per kernel row (u8 codes flipped: w − 128, zero point − 128), zero past the row's taps; the
    // ones quads mark the real taps for the column sums; per channel the row-constant terms.
    private void PackDepthwiseQuads<TW>(ReadOnlySpan<TW> w, ReadOnlySpan<int> wZeroPoints, int xAdjusted)
        where TW : unmanaged, IBinaryInteger<TW>
    {
        int m = Geometry.OutChannels, k = K, kw = _k[2], nq = _dqOffsets.Length, perRow = _dqQuadsPerRow;
        bool wUnsigned = !TW.IsNegative(TW.CreateTruncating(-1));
        bool adjacent = _d[2] == 1;
        _dqWeights = new int[m * nq];
        _dqOnes = new int[nq];
        _dqInit = new int[m];
        _dqWz = new int[m];
        for (int oc = 0; oc < m; oc++)
        {
            int wz = wZeroPoints[wZeroPoints.Length == 1 ? 0 : oc] - (wUnsigned ? 128 : 0);
            int sum = 0;
            for (int q = 0; q < nq; q++)
            {
                int row = q / perRow, u = q % perRow;
                int packed = 0, ones = 0;
                for (int e = 0; e < (adjacent ? 4 : 1); e++)
                {
                    int x = adjacent ? (4 * u) + e : u;
                    if (x >= kw)
                    {
                        continue;
                    }

                    int v = int.CreateTruncating(w[(oc * k) + (row * kw) + x]) - (wUnsigned ? 128 : 0);
                    sum += v;
                    packed |= (v & 0xFF) << (8 * e);
                    ones |= 1 << (8 * e);
                }

                _dqWeights[(oc * nq) + q] = packed;
                _dqOnes[q] = ones;
            }

            _dqWz[oc] = wz;
            _dqInit[oc] = unchecked((k * xAdjusted * wz) - (xAdjusted * sum));
        }
    }

    /// <summary>
    /// Channels cStart..cEnd−1 of one image: their exact accumulators into <paramref name="acc"/> (the image's
    /// [M, OutSize] block) when <paramref name="scales"/> is empty, else requantized straight into
    /// <paramref name="y"/> (the image's [M, OutSize] codes) with <see cref="Requantizer.RequantizeRow{T}"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DepthwiseQuadChannels<TX, TY>(ReadOnlySpan<TX> x, int image, int cStart, int cEnd, Span<int> acc, ReadOnlySpan<int> bias, ReadOnlySpan<float> scales, int yZeroPoint, Span<TY> y)
        where TX : unmanaged, IBinaryInteger<TX>
        where TY : unmanaged, IBinaryInteger<TY>, IMinMaxValue<TY>
    {
        int outSize = OutSize, mg = _filtersPerGroup, nq = _dqOffsets.Length;
        byte[] bytes = Workspace.Rent<byte>(_dqBytesLength, clear: false);
        int[] quads = Workspace.Rent<int>(_dqQuadCount + 8, clear: false);
        // The channel's outputs, row after row; each row's vector spill lands in the next row or the 8-value slack.
        int[] channel = Workspace.Rent<int>(Math.Max(outSize, _dqWidePad) + 8, clear: false);
        try
        {
            Array.Fill(bytes, (byte)(_xZeroPoint + (_xSigned ? 128 : 0)));
            int ph = _padded[1], pw = _padded[2], out0 = _out[0], out1 = _out[1], out2 = _out[2];
            int rowStep = _s[1] * _dqRowWidth, depthStep = _s[0] * ph * _dqRowWidth;
            ref byte rb = ref MemoryMarshal.GetArrayDataReference(bytes);
            ref int rq = ref MemoryMarshal.GetArrayDataReference(quads);
            ref int rc = ref MemoryMarshal.GetArrayDataReference(channel);
            for (int c = cStart; c < cEnd; c++)
            {
                FillBytes(x.Slice(((image * Geometry.InChannels) + c) * InSize, InSize), bytes, 0, 1);
                if (_s[2] == 1)
                {
                    DepthwiseQuadKernel.BuildQuads(ref rb, ref rq, _dqQuadCount, 1);
                }
                else
                {
                    for (int r = 0; r < _dqRows; r++)
                    {
                        DepthwiseQuadKernel.BuildQuads(ref Unsafe.Add(ref rb, r * pw), ref Unsafe.Add(ref rq, r * _dqRowWidth), _dqRowWidth, 2);
                    }
                }

                for (int f = 0; f < mg; f++)
                {
                    int oc = (c * mg) + f;
                    ReadOnlySpan<int> wq = _dqWeights.AsSpan(oc * nq, nq);
                    int init = _dqInit[oc], wz = _dqWz[oc];
                    bool flat = IsFlatDepthwise;
                    if (flat)
                    {
                        // One wide grid whose output rows lie pw apart (for a single depth slice).
                        DepthwiseQuadKernel.AccumulateRow(ref rq, _dqOffsets, wq, _dqOnes, init, wz, ref rc, _dqWidePad);
                    }
                    else
                    {
                        int o = 0;
                        for (int od = 0; od < out0; od++)
                        {
                            int rowBase = od * depthStep;
                            for (int oh = 0; oh < out1; oh++, rowBase += rowStep, o += out2)
                            {
                                DepthwiseQuadKernel.AccumulateRow(ref Unsafe.Add(ref rq, rowBase), _dqOffsets, wq, _dqOnes, init, wz, ref Unsafe.Add(ref rc, o), _dqOut2Pad);
                            }
                        }
                    }

                    for (int od = 0; od < out0; od++)
                    {
                        // Depth slice od: out1 rows pw apart from the flat grid's slice start (or, compact, as one row).
                        int from = flat ? od * ph * pw : od * out1 * out2;
                        int rows = flat ? out1 : 1, length = flat ? out2 : out1 * out2, rowStride = flat ? pw : length;
                        int to = (oc * outSize) + (od * out1 * out2);
                        if (scales.IsEmpty)
                        {
                            for (int r = 0; r < rows; r++)
                            {
                                channel.AsSpan(from + (r * rowStride), length).CopyTo(acc.Slice(to + (r * length), length));
                            }
                        }
                        else
                        {
                            Requantizer.RequantizeStridedRows(channel.AsSpan(from), rowStride, length, rows, bias.IsEmpty ? 0 : bias[oc], scales[oc], yZeroPoint, y.Slice(to, out1 * out2));
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<int>.Shared.Return(quads);
            ArrayPool<int>.Shared.Return(channel);
        }
    }
}
