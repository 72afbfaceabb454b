using System.Runtime.Intrinsics.X86;

namespace SiliconSim.Numerics.Kernels.Blockwise;

/// <summary>
/// accuracy_level 4 (MLAS SQNBIT_CompInt8) as ORT 1.31's CPU provider computes it on x86-64 hosts that MLAS gives the
/// AVX512-VNNI dispatch (MlasSQNBitGemmDispatchAvx512vnni), single-threaded. Only what is reproduced bit for bit is
/// accepted (4 or 8 bits, block 16 to 256, constant B, uint8 or no zero points; with float zero points ORT does not
/// take this path and the level-0 dequantize-and-SGEMM result is exact); every other case is refused naming it.
/// <para>Per row of A and block b along K (the last block zero-padded): amax = max|a|, sa = amax / 127,
/// q = round-half-even(a · (amax ≠ 0 ? 127 / amax : 0)) as int8, and ablk = sa · Σq (an exact integer sum, one
/// rounded product). Per column and block: sb, and bblk = −sb · zp (zp the uint8 zero point, else 8 for 4 bits and
/// 128 for 8 bits).</para>
/// <para>Per output (row, column) the int8 kernel keeps 16 fp32 lanes from +0; each fma adds an exact partial dot of
/// q_a and B's raw unsigned codes (at most 8 products of 128·255, so exact in fp32 too) times sa·sb, the partial and
/// its lane set by the block length's kernel (<see cref="ColumnLanesBlock16"/>, <see cref="ColumnLanesBlock32"/>,
/// <see cref="ColumnLanesBlock64"/>, <see cref="ColumnLanesBlock128Plus"/>). The 8-bit kernels (MlasQ8Int8GemmKernelBlkLen*Avx512) load B's bytes in the order the 4-bit ones unpack their nibbles,
/// so both widths share these lane layouts. The lanes are summed per column as the kernel's variant does (rows in
/// pairs or alone, columns in groups of four from the start of each 128-column slice or alone; the one place the
/// widths differ is <see cref="PairedRowsReduceAdd"/>) and the bias is added. Only then does the zero point enter
/// (<see cref="AddZeroPointTerm"/>): C += an fma chain of ablk·bblk over the blocks.</para>
/// </summary>
public static partial class MatMulNBitsKernel
{
    /// <summary>The shortest block MatMulNBits takes, and MLAS has an AVX512-VNNI CompInt8 kernel for.</summary>
    private const int CompInt8MinBlockLength = 16;

    /// <summary>SQ4BitGemm_CompInt8 and SQ8BitGemm_CompInt8 hand the kernel 128 columns at a time.</summary>
    private const int CompInt8ColumnSlice = 128;

    /// <summary>Lanes of one zmm accumulator.</summary>
    private const int Lanes16 = 16;

    /// <summary>Whether this host gets MLAS's AVX512-VNNI dispatch, the only one whose accuracy_level-4 order is modelled.</summary>
    public static bool CompInt8HostIsModelled => HostHasAvx512Vnni();

