using System.Text.Json;
using System.Text.Json.Serialization;

namespace SiliconSim.Cli.Vectors;

/// <summary>
/// <c>manifest.json</c> of a vector folder: where the vectors came from and one entry per file. A kernel's dump folder
/// carries the golden folder's manifest (or none: then the golden's is used), so the checker reads both alike.
/// </summary>
internal sealed record VectorManifest
{
    public const string FileName = "manifest.json";

    /// <summary>The manifest's version; bumped when a field changes meaning.</summary>
    public int SiliconsimVectors { get; init; } = 1;

    public required string Model { get; init; }

    public required string Config { get; init; }

    public required string Dataflow { get; init; }

    public required int ArrayRows { get; init; }

    public required int ArrayCols { get; init; }

    /// <summary>The array's numerics the accumulators and outputs follow.</summary>
    public required string Numerics { get; init; }

    public required string Format { get; init; }

    public required IReadOnlyList<VectorFileEntry> Files { get; init; }

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };
}

/// <summary>One vector file.</summary>
internal sealed record VectorFileEntry
{
    /// <summary>Path relative to the folder, '/'-separated.</summary>
    public required string File { get; init; }

    /// <summary>The lowered graph's node name.</summary>
    public required string Layer { get; init; }

    public required string OpType { get; init; }

    /// <summary>The tensor's name within its layer (input, operand, weights, bias, scale, accumulators, output, tTTTT_fFFF_psum…).</summary>
    public required string Tensor { get; init; }

    /// <summary>input, operand, weight, bias, requantization, accumulator, partial_sum or output.</summary>
    public required string Role { get; init; }

    public required int[] Shape { get; init; }

    /// <summary>ONNX's element type name in lower case (int8, uint8, int4, float4e2m1, float8e4m3fn, int32, float).</summary>
    public required string ElementType { get; init; }

    /// <summary>Whether two elements share a byte (4-bit types, low nibble first).</summary>
    public required bool Packed { get; init; }

    /// <summary>One name per dimension (n, c, h, w; g, row, k, col), used to report coordinates.</summary>
    public required string[] Axes { get; init; }

    public required string Layout { get; init; }

    /// <summary>Bits per line of a hex file; the element width for bin and npy.</summary>
    public required int WordBits { get; init; }

    public string ByteOrder { get; init; } = "little";

    /// <summary>CRC-32 (zlib's) of the element bytes as stored in bin (packed, little-endian), in hex: the same for every format.</summary>
    public required string Crc32 { get; init; }

    public int? Tile { get; init; }

    public int? Fold { get; init; }

    /// <summary>Where a tile's block starts in the layer's GEMM ([group, row, col] of its operand).</summary>
    public long[]? Origin { get; init; }
}
