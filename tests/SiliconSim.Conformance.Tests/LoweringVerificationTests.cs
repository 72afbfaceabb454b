using SiliconSim.Conformance.Tests.Quantizer;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Graph.Quantization;

namespace SiliconSim.Conformance.Tests;

/// <summary>
/// Every model the suite loads (the digits models, the ONNX node cases, the zoo workloads, and the fp8 / MXFP4 / NVFP4
/// digits models the low-precision quantizer writes) is sound as imported, and stays sound after every pass of the
/// ORT-CPU lowering and of the low-precision array mapping: <see cref="GraphVerifier"/> finds no problem at all, not
/// just none new (which is all the lowering itself insists on). The observer records the passes, so the test also
/// proves that every pass ran and was verified.
/// </summary>
public sealed class LoweringVerificationTests
{
    public static TheoryData<string> Cases() => [.. CaseNames()];

    private static List<string> CaseNames()
    {
        var data = new List<string>();
        foreach (string dir in Directory.GetDirectories(SharedData.Digits).Order(StringComparer.Ordinal))
        {
            data.Add($"digits/{Path.GetFileName(dir)}");
        }

        foreach (string dir in Directory.GetDirectories(SharedData.OnnxNode).Order(StringComparer.Ordinal))
        {
            data.Add($"onnx-node/{Path.GetFileName(dir)}");
        }

        foreach (string dir in Directory.GetDirectories(ZooFolder()).Order(StringComparer.Ordinal))
        {
            data.Add($"zoo/{Path.GetFileName(dir)}");
        }

        foreach (string model in new[] { "cnn", "mlp" })
        {
            foreach (LowPrecisionFormat format in Enum.GetValues<LowPrecisionFormat>())
            {
                data.Add($"low-precision/digits_{model}_fp32/{format}");
            }
        }

        data.Add($"low-precision-calibrated/digits_mlp_fp32/{LowPrecisionFormat.Fp8E4M3Fn}");
        data.Add($"low-precision-calibrated/digits_cnn_fp32/{LowPrecisionFormat.Fp8E4M3Fn}");
        data.Add($"low-precision-calibrated/digits_mlp_fp32/{LowPrecisionFormat.NvFp4}");
        data.Add($"low-precision-calibrated/digits_cnn_fp32/{LowPrecisionFormat.NvFp4}");
        return data;
    }

    [Fact]
    public void Cases_CoverEveryModelTheSuiteLoads()
    {
        List<string> cases = CaseNames();
        Assert.Equal(14, cases.Count(c => c.StartsWith("digits/", StringComparison.Ordinal)));
        Assert.Equal(296, cases.Count(c => c.StartsWith("onnx-node/", StringComparison.Ordinal)));
        Assert.Equal(11, cases.Count(c => c.StartsWith("zoo/", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Lowering_KeepsTheGraphSound_AfterEveryPass(string name)
    {
        ModelGraph model = Load(name);

        // The shared files have two kinds of flaw of their own, which no pass of ours made: ORT's quantizer keeps the
        // fp32 model's value_info for the float values it replaced (digits QDQ/QOperator models), and the ONNX
        // function expansion of LayerNormalization leaves a dead Size node (the *_expanded node cases). Anything else
        // in an imported model fails here; nothing at all may appear after a pass.
        IReadOnlyList<GraphProblem> imported = GraphVerifier.Verify(model);
        AssertSound("the imported model", imported.Where(p => p.Rule is not (GraphRule.DanglingValueInfo or GraphRule.DeadNode)).Select(p => p.ToString()));
        var allowed = imported.Select(p => (p.Rule, p.Node, p.Value)).ToHashSet();

        var observer = new VerifyingObserver(allowed);
        ModelGraph lowered = OrtCpuLowering.Lower(model, OrtOptimizationLevel.All, observer);
        ModelGraph mapped = LowPrecisionArrayMapping.Apply(lowered, _ => true, observer);

        AssertSound("the lowering", observer.Problems);
        AssertSound("the lowered graph", observer.Unexpected(GraphVerifier.Verify(lowered)));
        AssertSound("the mapped graph", observer.Unexpected(GraphVerifier.Verify(mapped)));
        string[] expected =
        [
            .. OrtCpuLowering.Passes.Select(p => p.Name),
            LowPrecisionArrayMapping.PassName,
            LowPrecisionArrayMapping.PassName + "-fuse-relu",
            LowPrecisionArrayMapping.PassName + "-quantize-before-maxpool",
            LowPrecisionArrayMapping.PassName + "-fuse-quantize",
            "to-graph",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), observer.Passes.Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(2, observer.Passes.Count(p => p == "to-graph"));
    }

    private static void AssertSound(string what, IEnumerable<string> problems)
    {
        var list = problems.ToList();
        Assert.True(list.Count == 0, $"{what} has {list.Count} problem(s):\n" + string.Join('\n', list));
    }

    private static ModelGraph Load(string name)
    {
        string[] parts = name.Split('/');
        switch (parts[0])
        {
            case "digits":
                return OnnxTestCase.Load(Path.Combine(SharedData.Digits, parts[1])).Model;
            case "onnx-node":
                return OnnxTestCase.Load(Path.Combine(SharedData.OnnxNode, parts[1])).Model;
            case "zoo":
                return OnnxTestCase.Load(Path.Combine(ZooFolder(), parts[1])).Model;
            default:
                {
                    // The quantizer's graph goes through the writer and reader, as the low-precision tests run it.
                    ModelGraph fp32 = DigitsQuantizerTests.Load(parts[1]);
                    LowPrecisionFormat format = Enum.Parse<LowPrecisionFormat>(parts[2]);
                    ModelGraph q = parts[0] == "low-precision"
                        ? LowPrecisionQuantizer.Quantize(fp32, format)
                        : LowPrecisionQuantizer.Quantize(fp32, format, [DigitsQuantizerTests.Calibration.Value]);
                    return OnnxModelReader.Read(new MemoryStream(OnnxModelWriter.ToBytes(q, irVersion: 11)));
                }
        }
    }

    private static string ZooFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SiliconSim.sln")))
            {
                return Path.Combine(dir.FullName, "workloads", "zoo");
            }
        }

        throw new DirectoryNotFoundException("the repository root (SiliconSim.sln) was not found above the test binary");
    }

    /// <summary>Verifies the graph after every pass it is told of, and remembers the pass and every problem the imported
    /// model did not already have.</summary>
    private sealed class VerifyingObserver(HashSet<(GraphRule, string, string)> allowed) : ILoweringObserver
    {
        public List<string> Passes { get; } = [];

        public List<string> Problems { get; } = [];

        public void PassApplied(string pass, GraphEditor graph)
        {
            Passes.Add(pass);
            IReadOnlyList<GraphProblem> problems = pass == "to-graph" ? GraphVerifier.Verify(graph.ToGraph()) : GraphVerifier.Verify(graph);
            Problems.AddRange(Unexpected(problems).Select(p => $"after {pass}: {p}"));
        }

        public IEnumerable<string> Unexpected(IReadOnlyList<GraphProblem> problems) =>
            problems.Where(p => !allowed.Contains((p.Rule, p.Node, p.Value))).Select(p => p.ToString());
    }
}
