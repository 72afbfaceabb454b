using System.Collections.Immutable;
using System.Security.Cryptography;
using SiliconSim.Cli.Validation;
using SiliconSim.Config.Files;
using SiliconSim.Config.Topology;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Pipeline;

namespace SiliconSim.Cli.Io;

/// <summary>
/// Reads what a front door names as its workload into a <see cref="WorkloadRequest"/>: an <c>.onnx</c> file, an ONNX
/// test-case folder (its first data set's inputs and golden outputs), or a SCALE-Sim topology CSV (layers, no values).
/// Every front door reads workloads here, so they all see the same request for the same files.
/// </summary>
internal static class WorkloadFiles
{
    /// <summary>
    /// The name reports give a model file: its stem, or for the ONNX test-case convention's generic <c>model.onnx</c>
    /// its folder's name (<c>digits_cnn_fp32/model.onnx</c> is "digits_cnn_fp32", as the folder itself would be).
    /// </summary>
    public static string ModelName(string modelPath)
    {
        string stem = Path.GetFileNameWithoutExtension(modelPath);
        string? folder = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(modelPath)));
        return stem == "model" && !string.IsNullOrEmpty(folder) ? folder : stem;
    }

    /// <summary>
    /// The workload at <paramref name="target"/>; <paramref name="inputFile"/> (.pb or .npy) replaces a test case's
    /// inputs for a one-input model; <paramref name="batch"/> binds symbolic dimensions when nothing is executed.
    /// </summary>
    /// <exception cref="UserInputException">a file is missing or malformed.</exception>
    public static LoadedWorkload Load(string target, string? inputFile = null, int batch = 1)
    {
        if (!Directory.Exists(target) && string.Equals(Path.GetExtension(target), ".csv", StringComparison.OrdinalIgnoreCase))
        {
            return LoadTopology(target);
        }

        (string modelPath, string? caseFolder) = Directory.Exists(target) ? (Path.Combine(target, "model.onnx"), target) : (target, null);
        var model = ModelFiles.LoadModel(modelPath);
        string name = caseFolder is not null ? Path.GetFileName(Path.GetFullPath(caseFolder)) : ModelName(modelPath);
        string? dataSet = caseFolder is null ? null : new TestCase(name, caseFolder).DataSets is [var first, ..] ? first : null;
        var request = WorkloadRequest.TimingOnly(name, model, batch);
        var runtimeInputs = model.RuntimeInputs.ToList();
        if (inputFile is not null)
        {
            if (runtimeInputs.Count != 1)
            {
                throw new UserInputException("--input", $"the model has {runtimeInputs.Count} inputs; give a test-case folder instead");
            }

            request = request with { Inputs = new Dictionary<string, TensorValue>(StringComparer.Ordinal) { [runtimeInputs[0].Name] = ModelFiles.LoadTensor(inputFile) } };
            return new LoadedWorkload(request, modelPath, inputFile);
        }

        if (dataSet is null)
        {
            CheckBatch(modelPath, runtimeInputs, batch);
            return new LoadedWorkload(request, modelPath, null);
        }

        request = request with
        {
            Inputs = DataSetInputs(model.RuntimeInputs.Select(i => i.Name).ToList(), dataSet),
            Golden = [.. TestCase.NumberedFiles(dataSet, "output_").Select(ModelFiles.LoadTensor)],
        };
        return new LoadedWorkload(request, modelPath, dataSet);
    }

    /// <summary>The input_N.pb files of <paramref name="dataSet"/>, keyed by the model's runtime inputs in order.</summary>
    public static Dictionary<string, TensorValue> DataSetInputs(IReadOnlyList<string> runtimeInputs, string dataSet)
    {
        var inputFiles = TestCase.NumberedFiles(dataSet, "input_");
        if (inputFiles.Count != runtimeInputs.Count)
        {
            throw new UserInputException(dataSet, $"holds {inputFiles.Count} input_N.pb files but the model has {runtimeInputs.Count} inputs ({string.Join(", ", runtimeInputs)})");
        }

        var inputs = new Dictionary<string, TensorValue>(StringComparer.Ordinal);
        for (int i = 0; i < inputFiles.Count; i++)
        {
            inputs[runtimeInputs[i]] = ModelFiles.LoadTensor(inputFiles[i]);
        }

        return inputs;
    }

    /// <summary>
    /// The batch bound to symbolic dimensions must leave every input a tensor this tool can hold (at most 2^31-1
    /// elements), checked before shapes are inferred.
    /// </summary>
    private static void CheckBatch(string modelPath, IReadOnlyList<Graph.Ir.ValueInfo> inputs, int batch)
    {
        foreach (var input in inputs)
        {
            // In double: the product is compared, never wrapped.
            double elements = input.Dims.Aggregate(1.0, (n, d) => n * (d ?? batch));
            if (input.Dims.Any(d => d is null) && elements > int.MaxValue)
            {
                string shape = "[" + string.Join(',', input.Dims.Select(d => d?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "batch")) + "]";
                throw new UserInputException("--batch", $"{batch} makes input '{input.Name}' of {modelPath} ({shape}) {elements:0.###e0} elements, more than 2^31-1; use a smaller batch");
            }
        }
    }

    /// <summary>A SCALE-Sim topology: its rows are the layers, at batch 1, with no values.</summary>
    private static LoadedWorkload LoadTopology(string path)
    {
        string text;
        try
        {
            text = InputFiles.ReadAllText(path);
        }
        catch (InputFileException e)
        {
            throw new UserInputException(path, e.Message);
        }

        ImmutableArray<MatrixLayer> layers;
        try
        {
            layers = ScaleSimTopologyReader.Parse(text, path);
        }
        catch (FormatException e)
        {
            // The reader's messages already start with file:line:column.
            throw new UserInputException(e.Message);
        }

        var request = WorkloadRequest.FromLayers(Path.GetFileNameWithoutExtension(path), [.. layers.Cast<LayerWork>()]);
        return new LoadedWorkload(request, path, null);
    }

    /// <summary>SHA-256 of a file, lower-case hex: reports and sweep keys record what ran.</summary>
    public static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
