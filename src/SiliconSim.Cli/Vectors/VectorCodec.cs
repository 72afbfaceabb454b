using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using SiliconSim.Graph.IO;
using SiliconSim.Graph.Onnx;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Vectors;

namespace SiliconSim.Cli.Vectors;

/// <summary>
/// Tensors to and from vector files. Every format carries the same byte stream: elements little-endian in row-major
/// order, 4-bit types two to a byte with the element of even index in the low nibble (ONNX's packing, onnx.proto
/// TensorProto.int32_data notes), fp8 and fp4 as their codes. <c>hex</c> cuts that stream into words of the word width
/// (bytes little-endian within a word, so a 32-bit word is one int32 and an 8-bit word of int4 holds elements 2i, 2i+1
/// as low and high nibble), one word per line; the last word is zero-padded.
/// </summary>
internal static class VectorCodec
{
    /// <summary>The types a vector file may hold.</summary>
    public static bool Supports(DataType type) => type is DataType.Int8 or DataType.UInt8 or DataType.Int4 or DataType.UInt4 or DataType.Float4E2M1
        or DataType.Float8E4M3FN or DataType.Float8E4M3FNUZ or DataType.Float8E5M2 or DataType.Float8E5M2FNUZ or DataType.Float8E8M0
        or DataType.Int16 or DataType.UInt16 or DataType.Int32 or DataType.Float;

    /// <summary>The default word width of <c>hex</c> files: one element per word, at least a byte.</summary>
    public static int DefaultWordBits(DataType type) => Math.Max(8, DataTypeInfo.BitWidth(type));

    /// <summary>The tensor's bytes: little-endian, sub-byte types packed low nibble first.</summary>
    public static byte[] ToBytes(TensorValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int n = value.Length;
        Type storage = DataTypeInfo.StorageType(value.Type);
        if (storage == typeof(sbyte) || storage == typeof(byte))
        {
            // Switch on the element type, not the array: the CLR lets a byte[] pass an sbyte[] test.
            int[] codes = TensorCodes.Ints(value);
            if (DataTypeInfo.BitWidth(value.Type) == 8)
            {
                return [.. codes.Select(c => (byte)c)];
            }

            var packed = new byte[(n + 1) / 2];
            for (int i = 0; i < n; i++)
            {
                packed[i / 2] |= (byte)((codes[i] & 0xF) << (i % 2 == 0 ? 0 : 4));
            }

            return packed;
        }

        switch (value.Data)
        {
            case short[] h: return Write(h.Length, 2, (span, i) => BinaryPrimitives.WriteInt16LittleEndian(span, h[i]));
            case ushort[] h: return Write(h.Length, 2, (span, i) => BinaryPrimitives.WriteUInt16LittleEndian(span, h[i]));
            case int[] v: return Write(v.Length, 4, (span, i) => BinaryPrimitives.WriteInt32LittleEndian(span, v[i]));
            case float[] f: return Write(f.Length, 4, (span, i) => BinaryPrimitives.WriteSingleLittleEndian(span, f[i]));
            default: throw new NotSupportedException($"{DataTypeInfo.Name(value.Type)} tensors cannot be written as vectors");
        }
    }

    /// <summary>The tensor of <paramref name="type"/> and <paramref name="shape"/> in <paramref name="bytes"/>; null when the byte count is wrong.</summary>
    public static TensorValue? FromBytes(ReadOnlySpan<byte> bytes, DataType type, int[] shape)
    {
        int n = checked((int)ShapeMath.ElementCount(shape));
        if (bytes.Length != ByteCount(type, n))
        {
            return null;
        }

        Array data;
        if (DataTypeInfo.BitWidth(type) == 4)
        {
            bool signed = type == DataType.Int4;
            var codes = new int[n];
            for (int i = 0; i < n; i++)
            {
                int nibble = (bytes[i / 2] >> (i % 2 == 0 ? 0 : 4)) & 0xF;
                codes[i] = signed && nibble >= 8 ? nibble - 16 : nibble;
            }

            data = signed ? codes.Select(c => (sbyte)c).ToArray() : codes.Select(c => (byte)c).ToArray();
        }
        else
        {
            Type storage = DataTypeInfo.StorageType(type);
            byte[] copy = bytes.ToArray();
            data = storage == typeof(sbyte) ? copy.Select(b => (sbyte)b).ToArray()
                : storage == typeof(byte) ? copy
                : storage == typeof(short) ? Read(copy, 2, s => BinaryPrimitives.ReadInt16LittleEndian(s))
                : storage == typeof(ushort) ? Read(copy, 2, s => BinaryPrimitives.ReadUInt16LittleEndian(s))
                : storage == typeof(int) ? Read(copy, 4, s => BinaryPrimitives.ReadInt32LittleEndian(s))
                : storage == typeof(float) ? Read(copy, 4, s => BinaryPrimitives.ReadSingleLittleEndian(s))
                : throw new NotSupportedException($"{DataTypeInfo.Name(type)} tensors cannot be read as vectors");
        }

        return TensorValue.Create(type, shape, data);
    }

    /// <summary>Bytes of <paramref name="count"/> elements of <paramref name="type"/>, packed.</summary>
    public static long ByteCount(DataType type, long count) => ((count * DataTypeInfo.BitWidth(type)) + 7) / 8;

