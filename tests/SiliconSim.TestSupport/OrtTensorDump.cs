using System.Globalization;
using System.Text;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;

namespace SiliconSim.TestSupport;

/// <summary>
/// Produces the expected intermediates for <c>siliconsim validate --trace-expect DIR</c>: adds the requested tensors to
/// a model's graph outputs, runs it through ONNX Runtime (<see cref="OrtOracle"/>: CPU provider, all optimisations, one
/// thread) on a test case's first data set, and writes every requested tensor as a TensorProto .pb whose <c>name</c>
/// field is the tensor's name. Test-only: the product never depends on ONNX Runtime.
/// </summary>
/// <remarks>
/// Only tensors that survive SiliconSim's lowering are worth dumping: making a tensor inside a QDQ unit a graph output
/// stops ORT from fusing that unit (its selectors refuse nodes whose outputs leave the graph), so ORT would then compute
/// it in float, not as the fused kernel the real run uses. <see cref="LoweredTensors"/> lists the safe names.
/// Command line (tools/ort-tensor-dump.cs): <c>CASE_DIR OUT_DIR [TENSOR...]</c>; with no tensor, every lowered tensor.
/// </remarks>
public static class OrtTensorDump
{
    /// <summary>Runs <paramref name="model"/> with <paramref name="tensors"/> added as graph outputs and returns them by name.</summary>
    public static IReadOnlyDictionary<string, TensorValue> Run(byte[] model, IReadOnlyList<(string Name, TensorValue Value)> inputs, IEnumerable<string> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var proto = ModelProto.Parser.ParseFrom(model);
        var produced = proto.Graph.Node.SelectMany(n => n.Output).Concat(proto.Graph.Input.Select(i => i.Name)).ToHashSet(StringComparer.Ordinal);
        var wanted = tensors.Distinct(StringComparer.Ordinal).ToList();
        foreach (string name in wanted)
        {
            if (!produced.Contains(name))
            {
                throw new ArgumentException($"the model has no node output or input named '{name}'", nameof(tensors));
            }

            if (!proto.Graph.Output.Any(o => o.Name == name))
            {
                // No type: ORT takes it from the producing node's inferred output.
                proto.Graph.Output.Add(new ValueInfoProto { Name = name });
            }
        }

        var results = OrtOracle.Run(proto.ToByteArray(), inputs);
        var set = wanted.ToHashSet(StringComparer.Ordinal);
        var feeds = inputs.ToDictionary(i => i.Name, i => i.Value, StringComparer.Ordinal);
        var dumped = new Dictionary<string, TensorValue>(StringComparer.Ordinal);
        foreach ((string name, TensorValue value) in results.Where(r => set.Contains(r.Name)))
        {
            dumped[name] = value;
        }

        // A graph input asked for is not an output ORT returns; it is its feed.
        foreach (string name in wanted.Where(n => !dumped.ContainsKey(n) && feeds.ContainsKey(n)))
        {
            dumped[name] = feeds[name];
        }

        return dumped;
    }

    /// <summary>The node outputs of a model that still exist after SiliconSim's ORT-CPU lowering: the tensors that
    /// <c>validate --trace-all</c> traces and ORT can be asked for without changing what it fuses.</summary>
    public static IReadOnlyList<string> LoweredTensors(byte[] model)
    {
        ModelGraph graph = OnnxModelReader.Read(new MemoryStream(model));
        var original = graph.Nodes.SelectMany(n => n.Outputs).ToHashSet(StringComparer.Ordinal);
        return [.. OrtCpuLowering.Lower(graph).Nodes.SelectMany(n => n.Outputs).Where(o => o.Length > 0 && original.Contains(o))];
    }

    /// <summary>Dumps <paramref name="tensors"/> (all lowered tensors when empty) of the case in
    /// <paramref name="caseFolder"/>, run on its test_data_set_0, into <paramref name="outputFolder"/>; returns the files.</summary>
    public static IReadOnlyList<string> Dump(string caseFolder, string outputFolder, IReadOnlyCollection<string> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        byte[] model = File.ReadAllBytes(Path.Combine(caseFolder, "model.onnx"));
        var proto = ModelProto.Parser.ParseFrom(model);
        var initializers = proto.Graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var inputNames = proto.Graph.Input.Select(i => i.Name).Where(n => !initializers.Contains(n)).ToList();
        string dataSet = Path.Combine(caseFolder, "test_data_set_0");
        var inputs = new List<(string, TensorValue)>();
        for (int i = 0; i < inputNames.Count; i++)
        {
            var tensor = TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dataSet, $"input_{i}.pb")));
            inputs.Add((inputNames[i], TensorProtos.FromProto(tensor)));
        }

        var wanted = tensors.Count > 0 ? tensors : LoweredTensors(model);
        var dumped = Run(model, inputs, wanted);
        Directory.CreateDirectory(outputFolder);
        var files = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in wanted.Distinct(StringComparer.Ordinal))
        {
            string file = FileNameFor(name);
            for (int k = 2; !used.Add(file); k++)
            {
                file = $"{FileNameFor(name)}_{k}";
            }

            string path = Path.Combine(outputFolder, file + ".pb");
            File.WriteAllBytes(path, TensorProtos.ToProto(name, dumped[name]).ToByteArray());
            files.Add(path);
        }

        return files;
    }

    /// <summary>A file name for a tensor name: characters outside [A-Za-z0-9._-] become '_'. The reader goes by the
    /// TensorProto's name field, so two tensors that map to one file name only need distinct files.</summary>
    public static string FileNameFor(string tensorName)
    {
        ArgumentNullException.ThrowIfNull(tensorName);
        var sb = new StringBuilder(tensorName.Length);
        foreach (char c in tensorName)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        }

        string s = sb.ToString().TrimStart('.');
        return s.Length == 0 ? "tensor" : s;
    }

    /// <summary>The command line: <c>CASE_DIR OUT_DIR [TENSOR...]</c>. Returns the process exit code.</summary>
    public static int Main(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Length < 2)
        {
            stderr.WriteLine("usage: ort-tensor-dump CASE_DIR OUT_DIR [TENSOR...]   (no TENSOR: every tensor left after SiliconSim's lowering)");
            return 2;
        }

        try
        {
            var files = Dump(args[0], args[1], args[2..]);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {files.Count} tensors from ONNX Runtime {OrtEnv.Instance().GetVersionString()} to {args[1]}"));
            return 0;
        }
        catch (Exception e) when (e is IOException or ArgumentException or OnnxRuntimeException or InvalidProtocolBufferException or OnnxFormatException)
        {
            stderr.WriteLine($"ort-tensor-dump: error: {e.Message}");
            return 2;
        }
    }
}
