using FsCheck.Xunit;
using SiliconSim.Graph.Execution;
using SiliconSim.Numerics;
using Xunit.Abstractions;

namespace SiliconSim.Conformance.Tests.Quantized;

/// <summary>
/// Law: com.microsoft MatMulIntegerToFloat gives ONNX Runtime's float bits over generated shapes (2-D, batched,
/// broadcast batch, 1-D A), u8/s8 A and B, per-tensor or per-column B scales and zero points, with and without the
/// optional zero points and bias, B constant (ORT pre-packs it) or fed at run time. ORT has no int8 A × uint8 B kernel;
/// SiliconSim refuses that pair as well.
/// </summary>
[Properties(Arbitrary = [typeof(CaseSeedGenerators)])]
public sealed class MatMulIntegerToFloatOrtProperties : IDisposable
{
    private readonly ITestOutputHelper _out;
    private long _compared;
    private int _cases;
    private int _refused;

    public MatMulIntegerToFloatOrtProperties(ITestOutputHelper output) => _out = output;

    [Property(MaxTest = 100)]
    public void MatMulIntegerToFloat_GeneratedShapesZeroPointsAndBias_EqualsOrt(CaseSeed seed)
    {
        var g = new QuantGen(seed.Value);
        int m = g.Int(1, 6), k = g.Int(1, 40), n = g.Int(1, 20);
        (int[] aShape, int[] bShape) = g.Int(0, 4) switch
        {
            0 or 1 => (new[] { m, k }, new[] { k, n }),
            2 => ([g.Int(1, 3), m, k], [k, n]),
            3 => ([k], [k, n]),
            _ => ([2, 1, m, k], [3, k, n]),
        };
        DataType at = g.Bool() ? DataType.UInt8 : DataType.Int8;
        DataType bt = g.Bool() ? DataType.UInt8 : DataType.Int8;
        bool perColumn = bShape.Length == 2 && g.Bool();
        var bScale = perColumn ? g.Scales(n, 0.01f) : QuantGen.FloatScalar(g.Scale(0.01f));
        TensorValue? aZp = g.Bool() ? g.ZeroPoint(at) : null;
        TensorValue? bZp = g.Int(0, 2) switch { 0 => null, 1 => g.ZeroPoint(bt), _ => perColumn ? g.ZeroPoint(bt, n) : g.ZeroPoint(bt, 1) };
        TensorValue? bias = g.Bool() ? null : TensorValue.Create(DataType.Float, [n], Enumerable.Range(0, n).Select(_ => g.Int(-4000, 4000) / 37f).ToArray());
        TensorValue?[] inputs = [g.Codes(at, aShape), g.Codes(bt, bShape), QuantGen.FloatScalar(g.Scale(0.02f)), bScale, aZp, bZp, bias];
        int[] fed = g.Int(0, 3) == 0 ? [0, 1] : [0];

        if (at == DataType.Int8 && bt == DataType.UInt8)
        {
            // ORT has no s8·u8 kernel (NotImplemented at load): SiliconSim refuses it too.
            Assert.Throws<Microsoft.ML.OnnxRuntime.OnnxRuntimeException>(() => SingleNode.Ort("MatMulIntegerToFloat", "com.microsoft", inputs, [], DataType.Float, graphInputs: fed));
            Assert.Throws<OpException>(() => SingleNode.Ours("MatMulIntegerToFloat", "com.microsoft", inputs, []));
            _refused++;
            return;
        }

        var ours = SingleNode.Ours("MatMulIntegerToFloat", "com.microsoft", inputs, []);
        var ort = SingleNode.Ort("MatMulIntegerToFloat", "com.microsoft", inputs, [], DataType.Float, graphInputs: fed);
        int bad = SingleNode.Mismatches(ort, ours);
        Assert.True(bad == 0, $"{seed}: {bad}/{ort.Length} mismatches\n{SingleNode.Describe(inputs, [], ort, ours)}");
        float[] e = ort.Items<float>(), a = ours.Items<float>();
        Assert.True(e.Zip(a).All(p => BitConverter.SingleToInt32Bits(p.First) == BitConverter.SingleToInt32Bits(p.Second)), $"{seed}: the sign of a zero differs");
        _compared += ort.Length;
        _cases++;
    }

    public void Dispose() => _out.WriteLine($"{_cases} cases ({_refused} more s8·u8 cases refused by both), {_compared} values compared with ONNX Runtime, 0 mismatches");
}
