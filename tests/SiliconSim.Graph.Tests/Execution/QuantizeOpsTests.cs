using System.Collections.Immutable;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Tests.Execution;

public sealed class QuantizeOpsTests
{
    private static TensorValue[] Run(string op, int opset, TensorValue?[] inputs, params (string Name, long Value)[] attrs)
    {
        var a = attrs.ToImmutableDictionary(t => t.Name, t => new AttributeValue(AttributeKind.Int) { Int = t.Value }, StringComparer.Ordinal);
        var node = new Node("n", op, string.Empty, [.. inputs.Select((_, i) => $"i{i}")], ["y"], a);
        return OpRegistry.Find(string.Empty, op)!(new OpContext(node, opset, inputs));
    }

    private static readonly TensorValue s_x = TensorValue.FromFloats([2, 2], [0.5f, 1.5f, -2.5f, 300f]);

    [Fact]
    public void Quantize_NoZeroPoint_DefaultsToUInt8()
    {
        TensorValue y = Run("QuantizeLinear", 21, [s_x, TensorValue.Scalar(DataType.Float, 1f)])[0];
        Assert.Equal(DataType.UInt8, y.Type);
        Assert.Equal(new byte[] { 0, 2, 0, 255 }, y.Items<byte>());
    }

    [Fact]
    public void Quantize_OutputDtypeAttribute_SelectsTypeWithoutZeroPoint()
    {
        TensorValue y = Run("QuantizeLinear", 21, [s_x, TensorValue.Scalar(DataType.Float, 1f)], ("output_dtype", (long)DataType.Int4))[0];
        Assert.Equal(DataType.Int4, y.Type);
        Assert.Equal(new sbyte[] { 0, 2, -2, 7 }, y.Items<sbyte>());
    }

    [Fact]
    public void Quantize_OutputDtypeContradictingZeroPoint_Throws() =>
        Assert.Throws<OpException>(() => Run("QuantizeLinear", 21, [s_x, TensorValue.Scalar(DataType.Float, 1f), TensorValue.Scalar(DataType.Int8, (sbyte)0)], ("output_dtype", (long)DataType.UInt8)));

    [Fact]
    public void Quantize_PerAxisBeforeOpset13_Throws() =>
        Assert.Throws<OpException>(() => Run("QuantizeLinear", 10, [s_x, TensorValue.FromFloats([2], [1f, 2f])]));

    [Fact]
    public void Quantize_AxisDefaultsToOne()
    {
        TensorValue y = Run("QuantizeLinear", 13, [s_x, TensorValue.FromFloats([2], [1f, 100f]), TensorValue.Create(DataType.Int8, [2], new sbyte[] { 0, 0 })])[0];
        // Column scales 1 and 100: 0.5→0, 1.5/100→0, -2.5→-2, 300/100→3.
        Assert.Equal(new sbyte[] { 0, 0, -2, 3 }, y.Items<sbyte>());
    }

    [Fact]
    public void Quantize_SaturateOff_Float8OverflowIsNaN()
    {
        TensorValue y = Run("QuantizeLinear", 21, [TensorValue.FromFloats([1], [1000f]), TensorValue.Scalar(DataType.Float, 1f)], ("output_dtype", (long)DataType.Float8E4M3FN), ("saturate", 0))[0];
        Assert.Equal(new byte[] { 0x7F }, y.Items<byte>());
    }

    [Fact]
    public void Dequantize_Float16Scale_GivesFloat16Output()
    {
        TensorValue y = Run("DequantizeLinear", 21, [TensorValue.Create(DataType.Int8, [2], new sbyte[] { -3, 5 }), TensorValue.Scalar(DataType.Float16, (Half)0.5f)])[0];
        Assert.Equal(DataType.Float16, y.Type);
        Assert.Equal(new[] { (Half)(-1.5f), (Half)2.5f }, y.Items<Half>());
    }

    [Fact]
    public void Dequantize_Blocked_UsesBlockScales()
    {
        TensorValue x = TensorValue.Create(DataType.UInt8, [1, 4], new byte[] { 10, 10, 10, 10 });
        TensorValue s = TensorValue.FromFloats([1, 2], [1f, 2f]);
        TensorValue y = Run("DequantizeLinear", 21, [x, s], ("axis", 1), ("block_size", 2))[0];
        Assert.Equal(new[] { 10f, 10f, 20f, 20f }, y.Items<float>());
    }

    [Fact]
    public void DynamicQuantize_ReturnsThreeOutputs()
    {
        TensorValue[] r = Run("DynamicQuantizeLinear", 11, [TensorValue.FromFloats([3], [-1f, 0f, 2f])]);
        Assert.Equal(3, r.Length);
        Assert.Equal(3f / 255f, r[1].Items<float>()[0]);
        Assert.Equal((byte)85, r[2].Items<byte>()[0]);
    }

    [Fact]
    public void Cast_FloatToInt8_TruncatesAndWraps()
    {
        TensorValue y = Run("Cast", 21, [TensorValue.FromFloats([4], [1.9f, -1.9f, 200f, -200f])], ("to", (long)DataType.Int8))[0];
        Assert.Equal(new sbyte[] { 1, -1, -56, 56 }, y.Items<sbyte>());
    }

    [Fact]
    public void Cast_ToE8M0_RoundsUpByDefault_NearestOnRequest()
    {
        TensorValue x = TensorValue.FromFloats([2], [1.25f, 3f]);
        var up = new Node("n", "Cast", string.Empty, ["x"], ["y"], ImmutableDictionary<string, AttributeValue>.Empty
            .Add("to", new AttributeValue(AttributeKind.Int) { Int = (long)DataType.Float8E8M0 }));
        var nearest = up with { Attributes = up.Attributes.Add("round_mode", new AttributeValue(AttributeKind.String) { String = "nearest" }) };
        // 1.25 = 1.25·2^0 → up 2^1 (128), nearest 2^0 (127); 3 = 1.5·2^1 → up and nearest 2^2 (129).
        Assert.Equal(new byte[] { 128, 129 }, OpRegistry.Find(string.Empty, "Cast")!(new OpContext(up, 24, [x]))[0].Items<byte>());
        Assert.Equal(new byte[] { 127, 129 }, OpRegistry.Find(string.Empty, "Cast")!(new OpContext(nearest, 24, [x]))[0].Items<byte>());
    }

    [Fact]
    public void Cast_ToFloat8WithoutSaturate_OverflowIsNaN()
    {
        TensorValue y = Run("Cast", 19, [TensorValue.FromFloats([2], [1000f, 1f])], ("to", (long)DataType.Float8E4M3FN), ("saturate", 0))[0];
        Assert.Equal(new byte[] { 0x7F, 0x38 }, y.Items<byte>());
    }
}
