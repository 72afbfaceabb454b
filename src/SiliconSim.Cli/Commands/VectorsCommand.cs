using System.CommandLine;
using System.Globalization;
using SiliconSim.Cli.Io;
using SiliconSim.Cli.Vectors;
using SiliconSim.Config;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Vectors;

namespace SiliconSim.Cli.Commands;

/// <summary>
/// `siliconsim vectors export|check`: golden test vectors of chosen layers for a kernel's testbench, and the comparison
/// of a kernel's dumps with them.
/// </summary>
internal static class VectorsCommand
{
    public static Command Create(TextWriter stdout) => new("vectors", "Golden test vectors for hardware kernels, and a checker for their dumps.")
    {
        Export(stdout),
        Check(stdout),
    };

    private static Command Export(TextWriter stdout)
    {
        var model = new Option<string?>("--model") { Description = $"An .onnx model or an ONNX test-case folder (default {WorkloadCatalog.DefaultModel})." };
        var config = new Option<string?>("--config") { Description = $"An accelerator config (YAML file) or a preset name (default {PresetCatalog.DefaultPreset}): its dataflow, array and numerics shape the vectors." };
        var input = new Option<string?>("--input") { Description = "The model's input (TensorProto .pb or .npy); default the test case's test_data_set_0." };
        var layers = new Option<string>("--layers") { Description = "Node names of the lowered graph (see `siliconsim inspect --lowered`), comma-separated, or 'all'.", Required = true };
        var tiles = new Option<bool>("--tiles") { Description = "Also write every tile (input region, bias and requantization slices, accumulators, outputs) and array fold of the mapping the memory model chose." };
        var format = new Option<string>("--format") { Description = "npy, hex ($readmemh) or bin (raw little-endian).", DefaultValueFactory = _ => "npy" };
        var wordBits = new Option<int?>("--word-bits") { Description = "Bits per line of hex files (a multiple of 8; default one element per line, at least 8)." };
        var output = new Option<string>("--out") { Description = "The folder to write the vectors and manifest.json into.", Required = true };
        var threads = ThreadsOption.Create();
        var command = new Command("export", "Write a layer's inputs, im2col operand, weights, bias, requantization parameters, int32 accumulators and outputs.")
        {
            model, config, input, layers, tiles, format, wordBits, output, threads,
        };
        command.SetAction(parse =>
        {
            Parallelism parallelism = ThreadsOption.Parallelism(parse, threads);
            VectorFormat f = VectorFolder.ParseFormat(parse.GetValue(format), "--format");
            int? bits = parse.GetValue(wordBits);
            if (bits is not null && f != VectorFormat.Hex)
            {
                throw new UserInputException("--word-bits", "applies to --format hex only");
            }

            string outDir = parse.GetValue(output)!;
            HardwareConfig hardware = HardwareConfig.Load(parse.GetValue(config));
            string target = parse.GetValue(model) ?? WorkloadCatalog.Find(WorkloadCatalog.DefaultModel)
                ?? throw new UserInputException(WorkloadCatalog.DefaultModel, "the bundled demo model was not found above the current directory; pass --model");
            LoadedWorkload workload = WorkloadFiles.Load(target, parse.GetValue(input));
            workload = workload with { Request = workload.Request with { Parallelism = parallelism } };
            string layerText = parse.GetValue(layers)!;
            HashSet<string>? names = layerText.Trim() == "all" ? null : [.. layerText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            if (names is { Count: 0 })
            {
                throw new UserInputException("--layers", "names no layer");
            }

            OutputFolder.Prepare(outDir, "--out");
            IReadOnlyList<LayerVectors> recorded = VectorExport.Record(workload, hardware, names, parse.GetValue(tiles));
            VectorManifest manifest = VectorFolder.Write(outDir, recorded, f, bits, Header(hardware.Spec, workload.ModelPath, hardware.ConfigPath));
            long bytes = manifest.Files.Sum(e => new FileInfo(Path.Combine(outDir, e.File)).Length);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {manifest.Files.Count} {manifest.Format} files ({bytes} bytes) for {recorded.Count} layers and {Path.Combine(outDir, VectorManifest.FileName)}"));
            foreach (LayerVectors l in recorded)
            {
                var skipped = l.Tensors.Where(t => !VectorCodec.Supports(t.Value.Type)).Select(t => $"{t.Name} ({DataTypeInfo.Name(t.Value.Type)})").ToList();
                if (skipped.Count > 0)
                {
                    stdout.WriteLine($"  {l.Layer}: left out {string.Join(", ", skipped)}: vector files hold integer, fp8, fp4 and float32 elements");
                }

                int tileFiles = l.Tensors.Count(t => t.Tile is not null);
                string shape = l.Matrix is { } m ? string.Create(CultureInfo.InvariantCulture, $" GEMM M={m.M} N={m.N} K={m.K}{(m.Groups > 1 ? $" groups={m.Groups}" : string.Empty)}") : string.Empty;
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {l.Layer} ({l.OpType}){shape}: {l.Tensors.Length - tileFiles} layer tensors{(tileFiles > 0 ? $", {tileFiles} tile tensors in {l.Tensors.Where(t => t.Tile is not null).Select(t => t.Tile).Distinct().Count()} tiles" : string.Empty)}"));
            }

            return CliApp.Success;
        });
        return command;
    }

    /// <summary>The manifest's description of where the vectors come from (its files filled in later).</summary>
    internal static VectorManifest Header(AcceleratorSpec spec, string modelPath, string configPath) => new()
    {
        Model = modelPath,
        Config = configPath,
        Dataflow = spec.Array.Dataflow switch { Dataflow.OutputStationary => "os", Dataflow.WeightStationary => "ws", _ => "is" },
        ArrayRows = spec.Array.Rows,
        ArrayCols = spec.Array.Cols,
        Numerics = spec.Array.Numerics.ToMatrixNumerics().ToString(),
        Format = "npy",
        Files = [],
    };

    private static Command Check(TextWriter stdout)
    {
        var golden = new Option<string>("--golden") { Description = "A folder written by `vectors export`.", Required = true };
        var actual = new Option<string>("--actual") { Description = "The kernel's dumps, laid out as the golden's manifest says (or with their own manifest.json).", Required = true };
        var tolerance = new Option<string?>("--tolerance") { Description = "ATOL[,RTOL] for float tensors: |actual − golden| ≤ ATOL + RTOL·|golden| (default 0: exact). Integer tensors always match exactly." };
        var command = new Command("check", "Compare a kernel's dumps with golden vectors: exit 0 on a match, 1 on mismatches, 2 on bad input.") { golden, actual, tolerance };
        command.SetAction(parse =>
        {
            (double atol, double rtol) = ParseTolerance(parse.GetValue(tolerance));
            IReadOnlyList<TensorCheck> checks = CheckFolders(parse.GetValue(golden)!, parse.GetValue(actual)!, atol, rtol);
            VectorCheckText.Print(checks, stdout);
            return checks.Any(c => c.Mismatches > 0) ? CliApp.Failures : CliApp.Success;
        });
        return command;
    }

    /// <summary>Compares every golden tensor the actual folder holds.</summary>
    /// <exception cref="UserInputException">a manifest or file is malformed, or no golden file was dumped.</exception>
    internal static IReadOnlyList<TensorCheck> CheckFolders(string goldenDir, string actualDir, double atol, double rtol)
    {
        foreach ((string dir, string option) in new[] { (goldenDir, "--golden"), (actualDir, "--actual") })
        {
            if (!Directory.Exists(dir))
            {
                throw new UserInputException(option, $"{dir} is not a folder");
            }
        }

        VectorManifest golden = VectorFolder.ReadManifest(goldenDir) ?? throw new UserInputException(Path.Combine(goldenDir, VectorManifest.FileName), "not found: --golden must be a folder written by `siliconsim vectors export`");
        VectorManifest actual = VectorFolder.ReadManifest(actualDir) ?? golden;
        VectorFormat goldenFormat = VectorFolder.ParseFormat(golden.Format, goldenDir);
        VectorFormat actualFormat = VectorFolder.ParseFormat(actual.Format, actualDir);
        var checks = new List<TensorCheck>();
        foreach (VectorFileEntry g in golden.Files)
        {
            VectorFileEntry? a = actual.Files.FirstOrDefault(e => e.Layer == g.Layer && e.Tensor == g.Tensor);
            if (a is null)
            {
                continue;
            }

            if (a.ElementType != g.ElementType || !a.Shape.SequenceEqual(g.Shape))
            {
                throw new UserInputException(Path.Combine(actualDir, a.File), $"is {a.ElementType}{ShapeMath.Format(a.Shape)} but the golden {g.Layer} {g.Tensor} is {g.ElementType}{ShapeMath.Format(g.Shape)}");
            }

            TensorValue? actualValue = VectorFolder.ReadTensor(actualDir, a, actualFormat);
            if (actualValue is null)
            {
                continue;
            }

            TensorValue goldenValue = VectorFolder.ReadTensor(goldenDir, g, goldenFormat)
                ?? throw new UserInputException(Path.Combine(goldenDir, g.File), "is listed in the golden manifest but missing");
            if (VectorFolder.Crc32Text(VectorCodec.ToBytes(goldenValue)) != g.Crc32)
            {
                throw new UserInputException(Path.Combine(goldenDir, g.File), $"CRC32 {VectorFolder.Crc32Text(VectorCodec.ToBytes(goldenValue))} differs from the manifest's {g.Crc32}: the golden file was changed");
            }

            checks.Add(VectorChecker.Compare(g, goldenValue, actualValue, atol, rtol));
        }

        return checks.Count > 0 ? checks : throw new UserInputException("--actual", $"{actualDir} holds none of the {golden.Files.Count} files of the golden manifest");
    }

    private static (double Atol, double Rtol) ParseTolerance(string? text)
    {
        if (text is null)
        {
            return (0, 0);
        }

        string[] parts = text.Split(',');
        var values = parts.Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v >= 0 && double.IsFinite(v) ? v : double.NaN).ToArray();
        return parts.Length is 1 or 2 && values.All(v => !double.IsNaN(v))
            ? (values[0], values.Length > 1 ? values[1] : 0)
            : throw new UserInputException("--tolerance", $"'{text}' is not ATOL[,RTOL] with non-negative numbers");
    }
}
