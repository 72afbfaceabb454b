namespace SiliconSim.Graph.Onnx;

/// <summary>Where a tensor's externally stored bytes live, as its <c>external_data</c> entries say.</summary>
/// <param name="Location">The path relative to the model's folder.</param>
/// <param name="Offset">Byte offset into the file.</param>
/// <param name="Length">Byte count, or −1 for "to the end of the file".</param>
/// <param name="TensorName">The tensor, for messages.</param>
public sealed record ExternalLocation(string Location, long Offset, long Length, string TensorName)
{
    internal static ExternalLocation Parse(Proto.TensorProto proto, string what)
    {
        string? location = null;
        long offset = 0;
        long length = -1;
        foreach (var entry in proto.ExternalData)
        {
            switch (entry.Key)
            {
                case "location":
                    location = entry.Value;
                    break;
                case "offset":
                    offset = ParseLong(entry.Value, "offset", what);
                    break;
                case "length":
                    length = ParseLong(entry.Value, "length", what);
                    break;
                default:
                    break;
            }
        }

        if (string.IsNullOrEmpty(location))
        {
            throw new OnnxFormatException($"{what} is external but has no 'location'");
        }

        if (location.Contains('\0', StringComparison.Ordinal))
        {
            throw new OnnxFormatException($"{what}: external data location contains a NUL character");
        }

        // The end of the range must itself be a file position: offset + length past 2^63 - 1 is a corrupt field.
        if (length >= 0 && offset > long.MaxValue - length)
        {
            throw new OnnxFormatException($"{what}: external data range [{offset}, +{length}) ends past the largest file offset");
        }

        if (!IsInsideFolder(location))
        {
            throw new OnnxFormatException($"{what}: external data location '{location}' leaves the model's folder");
        }

        return new ExternalLocation(location, offset, length, proto.Name);
    }

    /// <summary>True when <paramref name="location"/> is a relative path that never climbs above its starting folder.</summary>
    public static bool IsInsideFolder(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (location.Length == 0 || location[0] == '/' || location[0] == '\\' || location.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        int depth = 0;
        foreach (string part in location.Split('/', '\\'))
        {
            if (part == "..")
            {
                depth--;
                if (depth < 0)
                {
                    return false;
                }
            }
            else if (part.Length > 0 && part != ".")
            {
                depth++;
            }
        }

        return true;
    }

    private static long ParseLong(string text, string key, string what) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long v)
            ? v
            : throw new OnnxFormatException($"{what}: external data '{key}' is not a non-negative integer: '{text}'");
}

/// <summary>Reads externally stored tensor bytes. The simulator core does no file I/O itself; the CLI supplies a
/// folder-backed implementation, tests an in-memory one.</summary>
public interface IExternalData
{
    /// <summary>The bytes at <paramref name="location"/>; throws <see cref="OnnxFormatException"/> when missing or short.</summary>
    byte[] Read(ExternalLocation location);
}
