using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SiliconSim.Graph.Onnx;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.IO;

/// <summary>
/// Reads a NumPy <c>.npy</c> array (format versions 1–3) from a stream: little-endian or byte-order-free numeric and
/// bool dtypes in C order. Anything else is refused with a message naming the dtype or header field. Only the header
/// and the bytes its shape asks for are read: the header is capped at <see cref="MaxHeaderBytes"/> and parsed in linear
/// time, and the data's size is checked against <c>maxDataBytes</c> and the stream's length before it is allocated.
/// </summary>
public static partial class NpyReader
{
    /// <summary>
    /// The largest header read. numpy (1.24+, <c>max_header_size</c>) refuses headers above 10,000 bytes unless told to
    /// trust the file; 64 KiB is above anything numpy writes (a version-1 header cannot exceed it) and bounds the parse.
    /// </summary>
    public const int MaxHeaderBytes = 1 << 16;

    /// <summary>The default cap on an array's data: 1 GiB, more than any calibration or label set here needs.</summary>
    public const long DefaultMaxDataBytes = 1L << 30;

    private static readonly byte[] s_magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads the whole array; its data may be at most <paramref name="maxDataBytes"/> bytes.</summary>
    /// <exception cref="OnnxFormatException">the stream is not a supported .npy array, or its data is over the cap.</exception>
    public static TensorValue Read(Stream stream, long maxDataBytes = DefaultMaxDataBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] preamble = new byte[12];
        int got = stream.ReadAtLeast(preamble.AsSpan(0, 10), 10, throwOnEndOfStream: false);
        if (got < 10 || !preamble.AsSpan(0, 6).SequenceEqual(s_magic))
        {
            throw new OnnxFormatException("not a .npy file (bad magic bytes)");
        }

        int major = preamble[6];
        long headerLength;
        if (major == 1)
        {
            headerLength = preamble[8] | (preamble[9] << 8);
        }
        else if (major is 2 or 3)
        {
            if (stream.ReadAtLeast(preamble.AsSpan(10, 2), 2, throwOnEndOfStream: false) < 2)
            {
                throw new OnnxFormatException(".npy header is truncated");
            }

            headerLength = BitConverter.ToUInt32(preamble, 8);
        }
        else
        {
            throw new OnnxFormatException($".npy format version {major} is not supported");
        }

        if (headerLength > MaxHeaderBytes)
        {
            throw new OnnxFormatException($".npy header is {headerLength} bytes; at most {MaxHeaderBytes} are read (numpy writes a few hundred)");
        }

        byte[] headerBytes = new byte[headerLength];
        if (stream.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false) < headerBytes.Length)
        {
            throw new OnnxFormatException(".npy header is truncated");
        }

        string header = Encoding.UTF8.GetString(headerBytes);
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

        long needed = (long)count * DataTypeInfo.BitWidth(type) / 8;
        if (needed > maxDataBytes)
        {
            throw new OnnxFormatException($".npy shape ({shapeText}) of '{descr}' needs {needed} bytes of data, more than the {maxDataBytes}-byte limit for one array");
        }

        // A seekable stream says how much data there is before a buffer is allocated for it.
        if (stream.CanSeek && stream.Length - stream.Position < needed)
        {
            throw new OnnxFormatException($".npy data is truncated: shape ({shapeText}) of '{descr}' needs {needed} bytes, found {stream.Length - stream.Position}");
        }

        byte[] data = new byte[needed];
        int read = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (read < needed)
        {
            throw new OnnxFormatException($".npy data is truncated: shape ({shapeText}) of '{descr}' needs {needed} bytes, found {read}");
        }

        return TensorProtos.FromRaw(type, shape, count, data, ".npy array");
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

    // NonBacktracking: matching is linear in the header's length whatever it holds (no backtracking blow-up).
    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'", RegexOptions.NonBacktracking)]
    private static partial Regex DescrRegex();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)", RegexOptions.NonBacktracking)]
    private static partial Regex FortranRegex();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)", RegexOptions.NonBacktracking)]
    private static partial Regex ShapeRegex();
}
