using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;
using SiliconSim.TestSupport.Models;

namespace SiliconSim.Conformance.Tests.ZooModels;

/// <summary>
/// Issue 18's law: a model's outputs are the same bits on 1, 2, 3 and all threads, and with the executor's array reuse
/// on or off. Over the zoo models in every form (<see cref="ZooCases"/>), the digits models (../shared/data/digits, a
/// batch of 360) and ResNet-18 at 32x32 (batch 2). The reference run is one thread with reuse off (an observer that
/// may keep values turns it off), the plain path every kernel had before threads existed.
/// </summary>
public sealed class ThreadCountIdentityTests
{
    private static readonly Parallelism[] s_threads = [Parallelism.Single, new(2), new(3), Parallelism.AllCores];

    public static TheoryData<string, string> Zoo()
    {
        var data = new TheoryData<string, string>();
        foreach (var (model, form) in ZooCases.All())
        {
            data.Add(model, form);
        }

        return data;
    }

    public static TheoryData<string> Digits()
    {
        var data = new TheoryData<string>();
        foreach (string dir in Directory.GetDirectories(SharedData.Digits).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(dir));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Zoo))]
    public void ZooModel_SameBitsOnEveryThreadCount(string model, string form)
    {
        ModelGraph lowered = OrtCpuLowering.Lower(OnnxModelReader.Read(new MemoryStream(ZooCases.Model(model, form))));
        // An odd batch, so a split over the batch is uneven.
        var spec = TestSupport.Models.ZooModels.All.Single(m => m.Name == model);
        TensorValue input = new SeededTensors(ZooCases.InputSeed).Normal(1f, 3, spec.Channels, spec.Size, spec.Size);
        AssertSameBitsOnEveryThreadCount(lowered, new Dictionary<string, TensorValue>(StringComparer.Ordinal) { ["input"] = input }, $"{model} {form}");
    }

    [Theory]
    [MemberData(nameof(Digits))]
    public void DigitsModel_SameBitsOnEveryThreadCount(string caseName)
    {
        var testCase = OnnxTestCase.Load(Path.Combine(SharedData.Digits, caseName));
        ModelGraph lowered = OrtCpuLowering.Lower(testCase.Model);
        var feeds = testCase.Model.RuntimeInputs.Select((input, i) => (input.Name, testCase.Inputs[i])).ToDictionary(p => p.Name, p => p.Item2, StringComparer.Ordinal);
        AssertSameBitsOnEveryThreadCount(lowered, feeds, caseName);
    }

    [Theory]
    [InlineData("fp32")]
    [InlineData("qdq_s8s8_channel")]
    [InlineData("qop_u8s8_tensor")]
    public void ResNet18_Small_SameBitsOnEveryThreadCount(string form)
    {
        const int Size = 32;
        byte[] model = form switch
        {
            "fp32" => ResNet18.Fp32(Size),
            "qdq_s8s8_channel" => ResNet18.QdqS8S8Channel(Size),
            _ => ResNet18.QopU8S8Tensor(Size),
        };
        ModelGraph lowered = OrtCpuLowering.Lower(OnnxModelReader.Read(new MemoryStream(model)));
        var feeds = new Dictionary<string, TensorValue>(StringComparer.Ordinal) { [ResNet18.InputName] = ResNet18.Input(Size, batch: 2) };
        AssertSameBitsOnEveryThreadCount(lowered, feeds, $"ResNet-18 {form}");
    }

    private static void AssertSameBitsOnEveryThreadCount(ModelGraph lowered, IReadOnlyDictionary<string, TensorValue> feeds, string what)
    {
        var reference = GraphExecutor.Run(lowered, feeds, observe: (_, _) => { }, new ExecutionOptions { Parallelism = Parallelism.Single });
        foreach (Parallelism threads in s_threads)
        {
            var actual = GraphExecutor.Run(lowered, feeds, options: new ExecutionOptions { Parallelism = threads });
            Assert.Equal(reference.Count, actual.Count);
            for (int k = 0; k < actual.Count; k++)
            {
                AssertSameBits(reference[k].Value, actual[k].Value, $"{what}, output {k}, {threads.MaxThreads} threads");
            }
        }
    }

    private static void AssertSameBits(TensorValue expected, TensorValue actual, string what)
    {
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
        byte[] e = Bytes(expected), a = Bytes(actual);
        int first = Enumerable.Range(0, e.Length).FirstOrDefault(i => e[i] != a[i], -1);
        Assert.True(first < 0, $"{what}: byte {first} differs from the one-thread run");
    }

    private static byte[] Bytes(TensorValue t)
    {
        var bytes = new byte[Buffer.ByteLength(t.Data)];
        Buffer.BlockCopy(t.Data, 0, bytes, 0, bytes.Length);
        return bytes;
    }
}
