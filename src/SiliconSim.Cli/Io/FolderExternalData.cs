using SiliconSim.Graph.Onnx;

namespace SiliconSim.Cli.Io;

/// <summary>Reads external tensor data from files beside the model, refusing any location outside the model's folder.</summary>
internal sealed class FolderExternalData : IExternalData
{
    private readonly string _folder;

    public FolderExternalData(string modelFolder) => _folder = Path.GetFullPath(modelFolder);

    public byte[] Read(ExternalLocation location)
    {
        string full = Path.GetFullPath(Path.Combine(_folder, location.Location));
        string root = _folder.EndsWith(Path.DirectorySeparatorChar) ? _folder : _folder + Path.DirectorySeparatorChar;
        if (!ExternalLocation.IsInsideFolder(location.Location) || !full.StartsWith(root, StringComparison.Ordinal))
        {
            throw new OnnxFormatException($"tensor '{location.TensorName}': external data location '{location.Location}' leaves the model's folder");
        }

        if (!File.Exists(full))
        {
            throw new OnnxFormatException($"tensor '{location.TensorName}': external data file '{location.Location}' does not exist");
        }

        using var stream = File.OpenRead(full);
        long length = location.Length >= 0 ? location.Length : stream.Length - location.Offset;
        if (location.Offset < 0 || location.Offset + length > stream.Length || length > int.MaxValue)
        {
            throw new OnnxFormatException($"tensor '{location.TensorName}': external data range [{location.Offset}, +{length}) lies outside '{location.Location}' ({stream.Length} bytes)");
        }

        stream.Seek(location.Offset, SeekOrigin.Begin);
        var buffer = new byte[length];
        stream.ReadExactly(buffer);
        return buffer;
    }
}
