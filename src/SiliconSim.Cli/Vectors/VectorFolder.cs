using System.Globalization;
using System.Text;
using System.Text.Json;
using SiliconSim.Cli.Io;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Vectors;

namespace SiliconSim.Cli.Vectors;

/// <summary>Writes layer vectors into a folder (one sub-folder per layer plus <c>manifest.json</c>) and reads them back.</summary>
internal static class VectorFolder
{
    /// <summary>Writes every tensor of <paramref name="layers"/> and the manifest; returns the manifest.</summary>
    public static VectorManifest Write(string dir, IEnumerable<LayerVectors> layers, VectorFormat format, int? wordBits, VectorManifest header, Func<VectorTensor, bool>? include = null)
    {
        var entries = new List<VectorFileEntry>();
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (LayerVectors layer in layers)
        {
            string folder = UniqueFolder(layer.Layer, folders);
            Directory.CreateDirectory(Path.Combine(dir, folder));
            // A vector file holds integer, fp8, fp4 and float32 elements; other tensors (int64 shapes, float16) are left out.
            foreach (VectorTensor t in layer.Tensors.Where(t => VectorCodec.Supports(t.Value.Type) && (include is null || include(t))))
            {
                entries.Add(WriteTensor(dir, folder, layer, t, format, wordBits));
            }
        }

        VectorManifest manifest = header with { Format = Name(format), Files = entries };
        File.WriteAllText(Path.Combine(dir, VectorManifest.FileName), JsonSerializer.Serialize(manifest, VectorManifest.Json) + "\n");
        return manifest;
    }

    /// <summary>Writes one tensor of <paramref name="layer"/> into <paramref name="dir"/>/<paramref name="folder"/>.</summary>
    public static VectorFileEntry WriteTensor(string dir, string folder, LayerVectors layer, VectorTensor t, VectorFormat format, int? wordBits)
    {
        int bits = format == VectorFormat.Hex ? wordBits ?? VectorCodec.DefaultWordBits(t.Value.Type) : DataTypeInfo.BitWidth(t.Value.Type);
        if (format == VectorFormat.Hex && (bits % 8 != 0 || bits < DataTypeInfo.BitWidth(t.Value.Type) || bits > 64))
        {
            throw new UserInputException("--word-bits", string.Create(CultureInfo.InvariantCulture, $"{bits} cannot hold {DataTypeInfo.Name(t.Value.Type)} ('{layer.Layer}' {t.Name}): a word is a multiple of 8 bits, 8 to 64, at least one element wide"));
        }

        string file = folder.Length == 0 ? $"{t.Name}.{Extension(format)}" : $"{folder}/{t.Name}.{Extension(format)}";
        File.WriteAllBytes(Path.Combine(dir, file), VectorCodec.Encode(t.Value, format, bits));
        return new VectorFileEntry
        {
            File = file,
            Layer = layer.Layer,
            OpType = layer.OpType,
            Tensor = t.Name,
            Role = RoleName(t.Role),
            Shape = [.. t.Value.Shape],
            ElementType = DataTypeInfo.Name(t.Value.Type),
            Packed = DataTypeInfo.BitWidth(t.Value.Type) < 8,
            Axes = [.. t.Axes],
            Layout = t.Layout,
            WordBits = bits,
            Crc32 = Crc32Text(VectorCodec.ToBytes(t.Value)),
            Tile = t.Tile,
            Fold = t.Fold,
            Origin = t.Origin.IsDefaultOrEmpty ? null : [.. t.Origin],
        };
    }

