using System.Collections.Immutable;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Quantization;

/// <summary>
/// W4A16 weight-only quantization as ONNX Runtime's <c>MatMul4BitsQuantizer</c> writes it with its default algorithm
/// (matmul_nbits_quantizer.py, asymmetric, QOperator): every float MatMul whose second input is a constant 2-D weight
/// [K, N] becomes <c>com.microsoft::MatMulNBits</c> (bits 4, block_size 32 along K, accuracy_level unset, so the
/// activations stay float) with the weight as uint8 codes [N, blocks, 16], float32 scales [N · blocks] and packed
/// uint8 zero points [N · ceil(blocks / 2)]. The arithmetic is MLAS's blockwise quantizer
/// (<c>MlasQuantizeBlockwise</c>, q4_dq.cpp), which that script calls (<see cref="QuantizeBlock"/>).
/// </summary>
public static class MatMulNBitsQuantizer
{
    /// <summary>The contrib-op domain MatMulNBits lives in.</summary>
    public const string MicrosoftDomain = "com.microsoft";

    /// <summary>Weights per block along K; the model builder's and the W4A16 timing's block (LlmFormats).</summary>
    public const int BlockSize = 32;

    private const int Bits = 4;
    private const int MaxCode = (1 << Bits) - 1;

    /// <summary>Quantizes every MatMul of <paramref name="fp32"/> with a constant float 2-D weight; other nodes and
    /// a weight that is also read elsewhere (a tied embedding read by a Gather) keep theirs.</summary>
    public static ModelGraph Quantize(ModelGraph fp32)
    {
        ArgumentNullException.ThrowIfNull(fp32);
        var initializers = fp32.Initializers.ToBuilder();
        var nodes = ImmutableArray.CreateBuilder<Node>(fp32.Nodes.Length);
        foreach (Node node in fp32.Nodes)
        {
            if (node.OpType != "MatMul" || node.NormalizedDomain.Length != 0 || node.Inputs.Length != 2
                || !fp32.Initializers.TryGetValue(node.Inputs[1], out TensorValue? w) || w.Type != DataType.Float || w.Rank != 2)
            {
                nodes.Add(node);
                continue;
            }

            string name = node.Inputs[1];
            int k = w.Shape[0], n = w.Shape[1];
            (TensorValue codes, TensorValue scales, TensorValue zeroPoints) = QuantizeWeight(w.Items<float>(), k, n);
            initializers[name + "_Q4"] = codes;
            initializers[name + "_scales"] = scales;
            initializers[name + "_zero_points"] = zeroPoints;
            AttributeValue Int(long v) => new(AttributeKind.Int) { Int = v };
            nodes.Add(new Node(node.Name + "_Q4", "MatMulNBits", MicrosoftDomain, [node.Inputs[0], name + "_Q4", name + "_scales", name + "_zero_points"], node.Outputs,
                ImmutableDictionary<string, AttributeValue>.Empty.Add("K", Int(k)).Add("N", Int(n)).Add("bits", Int(Bits)).Add("block_size", Int(BlockSize))));
        }

        var used = nodes.SelectMany(x => x.Inputs).ToHashSet(StringComparer.Ordinal);
        foreach (string name in fp32.Initializers.Keys.Where(key => !used.Contains(key)).ToList())
        {
            initializers.Remove(name);
        }

        return fp32 with
        {
            Nodes = nodes.ToImmutable(),
            Initializers = initializers.ToImmutable(),
            Inputs = [.. fp32.Inputs.Where(i => !fp32.Initializers.ContainsKey(i.Name) || used.Contains(i.Name))],
            Opsets = fp32.Opsets.SetItem(MicrosoftDomain, Math.Max(1, fp32.Opsets.GetValueOrDefault(MicrosoftDomain))),
            ProducerName = "siliconsim.quantize",
        };
    }

    /// <summary>
    /// W [k, n] (row-major) as MatMulNBits' B [n, blocks, 16] (two codes a byte, the lower K index in the low nibble),
    /// scales [n · blocks] and zero points [n · ceil(blocks / 2)] (the even block in the low nibble). K is padded with
    /// zeros to whole blocks first, as the script pads the weight, so a padding weight stores its block's zero point.
    /// </summary>
    public static (TensorValue Codes, TensorValue Scales, TensorValue ZeroPoints) QuantizeWeight(ReadOnlySpan<float> w, int k, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (w.Length != (long)k * n)
        {
            throw new ArgumentException($"the weight holds {w.Length} values, not {k} x {n}", nameof(w));
        }

        int blocks = (k + BlockSize - 1) / BlockSize, blob = BlockSize * Bits / 8, zpRow = (blocks + 1) / 2;
        var codes = new byte[n * blocks * blob];
        var scales = new float[n * blocks];
        var zeroPoints = new byte[n * zpRow];
        Span<float> block = stackalloc float[BlockSize];
        Span<byte> blockCodes = stackalloc byte[BlockSize];
        for (int col = 0; col < n; col++)
        {
            for (int b = 0; b < blocks; b++)
            {
                block.Clear();
                for (int i = 0; i < BlockSize && (b * BlockSize) + i < k; i++)
                {
                    block[i] = w[(((b * BlockSize) + i) * n) + col];
                }

                (float scale, byte zp) = QuantizeBlock(block, blockCodes);
                scales[(col * blocks) + b] = scale;
                zeroPoints[(col * zpRow) + (b / 2)] |= (byte)((b & 1) == 0 ? zp : zp << 4);
                int at = ((col * blocks) + b) * blob;
                for (int i = 0; i < BlockSize; i += 2)
                {
                    codes[at + (i / 2)] = (byte)(blockCodes[i] | (blockCodes[i + 1] << 4));
                }
            }
        }

        return (TensorValue.Create(DataType.UInt8, [n, blocks, blob], codes), TensorValue.FromFloats([n * blocks], scales), TensorValue.Create(DataType.UInt8, [n * zpRow], zeroPoints));
    }

    /// <summary>
    /// One block as MLAS quantizes it (range2scalezp, then quantizeAndTranspose): the range widened to include 0,
    /// scale = (max − min) / 15 in float32, zero point roundf(−min / scale) clamped to [0, 15] (0 for an all-zero
    /// block), and each code clamp(roundf(v · (1 / scale) + zp), 0, 15), with roundf rounding half away from zero and
    /// the reciprocal 0 for a zero scale. Multiplying by the rounded reciprocal, not dividing, is what MLAS does and
    /// decides some ties.
    /// </summary>
    public static (float Scale, byte ZeroPoint) QuantizeBlock(ReadOnlySpan<float> block, Span<byte> codes)
    {
        float min = 0f, max = 0f;
        foreach (float v in block)
        {
            min = v < min ? v : min;
            max = v > max ? v : max;
        }

        float scale = (max - min) / MaxCode;
        float zeroPointFp = scale != 0f ? 0f - (min / scale) : min;
        byte zp = zeroPointFp < 0f ? (byte)0 : zeroPointFp > MaxCode ? (byte)MaxCode : (byte)MathF.Round(zeroPointFp, MidpointRounding.AwayFromZero);
        float reciprocal = scale != 0f ? 1f / scale : 0f;
        for (int i = 0; i < block.Length; i++)
        {
            float q = MathF.Round((block[i] * reciprocal) + zp, MidpointRounding.AwayFromZero);
            codes[i] = (byte)Math.Clamp(q, 0f, MaxCode);
        }

        return (scale, zp);
    }
}
