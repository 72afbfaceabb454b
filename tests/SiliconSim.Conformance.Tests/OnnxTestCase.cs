using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;

namespace SiliconSim.Conformance.Tests;

/// <summary>An ONNX test-case folder loaded for a conformance test: the model, data set 0's inputs and expected outputs.</summary>
internal sealed record OnnxTestCase(string Name, ModelGraph Model, IReadOnlyList<TensorValue> Inputs, IReadOnlyList<TensorValue> Expected)
{
    public static OnnxTestCase Load(string folder)
    {
        ModelGraph model;
        using (var stream = File.OpenRead(Path.Combine(folder, "model.onnx")))
        {
            model = OnnxModelReader.Read(stream);
        }

        string data = Path.Combine(folder, "test_data_set_0");
        var inputs = Numbered(data, "input_");
        var outputs = Numbered(data, "output_");
        return new OnnxTestCase(Path.GetFileName(folder), model, inputs, outputs);
    }

    /// <summary>Runs the case the way `siliconsim validate` does: ORT-CPU lowering, then the executor.</summary>
    public IReadOnlyList<TensorValue> Run()
    {
        ModelGraph lowered = OrtCpuLowering.Lower(Model);
        var names = Model.RuntimeInputs.Select(i => i.Name).ToList();
        var feeds = names.Select((n, i) => (n, Inputs[i])).ToDictionary(p => p.n, p => p.Item2, StringComparer.Ordinal);
        return GraphExecutor.Run(lowered, feeds).Select(o => o.Value).ToList();
    }

    private static List<TensorValue> Numbered(string folder, string prefix) =>
        Directory.GetFiles(folder, prefix + "*.pb")
            .OrderBy(f => int.Parse(Path.GetFileNameWithoutExtension(f)[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture))
            .Select(f => TensorProtos.FromProto(TensorProto.Parser.ParseFrom(File.ReadAllBytes(f))))
            .ToList();
}
