using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Google.Protobuf;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Formats;

namespace SiliconSim.Graph.Onnx;

/// <summary>
/// Converts between ONNX <c>TensorProto</c> and <see cref="TensorValue"/>: raw little-endian data or the typed fields,
/// 4- and 2-bit types packed low bits first, external data through an <see cref="IExternalData"/>.
/// </summary>
public static class TensorProtos
{
    /// <summary>Decodes <paramref name="proto"/>; <paramref name="external"/> resolves data stored outside the model.</summary>
    /// <exception cref="OnnxFormatException">the tensor is malformed, of an unsupported type, or its data is missing.</exception>
    public static TensorValue FromProto(TensorProto proto, IExternalData? external = null)
    {
        ArgumentNullException.ThrowIfNull(proto);
        string what = string.IsNullOrEmpty(proto.Name) ? "tensor" : $"tensor '{proto.Name}'";
        var type = (DataType)proto.DataType;
        if (!Enum.IsDefined(type) || type is DataType.Undefined or DataType.Complex64 or DataType.Complex128)
        {
            throw new OnnxFormatException($"{what} has unsupported element type {proto.DataType}");
        }

        if (proto.Segment is not null)
        {
            throw new OnnxFormatException($"{what} is segmented, which is not supported");
        }

        int[] shape = ToShape(proto.Dims, what);
        int count = (int)ShapeMath.ElementCount(shape);

        if (proto.DataLocation == TensorProto.Types.DataLocation.External)
        {
            if (external is null)
            {
                throw new OnnxFormatException($"{what} stores its data externally but no model folder was given");
            }

            byte[] bytes = external.Read(ExternalLocation.Parse(proto, what));
            return FromRaw(type, shape, count, bytes, what);
        }

        if (!proto.RawData.IsEmpty || (count == 0 && type != DataType.String))
        {
            return FromRaw(type, shape, count, proto.RawData.Span, what);
        }

        return FromTyped(proto, type, shape, count, what);
    }

    /// <summary>Encodes <paramref name="value"/> with raw data (string_data for strings).</summary>
    public static TensorProto ToProto(string name, TensorValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var proto = new TensorProto { Name = name, DataType = (int)value.Type };
        foreach (int d in value.Shape)
        {
            proto.Dims.Add(d);
        }

        if (value.Type == DataType.String)
        {
            foreach (string s in value.Items<string>())
            {
                proto.StringData.Add(ByteString.CopyFromUtf8(s));
            }

            return proto;
        }

        proto.RawData = ByteString.CopyFrom(ToRaw(value));
        return proto;
    }

