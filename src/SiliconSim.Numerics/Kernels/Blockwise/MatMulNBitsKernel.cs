using SiliconSim.Numerics.Kernels.Float;

namespace SiliconSim.Numerics.Kernels.Blockwise;

/// <summary>The attributes of com.microsoft MatMulNBits.</summary>
/// <param name="K">Rows of the unquantized B (the reduction length).</param>
/// <param name="N">Columns of B (outputs).</param>
/// <param name="Bits">Bits per weight, 4 or 8.</param>
/// <param name="BlockSize">Weights per quantization block along K, a power of two in [16, 256].</param>
/// <param name="AccuracyLevel">0 (fp32 compute) or 4 (int8 compute with A quantized per block).</param>
public sealed record MatMulNBitsSpec(int K, int N, int Bits, int BlockSize, int AccuracyLevel);

/// <summary>
/// com.microsoft MatMulNBits on fp32 A as ORT 1.31's CPU kernel computes it on x86-64 with AVX-512 (contrib_ops/cpu/
/// quantization/matmul_nbits.cc, MLAS qnbitgemm.cpp), single-threaded. B is [N, ⌈K/bs⌉, bs·bits/8] bytes, element k of
/// a block in byte k·bits/8 (low nibble first for 4 bits); a weight dequantizes to (q − zp)·scale, one fp32 product,
/// with zp = 2^(bits−1) when no zero points are given (4-bit zero points are packed two blocks a byte, low first,
/// each column's row padded to a whole byte); float zero points dequantize as q·scale + (−scale·zp).
/// <list type="bullet">
/// <item>4 bits, uint8 or no zero points, B constant (prepacked, SQNBIT_CompFp32): with M = 1 the AVX-512 M1 kernel: per
/// column 16 lanes; each block is walked in chunks of 32, lane l taking k = chunk + l then chunk + 16 + l, each an fma
/// of the dequantized weight and a; lanes are then summed by <see cref="FoldFour"/> for columns in groups of four
/// (within slices of 128 columns) and by <see cref="ReduceAdd16"/> for the rest; the bias is added after. With M &gt; 1
/// the dequantized slice feeds MLAS's SGEMM kernel: one fma chain over k from 0, then the bias added.</item>
/// <item>8 bits, float zero points, or B not constant: B is dequantized to [N, K] and ORT's MlasGemm runs with B
/// transposed (<see cref="FloatGemm.Sgemm"/>), C pre-filled with the bias and beta 1 when there is one.</item>
/// </list>
/// Accuracy level 4 is the int8-compute path of MatMulNBitsKernel.CompInt8.cs (4 and 8 bits), for the cases it names.
/// </summary>
public static partial class MatMulNBitsKernel
{
    /// <summary>MLAS_QUANT4_BLK_UNIT: the AVX-512 M1 kernel consumes a block 32 weights at a time.</summary>
    private const int ChunkLength = 32;

    /// <summary>SQ4BitGemm_CompFp32 hands the M1 kernel 128 columns at a time.</summary>
    private const int M1ColumnSlice = 128;

    /// <summary>Y = A·dequant(B)ᵀ [+ bias], Y shaped A with its last dim replaced by N.</summary>
    /// <exception cref="ArgumentException">inputs that ORT's MatMulNBits input check refuses, or an unmodelled mode.</exception>
    public static TensorValue Compute(MatMulNBitsSpec spec, TensorValue a, TensorValue b, TensorValue scales, TensorValue? zeroPoints, TensorValue? bias, bool bIsConstant)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(scales);
        Validate(spec, a, b, scales, zeroPoints, bias);
        if (spec.AccuracyLevel == 4 && CompInt8Unsupported(spec, zeroPoints, bIsConstant) is string reason)
        {
            throw new ArgumentException($"MatMulNBits {reason}");
        }

