using System.Diagnostics;
using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using SiliconSim.Cli.Io;
using SiliconSim.Numerics;
using Xunit.Abstractions;

namespace SiliconSim.Cli.Tests.Fuzz;

/// <summary>
/// A bounded mutation run over every kind of input a user hands SiliconSim (models, tensor files, configs, sweep specs,
/// NumPy files, topologies): each case mutates a valid seed (bit flips, overwritten or inserted bytes, truncation,
/// duplicated ranges, hostile tokens such as 1e-300, nan or deep nesting, deleted or repeated lines) and runs the command
/// that reads it. Every case must end with an exit code in the documented set (0, 1 failures found, 2 bad input), no
/// "internal error" and no stack trace, within <see cref="CaseSeconds"/> seconds and <see cref="CaseAllocationBytes"/>
/// allocated bytes. The seed and case count are printed; <c>SILICONSIM_FUZZ_SEED</c> and <c>SILICONSIM_FUZZ_CASES</c>
/// run a longer soak by hand (docs/reliability.md), and each finding becomes a case of its own test.
/// </summary>
[Collection(MeasuredAlone.Name)]
public sealed class MutationFuzzTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>A hang guard, not a speed target: the slowest legitimate case (a config run of the digits MLP) takes well under a second.</summary>
    private const double CaseSeconds = 30;

    /// <summary>Allocation bound per case: the seeds are kilobytes, so a case allocating more has let a size it read drive an allocation.</summary>
    private const long CaseAllocationBytes = 1L << 30;

    private const ulong DefaultSeed = 20261207;

    private const int DefaultCases = 120;

    private static readonly string[] s_tokens =
    [
        "0", "-1", "1e-300", "1e308", "-1e308", "nan", ".nan", ".inf", "-.inf", "99999999999999999999", "2147483648", "[]", "{}",
        "~", "\"\"", "*a", "&a b", "!!binary x", "[" + new string('[', 2000), "memory.buffers[-1]", "/dev/zero", "../../../../etc/passwd",
    ];

    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void MutationRun_EveryHostileInput_EndsInADocumentedExitWithoutInternalErrorOrTrace()
    {
        ulong seed = ulong.TryParse(Environment.GetEnvironmentVariable("SILICONSIM_FUZZ_SEED"), CultureInfo.InvariantCulture, out ulong s) ? s : DefaultSeed;
        int cases = int.TryParse(Environment.GetEnvironmentVariable("SILICONSIM_FUZZ_CASES"), CultureInfo.InvariantCulture, out int n) ? n : DefaultCases;
        output.WriteLine($"mutation run: seed {seed}, {cases} cases");
        var seeds = new Seeds(_dir);
        Mutation[] mutations = Gen.Sample(MutationGen(), cases, new Rnd(seed, 0x9E3779B97F4A7C15UL), 10);
        var findings = new List<string>();
        for (int i = 0; i < mutations.Length; i++)
        {
            string? finding = RunCase(i, mutations[i], seeds);
            if (finding is not null)
            {
                findings.Add($"case {i} ({mutations[i]}): {finding}");
            }
        }

        output.WriteLine($"{mutations.Length - findings.Count} of {mutations.Length} cases ended cleanly");
        Assert.True(findings.Count == 0, $"seed {seed}: {findings.Count} findings{Environment.NewLine}{string.Join(Environment.NewLine, findings)}");
    }

    private static Gen<Mutation> MutationGen() =>
        from target in Gen.Elements(Enum.GetValues<FuzzTarget>())
        from kind in Gen.Elements(Enum.GetValues<MutationKind>())
        from at in Gen.Choose(0, 10_000)
        from length in Gen.Elements(1, 2, 4, 16, 256, 4096)
        from value in Gen.Elements<byte>(0, 1, 0x7F, 0x80, 0xFF, (byte)'\n', (byte)':', (byte)'-', (byte)'[', (byte)'{')
        from token in Gen.Elements(s_tokens)
        select new Mutation(target, kind, at / 10_000.0, length, value, token);

    /// <summary>Runs one case; null when it ended cleanly, else what went wrong.</summary>
    private string? RunCase(int index, Mutation mutation, Seeds seeds)
    {
        string folder = Path.Combine(_dir.Path, "case" + index.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        string[] args = seeds.Prepare(mutation, folder);
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var clock = Stopwatch.StartNew();
        var run = Task.Run(() => CliRunner.RunUnchecked(args));
        if (!run.Wait(TimeSpan.FromSeconds(CaseSeconds)))
        {
            return $"no answer within {CaseSeconds} s: siliconsim {string.Join(' ', args)}";
        }

        var (exit, stdout, stderr) = run.Result;
        long allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
        string all = stdout + stderr;
        string? problem = exit is not (0 or 1 or 2) ? $"exit {exit}"
            : all.Contains("internal error", StringComparison.Ordinal) ? "internal error"
            : all.Contains("   at ", StringComparison.Ordinal) ? "stack trace"
            : allocated > CaseAllocationBytes ? $"allocated {allocated / (1 << 20)} MiB"
            : null;
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }

        return problem is null ? null : $"{problem} after {clock.Elapsed.TotalSeconds:0.0} s: siliconsim {string.Join(' ', args)}: {FirstLine(stderr.Length > 0 ? stderr : stdout)}";
    }

    private static string FirstLine(string text) => text.Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.Ordinal)) ?? text.Split('\n')[0];

    /// <summary>The valid seed inputs and, per target, how a mutated copy is laid out and which command reads it.</summary>
    private sealed class Seeds
    {
        private readonly string _mlpCase = Path.Combine(SharedData.Digits, "digits_mlp_qdq_u8s8_tensor");
        private readonly byte[] _model;
        private readonly byte[] _inputPb;
        private readonly byte[] _outputPb;
        private readonly byte[] _config;
        private readonly byte[] _sweep;
        private readonly byte[] _npy;
        private readonly byte[] _topology;
        private readonly byte[] _hfConfig = File.ReadAllBytes(Path.Combine(Repository.Root, "workloads", "llm", "llama-3.2-1b", "config.json"));

        public Seeds(TempFolder dir)
        {
            _model = File.ReadAllBytes(Path.Combine(_mlpCase, "model.onnx"));
            _inputPb = File.ReadAllBytes(Path.Combine(_mlpCase, "test_data_set_0", "input_0.pb"));
            _outputPb = File.ReadAllBytes(Path.Combine(_mlpCase, "test_data_set_0", "output_0.pb"));
            _config = File.ReadAllBytes(Path.Combine(Repository.Root, "configs", "presets", "edge-npu.yaml"));
            _topology = Encoding.UTF8.GetBytes("Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nconv1, 18, 18, 3, 3, 8, 16, 1,\nconv2, 10, 10, 3, 3, 16, 32, 2,\n");
            _sweep = Encoding.UTF8.GetBytes("base: edge-npu\nmodels: [topology.csv]\nthermal_seconds: 1\ncombine: grid\naxes:\n  array.rows: {start: 8, stop: 16, factor: 2}\n  array.dataflow: [os, ws]\n  memory.buffers[0].capacity_kib: [32, 64]\nconstraints:\n  - pe_count <= 2048\n");
            _npy = Npy(ModelFiles.LoadTensor(Path.Combine(SharedData.Digits, "digits_test_x.npy")), rows: 4);
            _ = dir;
        }

        public string[] Prepare(Mutation m, string folder)
        {
            string Write(string name, byte[] bytes)
            {
                string path = Path.Combine(folder, name);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, bytes);
                return path;
            }

            string Case(byte[] model, byte[] input)
            {
                Write("case/model.onnx", model);
                Write("case/test_data_set_0/input_0.pb", input);
                Write("case/test_data_set_0/output_0.pb", _outputPb);
                return Path.Combine(folder, "case");
            }

            string outDir = Path.Combine(folder, "out");
            return m.Target switch
            {
                FuzzTarget.Model => m.At < 0.5
                    ? ["validate", Case(m.Apply(_model), _inputPb)]
                    : ["run", "--model", Case(m.Apply(_model), _inputPb), "--thermal-seconds", "0", "--out", outDir],
                FuzzTarget.TensorPb => ["validate", Case(_model, m.Apply(_inputPb))],
                FuzzTarget.Config => ["run", "--config", Write("npu.yaml", m.Apply(_config)), "--model", _mlpCase, "--thermal-seconds", "1", "--out", outDir],
                FuzzTarget.SweepSpec => ["sweep", WriteSweep(), "--out", outDir, "--jobs", "1"],
                FuzzTarget.HuggingFaceConfig => ["generate", "--model", Write("llm/config.json", m.Apply(_hfConfig)), "--config", "phone-npu", "--prompt-tokens", "8", "--new-tokens", "2", "--out", outDir],
                FuzzTarget.Npy => ["run", "--model", Path.Combine(_mlpCase, "model.onnx"), "--input", Write("x.npy", m.Apply(_npy)), "--thermal-seconds", "0", "--out", outDir],
                _ => ["run", "--topology", Write("topology.csv", m.Apply(_topology)), "--thermal-seconds", "0", "--out", outDir],
            };

            string WriteSweep()
            {
                Write("topology.csv", _topology);
                return Write("sweep.yaml", m.Apply(_sweep));
            }
        }

        /// <summary>A little-endian float32 .npy of the first <paramref name="rows"/> rows of <paramref name="t"/>.</summary>
        private static byte[] Npy(TensorValue t, int rows)
        {
            int perRow = t.Length / t.Shape[0];
            float[] data = t.Items<float>()[..(rows * perRow)];
            string shape = string.Join(", ", new[] { rows }.Concat(t.Shape.Skip(1)));
            string header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({shape}), }}";
            header = header.PadRight(((10 + header.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
            var bytes = new List<byte> { 0x93 };
            bytes.AddRange("NUMPY"u8.ToArray());
            bytes.AddRange([1, 0, (byte)(header.Length & 0xFF), (byte)(header.Length >> 8)]);
            bytes.AddRange(Encoding.ASCII.GetBytes(header));
            foreach (float f in data)
            {
                bytes.AddRange(BitConverter.GetBytes(f));
            }

            return [.. bytes];
        }
    }
}