    /// <summary>The raw little-endian bytes of <paramref name="value"/>, sub-byte types packed low bits first.</summary>
    public static byte[] ToRaw(TensorValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int bits = DataTypeInfo.BitWidth(value.Type);
        if (bits < 8)
        {
            int perByte = 8 / bits;
            int mask = (1 << bits) - 1;
            var packed = new byte[(value.Length + perByte - 1) / perByte];
            ReadOnlySpan<byte> codes = value.Data is sbyte[] s ? MemoryMarshal.AsBytes(s.AsSpan()) : ((byte[])value.Data).AsSpan();
            for (int i = 0; i < codes.Length; i++)
            {
                packed[i / perByte] |= (byte)((codes[i] & mask) << (bits * (i % perByte)));
            }

            return packed;
        }

        return value.Data switch
        {
            float[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
            double[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
            Half[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
            BFloat16[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
            sbyte[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
            byte[] a => (byte[])a.Clone(),
            short[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
            ushort[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
            int[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
            uint[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
            long[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
            ulong[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
            bool[] a => a.Select(b => b ? (byte)1 : (byte)0).ToArray(),
            _ => throw new NotSupportedException($"cannot serialise {value.Type}"),
        };
    }

    /// <summary>Decodes raw little-endian bytes (as found in raw_data or external data).</summary>
    public static TensorValue FromRaw(DataType type, int[] shape, int count, ReadOnlySpan<byte> raw, string what)
    {
        if (type == DataType.String)
        {
            throw new OnnxFormatException($"{what}: string tensors cannot use raw_data");
        }

        int bits = DataTypeInfo.BitWidth(type);
        long expected = ((long)count * bits + 7) / 8;
        if (raw.Length != expected)
        {
            throw new OnnxFormatException($"{what} ({DataTypeInfo.Name(type)}{ShapeMath.Format(shape)}) needs {expected} bytes of data but has {raw.Length}");
        }

        if (bits < 8)
        {
            return Unpack(type, shape, count, raw);
        }

        Array data = System.Array.CreateInstance(DataTypeInfo.StorageType(type), count);
        if (type == DataType.Bool)
        {
            var b = (bool[])data;
            for (int i = 0; i < count; i++)
            {
                b[i] = raw[i] != 0;
            }
        }
        else if (BitConverter.IsLittleEndian)
        {
            raw.CopyTo(AsBytes(data));
        }
        else
        {
            throw new PlatformNotSupportedException("big-endian hosts are not supported");
        }

        return TensorValue.Create(type, shape, data);
    }

    private static Span<byte> AsBytes(Array data) => data switch
    {
        float[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        double[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        Half[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        BFloat16[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        sbyte[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        byte[] a => a.AsSpan(),
        short[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        ushort[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        int[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        uint[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        long[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        ulong[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        _ => throw new NotSupportedException(data.GetType().Name),
    };

    private static TensorValue Unpack(DataType type, int[] shape, int count, ReadOnlySpan<byte> packed)
    {
        int bits = DataTypeInfo.BitWidth(type);
        int perByte = 8 / bits;
        int mask = (1 << bits) - 1;
        bool signed = type is DataType.Int4 or DataType.Int2;
        if (signed)
        {
            var data = new sbyte[count];
            int shift = 8 - bits;
            for (int i = 0; i < count; i++)
            {
                int code = (packed[i / perByte] >> (bits * (i % perByte))) & mask;
                data[i] = (sbyte)((sbyte)(code << shift) >> shift);
            }

            return TensorValue.Create(type, shape, data);
        }
        else
        {
            var data = new byte[count];
            for (int i = 0; i < count; i++)
            {
                data[i] = (byte)((packed[i / perByte] >> (bits * (i % perByte))) & mask);
            }

            return TensorValue.Create(type, shape, data);
        }
    }

    private static TensorValue FromTyped(TensorProto proto, DataType type, int[] shape, int count, string what)
    {
        switch (type)
        {
            case DataType.Float:
                return TensorValue.Create(type, shape, Checked(proto.FloatData.ToArray(), count, what, "float_data"));
            case DataType.Double:
                return TensorValue.Create(type, shape, Checked(proto.DoubleData.ToArray(), count, what, "double_data"));
            case DataType.Int64:
                return TensorValue.Create(type, shape, Checked(proto.Int64Data.ToArray(), count, what, "int64_data"));
            case DataType.UInt64:
                return TensorValue.Create(type, shape, Checked(proto.Uint64Data.ToArray(), count, what, "uint64_data"));
            case DataType.UInt32:
                return TensorValue.Create(type, shape, Checked(proto.Uint64Data.Select(v => (uint)v).ToArray(), count, what, "uint64_data"));
            case DataType.String:
                return TensorValue.Create(type, shape, Checked(proto.StringData.Select(s => Encoding.UTF8.GetString(s.Span)).ToArray(), count, what, "string_data"));
            default:
                break;
        }

        // Everything else travels in int32_data: one element per entry, except the 4- and 2-bit types, whose entries
        // each hold one packed byte (onnx numpy_helper's convention).
        int[] ints = proto.Int32Data.ToArray();
        int bits = DataTypeInfo.BitWidth(type);
        if (bits < 8)
        {
            int perByte = 8 / bits;
            int bytes = (count + perByte - 1) / perByte;
            if (ints.Length != bytes)
            {
                throw new OnnxFormatException($"{what} needs {bytes} int32_data entries but has {ints.Length}");
            }

            return Unpack(type, shape, count, ints.Select(v => (byte)v).ToArray());
        }

        Checked(ints, count, what, "int32_data");
        Array data = type switch
        {
            DataType.Int32 => ints,
            DataType.Int16 => ints.Select(v => (short)v).ToArray(),
            DataType.UInt16 => ints.Select(v => (ushort)v).ToArray(),
            DataType.Int8 => ints.Select(v => (sbyte)v).ToArray(),
            DataType.UInt8 => ints.Select(v => (byte)v).ToArray(),
            DataType.Bool => ints.Select(v => v != 0).ToArray(),
            DataType.Float16 => ints.Select(v => BitConverter.UInt16BitsToHalf((ushort)v)).ToArray(),
            DataType.BFloat16 => ints.Select(v => new BFloat16((ushort)v)).ToArray(),
            DataType.Float8E4M3FN or DataType.Float8E4M3FNUZ or DataType.Float8E5M2 or DataType.Float8E5M2FNUZ
                or DataType.Float8E8M0 => ints.Select(v => (byte)v).ToArray(),
            _ => throw new OnnxFormatException($"{what} has unsupported element type {type}"),
        };
        return TensorValue.Create(type, shape, data);
    }

    private static T[] Checked<T>(T[] values, int count, string what, string field)
    {
        if (values.Length != count)
        {
            throw new OnnxFormatException($"{what} has {values.Length} values in {field} but its shape needs {count}");
        }

        return values;
    }

    /// <summary>Validates 64-bit ONNX dims into an int shape, refusing products above 2^31 − 1.</summary>
    public static int[] ToShape(IReadOnlyList<long> dims, string what)
    {
        var shape = new int[dims.Count];
        try
        {
            ShapeMath.ElementCount(dims.ToArray());
        }
        catch (ArgumentException e)
        {
            throw new OnnxFormatException($"{what}: {e.Message}");
        }

        for (int i = 0; i < shape.Length; i++)
        {
            shape[i] = (int)dims[i];
        }

        return shape;
    }

    internal static ushort ReadUInt16(ReadOnlySpan<byte> b) => BinaryPrimitives.ReadUInt16LittleEndian(b);
}
