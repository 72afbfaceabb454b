using SiliconSim.Config.Files;
using SiliconSim.Graph.Onnx;

namespace SiliconSim.Cli.Io;

/// <summary>
/// Reads external tensor data from files beside the model (or tensor file). The location is resolved to its real path,
/// symbolic links followed, and must stay inside the model's folder; only a regular file is read, and the range asked
/// for is checked against its size before anything is allocated (<see cref="InputFiles"/>).
/// </summary>
internal sealed class FolderExternalData : IExternalData
{
    private readonly string _folder;

    public FolderExternalData(string modelFolder) => _folder = Path.GetFullPath(modelFolder);

    public byte[] Read(ExternalLocation location)
    {
        string what = $"tensor '{location.TensorName}': external data '{location.Location}'";
        if (location.Location.Contains('\0', StringComparison.Ordinal))
        {
            throw new OnnxFormatException($"tensor '{location.TensorName}': external data location contains a NUL character");
        }

        if (!ExternalLocation.IsInsideFolder(location.Location))
        {
            throw new OnnxFormatException($"tensor '{location.TensorName}': external data location '{location.Location}' leaves the model's folder");
        }

        try
        {
            return InputFiles.ReadRange(Path.Combine(_folder, location.Location), location.Offset, location.Length, _folder);
        }
        catch (InputFileException e)
        {
            throw new OnnxFormatException($"{what} {e.Message}");
        }
    }
}
