using FsCheck.Xunit;
using SiliconSim.Numerics;
using Xunit.Abstractions;

namespace SiliconSim.Conformance.Tests.Quantized;

/// <summary>
/// Laws: com.microsoft QLinearAdd, QLinearMul and QLinearSoftmax give ONNX Runtime's bits for every generated case
/// (u8 and s8, every NumPy broadcast pattern of ranks 0–4, generated scales and zero points, many exact rounding ties).
/// Each property prints how many values it compared.
/// </summary>
[Properties(Arbitrary = [typeof(CaseSeedGenerators)])]
public sealed class QLinearElementwiseOrtProperties : IDisposable
{
    private readonly ITestOutputHelper _out;
    private long _compared;
    private int _cases;

    public QLinearElementwiseOrtProperties(ITestOutputHelper output) => _out = output;

    [Property(MaxTest = 100)]
    public void QLinearAdd_GeneratedBroadcastAndScales_EqualsOrt(CaseSeed seed) => Binary("QLinearAdd", seed);

    [Property(MaxTest = 100)]
    public void QLinearMul_GeneratedBroadcastAndScales_EqualsOrt(CaseSeed seed) => Binary("QLinearMul", seed);

    [Property(MaxTest = 100)]
    public void QLinearSoftmax_Opset13GeneratedShapesAndAxes_EqualsOrt(CaseSeed seed)
    {
        var g = new QuantGen(seed.Value);
        DataType t = (seed.Value & 1) == 0 ? DataType.UInt8 : DataType.Int8;
        int rank = g.Int(1, 4);
        int[] shape = [.. Enumerable.Range(0, rank).Select(_ => g.Bool() ? g.Int(1, 4) : g.Int(5, 40))];
        while (ShapeMath.ElementCount(shape) > 4000)
        {
            shape[g.Int(0, rank - 1)] = 1;
        }

        int axis = g.Int(-rank, rank - 1);
        var x = g.Codes(t, shape);
        // Small and large input scales: exp(−Δ·s) underflows for some rows and stays near 1 for others.
        float xs = g.Int(0, 2) switch { 0 => g.Scale(0.01f), 1 => g.Scale(0.2f), _ => g.Scale(2f) };
        float ys = g.Bool() ? 1f / 256f : g.Scale(0.01f);
        int yz = t == DataType.UInt8 ? (g.Bool() ? 0 : g.Int(0, 255)) : (g.Bool() ? -128 : g.Int(-128, 127));
        TensorValue?[] inputs = [x, QuantGen.FloatScalar(xs), g.ZeroPoint(t), QuantGen.FloatScalar(ys), QuantGen.Scalar(t, yz)];
        (string, object)[] attrs = [("opset", 13L), ("axis", (long)axis)];
        Check("QLinearSoftmax", inputs, attrs, t, [0]);
    }

    /// <summary>
    /// Rows of equal codes make entry·Y / sum an exact k + 0.5 in fp32 for some Y = floor(1 / y_scale); ORT's table
    /// (its shift starts from a float logf) tips such ties away from the exact half, as SiliconSim must too.
    /// </summary>
    [Theory]
    [InlineData(DataType.UInt8)]
    [InlineData(DataType.Int8)]
    public void QLinearSoftmax_EqualCodesNearExactTies_EqualsOrt(DataType t)
    {
        foreach (int d in new[] { 2, 3, 4, 6, 8 })
        {
            for (int yInverse = 60; yInverse <= 140; yInverse++)
            {
                var x = t == DataType.UInt8
                    ? TensorValue.Create(t, [1, d], Enumerable.Repeat((byte)17, d).ToArray())
                    : TensorValue.Create(t, [1, d], Enumerable.Repeat((sbyte)17, d).ToArray());
                float ys = 1f / (yInverse + 0.25f);
                TensorValue?[] inputs = [x, QuantGen.FloatScalar(0.0014862445f), QuantGen.Scalar(t, 0), QuantGen.FloatScalar(ys), QuantGen.Scalar(t, 0)];
                Check("QLinearSoftmax", inputs, [("opset", 13L), ("axis", -1L)], t, [0]);
            }
        }
    }

