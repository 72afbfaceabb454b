using SiliconSim.Graph.Execution;
using SiliconSim.Graph.IO;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;
using SiliconSim.TestSupport;

namespace SiliconSim.Simulation.Tests.Numerics;

/// <summary>A digits model (../shared/data/digits) lowered as SiliconSim executes it, with its 360 test images, ORT's golden logits and the labels.</summary>
internal sealed record DigitsCase(string Name, ModelGraph Lowered, IReadOnlyDictionary<string, TensorValue> Feeds, IReadOnlyList<TensorValue> Golden)
{
    private static readonly Lazy<int[]> s_labels = new(LoadLabels);

    public static int[] Labels => s_labels.Value;

    /// <summary>Every quantized digits case (the fp32 ones have no integer matrix ops).</summary>
    public static IEnumerable<string> QuantizedCases() =>
        Directory.GetDirectories(SharedData.Digits).Select(Path.GetFileName).OfType<string>()
            .Where(n => !n.EndsWith("_fp32", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    public static DigitsCase Load(string name)
    {
        string folder = Path.Combine(SharedData.Digits, name);
        ModelGraph model;
        using (var stream = File.OpenRead(Path.Combine(folder, "model.onnx")))
        {
            model = OnnxModelReader.Read(stream);
        }

        TensorValue Read(string file) => TensorProtos.FromProto(TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(folder, "test_data_set_0", file))));
        var feeds = new Dictionary<string, TensorValue>(StringComparer.Ordinal) { [model.RuntimeInputs.First().Name] = Read("input_0.pb") };
        return new DigitsCase(name, OrtCpuLowering.Lower(model), feeds, [Read("output_0.pb")]);
    }

    /// <summary>The same case on its first <paramref name="images"/> images only (the models are batch-agnostic), to keep the slow scalar model quick.</summary>
    public DigitsCase Take(int images) => this with
    {
        Feeds = Feeds.ToDictionary(p => p.Key, p => Rows(p.Value, images), StringComparer.Ordinal),
        Golden = [.. Golden.Select(g => Rows(g, images))],
    };

    public IReadOnlyList<(string Name, TensorValue Value)> Run(ExecutionOptions options) => GraphExecutor.Run(Lowered, Feeds, options: options);

    private static TensorValue Rows(TensorValue t, int rows)
    {
        int perRow = t.Length / t.Shape[0];
        return TensorValue.Create(t.Type, [rows, .. t.Shape.Skip(1)], t.Items<float>().AsSpan(0, rows * perRow).ToArray());
    }

    private static int[] LoadLabels()
    {
        using var s = File.OpenRead(Path.Combine(SharedData.Digits, "digits_test_y.npy"));
        TensorValue t = NpyReader.Read(s);
        return [.. Enumerable.Range(0, t.Length).Select(i => (int)TensorComparison.ToDouble(t, i))];
    }
}
