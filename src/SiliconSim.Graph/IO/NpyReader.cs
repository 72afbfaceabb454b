using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SiliconSim.Graph.Onnx;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.IO;

/// <summary>
/// Reads a NumPy <c>.npy</c> array (format versions 1–3) from a stream: little-endian or byte-order-free numeric and
/// bool dtypes in C order. Anything else is refused with a message naming the dtype or header field.
/// </summary>
public static partial class NpyReader
{
    private static readonly byte[] s_magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads the whole array.</summary>
    /// <exception cref="OnnxFormatException">the stream is not a supported .npy array.</exception>
    public static TensorValue Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        ReadOnlySpan<byte> bytes = ms.GetBuffer().AsSpan(0, (int)ms.Length);
        if (bytes.Length < 10 || !bytes[..6].SequenceEqual(s_magic))
        {
            throw new OnnxFormatException("not a .npy file (bad magic bytes)");
        }

        int major = bytes[6];
        int headerLength;
        int offset;
        if (major == 1)
        {
            headerLength = bytes[8] | (bytes[9] << 8);
            offset = 10;
        }
        else if (major is 2 or 3)
        {
            if (bytes.Length < 12)
            {
                throw new OnnxFormatException(".npy header is truncated");
            }

            headerLength = (int)BitConverter.ToUInt32(bytes.Slice(8, 4));
            offset = 12;
        }
        else
        {
            throw new OnnxFormatException($".npy format version {major} is not supported");
        }

        if (offset + headerLength > bytes.Length || headerLength < 0)
        {
            throw new OnnxFormatException(".npy header is truncated");
        }

        string header = Encoding.UTF8.GetString(bytes.Slice(offset, headerLength));
        string descr = Field(DescrRegex(), header, "descr");
        string fortran = Field(FortranRegex(), header, "fortran_order");
        string shapeText = Field(ShapeRegex(), header, "shape");
        if (fortran == "True")
        {
            throw new OnnxFormatException(".npy arrays in Fortran order are not supported (save with np.ascontiguousarray)");
        }

        int[] shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int d) ? d : throw new OnnxFormatException($".npy shape '({shapeText})' is not a list of dimensions"))
            .ToArray();
        DataType type = ToDataType(descr);
        int count;
        try
        {
            count = (int)ShapeMath.ElementCount(shape);
        }
        catch (ArgumentException e)
        {
            throw new OnnxFormatException($".npy {e.Message}");
        }

        ReadOnlySpan<byte> data = bytes[(offset + headerLength)..];
        long needed = (long)count * DataTypeInfo.BitWidth(type) / 8;
        if (data.Length < needed)
        {
            throw new OnnxFormatException($".npy data is truncated: shape ({shapeText}) of '{descr}' needs {needed} bytes, found {data.Length}");
        }

        return TensorProtos.FromRaw(type, shape, count, data[..(int)needed], ".npy array");
    }

    private static DataType ToDataType(string descr)
    {
        if (descr.Length < 2 || descr[0] == '>')
        {
            throw new OnnxFormatException($".npy dtype '{descr}' is not supported (big-endian or malformed)");
        }

        return descr[1..] switch
        {
            "f4" => DataType.Float,
            "f8" => DataType.Double,
            "f2" => DataType.Float16,
            "i1" => DataType.Int8,
            "u1" => DataType.UInt8,
            "i2" => DataType.Int16,
            "u2" => DataType.UInt16,
            "i4" => DataType.Int32,
            "u4" => DataType.UInt32,
            "i8" => DataType.Int64,
            "u8" => DataType.UInt64,
            "b1" => DataType.Bool,
            _ => throw new OnnxFormatException($".npy dtype '{descr}' is not supported (supported: f2 f4 f8 i1 u1 i2 u2 i4 u4 i8 u8 b1)"),
        };
    }

    private static string Field(Regex regex, string header, string name)
    {
        Match m = regex.Match(header);
        return m.Success ? m.Groups[1].Value : throw new OnnxFormatException($".npy header has no valid '{name}' field");
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrRegex();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranRegex();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapeRegex();
}
