using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SiliconSim.Numerics.Kernels;

// QLinearConv's 1x1 convs on the u8s8 route (MobileNet's expand and project layers), split by output pixels: each
// column chunk transposes its own pixels into a private K panel, multiplies it by every filter into an L1/L2-sized
// accumulator tile and requantizes the tile straight into the output. The int32 accumulators of a whole layer never go
// to memory, and on several threads the chunks split between them in one fork per image (a 24-filter projection
// cannot split by filters, but 3136 pixels can).
internal sealed partial class QuantizedConvCore
{
    // A chunk's accumulator tile takes at most this many ints (256 KB: an L2 share; the filters' weights stay in L2
    // across chunks as well), and at most this many columns.
    private const int PointwiseTileInts = 64 * 1024;
    private const int PointwiseMaxChunkColumns = 512;

    // One group, channel quads, no column-sum row (every adjusted weight zero point 0): the tile is requantized as is.
    private bool FusesPointwise => _route == Route.U8S8Gemm && IsPointwise && Geometry.Group == 1 && !_colSums;

    // Chunk width in columns (a multiple of 16): as wide as the tile allows, but narrow enough that every thread
    // gets a chunk.
    private int PointwiseChunkColumns(int threads)
    {
        int byTile = Math.Clamp(PointwiseTileInts / Math.Max(_mgPad, 1) / 16 * 16, 16, PointwiseMaxChunkColumns);
        int perThread = ((OutSize + threads - 1) / threads) + 15;
        return Math.Max(16, Math.Min(byTile, perThread / 16 * 16));
    }

    // Image `image`'s columns chunkStart·cw .. chunkEnd·cw (clipped to OutSize): panel, GEMM, requantization.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PointwiseChunks<TX, TY>(ReadOnlySpan<TX> x, int image, int cw, int chunkStart, int chunkEnd, ReadOnlySpan<int> init, ReadOnlySpan<float> scales, int yZeroPoint, Span<TY> y)
        where TX : unmanaged, IBinaryInteger<TX>
        where TY : unmanaged, IBinaryInteger<TY>, IMinMaxValue<TY>
    {
        int m = Geometry.OutChannels, outSize = OutSize, kq = _kq;
        byte[] panel = Workspace.Rent<byte>(kq * cw * 4, clear: false);
        int[] tile = Workspace.Rent<int>(_mgPad * cw, clear: false);
        try
        {
            ReadOnlySpan<TX> xi = x.Slice(image * Geometry.InChannels * InSize, Geometry.InChannels * InSize);
            for (int chunk = chunkStart; chunk < chunkEnd; chunk++)
            {
                int j0 = chunk * cw, cols = Math.Min(cw, outSize - j0), n = (cols + 7) & ~7;
                FillPointwisePanel(xi, j0, cols, panel, cw);
                U8S8Gemm.Multiply(_wq, panel, init, tile, _mgPad, n, kq, cw, n);
                for (int r = 0; r < m; r++)
                {
                    Requantizer.RequantizeRow(tile.AsSpan(r * n, cols), 0, scales[r], yZeroPoint, y.Slice((r * outSize) + j0, cols));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(panel);
            ArrayPool<int>.Shared.Return(tile);
        }
    }

    // Pixels j0..j0+cols−1 of every channel quad into the panel's K quads (quad q, column j at (q·ldb + j)·4), a row
    // of quads at a time (InterleaveQuadRow). Columns past cols keep stale bytes: their products are dropped.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillPointwisePanel<TX>(ReadOnlySpan<TX> xi, int j0, int cols, byte[] panel, int ldb)
        where TX : unmanaged, IBinaryInteger<TX>
    {
        ReadOnlySpan<byte> src = MemoryMarshal.AsBytes(xi);
        int inSize = InSize;
        ref byte rs = ref MemoryMarshal.GetReference(src);
        ref byte rd = ref MemoryMarshal.GetArrayDataReference(panel);
        for (int cq = 0; cq < _kq; cq++)
        {
            InterleaveQuadRow(ref rs, (cq * 4 * inSize) + j0, inSize, ref rd, cq * ldb * 4, cols, _xSigned);
        }
    }
}