    /// <summary>The file contents of <paramref name="value"/> in <paramref name="format"/>.</summary>
    public static byte[] Encode(TensorValue value, VectorFormat format, int wordBits)
    {
        byte[] raw = ToBytes(value);
        return format switch
        {
            VectorFormat.Bin => raw,
            VectorFormat.Hex => Encoding.ASCII.GetBytes(Hex(raw, wordBits)),
            _ => Npy(value, raw),
        };
    }

    /// <summary>
    /// The tensor in a file's <paramref name="contents"/>, or a one-line reason it cannot be read (the caller names the file).
    /// </summary>
    public static (TensorValue? Value, string? Problem) Decode(byte[] contents, VectorFormat format, DataType type, int[] shape, int wordBits)
    {
        ArgumentNullException.ThrowIfNull(contents);
        long n = ShapeMath.ElementCount(shape);
        long want = ByteCount(type, n);
        byte[] raw;
        switch (format)
        {
            case VectorFormat.Bin:
                raw = contents;
                break;
            case VectorFormat.Hex:
                (byte[]? bytes, string? problem) = ParseHex(contents, wordBits, want);
                if (bytes is null)
                {
                    return (null, problem);
                }

                raw = bytes;
                break;
            default:
                try
                {
                    using var stream = new MemoryStream(contents, writable: false);
                    raw = ToBytes(NpyReader.Read(stream));
                }
                catch (OnnxFormatException e)
                {
                    return (null, e.Message);
                }

                break;
        }

        TensorValue? value = FromBytes(raw, type, shape);
        return value is null
            ? (null, string.Create(CultureInfo.InvariantCulture, $"holds {raw.Length} bytes, but {DataTypeInfo.Name(type)}{ShapeMath.Format(shape)} needs {want}"))
            : (value, null);
    }

    private static string Hex(byte[] raw, int wordBits)
    {
        int wordBytes = wordBits / 8;
        var text = new StringBuilder();
        for (int start = 0; start < raw.Length; start += wordBytes)
        {
            // Most significant byte first on the line: $readmemh reads a word as one number.
            for (int b = wordBytes - 1; b >= 0; b--)
            {
                int index = start + b;
                text.Append((index < raw.Length ? raw[index] : (byte)0).ToString("x2", CultureInfo.InvariantCulture));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static (byte[]? Bytes, string? Problem) ParseHex(byte[] contents, int wordBits, long want)
    {
        int wordBytes = wordBits / 8;
        var bytes = new List<byte>();
        string[] lines = Encoding.ASCII.GetString(contents).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            int comment = line.IndexOf("//", StringComparison.Ordinal);
            line = (comment >= 0 ? line[..comment] : line).Trim().Replace("_", string.Empty, StringComparison.Ordinal);
            if (line.Length == 0)
            {
                continue;
            }

            if (line.Length > wordBytes * 2 || !ulong.TryParse(line, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong word))
            {
                return (null, string.Create(CultureInfo.InvariantCulture, $"line {i + 1}: '{Clip(lines[i])}' is not a {wordBits}-bit hex word"));
            }

            for (int b = 0; b < wordBytes; b++)
            {
                bytes.Add((byte)(word >> (8 * b)));
            }
        }

        long words = (want + wordBytes - 1) / wordBytes;
        if (bytes.Count != words * wordBytes)
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"holds {bytes.Count / wordBytes} words of {wordBits} bits, expected {words}"));
        }

        return (bytes.Take((int)want).ToArray(), null);
    }

    private static string Clip(string s) => s.Length > 40 ? s[..40] + "…" : s.TrimEnd('\r');

    private static byte[] Npy(TensorValue value, byte[] raw)
    {
        bool packed = DataTypeInfo.BitWidth(value.Type) < 8;
        Type storage = DataTypeInfo.StorageType(value.Type);
        string descr = value.Data switch
        {
            _ when packed || storage == typeof(byte) => "|u1",
            _ when storage == typeof(sbyte) => "|i1",
            short[] => "<i2",
            ushort[] => "<u2",
            int[] => "<i4",
            float[] => "<f4",
            _ => throw new NotSupportedException($"{DataTypeInfo.Name(value.Type)} tensors cannot be written as .npy"),
        };
        int[] shape = packed ? [raw.Length] : [.. value.Shape];
        string dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        string header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({dims}), }}";
        // The preamble (10 bytes) and header end on a 64-byte boundary with a newline, as numpy writes them.
        int total = ((10 + header.Length + 1 + 63) / 64) * 64;
        header = header.PadRight(total - 10 - 1) + "\n";
        var file = new byte[total + raw.Length];
        byte[] magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];
        magic.CopyTo(file, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), (ushort)header.Length);
        Encoding.ASCII.GetBytes(header).CopyTo(file, 10);
        raw.CopyTo(file, total);
        return file;
    }

    private static byte[] Write(int count, int size, SpanWriter write)
    {
        var bytes = new byte[count * size];
        for (int i = 0; i < count; i++)
        {
            write(bytes.AsSpan(i * size, size), i);
        }

        return bytes;
    }

    private static T[] Read<T>(byte[] bytes, int size, SpanReader<T> read)
    {
        var values = new T[bytes.Length / size];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = read(bytes.AsSpan(i * size, size));
        }

        return values;
    }

    private delegate void SpanWriter(Span<byte> span, int index);

    private delegate T SpanReader<T>(ReadOnlySpan<byte> span);
}
