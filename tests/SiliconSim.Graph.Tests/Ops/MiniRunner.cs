using System.Collections.Immutable;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Kernels.Float;

namespace SiliconSim.Graph.Tests.Ops;

/// <summary>A test-only straight-line interpreter over the registered ops, for small whole models (the digits goldens).</summary>
internal static class MiniRunner
{
    /// <summary>Runs the model; with <paramref name="nchwcConvs"/>, a Conv whose weights are initializers and fit ORT's NCHWc
    /// rule uses <see cref="NchwcConv"/> (what ORT_ENABLE_ALL runs), as an executor that knows constants would.</summary>
    public static Dictionary<string, TensorValue> Run(ModelProto model, IReadOnlyDictionary<string, TensorValue> feeds, bool nchwcConvs = false)
    {
        int opset = (int)model.OpsetImport.First(o => o.Domain is "" or "ai.onnx").Version;
        var values = new Dictionary<string, TensorValue>(feeds, StringComparer.Ordinal);
        foreach (TensorProto init in model.Graph.Initializer)
        {
            values[init.Name] = TensorProtos.FromProto(init);
        }

        foreach (NodeProto np in model.Graph.Node)
        {
            var node = new Node(np.Name, np.OpType, np.Domain, [.. np.Input], [.. np.Output],
                np.Attribute.ToImmutableDictionary(a => a.Name, ConvertAttribute, StringComparer.Ordinal));
            var op = OpRegistry.Find(np.Domain, np.OpType) ?? throw new InvalidOperationException($"no handler for {np.OpType}");
            var inputs = np.Input.Select(n => n.Length == 0 ? null : values[n]).ToList();
            var ctx = new OpContext(node, opset, inputs);
            TensorValue[] outputs = nchwcConvs && np.OpType == "Conv" && model.Graph.Initializer.Any(i => i.Name == np.Input[1])
                ? NchwcOrDefault(ctx, op)
                : nchwcConvs && np.OpType == "GlobalAveragePool" && inputs[0]!.Rank == 4 && inputs[0]!.Shape[1] % NchwcConv.BlockSize == 0
                ? NchwcGlobalAverage(inputs[0]!)
                : op(ctx);
            for (int i = 0; i < outputs.Length && i < np.Output.Count; i++)
            {
                if (np.Output[i].Length > 0)
                {
                    values[np.Output[i]] = outputs[i];
                }
            }
        }

        return values;
    }

    private static AttributeValue ConvertAttribute(AttributeProto a) => a.Type switch
    {
        AttributeProto.Types.AttributeType.Int => new AttributeValue(AttributeKind.Int) { Int = a.I },
        AttributeProto.Types.AttributeType.Float => new AttributeValue(AttributeKind.Float) { Float = a.F },
        AttributeProto.Types.AttributeType.String => new AttributeValue(AttributeKind.String) { String = a.S.ToStringUtf8() },
        AttributeProto.Types.AttributeType.Ints => new AttributeValue(AttributeKind.Ints) { Ints = [.. a.Ints] },
        AttributeProto.Types.AttributeType.Floats => new AttributeValue(AttributeKind.Floats) { Floats = [.. a.Floats] },
        AttributeProto.Types.AttributeType.Tensor => new AttributeValue(AttributeKind.Tensor) { Tensor = TensorProtos.FromProto(a.T) },
        _ => throw new NotSupportedException($"attribute kind {a.Type}"),
    };

    private static TensorValue[] NchwcOrDefault(OpContext ctx, Func<OpContext, TensorValue[]> op)
    {
        TensorValue x = ctx.Input(0);
        TensorValue w = ctx.Input(1);
        TensorValue? b = ctx.OptionalInput(2);
        var g = ConvGeometry.Resolve(x.Shape.AsSpan(), w.Shape[0], [.. w.Shape.Skip(2)], ctx.IntsOrNull("strides"), ctx.IntsOrNull("dilations"),
            ctx.IntsOrNull("pads"), ctx.String("auto_pad", "NOTSET"), (int)ctx.Int("group", 1));
        if (!NchwcConv.Applies(g))
        {
            return op(ctx);
        }

        return [TensorValue.FromFloats(g.OutputShape, NchwcConv.Conv(x.Items<float>(), w.Items<float>(), b is null ? [] : b.Items<float>(), g))];
    }

    private static TensorValue[] NchwcGlobalAverage(TensorValue x)
    {
        int[] spatial = [.. x.Shape.Skip(2)];
        var g = ConvGeometry.Resolve(x.Shape.AsSpan(), x.Shape[1], spatial, null, null, null, "NOTSET", 1);
        return [TensorValue.FromFloats(g.OutputShape, PoolKernels.NchwcAveragePool(x.Items<float>(), g, false))];
    }
}
