using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SiliconSim.Numerics.Kernels;

// The AVX-VNNI route: im2col of raw u8 codes into K quads and U8S8Gemm, with the zero points applied by the exact
// expansion Σ x'w' − w_zp'·Σ x' − x_zp'·Σ w' + K·x_zp'·w_zp'.
internal sealed partial class QuantizedConvCore
{
    private int[] _wq = [];
    private int[] _rowInit = [];
    private int[] _wzpAdjusted = [];
    // Dwords 0, 2, 4, 6 into the low half (the high half is not used).
    private static readonly Vector256<int> s_evenDwords = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);

    private int[] _tapOffsets = [];
    private bool _colSums;
    private int _kq;
    private bool _channelQuads;
    private int _mgPad;
    private int _nPad;
    private int _ldb;

    // K quads, their tap offsets in the byte planes, and the im2col and input buffers.
    private void InitU8S8()
    {
        // With a multiple of 4 channels per group, a K quad is four channels at one tap and the byte planes are
        // stored channels-interleaved ([C/4, spatial, 4]), so each quad's row of pixels is one contiguous run.
        _channelQuads = _channelsPerGroup % 4 == 0;
        int ks = Geometry.KernelSize;
        _kq = _channelQuads ? _channelsPerGroup / 4 * ks : (K + 3) / 4;
        _tapOffsets = new int[_channelQuads ? _kq : _kq * 4];
        int t = 0;
        for (int c = 0; c < (_channelQuads ? _channelsPerGroup / 4 : _channelsPerGroup); c++)
        {
            for (int z = 0; z < _k[0]; z++)
            {
                for (int y = 0; y < _k[1]; y++)
                {
                    for (int x = 0; x < _k[2]; x++, t++)
                    {
                        int tap = (c * _planePadded) + KernelTapOffset(z, y, x);
                        _tapOffsets[t] = _channelQuads ? tap * 4 : tap;
                    }
                }
            }
        }

        // The taps past K read tap 0 (any valid byte): their weights are 0, and the column-sum row masks them.
        _nPad = ((ImagesPerChunk * OutSize) + U8S8Gemm.ColumnBlock - 1) / U8S8Gemm.ColumnBlock * U8S8Gemm.ColumnBlock;
        // +16 columns: im2col stores 16 pixels at a time and may spill up to 15 past the last one.
        _ldb = _nPad + 16;
    }

    // The im2col panel, the zero-point-bordered byte planes (+64 bytes: im2col loads 16 or 32 bytes per tap row and
    // may read past the last one) and the GEMM's row-major output for the layouts it cannot write directly.
    private Workspace RentU8S8()
    {
        var ws = new Workspace
        {
            Col = Workspace.Rent<byte>(_kq * 4 * _ldb, clear: false),
            XBytes = Workspace.Rent<byte>((_channelsPerGroup * _planePadded) + 64, clear: false),
            GemmOut = Workspace.Rent<int>(_mgPad * _nPad, clear: false),
        };
        Array.Fill(ws.XBytes, (byte)(_xZeroPoint + (_xSigned ? 128 : 0)));
        return ws;
    }

    // Weights as s8 (u8 codes flipped: w − 128, zero point − 128), four per int, rows padded to the micro-kernel's row
    // block with zeros. When some adjusted weight zero point is not 0, one extra row of ones (taps < K) yields the
    // column sums Σ x' for the w_zp'·Σ x' term. Every int32 step wraps, like the accumulator it corrects.
    private void PackU8S8<TW>(ReadOnlySpan<TW> w, ReadOnlySpan<int> wZeroPoints, int xAdjusted)
        where TW : unmanaged, IBinaryInteger<TW>
    {
        int m = Geometry.OutChannels, mg = _filtersPerGroup, k = K, kq = _kq, ks = Geometry.KernelSize;
        bool wUnsigned = !TW.IsNegative(TW.CreateTruncating(-1));
        _wzpAdjusted = new int[m];
        for (int oc = 0; oc < m; oc++)
        {
            _wzpAdjusted[oc] = wZeroPoints[wZeroPoints.Length == 1 ? 0 : oc] - (wUnsigned ? 128 : 0);
            _colSums |= _wzpAdjusted[oc] != 0;
        }

        int rows = mg + (_colSums ? 1 : 0);
        _mgPad = (rows + U8S8Gemm.RowBlock - 1) / U8S8Gemm.RowBlock * U8S8Gemm.RowBlock;
        _wq = new int[Geometry.Group * _mgPad * kq];
        _rowInit = new int[Geometry.Group * _mgPad];
        Span<byte> quad = stackalloc byte[4];
        for (int gi = 0; gi < Geometry.Group; gi++)
        {
            for (int r = 0; r < rows; r++)
            {
                int oc = (gi * mg) + r;
                int sum = 0;
                for (int q = 0; q < kq; q++)
                {
                    for (int e = 0; e < 4; e++)
                    {
                        // K index of quad element e: tap-major (c, kernel) order, or channel e of a channel quad.
                        int t = _channelQuads ? (((((q / ks) * 4) + e) * ks) + (q % ks)) : (q * 4) + e;
                        int v = t >= k ? 0 : r == mg ? 1 : int.CreateTruncating(w[(oc * k) + t]) - (wUnsigned ? 128 : 0);
                        sum += v;
                        quad[e] = (byte)v;
                    }

                    _wq[(((gi * _mgPad) + r) * kq) + q] = BitConverter.ToInt32(quad);
                }

                if (r < mg)
                {
                    // Σ (x' − xz')(w' − wz') = Σ x'w' − wz'·Σ x' − xz'·Σ w' + K·xz'·wz'; the last two are per row.
                    _rowInit[(gi * _mgPad) + r] = unchecked((k * xAdjusted * _wzpAdjusted[oc]) - (xAdjusted * sum));
                }
            }
        }
    }

    // The byte planes and im2col panel of group gi for images first..first+count−1.
    private void U8S8Im2Col<TX>(ReadOnlySpan<TX> x, int first, int count, int gi, Workspace ws)
        where TX : unmanaged, IBinaryInteger<TX>
    {
        for (int b = 0; b < count; b++)
        {
            U8S8FillPlanes(x, first, b, gi, ws, 0, FillPieces);
            if (!IsPointwise)
            {
                U8S8Im2ColImage(b, ws, 0, _kq);
            }
        }
    }

    // U8S8Im2Col on up to parallelism's threads: the planes split by channels (or channel quads) and the panel by K
    // quads; every piece writes its own bytes, so the panel is the same on any thread count.
    private void U8S8Im2Col<TX>(ReadOnlyMemory<TX> x, int first, int count, int gi, Workspace ws, Parallelism parallelism)
        where TX : unmanaged, IBinaryInteger<TX>
    {
        for (int b = 0; b < count; b++)
        {
            int image = b;
            parallelism.ForRanges(FillPieces, (start, end) => U8S8FillPlanes(x.Span, first, image, gi, ws, start, end), Im2ColMinPiecesPerThread);
            if (!IsPointwise)
            {
                parallelism.ForRanges(_kq, (start, end) => U8S8Im2ColImage(image, ws, start, end), Im2ColMinPiecesPerThread);
            }
        }
    }

    // Below this many channel quads (or K quads) per thread, filling on one thread is cheaper than dispatching.
    private const int Im2ColMinPiecesPerThread = 8;

    // The units the byte planes are filled in: channel quads, or single channels.
    private int FillPieces => _channelQuads ? _channelsPerGroup / 4 : _channelsPerGroup;

    // Pieces pieceStart..pieceEnd−1 of image first + b's byte planes (group gi). A 1x1 conv with unit strides and no
    // padding writes its channel-interleaved planes straight into the K panel (no im2col copy).
    private void U8S8FillPlanes<TX>(ReadOnlySpan<TX> x, int first, int b, int gi, Workspace ws, int pieceStart, int pieceEnd)
        where TX : unmanaged, IBinaryInteger<TX>
    {
        int cg = _channelsPerGroup;
        int src = (((first + b) * Geometry.InChannels) + (gi * cg)) * InSize;
        ReadOnlySpan<TX> xg = x.Slice(src, cg * InSize);
        if (!_channelQuads)
        {
            FillBytes(xg, ws.XBytes, pieceStart, pieceEnd);
        }
        else if (IsPointwise)
        {
            FillChannelQuads(xg, ws.Col, _ldb, b * OutSize, pieceStart, pieceEnd);
        }
        else
        {
            FillChannelQuads(xg, ws.XBytes, _planePadded, 0, pieceStart, pieceEnd);
        }
    }

    // K quads qStart..qEnd−1 of image b's im2col panel.
    private void U8S8Im2ColImage(int b, Workspace ws, int qStart, int qEnd)
    {
        if (_channelQuads)
        {
            Im2ColChannelQuads(b * OutSize, ws.XBytes, ws.Col, qStart, qEnd);
        }
        else
        {
            Im2ColQuads(b * OutSize, ws.XBytes, ws.Col, qStart, qEnd);
        }
    }

    // 1x1 kernel, unit strides, no padding, channel quads: output pixel p reads input pixel p of every channel.
    private bool IsPointwise => _channelQuads && Geometry.KernelSize == 1 && _s[0] == 1 && _s[1] == 1 && _s[2] == 1 && _planePadded == InSize;

    // Whole vectors never straddle images and there are no padding rows: the GEMM writes [image, oc, pixel] directly.
    private bool WritesDirectly(int gi) => OutSize % U8S8Gemm.ColumnBlock == 0 && _filtersPerGroup == _mgPad;

    // Row blocks blockStart..blockEnd−1 (of U8S8Gemm.RowBlock rows) of group gi's GEMM: into acc when the layout allows,
    // else into the workspace's row-major output for U8S8Scatter.
    private void U8S8Multiply(int count, int gi, Span<int> acc, Workspace ws, int blockStart, int blockEnd)
    {
        int mg = _filtersPerGroup, outSize = OutSize, m = Geometry.OutChannels;
        if (count * outSize == 0 || blockEnd <= blockStart)
        {
            return;
        }

        int r0 = blockStart * U8S8Gemm.RowBlock, rows = (blockEnd - blockStart) * U8S8Gemm.RowBlock;
        ReadOnlySpan<int> w = _wq.AsSpan(((gi * _mgPad) + r0) * _kq);
        ReadOnlySpan<int> init = _rowInit.AsSpan((gi * _mgPad) + r0, rows);
        if (WritesDirectly(gi))
        {
            U8S8Gemm.Multiply(w, ws.Col, init, acc[(((gi * mg) + r0) * outSize)..], rows, count * outSize, _kq, _ldb, outSize, outSize, m * outSize);
            return;
        }

        int n = (count * outSize) + U8S8Gemm.ColumnBlock - 1;
        n -= n % U8S8Gemm.ColumnBlock;
        U8S8Gemm.Multiply(w, ws.Col, init, ws.GemmOut.AsSpan(r0 * _nPad, rows * _nPad), rows, n, _kq, _ldb, _nPad);
    }

    // The GEMM's row-major output into [image, oc, pixel], less w_zp'·Σ x' (the column-sum row) where w_zp' ≠ 0.
    private void U8S8Scatter(int count, int gi, Span<int> acc, Workspace ws)
    {
        int mg = _filtersPerGroup, outSize = OutSize, m = Geometry.OutChannels;
        if (count * outSize == 0 || WritesDirectly(gi))
        {
            return;
        }

        ReadOnlySpan<int> sums = _colSums ? ws.GemmOut.AsSpan(mg * _nPad, _nPad) : [];
        for (int r = 0; r < mg; r++)
        {
            int oc = (gi * mg) + r;
            Span<int> row = ws.GemmOut.AsSpan(r * _nPad, count * outSize);
            int wz = _wzpAdjusted[oc];
            if (wz != 0)
            {
                for (int j = 0; j < row.Length; j++)
                {
                    row[j] = unchecked(row[j] - (wz * sums[j]));
                }
            }

            for (int b = 0; b < count; b++)
            {
                row.Slice(b * outSize, outSize).CopyTo(acc.Slice(((b * m) + oc) * outSize, outSize));
            }
        }
    }

    // The group's channels, four at a time, into channel-interleaved zero-point-bordered planes [C/4, spatial, 4]
    // (plane cq at pixel cq·planeStride + pixelBase), a row of pixels at a time (InterleaveQuadRow).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillChannelQuads<TX>(ReadOnlySpan<TX> xg, byte[] xBytes, int planeStride, int pixelBase, int cqStart, int cqEnd)
        where TX : unmanaged, IBinaryInteger<TX>
    {
        ReadOnlySpan<byte> src = MemoryMarshal.AsBytes(xg);
        int w = _in[2], inSize = InSize;
        ref byte rs = ref MemoryMarshal.GetReference(src);
        ref byte rd = ref MemoryMarshal.GetArrayDataReference(xBytes);
        for (int cq = cqStart; cq < cqEnd; cq++)
        {
            int si = cq * 4 * inSize;
            for (int d = 0; d < _in[0]; d++)
            {
                for (int h = 0; h < _in[1]; h++, si += w)
                {
                    int di = ((cq * planeStride) + pixelBase + PaddedRowStart(d, h)) * 4;
                    InterleaveQuadRow(ref rs, si, inSize, ref rd, di, w, _xSigned);
                }
            }
        }
    }

    /// <summary>
    /// Pixels si..si+count−1 of four channel planes <paramref name="inSize"/> apart, interleaved as quads at
    /// <paramref name="di"/> (pixel i's four channel bytes at di + 4i): four pixels of four channels are one 4×4 byte
    /// transpose (pshufb); s8 codes move to u8 by flipping the top bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InterleaveQuadRow(ref byte rs, int si, int inSize, ref byte rd, int di, int count, bool signed)
    {
        byte flip = signed ? (byte)0x80 : (byte)0;
        int i = 0;
        if (Ssse3.IsSupported)
        {
            Vector128<byte> transpose = Vector128.Create((byte)0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
            Vector128<byte> vflip = Vector128.Create(flip);
            for (; i + 4 <= count; i += 4)
            {
                Vector128<byte> v = Vector128.Create(
                    Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref rs, si + i)),
                    Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref rs, si + inSize + i)),
                    Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref rs, si + (2 * inSize) + i)),
                    Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref rs, si + (3 * inSize) + i))).AsByte();
                (Ssse3.Shuffle(v, transpose) ^ vflip).StoreUnsafe(ref rd, (nuint)(di + (i * 4)));
            }
        }

        for (; i < count; i++)
        {
            for (int e = 0; e < 4; e++)
            {
                Unsafe.Add(ref rd, di + (i * 4) + e) = (byte)(Unsafe.Add(ref rs, si + (e * inSize) + i) ^ flip);
            }
        }
    }

    // im2col of channel-interleaved planes: quad q's four bytes per pixel are already adjacent, so with unit width
    // stride a row of pixels is one contiguous copy (32-byte moves; the spill past a row is overwritten by the next
    // row or lands in the ldb slack).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Im2ColChannelQuads(int colBase, byte[] xBytes, byte[] colBuffer, int qStart, int qEnd)
    {
        ref byte xp = ref MemoryMarshal.GetArrayDataReference(xBytes);
        ref byte col = ref MemoryMarshal.GetArrayDataReference(colBuffer);
        int ph = _padded[1], pw = _padded[2];
        int out1 = _out[1], out2 = _out[2], s0 = _s[0], s1 = _s[1], s2 = _s[2];
        int rows = _out[0] * out1;
        int rowBytes = out2 * 4;
        int out0 = _out[0];
        // Source offset of each output row (od, oh), hoisted out of the quad loop.
        Span<int> rowStarts = rows <= 256 ? stackalloc int[rows] : new int[rows];
        for (int od = 0, r = 0; od < out0; od++)
        {
            for (int oh = 0; oh < out1; oh++, r++)
            {
                rowStarts[r] = ((od * s0 * ph) + (oh * s1)) * pw * 4;
            }
        }

        ref int rr = ref MemoryMarshal.GetReference(rowStarts);
        for (int q = qStart; q < qEnd; q++)
        {
            ref byte tap = ref Unsafe.Add(ref xp, _tapOffsets[q]);
            ref byte dst = ref Unsafe.Add(ref col, ((q * _ldb) + colBase) * 4);
            if (s2 == 1 && rowBytes <= 32)
            {
                // One 32-byte move per row (rows of up to 8 pixels); the spill is overwritten by the next row.
                for (int r = 0; r < rows; r++, dst = ref Unsafe.Add(ref dst, rowBytes))
                {
                    Vector256.LoadUnsafe(ref Unsafe.Add(ref tap, Unsafe.Add(ref rr, r))).StoreUnsafe(ref dst);
                }

                continue;
            }

            for (int r = 0; r < rows; r++, dst = ref Unsafe.Add(ref dst, rowBytes))
            {
                ref byte srcRow = ref Unsafe.Add(ref tap, Unsafe.Add(ref rr, r));
                if (s2 == 1)
                {
                    for (int o = 0; o < rowBytes; o += 32)
                    {
                        Vector256.LoadUnsafe(ref srcRow, (nuint)o).StoreUnsafe(ref dst, (nuint)o);
                    }
                }
                else
                {
                    int ow = 0;
                    if (s2 == 2 && Avx2.IsSupported)
                    {
                        // Eight pixels per step: the even dwords of two 32-byte loads (each dword is one pixel's quad).
                        // Reads up to 60 bytes past the last pixel (the +64 slack) and spills up to 28 bytes past the
                        // row, which the next row overwrites or the ldb slack takes.
                        for (; ow < out2; ow += 8)
                        {
                            Vector256<int> a = Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref srcRow, (nuint)(ow * 8)).AsInt32(), s_evenDwords);
                            Vector256<int> b = Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref srcRow, (nuint)((ow * 8) + 32)).AsInt32(), s_evenDwords);
                            Avx2.Permute2x128(a, b, 0x20).AsByte().StoreUnsafe(ref dst, (nuint)(ow * 4));
                        }
                    }

                    for (; ow < out2; ow++)
                    {
                        Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, ow * 4), Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref srcRow, ow * s2 * 4)));
                    }
                }
            }
        }
    }

    // The group's channels into the zero-point-bordered byte planes; s8 codes move to u8 by flipping the top bit.
    // Image rows are short (often 4 or 8 bytes), so they move in 8-byte words and bytes rather than through memmove.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillBytes<TX>(ReadOnlySpan<TX> xg, byte[] xBytes, int cStart, int cEnd)
        where TX : unmanaged, IBinaryInteger<TX>
    {
        ReadOnlySpan<byte> src = MemoryMarshal.AsBytes(xg);
        int w = _in[2];
        ulong flip = _xSigned ? 0x8080808080808080UL : 0;
        ref byte rs = ref MemoryMarshal.GetReference(src);
        ref byte rd = ref MemoryMarshal.GetArrayDataReference(xBytes);
        int si = cStart * InSize;
        for (int c = cStart; c < cEnd; c++)
        {
            for (int d = 0; d < _in[0]; d++)
            {
                for (int h = 0; h < _in[1]; h++, si += w)
                {
                    int di = (c * _planePadded) + PaddedRowStart(d, h);
                    int i = 0;
                    for (; i + 8 <= w; i += 8)
                    {
                        Unsafe.WriteUnaligned(ref Unsafe.Add(ref rd, di + i), Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref rs, si + i)) ^ flip);
                    }

                    for (; i < w; i++)
                    {
                        Unsafe.Add(ref rd, di + i) = (byte)(Unsafe.Add(ref rs, si + i) ^ (byte)flip);
                    }
                }
            }
        }
    }

    // im2col into K quads: for quad q and column j = colBase + pixel, the four tap bytes sit at _col[(q·ldb + j)·4].
    // With unit width stride each tap row is contiguous, so four 16-pixel loads interleave (punpck) into 16 columns.
    // Output rows of exactly 4 or 8 pixels are gathered 4 or 2 rows per load, so no lane is wasted. The 64-byte
    // stores may spill up to 15 columns past the last pixel; later rows (and images) overwrite the spill, and the
    // last spill lands in the ldb slack.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Im2ColQuads(int colBase, byte[] xBytes, byte[] colBuffer, int qStart, int qEnd)
    {
        ref byte xp = ref MemoryMarshal.GetArrayDataReference(xBytes);
        ref byte col = ref MemoryMarshal.GetArrayDataReference(colBuffer);
        int ph = _padded[1], pw = _padded[2];
        int out1 = _out[1], out2 = _out[2], s0 = _s[0], s1 = _s[1], s2 = _s[2];
        int rows = _out[0] * out1;
        bool vector = s2 == 1 && Sse2.IsSupported;
        bool vectorStride2 = s2 == 2 && Sse2.IsSupported;
        int rowsPerLoad = !vector ? 1 : out2 == 4 ? 4 : out2 == 8 ? 2 : 1;
        Span<int> rowOffsets = stackalloc int[4];
        for (int q = qStart; q < qEnd; q++)
        {
            int o0 = _tapOffsets[4 * q], o1 = _tapOffsets[(4 * q) + 1], o2 = _tapOffsets[(4 * q) + 2], o3 = _tapOffsets[(4 * q) + 3];
            ref byte dstQ = ref Unsafe.Add(ref col, ((q * _ldb) + colBase) * 4);
            int r = 0;
            if (rowsPerLoad > 1)
            {
                for (; r + rowsPerLoad <= rows; r += rowsPerLoad)
                {
                    for (int i = 0; i < rowsPerLoad; i++)
                    {
                        int od = (r + i) / out1, oh = (r + i) - (od * out1);
                        rowOffsets[i] = ((od * s0 * ph) + (oh * s1)) * pw;
                    }

                    ref byte o = ref Unsafe.Add(ref dstQ, r * out2 * 4);
                    if (rowsPerLoad == 4)
                    {
                        Interleave4(Gather4x4(ref xp, o0, rowOffsets), Gather4x4(ref xp, o1, rowOffsets), Gather4x4(ref xp, o2, rowOffsets), Gather4x4(ref xp, o3, rowOffsets), ref o);
                    }
                    else
                    {
                        Interleave4(Gather2x8(ref xp, o0, rowOffsets), Gather2x8(ref xp, o1, rowOffsets), Gather2x8(ref xp, o2, rowOffsets), Gather2x8(ref xp, o3, rowOffsets), ref o);
                    }
                }
            }

            for (; r < rows; r++)
            {
                int od = r / out1, oh = r - (od * out1);
                int row = ((od * s0 * ph) + (oh * s1)) * pw;
                ref byte dst = ref Unsafe.Add(ref dstQ, r * out2 * 4);
                if (vector)
                {
                    for (int ow = 0; ow < out2; ow += 16)
                    {
                        Interleave4(
                            Vector128.LoadUnsafe(ref xp, (nuint)(o0 + row + ow)),
                            Vector128.LoadUnsafe(ref xp, (nuint)(o1 + row + ow)),
                            Vector128.LoadUnsafe(ref xp, (nuint)(o2 + row + ow)),
                            Vector128.LoadUnsafe(ref xp, (nuint)(o3 + row + ow)),
                            ref Unsafe.Add(ref dst, ow * 4));
                    }
                }
                else if (vectorStride2)
                {
                    // Sixteen pixels per step: the even bytes of 32 per tap row (reads up to 31 bytes past the last
                    // pixel, inside the +64 slack; the 64-byte stores spill as in the unit-stride path).
                    for (int ow = 0; ow < out2; ow += 16)
                    {
                        Interleave4(
                            EvenBytes(ref xp, o0 + row + (2 * ow)),
                            EvenBytes(ref xp, o1 + row + (2 * ow)),
                            EvenBytes(ref xp, o2 + row + (2 * ow)),
                            EvenBytes(ref xp, o3 + row + (2 * ow)),
                            ref Unsafe.Add(ref dst, ow * 4));
                    }
                }
                else
                {
                    for (int ow = 0; ow < out2; ow++)
                    {
                        int src = row + (ow * s2);
                        ref byte o = ref Unsafe.Add(ref dst, ow * 4);
                        o = Unsafe.Add(ref xp, o0 + src);
                        Unsafe.Add(ref o, 1) = Unsafe.Add(ref xp, o1 + src);
                        Unsafe.Add(ref o, 2) = Unsafe.Add(ref xp, o2 + src);
                        Unsafe.Add(ref o, 3) = Unsafe.Add(ref xp, o3 + src);
                    }
                }
            }
        }
    }

    // Bytes 0, 2, ..., 30 of the 32 at xp + at: packuswb of the words' low bytes, exact since each is 0..255.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> EvenBytes(ref byte xp, int at)
    {
        Vector128<short> mask = Vector128.Create((short)0xFF);
        Vector128<short> lo = Vector128.LoadUnsafe(ref xp, (nuint)at).AsInt16() & mask;
        Vector128<short> hi = Vector128.LoadUnsafe(ref xp, (nuint)(at + 16)).AsInt16() & mask;
        return Sse2.PackUnsignedSaturate(lo, hi);
    }

    // Sixteen pixels of four taps a, b, c, d into 64 bytes a0 b0 c0 d0 a1 b1 c1 d1 ...
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Interleave4(Vector128<byte> a, Vector128<byte> b, Vector128<byte> c, Vector128<byte> d, ref byte o)
    {
        Vector128<ushort> abLo = Sse2.UnpackLow(a, b).AsUInt16(), abHi = Sse2.UnpackHigh(a, b).AsUInt16();
        Vector128<ushort> cdLo = Sse2.UnpackLow(c, d).AsUInt16(), cdHi = Sse2.UnpackHigh(c, d).AsUInt16();
        Sse2.UnpackLow(abLo, cdLo).AsByte().StoreUnsafe(ref o);
        Sse2.UnpackHigh(abLo, cdLo).AsByte().StoreUnsafe(ref o, 16);
        Sse2.UnpackLow(abHi, cdHi).AsByte().StoreUnsafe(ref o, 32);
        Sse2.UnpackHigh(abHi, cdHi).AsByte().StoreUnsafe(ref o, 48);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Gather4x4(ref byte xp, int tap, ReadOnlySpan<int> rows) => Vector128.Create(
        Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref xp, tap + rows[0])),
        Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref xp, tap + rows[1])),
        Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref xp, tap + rows[2])),
        Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref xp, tap + rows[3]))).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Gather2x8(ref byte xp, int tap, ReadOnlySpan<int> rows) => Vector128.Create(
        Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref xp, tap + rows[0])),
        Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref xp, tap + rows[1]))).AsByte();
}
