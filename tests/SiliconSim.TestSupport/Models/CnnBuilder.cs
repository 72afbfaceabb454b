using SiliconSim.Numerics;

namespace SiliconSim.TestSupport.Models;

/// <summary>
/// Adds conv-net layers to an <see cref="OnnxBuilder"/> with seeded weights: BatchNorm-folded convs (weights and a
/// bias), Relu / Relu6 (Clip 0..6), residual Adds, global average pooling and a Gemm head. Value and node names are
/// generated in order, so the same seed gives the same model bytes.
/// </summary>
public sealed class CnnBuilder
{
    private readonly OnnxBuilder _b;
    private readonly SeededTensors _rand;
    private int _counter;

    public CnnBuilder(OnnxBuilder builder, int seed)
    {
        _b = builder;
        _rand = new SeededTensors(seed);
    }

    /// <summary>A conv with a folded-BatchNorm bias; returns its output.</summary>
    public string Conv(string x, int inChannels, int outChannels, int kernel, int stride = 1, int group = 1, string name = "conv")
    {
        string id = $"{name}{_counter++}";
        _b.Initializer($"{id}.weight", _rand.ConvWeight(outChannels, inChannels / group, kernel));
        _b.Initializer($"{id}.bias", _rand.Normal(0.1f, outChannels));
        int pad = kernel / 2;
        _b.Node("Conv", [x, $"{id}.weight", $"{id}.bias"], [$"{id}_out"], name: $"/{id}/Conv", attributes:
        [
            ("kernel_shape", new long[] { kernel, kernel }), ("strides", new long[] { stride, stride }),
            ("pads", new long[] { pad, pad, pad, pad }), ("group", (long)group), ("dilations", new long[] { 1, 1 }),
        ]);
        return $"{id}_out";
    }

    public string Relu(string x)
    {
        string id = $"relu{_counter++}";
        _b.Node("Relu", [x], [$"{id}_out"], name: $"/{id}/Relu");
        return $"{id}_out";
    }

    /// <summary>Relu6 as exporters write it: Clip with min 0 and max 6 as initializer inputs.</summary>
    public string Relu6(string x)
    {
        string id = $"clip{_counter++}";
        _b.Initializer($"{id}.min", TensorValue.Scalar(DataType.Float, 0f));
        _b.Initializer($"{id}.max", TensorValue.Scalar(DataType.Float, 6f));
        _b.Node("Clip", [x, $"{id}.min", $"{id}.max"], [$"{id}_out"], name: $"/{id}/Clip");
        return $"{id}_out";
    }

    public string Add(string a, string b)
    {
        string id = $"add{_counter++}";
        _b.Node("Add", [a, b], [$"{id}_out"], name: $"/{id}/Add");
        return $"{id}_out";
    }

    /// <summary>GlobalAveragePool, Flatten, Gemm (transB) to <paramref name="classes"/> logits named <paramref name="output"/>.</summary>
    public string Head(string x, int channels, int classes, string output)
    {
        string id = $"head{_counter++}";
        _b.Node("GlobalAveragePool", [x], [$"{id}_gap"], name: $"/{id}/GlobalAveragePool");
        _b.Node("Flatten", [$"{id}_gap"], [$"{id}_flat"], name: $"/{id}/Flatten", attributes: [("axis", 1L)]);
        _b.Initializer($"{id}.fc.weight", _rand.Normal(MathF.Sqrt(1f / channels), classes, channels));
        _b.Initializer($"{id}.fc.bias", _rand.Normal(0.1f, classes));
        _b.Node("Gemm", [$"{id}_flat", $"{id}.fc.weight", $"{id}.fc.bias"], [output], name: $"/{id}/Gemm", attributes:
            [("alpha", 1f), ("beta", 1f), ("transB", 1L)]);
        return output;
    }
}
