using System.Collections.Concurrent;
using System.Globalization;
using SiliconSim.Config;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Pipeline;

namespace SiliconSim.Simulation.Tests.Plan;

/// <summary>The shipped presets and real ONNX test cases (model.onnx + test_data_set_0) for the plan's checks on real models.</summary>
internal static class RealModels
{
    /// <summary>Real models: the digits CNN and MLP (../shared/data/digits) and the zoo's residual, inverted-residual and
    /// transformer graphs (workloads/zoo).</summary>
    public static IReadOnlyList<string> Cases { get; } =
    [
        "digits/digits_cnn_qdq_u8s8_tensor",
        "digits/digits_mlp_qop_u8s8_tensor",
        "zoo/resnet_mini_qdq_s8s8_channel",
        "zoo/mobilenetv2_mini_qop_u8s8_tensor",
        "zoo/transformer_encoder_qdq_s8s8_channel",
    ];

    public static string PresetFolder => Path.Combine(Repository.Root, "configs", "presets");

    /// <summary>Every preset in configs/presets, by file name without .yaml.</summary>
    public static IEnumerable<string> Presets() =>
        Directory.GetFiles(PresetFolder, "*.yaml").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal);

    public static ConfigLoadResult Preset(string name)
    {
        ConfigLoadResult config = ConfigLoader.LoadFile(Path.Combine(PresetFolder, name + ".yaml"));
        Assert.True(config.Success, string.Join("; ", config.Diagnostics.Select(d => d.ToString())));
        return config;
    }

    public static string Folder(string testCase)
    {
        string[] parts = testCase.Split('/');
        return parts[0] == "digits" ? Path.Combine(SharedData.Digits, parts[1]) : Path.Combine(Repository.Root, "workloads", parts[0], parts[1]);
    }

    public static ModelGraph Model(string testCase)
    {
        using var stream = File.OpenRead(Path.Combine(Folder(testCase), "model.onnx"));
        return OnnxModelReader.Read(stream);
    }

    /// <summary>The case with its data set 0: inputs by the model's runtime input names, and the golden outputs.</summary>
    public static WorkloadRequest WithData(string testCase)
    {
        ModelGraph model = Model(testCase);
        string data = Path.Combine(Folder(testCase), "test_data_set_0");
        TensorValue Read(string file) => TensorProtos.FromProto(TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(data, file))));
        var inputs = model.RuntimeInputs.Select((input, i) => (input.Name, Value: Read($"input_{i}.pb"))).ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        int outputs = Directory.GetFiles(data, "output_*.pb").Length;
        return new WorkloadRequest
        {
            Name = Path.GetFileName(Folder(testCase)),
            Model = model,
            Inputs = inputs,
            Golden = [.. Enumerable.Range(0, outputs).Select(i => Read($"output_{i}.pb"))],
        };
    }

    /// <summary>
    /// The case prepared for <paramref name="spec"/> on the first <paramref name="rows"/> inputs of its data set (no
    /// golden): executing gives every value's shape, which shape inference alone does not for the transformer's matmuls.
    /// </summary>
    /// <remarks>For the layers only: cached by what the lowering reads of the spec (the operand types), so the presets
    /// that share those share one execution; the values may be another preset's numerics'.</remarks>
    public static PreparedWorkload Prepare(string testCase, AcceleratorSpec spec, int rows)
    {
        string key = string.Join("|", testCase, rows.ToString(CultureInfo.InvariantCulture), string.Join(",", spec.Array.OperandTypes.Order()));
        return s_prepared.GetOrAdd(key, _ => new Lazy<PreparedWorkload>(() =>
        {
            WorkloadRequest full = WithData(testCase);
            var inputs = full.Inputs.ToDictionary(p => p.Key, p => FirstRows(p.Value, rows), StringComparer.Ordinal);
            return SimulationPipeline.Prepare(full with { Inputs = inputs, Golden = [] }, spec);
        })).Value;
    }

    private static readonly ConcurrentDictionary<string, Lazy<PreparedWorkload>> s_prepared = new(StringComparer.Ordinal);

    /// <summary>
    /// The preset's spec, able to run the int8 models: eyeriss's array multiplies int16 only, so it gets the uint8 and
    /// int8 operand types too (the plan's laws are about its memory, which stays the preset's).
    /// </summary>
    public static AcceleratorSpec Spec(string preset)
    {
        AcceleratorSpec spec = Preset(preset).SpecOrThrow();
        DataType[] needed = [DataType.UInt8, DataType.Int8];
        return needed.All(spec.Array.OperandTypes.Contains)
            ? spec
            : spec with { Array = spec.Array with { OperandTypes = [.. spec.Array.OperandTypes.Union(needed)] } };
    }

    private static TensorValue FirstRows(TensorValue t, int rows)
    {
        if (t.Rank == 0 || t.Shape[0] <= rows)
        {
            return t;
        }

        int perRow = t.Length / t.Shape[0];
        var data = Array.CreateInstance(t.Data.GetType().GetElementType()!, rows * perRow);
        Array.Copy(t.Data, data, rows * perRow);
        return TensorValue.Create(t.Type, [rows, .. t.Shape.Skip(1)], data);
    }
}