        int k = spec.K;
        int n = spec.N;
        int m = a.Length / k;
        float[] x = a.Items<float>();
        float[]? bi = bias?.Items<float>();
        var y = new float[m * n];
        var weights = new BlockWeights(spec, b.Items<byte>(), scales.Items<float>(), zeroPoints);
        // ORT prepacks a constant B with uint8 or no zero points (4 or 8 bits); level 0 has a packed kernel for 4 bits only.
        bool prepacked = bIsConstant && (zeroPoints is null || zeroPoints.Type == DataType.UInt8);
        bool packedFp32 = spec.Bits == 4 && prepacked;
        if (spec.AccuracyLevel == 4 && prepacked)
        {
            CompInt8(weights, x, m, bi, y);
        }
        else if (packedFp32 && m == 1)
        {
            M1(weights, x, bi, y);
        }
        else if (packedFp32)
        {
            FmaChain(weights, x, m, bi, y);
        }
        else
        {
            float[] deq = weights.DequantizeAll();
            float beta = 0f;
            if (bi is not null)
            {
                for (int i = 0; i < m; i++)
                {
                    bi.CopyTo(y, i * n);
                }

                beta = 1f;
            }

            FloatGemm.Sgemm(false, true, m, n, k, 1f, x, k, deq, k, beta, y, n);
        }