    /// <summary>Reads and checks <c>manifest.json</c> in <paramref name="dir"/>; null when there is none.</summary>
    /// <exception cref="UserInputException">it cannot be read or an entry is malformed.</exception>
    public static VectorManifest? ReadManifest(string dir)
    {
        string path = Path.Combine(dir, VectorManifest.FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        VectorManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<VectorManifest>(File.ReadAllText(path), VectorManifest.Json);
        }
        catch (JsonException e)
        {
            throw new UserInputException(path, $"not a vector manifest: {e.Message}");
        }

        if (manifest?.Files is null)
        {
            throw new UserInputException(path, "not a vector manifest: no 'files'");
        }

        _ = ParseFormat(manifest.Format, path);
        foreach (VectorFileEntry e in manifest.Files)
        {
            if (e.File is null || e.File.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(e.File))
            {
                throw new UserInputException(path, $"entry '{e.File}' is not a path inside the folder");
            }

            _ = ElementType(e, path);
            if (e.Shape is null || e.Shape.Any(d => d < 0) || e.Axes is null || e.Axes.Length != e.Shape.Length)
            {
                throw new UserInputException(path, $"entry '{e.File}': shape and axes must have one non-negative extent and one name per dimension");
            }

            // One tensor is one array: a shape past int.MaxValue elements is malformed, not something to allocate.
            if (e.Shape.Aggregate(1.0, (p, d) => p * d) > int.MaxValue)
            {
                throw new UserInputException(path, $"entry '{e.File}': shape [{string.Join(", ", e.Shape)}] has more than {int.MaxValue} elements");
            }
        }

        return manifest;
    }

    /// <summary>The tensor <paramref name="entry"/> describes, read from <paramref name="dir"/>, or null when the file is absent.</summary>
    /// <exception cref="UserInputException">the file exists but does not hold what the entry says.</exception>
    public static TensorValue? ReadTensor(string dir, VectorFileEntry entry, VectorFormat format)
    {
        string path = Path.Combine(dir, entry.File);
        if (!File.Exists(path))
        {
            return null;
        }

        byte[] contents = File.ReadAllBytes(path);
        DataType type = ElementType(entry, Path.Combine(dir, VectorManifest.FileName));
        (TensorValue? value, string? problem) = VectorCodec.Decode(contents, format, type, entry.Shape, entry.WordBits);
        return value ?? throw new UserInputException(path, $"{problem} ({entry.Layer} {entry.Tensor}: {entry.ElementType}{ShapeMath.Format(entry.Shape)})");
    }

    public static VectorFormat ParseFormat(string? text, string where) => text switch
    {
        "npy" => VectorFormat.Npy,
        "hex" => VectorFormat.Hex,
        "bin" => VectorFormat.Bin,
        _ => throw new UserInputException(where, $"format '{text}' is not one of npy, hex, bin"),
    };

    public static string Name(VectorFormat format) => format.ToString().ToLowerInvariant();

    public static string Extension(VectorFormat format) => Name(format);

    /// <summary>The folder of a layer: its node name with every character outside [A-Za-z0-9._-] replaced by '_'.</summary>
    public static string FolderName(string layer)
    {
        var s = new StringBuilder();
        foreach (char c in layer.TrimStart('/'))
        {
            s.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_');
        }

        return s.Length == 0 ? "layer" : s.ToString();
    }

    public static string RoleName(VectorRole role) => role switch
    {
        VectorRole.PartialSum => "partial_sum",
        _ => role.ToString().ToLowerInvariant(),
    };

    public static string Crc32Text(byte[] bytes) => "0x" + Crc32.Compute(bytes).ToString("x8", CultureInfo.InvariantCulture);

    private static string UniqueFolder(string layer, HashSet<string> used)
    {
        string baseName = FolderName(layer), name = baseName;
        for (int i = 2; !used.Add(name); i++)
        {
            name = string.Create(CultureInfo.InvariantCulture, $"{baseName}_{i}");
        }

        return name;
    }

    private static DataType ElementType(VectorFileEntry e, string manifestPath) =>
        Enum.TryParse(e.ElementType, ignoreCase: true, out DataType t) && VectorCodec.Supports(t)
            ? t
            : throw new UserInputException(manifestPath, $"entry '{e.File}': element type '{e.ElementType}' is not one vector files hold");
}
