using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Reporting;
using SiliconSim.Simulation.Results;
using SiliconSim.TestSupport.Models;

namespace SiliconSim.Cli.Tests;

/// <summary>
/// Issue 14's must-show: the ONNX Runtime-quantized ResNet-18 (QDQ s8s8 per channel, 224x224, batch 1, seeded weights;
/// tests/SiliconSim.TestSupport/Models/ResNet18.cs) on tpu-v1, whose 24 MiB unified buffer holds every activation, moves
/// little more than its weights and input from DRAM and writes only its logits; on edge-npu it spills, and says where.
/// </summary>
public sealed class ResNet18MemoryPlanTests : IClassFixture<ResNet18MemoryPlanTests.Case>
{
    private readonly Case _case;

    public ResNet18MemoryPlanTests(Case testCase) => _case = testCase;

    [Fact]
    public void TpuV1_ReadsAtMostWeightsAndInputPlusFivePercent_WritesOnlyTheLogits()
    {
        (RunResultView run, _) = _case.Run("tpu-v1");

        long weightBytes = _case.InitializerBytes;
        long inputBytes = 3L * 224 * 224 * sizeof(float);
        long outputBytes = 1000L * sizeof(float);
        Assert.InRange(run.ReadBytes, weightBytes, (long)(1.05 * (weightBytes + inputBytes)));
        Assert.InRange(run.WriteBytes, outputBytes, outputBytes + 1024);
        Assert.Equal(0, run.SpillBytes);
    }

    [Fact]
    public void EdgeNpu_Spills_AndTheRunSaysWhereAndHowMuch()
    {
        (RunResultView run, string stdout) = _case.Run("edge-npu");

        Assert.True(run.SpillBytes > 0, "edge-npu's 192 KiB of activation buffers cannot hold ResNet-18's 224x224 activations");
        LayerResult spilling = run.Layers.First(l => l.Dram.SpillWriteBytes > 0);
        Assert.Contains($"spill {spilling.Dram.SpillWriteBytes:N0}", stdout, StringComparison.Ordinal);
        Assert.Contains("lower bound", stdout, StringComparison.Ordinal);
        Assert.True(run.ReadBytes + run.WriteBytes >= run.LowerBound);
    }

    /// <summary>A run's totals as the report file gives them.</summary>
    public sealed record RunResultView(IReadOnlyList<LayerResult> Layers, long LowerBound)
    {
        public long ReadBytes => Layers.Sum(l => l.DramReadBytes);

        public long WriteBytes => Layers.Sum(l => l.DramWriteBytes);

        public long SpillBytes => Layers.Sum(l => l.Dram.SpillWriteBytes);
    }

    /// <summary>The 224x224 test case written once for the class (ONNX Runtime computes its golden).</summary>
    public sealed class Case : IDisposable
    {
        private readonly TempFolder _folder = new();

        public Case()
        {
            ResNet18.WriteTestCase(_folder.Path);
            var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(_folder.Path, "model.onnx")));
            InitializerBytes = model.Graph.Initializer.Sum(t => t.Dims.Aggregate(1L, (a, b) => a * b) * ElementBytes((TensorProto.Types.DataType)t.DataType));
        }

        /// <summary>Bytes of every initializer as stored: int8 weights, int32 biases, fp32 scales, zero points.</summary>
        public long InitializerBytes { get; }

        public (RunResultView Run, string Stdout) Run(string preset)
        {
            string outDir = Path.Combine(_folder.Path, "out-" + preset);
            var (exit, stdout, stderr) = CliRunner.Run("run", "--model", _folder.Path, "--config", preset, "--thermal-seconds", "0", "--out", outDir);
            Assert.True(exit == 0, stderr);
            Assert.Contains("bit-exact against the golden", stdout, StringComparison.Ordinal);
            SimulationResult performance = RunReportFiles.Read(Path.Combine(outDir, "report.json")).Result.Performance;
            return (new RunResultView(performance.Layers, performance.Plan.LowerBoundDramBytes), stdout);
        }

        public void Dispose() => _folder.Dispose();

        private static long ElementBytes(TensorProto.Types.DataType type) => type switch
        {
            TensorProto.Types.DataType.Int8 or TensorProto.Types.DataType.Uint8 => 1,
            TensorProto.Types.DataType.Int32 or TensorProto.Types.DataType.Float => 4,
            TensorProto.Types.DataType.Int64 => 8,
            _ => throw new InvalidOperationException($"unexpected initializer type {type}"),
        };
    }
}
