using System.Collections.Immutable;
using SiliconSim.Cli.Io;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Simulation.Vectors;

namespace SiliconSim.Cli.Vectors;

/// <summary>
/// Co-simulation: an <see cref="INodeOverride"/> that hands chosen matrix layers to outside kernels. For each it writes
/// the layer's input-side vectors as hex files with <c>manifest.json</c> and <c>gemm.txt</c> (the GEMM's extents, one
/// <c>NAME VALUE</c> per line, for a testbench's <c>$fscanf</c>) into a folder, runs the command on it
/// (<see cref="KernelProcess"/>), and reads back <c>output.hex</c> (the output codes) or, failing that,
/// <c>accumulators.hex</c> (int32, one per line, in the output's layout), which SiliconSim requantizes with the array's
/// requantizer. The graph continues with the kernel's outputs; <see cref="Reports"/> says how they differ from SiliconSim's.
/// </summary>
internal sealed class ExternalKernel : INodeOverride
{
    /// <summary>Default time one kernel run may take: an RTL simulation of a small layer takes seconds; ten minutes means a hang.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    private readonly ImmutableDictionary<string, string> _commands;
    private readonly MatrixNumerics _numerics;
    private readonly string _folder;
    private readonly TimeSpan _timeout;
    private readonly List<KernelReport> _reports = [];

    /// <param name="commands">Command per layer name.</param>
    /// <param name="numerics">The array's numerics (the accumulators given to the kernel follow them).</param>
    /// <param name="folder">Where each layer's vector folder is made.</param>
    /// <param name="timeout">How long one kernel run may take.</param>
    public ExternalKernel(ImmutableDictionary<string, string> commands, MatrixNumerics numerics, string folder, TimeSpan timeout)
    {
        _commands = commands;
        _numerics = numerics;
        _folder = folder;
        _timeout = timeout;
    }

    public IReadOnlyList<KernelReport> Reports => _reports;

    /// <summary>The layers with a kernel that never ran (not in the lowered graph).</summary>
    public IEnumerable<string> Unused => _commands.Keys.Where(k => _reports.All(r => r.Layer != k)).Order(StringComparer.Ordinal);

    /// <summary>Parses <c>--kernel LAYER=COMMAND</c> values.</summary>
    public static ImmutableDictionary<string, string> Parse(IEnumerable<string> values)
    {
        var map = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (string v in values)
        {
            int eq = v.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == v.Length - 1)
            {
                throw new UserInputException("--kernel", $"'{v}' is not LAYER=COMMAND");
            }

            if (!map.TryAdd(v[..eq], v[(eq + 1)..]))
            {
                throw new UserInputException("--kernel", $"layer '{v[..eq]}' has two kernels");
            }
        }

        return map.ToImmutable();
    }

    public bool Overrides(Node node) => node is not null && _commands.ContainsKey(node.Name);

    public IReadOnlyList<TensorValue> Run(Node node, IReadOnlyList<TensorValue?> inputs, IReadOnlyList<TensorValue> computed)
    {
        string option = $"--kernel {node.Name}";
        string command = _commands[node.Name];
        LayerVectors vectors = LayerVectorBuilder.Build(node, inputs, computed, _numerics);
        MatrixOperands matrix = vectors.Matrix ?? throw new UserInputException(option, $"node {node.Describe()} is not a quantized matrix layer (QLinearConv or QGemm with a quantized output) a kernel can replace");
        string dir = Path.Combine(_folder, VectorFolder.FolderName(node.Name));
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        Directory.CreateDirectory(dir);
        VectorTensor golden = vectors["output"], goldenAcc = vectors["accumulators"];
        var entries = vectors.Tensors.Where(t => t.Role is not (VectorRole.Output or VectorRole.Accumulator))
            .Select(t => VectorFolder.WriteTensor(dir, string.Empty, vectors, t, VectorFormat.Hex, null)).ToList();
        var manifest = new VectorManifest
        {
            Model = string.Empty,
            Config = string.Empty,
            Dataflow = string.Empty,
            ArrayRows = 0,
            ArrayCols = 0,
            Numerics = _numerics.ToString(),
            Format = "hex",
            Files = entries,
        };
        File.WriteAllText(Path.Combine(dir, VectorManifest.FileName), System.Text.Json.JsonSerializer.Serialize(manifest, VectorManifest.Json) + "\n");
        File.WriteAllText(Path.Combine(dir, "gemm.txt"), GemmText(matrix));

        KernelProcess.Run(option, command, dir, _timeout);

        var checks = new List<TensorCheck>();
        TensorValue output;
        string outputSource = "output.hex";
        string outputPath = Path.Combine(dir, "output.hex"), accPath = Path.Combine(dir, "accumulators.hex");
        if (File.Exists(outputPath))
        {
            output = ReadHex(outputPath, golden.Value.Type, [.. golden.Value.Shape]);
        }
        else if (File.Exists(accPath))
        {
            TensorValue acc = ReadHex(accPath, DataType.Int32, [.. goldenAcc.Value.Shape]);
            checks.Add(VectorChecker.Compare(Entry(vectors, goldenAcc, "accumulators.hex"), goldenAcc.Value, acc, 0, 0));
            output = matrix.Requantize(acc.Items<int>());
            outputSource = "accumulators.hex requantized by SiliconSim";
        }
        else
        {
            throw new UserInputException(option, $"kernel command '{command}' finished but wrote neither {outputPath} nor {accPath}");
        }

        checks.Add(VectorChecker.Compare(Entry(vectors, golden, outputSource), golden.Value, output, 0, 0));
        _reports.Add(new KernelReport(node.Name, command, checks));
        return [output];
    }

    private static string GemmText(MatrixOperands m)
    {
        int plane = m.Conv?.OutSize ?? 1;
        int aSigned = m.AType == DataType.Int8 ? 1 : 0, wSigned = m.WType == DataType.Int8 ? 1 : 0;
        return FormattableString.Invariant($"GROUPS {m.Groups}\nM {m.M}\nN {m.N}\nK {m.K}\nPLANE {plane}\nA_ZERO_POINT {m.AZeroPoint}\nA_SIGNED {aSigned}\nW_SIGNED {wSigned}\n");
    }

    private static TensorValue ReadHex(string path, DataType type, int[] shape)
    {
        (TensorValue? value, string? problem) = VectorCodec.Decode(File.ReadAllBytes(path), VectorFormat.Hex, type, shape, VectorCodec.DefaultWordBits(type));
        return value ?? throw new UserInputException(path, $"{problem} (the kernel's {DataTypeInfo.Name(type)}{ShapeMath.Format(shape)})");
    }

    private static VectorFileEntry Entry(LayerVectors layer, VectorTensor t, string file) => new()
    {
        File = file,
        Layer = layer.Layer,
        OpType = layer.OpType,
        Tensor = t.Name,
        Role = VectorFolder.RoleName(t.Role),
        Shape = [.. t.Value.Shape],
        ElementType = DataTypeInfo.Name(t.Value.Type),
        Packed = false,
        Axes = [.. t.Axes],
        Layout = t.Layout,
        WordBits = VectorCodec.DefaultWordBits(t.Value.Type),
        Crc32 = VectorFolder.Crc32Text(VectorCodec.ToBytes(t.Value)),
    };
}
