using SiliconSim.Config.Files;
using SiliconSim.Graph.IO;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Numerics;

namespace SiliconSim.Cli.Io;

/// <summary>Loads models and tensors from files, turning every format problem into a <see cref="UserInputException"/>
/// that names the file.</summary>
internal static class ModelFiles
{
    public static ModelGraph LoadModel(string path)
    {
        using var stream = Open(path);
        try
        {
            return OnnxModelReader.Read(stream, new FolderExternalData(Path.GetDirectoryName(Path.GetFullPath(path))!));
        }
        catch (OnnxFormatException e)
        {
            throw new UserInputException(path, e.Message);
        }
    }

    /// <summary>The model's protobuf alone, external data left unread (for what its structure says).</summary>
    /// <summary>The model as imported and as parsed, from one read: the decoder front doors read shapes from the
    /// proto's structure (<c>OnnxDecoderShape</c>) and execute the graph.</summary>
    public static (ModelGraph Graph, ModelProto Proto) LoadModelWithProto(string path)
    {
        ModelProto proto = LoadModelProto(path);
        try
        {
            return (OnnxModelReader.Import(proto, new FolderExternalData(Path.GetDirectoryName(Path.GetFullPath(path))!)), proto);
        }
        catch (OnnxFormatException e)
        {
            throw new UserInputException(path, e.Message);
        }
    }

    public static ModelProto LoadModelProto(string path)
    {
        using var stream = Open(path);
        try
        {
            return ModelProto.Parser.ParseFrom(stream);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            throw new UserInputException(path, $"not a valid ONNX model ({e.Message})");
        }
    }

    /// <summary>A TensorProto (.pb) or NumPy (.npy) tensor, by extension.</summary>
    public static TensorValue LoadTensor(string path)
    {
        using var stream = Open(path);
        try
        {
            if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            {
                return NpyReader.Read(stream);
            }

            var proto = TensorProto.Parser.ParseFrom(stream);
            return TensorProtos.FromProto(proto, new FolderExternalData(Path.GetDirectoryName(Path.GetFullPath(path))!));
        }
        catch (OnnxFormatException e)
        {
            throw new UserInputException(path, e.Message);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            throw new UserInputException(path, $"not a valid ONNX TensorProto ({e.Message})");
        }
    }

    /// <summary>A TensorProto (.pb) with its name field (empty when the file leaves it unset).</summary>
    public static (string Name, TensorValue Value) LoadNamedTensor(string path)
    {
        using var stream = Open(path);
        try
        {
            var proto = TensorProto.Parser.ParseFrom(stream);
            return (proto.Name, TensorProtos.FromProto(proto, new FolderExternalData(Path.GetDirectoryName(Path.GetFullPath(path))!)));
        }
        catch (OnnxFormatException e)
        {
            throw new UserInputException(path, e.Message);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            throw new UserInputException(path, $"not a valid ONNX TensorProto ({e.Message})");
        }
    }

    /// <summary>
    /// A regular file of at most 2 GiB (protobuf's own message limit, and more than any .npy this tool reads), opened
    /// through <see cref="InputFiles"/>: a FIFO, a device or a directory is refused before it is opened.
    /// </summary>
    private static FileStream Open(string path)
    {
        try
        {
            return InputFiles.OpenRead(path, int.MaxValue);
        }
        catch (InputFileException e) when (e.Message == "no such file")
        {
            throw new UserInputException(path, "file not found");
        }
        catch (InputFileException e)
        {
            throw new UserInputException(path, e.Message);
        }
    }
}
