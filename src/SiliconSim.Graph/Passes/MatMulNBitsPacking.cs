using SiliconSim.Numerics;

namespace SiliconSim.Graph.Passes;

/// <summary>How a DequantizeLinear's scale (and zero point) covers its [K, N] weight.</summary>
internal enum Granularity
{
    /// <summary>One per block of rows along K and column: [⌈K/bs⌉, N].</summary>
    Blocked,

    /// <summary>One for the whole tensor: a scalar.</summary>
    PerTensor,

    /// <summary>One per column: [N].</summary>
    PerColumn,
}

/// <summary>
/// The constants of com.microsoft MatMulNBits made from a DequantizeLinear's [K, N] weight, scale and zero point, laid
/// out as ORT's DQMatMulToMatMulNBits action writes them (MlasQDQTransposeBlockwiseQuantized): B as [N, ⌈K/bs⌉,
/// bs·bits/8] bytes, scales as [N·⌈K/bs⌉], zero points as [N·⌈⌈K/bs⌉·bits/8⌉] bytes. Signed weights and zero points
/// are stored shifted by 2^(bits−1) so that (q − zp) is unchanged, and a signed weight without zero points needs none
/// (MatMulNBits' default is 2^(bits−1)).
/// </summary>
internal static class MatMulNBitsPacking
{
    /// <summary>MatMulNBits' B, scales and zero points (null when the kernel's default is exact).</summary>
    public sealed record Packed(TensorValue Weight, TensorValue Scales, TensorValue? ZeroPoints);

    public static Packed Pack(TensorValue weight, TensorValue scale, TensorValue? zeroPoint, int blockSize, Granularity granularity)
    {
        int k = weight.Shape[0], n = weight.Shape[1];
        int bits = DataTypeInfo.BitWidth(weight.Type);
        int blocks = (k + blockSize - 1) / blockSize;
        int blobBytes = blockSize * bits / 8;
        bool signed = weight.Type is DataType.Int4 or DataType.Int8;
        int offset = signed ? 1 << (bits - 1) : 0;

        // Rows past K: ORT zeroes the blob first and MLAS's 8-bit transpose writes the stored form of 0 there, its 4-bit
        // one leaves the zeros (compared byte for byte with ORT's initializers).
        var b = new byte[n * blocks * blobBytes];
        int[] q = Stored(weight, offset);
        var packedB = new PackedCodes(b, bits);
        packedB.Fill(bits == 8 ? offset : 0);
        for (int col = 0; col < n; col++)
        {
            for (int row = 0; row < k; row++)
            {
                int blk = row / blockSize;
                int codeIndex = (((col * blocks) + blk) * blobBytes * 8 / bits) + (row % blockSize);
                packedB.Set(codeIndex, q[(row * n) + col]);
            }
        }

        // The source index of the scale (and zero point) for column col, block blk.
        Func<int, int, int> source = granularity switch
        {
            Granularity.Blocked => (col, blk) => (blk * n) + col,
            Granularity.PerColumn => (col, _) => col,
            _ => (_, _) => 0,
        };
        TensorValue scales = GatherScales(scale, n, blocks, source);

        TensorValue? zeroPoints = null;
        int zpRowBytes = ((blocks * bits) + 7) / 8;
        if (zeroPoint is not null || !signed)
        {
            var z = new byte[n * zpRowBytes];
            var packedZ = new PackedCodes(z, bits);
            packedZ.Fill(offset); // a 4-bit row's spare nibble holds the stored form of 0
            int[] zq = zeroPoint is null ? new int[1] : Stored(zeroPoint, offset);
            for (int col = 0; col < n; col++)
            {
                for (int blk = 0; blk < blocks; blk++)
                {
                    packedZ.Set((col * zpRowBytes * 8 / bits) + blk, zeroPoint is null ? 0 : zq[source(col, blk)]);
                }
            }

            zeroPoints = TensorValue.Create(DataType.UInt8, [z.Length], z);
        }

        return new Packed(TensorValue.Create(DataType.UInt8, [n, blocks, blobBytes], b), scales, zeroPoints);
    }

    /// <summary>The codes as MatMulNBits stores them: unsigned, a signed code shifted up by <paramref name="offset"/>.</summary>
    private static int[] Stored(TensorValue t, int offset) => t.Type is DataType.Int4 or DataType.Int8
        ? [.. t.Items<sbyte>().Select(v => v + offset)]
        : [.. t.Items<byte>().Select(v => (int)v)];

    private static TensorValue GatherScales(TensorValue scale, int n, int blocks, Func<int, int, int> source) => scale.Type switch
    {
        DataType.Float => TensorValue.Create(DataType.Float, [n * blocks], Gather(scale.Items<float>(), n, blocks, source)),
        DataType.Float16 => TensorValue.Create(DataType.Float16, [n * blocks], Gather(scale.Items<Half>(), n, blocks, source)),
        _ => throw new ArgumentException($"MatMulNBits scales are float or float16, not {scale.Type}", nameof(scale)),
    };

    private static T[] Gather<T>(T[] src, int n, int blocks, Func<int, int, int> source)
    {
        var dst = new T[n * blocks];
        for (int col = 0; col < n; col++)
        {
            for (int blk = 0; blk < blocks; blk++)
            {
                dst[(col * blocks) + blk] = src[source(col, blk)];
            }
        }

        return dst;
    }

    /// <summary>Codes of <c>bits</c> bits in a byte array, two to a byte (low nibble first) for 4 bits.</summary>
    private readonly struct PackedCodes(byte[] bytes, int bits)
    {
        public void Fill(int code)
        {
            byte fill = bits == 8 ? (byte)code : (byte)(code | (code << 4));
            Array.Fill(bytes, fill);
        }

        public void Set(int index, int code)
        {
            if (bits == 8)
            {
                bytes[index] = (byte)code;
                return;
            }

            int shift = (index & 1) * 4;
            bytes[index >> 1] = (byte)((bytes[index >> 1] & ~(0xF << shift)) | ((code & 0xF) << shift));
        }
    }
}