    /// <summary>Why ORT's accuracy_level-4 arithmetic for this node is not reproduced here, or null when it is.</summary>
    public static string? CompInt8Unsupported(MatMulNBitsSpec spec, TensorValue? zeroPoints, bool bIsConstant)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!bIsConstant)
        {
            return "accuracy_level 4 with a non-constant B is not modelled";
        }

        if (zeroPoints is not null && zeroPoints.Type != DataType.UInt8)
        {
            // ORT does not prepack B with float zero points: it dequantizes and runs SGEMM, as at level 0.
            return null;
        }

        if (!HostHasAvx512Vnni())
        {
            return "accuracy_level 4 on a host without AVX512-VNNI (MLAS then dispatches its AVX2/AVX-VNNI/AVX-512 core CompInt8 kernels, whose order is not modelled)";
        }

        if (spec.BlockSize < CompInt8MinBlockLength)
        {
            return $"accuracy_level 4 with block_size {spec.BlockSize} is not modelled (16 to 256 are)";
        }

        return null;
    }

    /// <summary>
    /// MLAS's platform check for the AVX512-VNNI dispatch: AVX-512 F/BW/DQ/VL usable (the runtime's flags include the
    /// OS's register-state check) and CPUID leaf 7 ECX bit 11.
    /// </summary>
    private static bool HostHasAvx512Vnni()
    {
        if (!(Avx512F.IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported && Avx512F.VL.IsSupported))
        {
            return false;
        }

        (_, _, int ecx, _) = X86Base.CpuId(7, 0);
        return (ecx & (1 << 11)) != 0;
    }

    private static void CompInt8(BlockWeights w, float[] a, int m, float[]? bias, float[] y)
    {
        int n = w.Spec.N;
        int k = w.Spec.K;
        int bs = w.Spec.BlockSize;
        int blocks = (k + bs - 1) / bs;
        var qa = new sbyte[blocks * bs];
        var sa = new float[blocks];
        var ablk = new float[blocks];
        var lanes = new float[4][];
        for (int c = 0; c < 4; c++)
        {
            lanes[c] = new float[Lanes16];
        }

        // The kernels take rows in pairs (R2) and an odd last row alone (R1); the reductions differ between them.
        int pairedRows = m - (m % 2);
        for (int row = 0; row < m; row++)
        {
            bool paired = row < pairedRows;
            QuantizeRow(a.AsSpan(row * k, k), bs, qa, sa, ablk);
            for (int slice = 0; slice < n; slice += CompInt8ColumnSlice)
            {
                int end = Math.Min(n, slice + CompInt8ColumnSlice);
                int col = slice;
                for (; col + 4 <= end; col += 4)
                {
                    for (int c = 0; c < 4; c++)
                    {
                        ColumnLanes(w, col + c, qa, sa, lanes[c]);
                    }

                    for (int c = 0; c < 4; c++)
                    {
                        float s = ReduceFourColumnGroup(w.Spec, paired, lanes, c);
                        y[(row * n) + col + c] = bias is null ? s : s + bias[col + c];
                    }
                }

                for (; col < end; col++)
                {
                    ColumnLanes(w, col, qa, sa, lanes[0]);
                    float s = bs <= 32 ? HorizontalSum8(lanes[0]) : ReduceAdd16(lanes[0]);
                    y[(row * n) + col] = bias is null ? s : s + bias[col];
                }
            }

            AddZeroPointTerm(w, ablk, y.AsSpan(row * n, n));
        }
    }

    /// <summary>
    /// A column of a four-column group: blocks 16 and 32 fold their 8 lanes per 128-bit half, ((x0+x1)+x2)+x3 and likewise for
    /// x4..x7, then adds the halves (FoldAccumulators on ymm); longer blocks take FoldAccumulators on zmm, except for
    /// paired rows where the kernel sums each column with _mm512_reduce_add_ps (<see cref="PairedRowsReduceAdd"/>).
    /// </summary>
    private static float ReduceFourColumnGroup(MatMulNBitsSpec spec, bool pairedRow, float[][] lanes, int c)
    {
        float[] x = lanes[c];
        if (spec.BlockSize <= 32)
        {
            return (((x[0] + x[1]) + x[2]) + x[3]) + (((x[4] + x[5]) + x[6]) + x[7]);
        }

        return pairedRow && PairedRowsReduceAdd(spec) ? ReduceAdd16(x) : FoldFour(x, 0);
    }

    /// <summary>
    /// Whether the two-row, four-column kernel reduces each column on its own (_mm512_reduce_add_ps): the 4-bit kernels
    /// for blocks of 64 and longer and the 8-bit one for 128 and longer; the 8-bit block-64 kernel folds the four
    /// columns together (FoldAccumulators) as the one-row kernels do.
    /// </summary>
    private static bool PairedRowsReduceAdd(MatMulNBitsSpec spec) => spec.Bits == 4 || spec.BlockSize >= 128;

    /// <summary>hsum_float_8: ((x4+x0)+(x6+x2)) + ((x5+x1)+(x7+x3)).</summary>
    private static float HorizontalSum8(ReadOnlySpan<float> x) => ((x[4] + x[0]) + (x[6] + x[2])) + ((x[5] + x[1]) + (x[7] + x[3]));

    /// <summary>The accumulator lanes of one output before the horizontal sum (8 for blocks 16 and 32, else 16).</summary>
    private static void ColumnLanes(BlockWeights w, int col, sbyte[] qa, float[] sa, float[] lanes)
    {
        switch (w.Spec.BlockSize)
        {
            case 16:
                ColumnLanesBlock16(w, col, qa, sa, lanes);
                break;
            case 32:
                ColumnLanesBlock32(w, col, qa, sa, lanes);
                break;
            case 64:
                ColumnLanesBlock64(w, col, qa, sa, lanes);
                break;
            default:
                ColumnLanesBlock128Plus(w, col, qa, sa, lanes);
                break;
        }
    }

    /// <summary>
    /// The zero-point term, after the int8 kernel has stored its sums (bias included): MLAS's SGEMM kernel
    /// (GemmFloatKernel, ZeroMode false) over the block sums, one fma chain from +0 over the blocks, then C + chain.
    /// </summary>
    private static void AddZeroPointTerm(BlockWeights w, float[] ablk, Span<float> yRow)
    {
        for (int col = 0; col < yRow.Length; col++)
        {
            float chain = 0f;
            for (int blk = 0; blk < ablk.Length; blk++)
            {
                float bblk = -w.Scale(col, blk) * w.ZeroPoint(col, blk);
                chain = MathF.FusedMultiplyAdd(ablk[blk], bblk, chain);
            }

            yRow[col] += chain;
        }
    }

    /// <summary>QuantizeARow_CompInt8_avx512: int8 codes, scale and scaled code sum per block of one row.</summary>
    private static void QuantizeRow(ReadOnlySpan<float> a, int blockLength, sbyte[] qa, float[] sa, float[] ablk)
    {
        Array.Clear(qa);
        for (int blk = 0; blk < sa.Length; blk++)
        {
            int k0 = blk * blockLength;
            int count = Math.Min(blockLength, a.Length - k0);
            float amax = 0f;
            for (int i = 0; i < count; i++)
            {
                amax = MathF.Max(amax, MathF.Abs(a[k0 + i]));
            }

            float scale = amax / 127f;
            float inverse = amax != 0f ? 127f / amax : 0f;
            int sum = 0;
            for (int i = 0; i < count; i++)
            {
                // vroundscaleps to nearest-even, then vpmovdb keeps the low byte.
                int q = (int)MathF.Round(a[k0 + i] * inverse, MidpointRounding.ToEven);
                qa[k0 + i] = unchecked((sbyte)q);
                sum += qa[k0 + i];
            }

            sa[blk] = scale;
            ablk[blk] = scale * sum;
        }
    }

    /// <summary>
    /// Block 16: blocks eight at a time, 128 elements as two vpdpbusd (elements 0..63 and 64..127, 4 a lane), then
    /// unpacklo/hi_epi64 and an add, so zmm lane i takes block g + (i / 4) for i mod 4 &lt; 2, else g + 4 + (i / 4), and
    /// elements {0..3, 8..11} of it for even i, {4..7, 12..15} for odd i; one fma with sa·sb per lane and group. The 16
    /// lanes are then folded to 8 (h_add_512: lane i + lane i + 8) and each leftover block (count mod 8) adds, through
    /// the AVX2 single-block kernel's vpmaddwd, the exact pair sum of elements 2j and 2j + 1 into lane j with one fma
    /// (the 8-bit kernel widens both operands' bytes to words and takes one vpmaddubsw first: the same pair sums).
    /// </summary>
    private static void ColumnLanesBlock16(BlockWeights w, int col, sbyte[] qa, float[] sa, float[] lanes8)
    {
        const int GroupBlocks = 8;
        int blocks = sa.Length;
        Span<float> acc = stackalloc float[Lanes16];
        acc.Clear();
        int grouped = blocks / GroupBlocks * GroupBlocks;
        for (int g = 0; g < grouped; g += GroupBlocks)
        {
            for (int lane = 0; lane < Lanes16; lane++)
            {
                int quarter = lane / 4;
                int r = lane % 4;
                int blk = g + (r < 2 ? quarter : 4 + quarter);
                int first = (r % 2) * 4;
                int dot = QuadDot(w, col, qa, blk, first) + QuadDot(w, col, qa, blk, first + 8);
                acc[lane] = MathF.FusedMultiplyAdd(dot, w.Scale(col, blk) * sa[blk], acc[lane]);
            }
        }

        for (int i = 0; i < 8; i++)
        {
            lanes8[i] = acc[i] + acc[i + 8];
        }

        for (int blk = grouped; blk < blocks; blk++)
        {
            float scale = sa[blk] * w.Scale(col, blk);
            for (int lane = 0; lane < 8; lane++)
            {
                lanes8[lane] = MathF.FusedMultiplyAdd(PairDot(w, col, qa, blk, 2 * lane), scale, lanes8[lane]);
            }
        }
    }

    /// <summary>
    /// Block 32: blocks four at a time, each block's 32 products summed in four exact partials of 8 (elements
    /// {0..3, 8..11}, {4..7, 12..15}, {16..19, 24..27}, {20..23, 28..31}), each fma'd into its own lane
    /// (<see cref="QuadLane"/>); the 16 lanes are then folded to 8 (lane i + lane i + 8) and the leftover blocks
    /// (count mod 4) add one fma per 4 consecutive elements into those 8 lanes.
    /// </summary>
    private static void ColumnLanesBlock32(BlockWeights w, int col, sbyte[] qa, float[] sa, float[] lanes8)
    {
        int blocks = sa.Length;
        Span<float> acc = stackalloc float[Lanes16];
        acc.Clear();
        int grouped = blocks / 4 * 4;
        for (int b0 = 0; b0 < grouped; b0 += 4)
        {
            for (int lane = 0; lane < Lanes16; lane++)
            {
                (int blk, int first) = QuadLane(b0, lane);
                int dot = QuadDot(w, col, qa, blk, first) + QuadDot(w, col, qa, blk, first + 8);
                float scale = w.Scale(col, blk) * sa[blk];
                acc[lane] = MathF.FusedMultiplyAdd(dot, scale, acc[lane]);
            }
        }

        for (int i = 0; i < 8; i++)
        {
            lanes8[i] = acc[i] + acc[i + 8];
        }

        for (int blk = grouped; blk < blocks; blk++)
        {
            float scale = sa[blk] * w.Scale(col, blk);
            for (int lane = 0; lane < 8; lane++)
            {
                lanes8[lane] = MathF.FusedMultiplyAdd(QuadDot(w, col, qa, blk, 4 * lane), scale, lanes8[lane]);
            }
        }
    }

    /// <summary>
    /// The block and first element of zmm lane <paramref name="lane"/> in a four-block group: two vpdpbusd (blocks
    /// b0, b0+1 and b0+2, b0+3, 4 elements a lane), then unpacklo/hi_epi64 and an add pair lanes 2 apart within
    /// each 128-bit lane, giving blocks 0 0 2 2 0 0 2 2 1 1 3 3 1 1 3 3 across the 16 lanes.
    /// </summary>
    private static (int Block, int FirstElement) QuadLane(int b0, int lane)
    {
        int quarter = lane / 4;
        int r = lane % 4;
        int blk = b0 + (r < 2 ? 0 : 2) + (quarter < 2 ? 0 : 1);
        int dotLane = ((quarter % 2) * 4) + (r % 2);
        return (blk, 4 * dotLane);
    }

    /// <summary>
    /// Block 64: blocks in pairs (b, b+1), lane i taking block b + i mod 2 and the vpdpbusd lanes d and d + 2 of that
    /// block, d = 4·(i / 4) + (i mod 4) / 2 (unpacklo/hi_epi32 and an add); a leftover single block puts its 16
    /// vpdpbusd lanes straight into the 16 lanes. Each fma uses sa·sb.
    /// </summary>
    private static void ColumnLanesBlock64(BlockWeights w, int col, sbyte[] qa, float[] sa, float[] lanes)
    {
        Array.Clear(lanes);
        int blocks = sa.Length;
        int blk = 0;
        for (; blk + 1 < blocks; blk += 2)
        {
            for (int lane = 0; lane < Lanes16; lane++)
            {
                int b = blk + (lane % 2);
                int d = (4 * (lane / 4)) + ((lane % 4) / 2);
                int dot = QuadDot(w, col, qa, b, 4 * d) + QuadDot(w, col, qa, b, 4 * (d + 2));
                lanes[lane] = MathF.FusedMultiplyAdd(dot, sa[b] * w.Scale(col, b), lanes[lane]);
            }
        }

        if (blk < blocks)
        {
            float scale = sa[blk] * w.Scale(col, blk);
            for (int lane = 0; lane < Lanes16; lane++)
            {
                lanes[lane] = MathF.FusedMultiplyAdd(QuadDot(w, col, qa, blk, 4 * lane), scale, lanes[lane]);
            }
        }
    }

    /// <summary>
    /// Blocks of 128 and 256: each 128-element sub-block is one vpdpbusd pair, lane j summing elements 4j..4j+3 and
    /// 64+4j..64+4j+3 exactly, then one fma with sa·sb per sub-block.
    /// </summary>
    private static void ColumnLanesBlock128Plus(BlockWeights w, int col, sbyte[] qa, float[] sa, float[] lanes)
    {
        Array.Clear(lanes);
        int bs = w.Spec.BlockSize;
        for (int blk = 0; blk < sa.Length; blk++)
        {
            float scale = sa[blk] * w.Scale(col, blk);
            for (int sub = 0; sub < bs; sub += 128)
            {
                for (int lane = 0; lane < Lanes16; lane++)
                {
                    int dot = QuadDot(w, col, qa, blk, sub + (4 * lane)) + QuadDot(w, col, qa, blk, sub + 64 + (4 * lane));
                    lanes[lane] = MathF.FusedMultiplyAdd(dot, scale, lanes[lane]);
                }
            }
        }
    }

    /// <summary>Σ q_a·q_b over the 2 elements from <paramref name="first"/> of block <paramref name="blk"/>.</summary>
    private static int PairDot(BlockWeights w, int col, sbyte[] qa, int blk, int first)
    {
        int k = (blk * w.Spec.BlockSize) + first;
        int sum = 0;
        for (int e = k; e < k + 2; e++)
        {
            if (qa[e] != 0)
            {
                sum += qa[e] * w.Code(col, e);
            }
        }

        return sum;
    }

    /// <summary>Σ q_a·q_b over the 4 elements from <paramref name="first"/> of block <paramref name="blk"/>
    /// (B's raw 4- or 8-bit codes, its zero point entering through the block sums).</summary>
    private static int QuadDot(BlockWeights w, int col, sbyte[] qa, int blk, int first)
    {
        int k0 = blk * w.Spec.BlockSize;
        int sum = 0;
        for (int e = first; e < first + 4; e++)
        {
            int k = k0 + e;
            if (qa[k] != 0)
            {
                sum += qa[k] * w.Code(col, k);
            }
        }

        return sum;
    }
}