    public void Dispose() => _out.WriteLine($"{_cases} cases, {_compared} values compared with ONNX Runtime, 0 mismatches");

    private void Binary(string op, CaseSeed seed)
    {
        var g = new QuantGen(seed.Value);
        DataType t = (seed.Value & 1) == 0 ? DataType.UInt8 : DataType.Int8;
        (int[] sa, int[] sb) = BroadcastPair(g);
        var a = g.Codes(t, sa);
        var b = g.Codes(t, sb);
        (float scaleA, float scaleB, float scaleC) = op == "QLinearAdd" ? AddScales(g) : MulScales(g);
        TensorValue?[] inputs =
        [
            a, QuantGen.FloatScalar(scaleA), g.ZeroPoint(t), b, QuantGen.FloatScalar(scaleB), g.ZeroPoint(t), QuantGen.FloatScalar(scaleC), g.ZeroPoint(t),
        ];
        Check(op, inputs, [], t, [0, 3]);
    }

    private void Check(string op, TensorValue?[] inputs, (string Name, object Value)[] attrs, DataType t, int[] graphInputs)
    {
        var ours = SingleNode.Ours(op, "com.microsoft", inputs, attrs);
        var ort = SingleNode.Ort(op, "com.microsoft", inputs, attrs, t, graphInputs);
        int bad = SingleNode.Mismatches(ort, ours);
        Assert.True(bad == 0, $"{op}: {bad}/{ort.Length} mismatches\n{SingleNode.Describe(inputs, attrs, ort, ours)}");
        _compared += ort.Length;
        _cases++;
    }

    /// <summary>
    /// Two shapes that broadcast, covering NumPy's patterns: scalars ([] and [1]) on either side, equal shapes, lower
    /// ranks aligned on the right, and 1s stretched on either or both sides ([5,1] with [1,7]).
    /// </summary>
    internal static (int[] A, int[] B) BroadcastPair(QuantGen g)
    {
        int rank = g.Int(1, 4);
        int[] full = [.. Enumerable.Range(0, rank).Select(_ => g.Int(0, 3) == 0 ? g.Int(9, 40) : g.Int(1, 6))];
        while (ShapeMath.ElementCount(full) > 3000)
        {
            full[g.Int(0, rank - 1)] = g.Int(1, 3);
        }

        int[] Side() => g.Int(0, 5) switch
        {
            0 => [],
            1 => [.. Enumerable.Repeat(1, g.Int(1, rank))],
            2 => [.. full],
            _ => [.. full.Skip(g.Int(0, rank - 1)).Select(d => g.Int(0, 2) == 0 ? 1 : d)],
        };

        return (Side(), Side());
    }

    /// <summary>
    /// Half the time rA = sA/sC and rB = sB/sC are small dyadic fractions (k/2^j), so sums of integer multiples land
    /// exactly on .5 ties; otherwise free scales.
    /// </summary>
    private static (float A, float B, float C) AddScales(QuantGen g)
    {
        if (g.Bool())
        {
            float c = g.Bool() ? MathF.Pow(2, -g.Int(0, 8)) : g.Scale(0.1f);
            return (c * g.Int(1, 9) / MathF.Pow(2, g.Int(0, 3)), c * g.Int(1, 9) / MathF.Pow(2, g.Int(0, 3)), c);
        }

        float sa = g.Scale(0.1f), sb = g.Scale(0.1f);
        return (sa, sb, (sa + sb) * (float)(0.2 + (g.Int(0, 100) / 80.0)));
    }

    /// <summary>Half the time sA·sB/sC is 2^-k, so odd products are exact ties; otherwise free scales.</summary>
    private static (float A, float B, float C) MulScales(QuantGen g)
    {
        if (g.Bool())
        {
            float sa = MathF.Pow(2, -g.Int(0, 6)), sb = MathF.Pow(2, -g.Int(0, 6));
            return (sa, sb, sa * sb * MathF.Pow(2, g.Int(1, 7)));
        }

        float a = g.Scale(0.1f), b = g.Scale(0.1f);
        return (a, b, a * b * g.Int(8, 200));
    }
}