        int[] shape = [.. a.Shape];
        shape[^1] = n;
        return TensorValue.Create(DataType.Float, shape, y);
    }

    private static void M1(BlockWeights w, float[] a, float[]? bias, float[] y)
    {
        int n = w.Spec.N;
        Span<float> lanes = stackalloc float[16 * 4];
        for (int slice = 0; slice < n; slice += M1ColumnSlice)
        {
            int count = Math.Min(M1ColumnSlice, n - slice);
            int col = slice;
            for (; col + 4 <= slice + count; col += 4)
            {
                for (int c = 0; c < 4; c++)
                {
                    LaneSums(w, a, col + c, lanes.Slice(16 * c, 16));
                }

                for (int c = 0; c < 4; c++)
                {
                    float s = FoldFour(lanes, c);
                    y[col + c] = bias is null ? s : s + bias[col + c];
                }
            }

            for (; col < slice + count; col++)
            {
                LaneSums(w, a, col, lanes[..16]);
                float s = ReduceAdd16(lanes[..16]);
                y[col] = bias is null ? s : s + bias[col];
            }
        }
    }

    /// <summary>The 16 accumulator lanes of one column in the AVX-512 M1 kernel.</summary>
    private static void LaneSums(BlockWeights w, float[] a, int col, Span<float> acc)
    {
        acc.Clear();
        int k = w.Spec.K;
        int bs = w.Spec.BlockSize;
        Span<float> deq = stackalloc float[256];
        for (int k0 = 0, blk = 0; k0 < k; k0 += bs, blk++)
        {
            int ck = Math.Min(k - k0, bs);
            w.DequantizeBlock(col, blk, ck, deq);
            for (int kk = 0; kk < ck; kk += ChunkLength)
            {
                for (int l = 0; l < 16; l++)
                {
                    // Masked lanes load A as 0 and leave the accumulator as it is.
                    int lo = kk + l;
                    int hi = kk + 16 + l;
                    if (lo < ck)
                    {
                        acc[l] = MathF.FusedMultiplyAdd(deq[lo], a[k0 + lo], acc[l]);
                    }

                    if (hi < ck)
                    {
                        acc[l] = MathF.FusedMultiplyAdd(deq[hi], a[k0 + hi], acc[l]);
                    }
                }
            }
        }
    }

    /// <summary>
    /// FoldAccumulators of the AVX-512 kernel for column <paramref name="c"/> of four: within each 128-bit lane j the
    /// four floats x are summed ((x0 + x1) + x2) + x3; then (L0 + L2) + (L1 + L3).
    /// </summary>
    private static float FoldFour(ReadOnlySpan<float> lanes, int c)
    {
        Span<float> l = stackalloc float[4];
        for (int j = 0; j < 4; j++)
        {
            int o = (16 * c) + (4 * j);
            l[j] = ((lanes[o] + lanes[o + 1]) + lanes[o + 2]) + lanes[o + 3];
        }

        return (l[0] + l[2]) + (l[1] + l[3]);
    }

    /// <summary>_mm512_reduce_add_ps: halves folded 16 → 8 → 4, then (0 + 2) + (1 + 3).</summary>
    private static float ReduceAdd16(ReadOnlySpan<float> v)
    {
        Span<float> t8 = stackalloc float[8];
        for (int i = 0; i < 8; i++)
        {
            t8[i] = v[i] + v[i + 8];
        }

        Span<float> t4 = stackalloc float[4];
        for (int i = 0; i < 4; i++)
        {
            t4[i] = t8[i] + t8[i + 4];
        }

        return (t4[0] + t4[2]) + (t4[1] + t4[3]);
    }

    /// <summary>M &gt; 1: MLAS's SGEMM kernel on the dequantized slice, one fma chain over k from +0, then the bias.</summary>
    private static void FmaChain(BlockWeights w, float[] a, int m, float[]? bias, float[] y)
    {
        int n = w.Spec.N;
        int k = w.Spec.K;
        var column = new float[k];
        for (int col = 0; col < n; col++)
        {
            w.DequantizeColumn(col, column);
            for (int row = 0; row < m; row++)
            {
                float acc = 0f;
                int off = row * k;
                for (int i = 0; i < k; i++)
                {
                    acc = MathF.FusedMultiplyAdd(a[off + i], column[i], acc);
                }

                y[(row * n) + col] = bias is null ? acc : acc + bias[col];
            }
        }
    }

    private static void Validate(MatMulNBitsSpec spec, TensorValue a, TensorValue b, TensorValue scales, TensorValue? zeroPoints, TensorValue? bias)
    {
        if (spec.Bits is not (4 or 8))
        {
            throw new ArgumentException($"MatMulNBits: bits {spec.Bits} is not modelled (4 and 8 are)");
        }

        if (spec.BlockSize < 16 || (spec.BlockSize & (spec.BlockSize - 1)) != 0)
        {
            throw new ArgumentException($"MatMulNBits: block_size {spec.BlockSize} must be a power of two ≥ 16");
        }

        if (spec.K <= 0 || spec.N <= 0)
        {
            throw new ArgumentException($"MatMulNBits: K {spec.K} and N {spec.N} must be positive");
        }

        if (a.Type != DataType.Float || a.Rank < 1 || a.Shape[^1] != spec.K)
        {
            throw new ArgumentException($"MatMulNBits: A must be float with last dimension K = {spec.K}, got {a}");
        }

        int blocks = (spec.K + spec.BlockSize - 1) / spec.BlockSize;
        int blob = spec.BlockSize * spec.Bits / 8;
        if (b.Type != DataType.UInt8 || b.Length != spec.N * blocks * blob)
        {
            throw new ArgumentException($"MatMulNBits: B must be uint8 [{spec.N}, {blocks}, {blob}], got {b}");
        }

        if (scales.Type != DataType.Float || scales.Length != spec.N * blocks)
        {
            throw new ArgumentException($"MatMulNBits: scales must be float with {spec.N * blocks} values, got {scales}");
        }

        if (zeroPoints is not null)
        {
            int packedLength = spec.N * (((blocks * spec.Bits) + 7) / 8);
            bool ok = zeroPoints.Type == DataType.UInt8 ? zeroPoints.Length == packedLength : zeroPoints.Type == DataType.Float && zeroPoints.Length == spec.N * blocks;
            if (!ok)
            {
                throw new ArgumentException($"MatMulNBits: zero_points must be uint8 with {packedLength} values or float with {spec.N * blocks}, got {zeroPoints}");
            }
        }

        if (bias is not null && (bias.Type != DataType.Float || bias.Length != spec.N))
        {
            throw new ArgumentException($"MatMulNBits: bias must be float [{spec.N}], got {bias}");
        }
    }

    /// <summary>Reads codes, scales and zero points of the blockwise-quantized B.</summary>
    private sealed class BlockWeights(MatMulNBitsSpec spec, byte[] data, float[] scales, TensorValue? zeroPoints)
    {
        private readonly int _blocks = (spec.K + spec.BlockSize - 1) / spec.BlockSize;
        private readonly byte[]? _zpCodes = zeroPoints?.Type == DataType.UInt8 ? zeroPoints.Items<byte>() : null;
        private readonly float[]? _zpFloats = zeroPoints?.Type == DataType.Float ? zeroPoints.Items<float>() : null;

        public MatMulNBitsSpec Spec => spec;

        private int BlobBytes => spec.BlockSize * spec.Bits / 8;

        public float Scale(int col, int blk) => scales[(col * _blocks) + blk];

        /// <summary>The integer zero point (uint8 zero points or the 2^(bits−1) default).</summary>
        public int ZeroPoint(int col, int blk)
        {
            if (_zpCodes is null)
            {
                return 1 << (spec.Bits - 1);
            }

            if (spec.Bits == 8)
            {
                return _zpCodes[(col * _blocks) + blk];
            }

            byte packed = _zpCodes[(col * ((_blocks + 1) / 2)) + (blk / 2)];
            return (blk & 1) == 0 ? packed & 0x0F : packed >> 4;
        }

        /// <summary>The unsigned code of weight (col, k).</summary>
        public int Code(int col, int k)
        {
            int blk = k / spec.BlockSize;
            int within = k % spec.BlockSize;
            int offset = (((col * _blocks) + blk) * BlobBytes) + (within * spec.Bits / 8);
            if (spec.Bits == 8)
            {
                return data[offset];
            }

            return (within & 1) == 0 ? data[offset] & 0x0F : data[offset] >> 4;
        }

        /// <summary>The first <paramref name="count"/> weights of block <paramref name="blk"/> of column
        /// <paramref name="col"/>, (q − zp)·scale (uint8 or default zero points).</summary>
        public void DequantizeBlock(int col, int blk, int count, Span<float> dst)
        {
            float scale = Scale(col, blk);
            int zp = ZeroPoint(col, blk);
            int offset = ((col * _blocks) + blk) * BlobBytes;
            for (int i = 0; i < count; i++)
            {
                int code = spec.Bits == 8 ? data[offset + i] : (i & 1) == 0 ? data[offset + (i / 2)] & 0x0F : data[offset + (i / 2)] >> 4;
                dst[i] = (code - zp) * scale;
            }
        }

        /// <summary>Column <paramref name="col"/> of dequant(B) as the kernels compute it.</summary>
        public void DequantizeColumn(int col, Span<float> dst)
        {
            for (int k0 = 0, blk = 0; k0 < spec.K; k0 += spec.BlockSize, blk++)
            {
                int count = Math.Min(spec.BlockSize, spec.K - k0);
                Span<float> block = dst.Slice(k0, count);
                if (_zpFloats is null)
                {
                    DequantizeBlock(col, blk, count, block);
                    continue;
                }

                // DequantizeBlockwise<float, float> (matmul_nbits_impl.cc): q·scale + (−scale·zp), each rounded.
                float scale = Scale(col, blk);
                float adjust = -scale * _zpFloats[(col * _blocks) + blk];
                for (int i = 0; i < count; i++)
                {
                    float scaled = Code(col, k0 + i) * scale;
                    block[i] = scaled + adjust;
                }
            }
        }

        /// <summary>dequant(B) as [N, K].</summary>
        public float[] DequantizeAll()
        {
            var all = new float[spec.N * spec.K];
            for (int col = 0; col < spec.N; col++)
            {
                DequantizeColumn(col, all.AsSpan(col * spec.K, spec.K));
            }

            return all;
        }
    }
}
