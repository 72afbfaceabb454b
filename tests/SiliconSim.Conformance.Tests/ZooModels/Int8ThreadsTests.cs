using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;
using SiliconSim.TestSupport.Models;

namespace SiliconSim.Conformance.Tests.ZooModels;

/// <summary>
/// Issue 18's int8 kernels in a whole network: ResNet-18's QOperator and QDQ forms (QLinearConv with packed weights,
/// direct 1x1 and strided paths, QGemm with packed B) on batches of 2 give the same bits as ONNX Runtime on 1, 2 and
/// 4 threads, and again on a second run that reuses the weights packed by the first.
/// </summary>
public sealed class Int8ThreadsTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ResNet18_Int8_SameBitsOnAnyThreadCount_AndWithCachedPacking(bool qop)
    {
        byte[] model = qop ? ResNet18.QopU8S8Tensor(32) : ResNet18.QdqS8S8Channel(32);
        TensorValue input = ResNet18.Input(32, batch: 2, seed: 32);
        TensorValue expected = OrtOracle.RunSingle(model, (ResNet18.InputName, input));
        ModelGraph lowered = OrtCpuLowering.Lower(OnnxModelReader.Read(new MemoryStream(model)));
        var feeds = new Dictionary<string, TensorValue>(StringComparer.Ordinal) { [ResNet18.InputName] = input };
        foreach (int threads in (int[])[1, 2, 4, 1])
        {
            var options = new ExecutionOptions { Parallelism = new Parallelism(threads) };
            TensorValue actual = GraphExecutor.Run(lowered, feeds, options: options)[0].Value;
            TransformerEncoderTests.AssertSameBits(actual, expected, $"ResNet-18 {(qop ? "QOp" : "QDQ")} 2x32x32 on {threads} thread(s)");
        }
    }
}
