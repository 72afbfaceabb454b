using System.Collections.Immutable;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Graph.Ir;

/// <summary>
/// Static shape inference: from the shapes of the graph inputs (symbolic dims bound by the caller) it derives the shape
/// of every value an op rule covers, reading constant initializers where a shape depends on values (Reshape's target,
/// Slice's bounds). Values no rule reaches are absent from the result rather than guessed.
/// </summary>
public static class ShapeInference
{
    /// <summary>Infers shapes given the concrete shape of every runtime input.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="inputShapes">The shape of every runtime input.</param>
    /// <param name="budget">When given, every inferred shape is checked against its per-tensor budget, so a model whose
    /// shapes could never be allocated is refused before anything runs; null checks nothing (timing of shapes only).</param>
    /// <exception cref="MemoryBudgetException">an inferred shape is over <paramref name="budget"/>; the message names the node.</exception>
    public static Dictionary<string, int[]> Infer(ModelGraph graph, IReadOnlyDictionary<string, int[]> inputShapes, MemoryBudget? budget = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(inputShapes);
        var shapes = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var (name, value) in graph.Initializers)
        {
            shapes[name] = [.. value.Shape];
        }

        foreach (var (name, shape) in inputShapes)
        {
            shapes[name] = shape;
        }

        foreach (Node n in graph.Nodes)
        {
            int[]?[] ins = n.Inputs.Select(i => i.Length > 0 && shapes.TryGetValue(i, out var s) ? s : null).ToArray();
            int[]? output;
            try
            {
                output = Rule(n, ins, graph);
            }
            catch (Exception e) when (e is ArgumentException or OverflowException or IndexOutOfRangeException)
            {
                // A shape past int (a Concat of 2^31-1 dims) or a malformed attribute: unknown, as for an op without a rule.
                output = null;
            }

            if (output is not null && n.Outputs.Length > 0 && n.Outputs[0].Length > 0)
            {
                CheckBudget(budget, n, output, TypeOfFirstInput(graph, n));
                shapes[n.Outputs[0]] = output;
            }

            // TensorRT's NVFP4 block quantization: its block scales have the input's shape, the blocked axis in blocks of 16.
            if (n.OpType == "TRT_FP4DynamicQuantize" && output is not null && n.Outputs.Length > 1 && n.Outputs[1].Length > 0 && output.Length > 0)
            {
                long axis = Int(n, "axis", -1), block = Int(n, "block_size", 16);
                int a = (int)(axis < 0 ? axis + output.Length : axis);
                if (a >= 0 && a < output.Length && block > 0)
                {
                    int[] scales = [.. output];
                    scales[a] = (int)((scales[a] + block - 1) / block);
                    shapes[n.Outputs[1]] = scales;
                }
            }

            // DynamicQuantizeLinear's scale and zero point are scalars; knowing them lets Shape subgraphs downstream fold.
            if (n.OpType == "DynamicQuantizeLinear")
            {
                foreach (string scalar in n.Outputs.Skip(1).Where(o => o.Length > 0))
                {
                    shapes[scalar] = [];
                }
            }
        }

        return shapes;
    }

    /// <summary>The shape of <paramref name="node"/>'s first output given its inputs' shapes (null where unknown), by the
    /// rules <see cref="Infer"/> uses, or null when no rule covers it: what the executor checks the budget with before
    /// running a kernel.</summary>
    internal static int[]? OutputShape(Node node, int[]?[] inputShapes)
    {
        try
        {
            return Rule(node, inputShapes, graph: null);
        }
        catch (Exception e) when (e is ArgumentException or OverflowException or IndexOutOfRangeException or InvalidCastException)
        {
            return null;
        }
    }

    private static void CheckBudget(MemoryBudget? budget, Node n, int[] shape, DataType type)
    {
        if (budget is null)
        {
            return;
        }

        try
        {
            budget.CheckTensor("output", type, shape);
        }
        catch (MemoryBudgetException e)
        {
            throw new MemoryBudgetException($"node {n.Describe()}: {e.Message}", e);
        }
    }

    private static DataType TypeOfFirstInput(ModelGraph graph, Node n)
    {
        string first = n.Inputs.FirstOrDefault(i => i.Length > 0) ?? string.Empty;
        return graph.Initializers.TryGetValue(first, out TensorValue? t) ? t.Type
            : graph.ValueInfos.TryGetValue(first, out ValueInfo? v) && v.Type != DataType.Undefined ? v.Type
            : DataType.UInt8;
    }

    /// <summary>Binds every symbolic input dimension to <paramref name="batch"/> (the usual case: a free batch size).</summary>
    public static Dictionary<string, int[]> InputShapes(ModelGraph graph, int batch)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return graph.RuntimeInputs.ToDictionary(i => i.Name, i => i.Dims.Select(d => d ?? batch).ToArray(), StringComparer.Ordinal);
    }

    private static int[]? Rule(Node n, int[]?[] ins, ModelGraph? graph)
    {
        int[]? x = ins.Length > 0 ? ins[0] : null;
        switch (n.OpType)
        {
            case "Conv" or "ConvInteger" or "NchwcConv" or "ArrayConv":
                return x is null || ins[1] is null ? null : Conv(n, x, ins[1]!);
            case "QLinearConv":
                return x is null || ins[3] is null ? null : Conv(n, x, ins[3]!);
            case "MaxPool" or "AveragePool" or "NchwcAveragePool":
                {
                    if (x is null)
                    {
                        return null;
                    }

                    long[] kernel = Ints(n, "kernel_shape") ?? throw new ArgumentException("kernel_shape");
                    var g = ConvGeometry.Resolve(x, x[1], kernel.Select(k => (int)k).ToArray(), Ints(n, "strides"), Ints(n, "dilations"), Ints(n, "pads"), Str(n, "auto_pad"), 1, Int(n, "ceil_mode", 0) != 0);
                    return g.OutputShape;
                }

            case "GlobalAveragePool" or "GlobalMaxPool" or "QLinearGlobalAveragePool" or "NchwcGlobalAveragePool":
                return x is null ? null : [x[0], x[1], .. Enumerable.Repeat(1, x.Length - 2)];
            case "Gemm":
                return Gemm(n, x, ins.Length > 1 ? ins[1] : null);
            case "QGemm":
                return Gemm(n, x, ins.Length > 3 ? ins[3] : null);
            case "ArrayGemm":
                // LowPrecisionArrayMapping's Gemm keeps A's leading axes (it also stands for MatMul).
                return x is null || ins[1] is null ? null : [.. x[..^1], Int(n, "transB", 0) != 0 ? ins[1]![0] : ins[1]![1]];
            case "MatMul" or "MatMulInteger" or "MatMulIntegerToFloat":
                return MatMul(x, ins.Length > 1 ? ins[1] : null);
            case "QLinearMatMul":
                return MatMul(x, ins.Length > 3 ? ins[3] : null);
            case "Add" or "Sub" or "Mul" or "Div" or "Pow" or "Equal" or "Less" or "Greater" or "Where" or "Max" or "Min" or "Mod" or "And" or "Or":
                return ins.All(s => s is not null) ? ins.Aggregate((a, b) => ShapeMath.Broadcast(a!, b!)) : null;
            case "QLinearAdd" or "QLinearMul":
                return x is null || ins.Length < 4 || ins[3] is null ? null : ShapeMath.Broadcast(x, ins[3]!);
            case "Flatten":
                {
                    if (x is null)
                    {
                        return null;
                    }

                    int axis = ShapeMath.NormalizeAxis(Int(n, "axis", 1), x.Length + 1);
                    return [x.Take(axis).Aggregate(1, (a, b) => checked(a * b)), x.Skip(axis).Aggregate(1, (a, b) => checked(a * b))];
                }

            case "Reshape":
                return x is null ? null : Reshape(x, Const(graph, n, 1), Int(n, "allowzero", 0) != 0);
            case "Transpose":
                {
                    if (x is null)
                    {
                        return null;
                    }

                    long[] perm = Ints(n, "perm") ?? Enumerable.Range(0, x.Length).Reverse().Select(i => (long)i).ToArray();
                    return perm.Select(p => x[p]).ToArray();
                }

            case "Concat":
                {
                    if (ins.Any(s => s is null))
                    {
                        return null;
                    }

                    int axis = ShapeMath.NormalizeAxis(Int(n, "axis", 0), x!.Length);
                    int[] result = [.. x];
                    result[axis] = ins.Sum(s => s![axis]);
                    return result;
                }

            case "QuantizeLinear" or "DequantizeLinear" or "Relu" or "Clip" or "Sigmoid" or "Tanh" or "LeakyRelu" or "Softmax"
                or "QLinearSoftmax" or "Identity" or "Cast" or "Erf" or "Sqrt" or "Exp" or "Neg" or "Abs" or "Gelu"
                or "LayerNormalization" or "QLinearSigmoid" or "QLinearLeakyRelu" or "DynamicQuantizeLinear" or "TRT_FP4DynamicQuantize"
                or "QuickGelu" or "SimplifiedLayerNormalization" or "SkipSimplifiedLayerNormalization" or "RotaryEmbedding":
                return x;
            case "MatMulNBits":
                return x is null ? null : [.. x[..^1], (int)Int(n, "N", 0)];
            case "GroupQueryAttention":
                {
                    // [batch, sequence, num_heads·head_size]; packed QKV (no key) splits its width into N + 2·Nkv heads.
                    if (x is null || x.Length != 3)
                    {
                        return null;
                    }

                    long heads = Int(n, "num_heads", 0);
                    long kvHeads = Int(n, "kv_num_heads", 0);
                    bool packed = n.Inputs.Length < 2 || n.Inputs[1].Length == 0;
                    return packed ? [x[0], x[1], (int)(x[2] / (heads + (2 * kvHeads)) * heads)] : x;
                }

            default:
                return null;
        }
    }

    private static int[] Conv(Node n, int[] x, int[] w)
    {
        int[] kernel = Ints(n, "kernel_shape")?.Select(k => (int)k).ToArray() ?? w[2..];
        var g = ConvGeometry.Resolve(x, w[0], kernel, Ints(n, "strides"), Ints(n, "dilations"), Ints(n, "pads"), Str(n, "auto_pad"), (int)Int(n, "group", 1));
        return g.OutputShape;
    }

    private static int[]? Gemm(Node n, int[]? a, int[]? b)
    {
        if (a is null || b is null)
        {
            return null;
        }

        int m = Int(n, "transA", 0) != 0 ? a[1] : a[0];
        int cols = Int(n, "transB", 0) != 0 ? b[0] : b[1];
        return [m, cols];
    }

    private static int[]? MatMul(int[]? a, int[]? b)
    {
        if (a is null || b is null)
        {
            return null;
        }

        int[] a2 = a.Length == 1 ? [1, a[0]] : a;
        int[] b2 = b.Length == 1 ? [b[0], 1] : b;
        int[] batch = ShapeMath.Broadcast(a2.AsSpan(0, a2.Length - 2), b2.AsSpan(0, b2.Length - 2));
        var result = new List<int>(batch) { a2[^2], b2[^1] };
        if (a.Length == 1)
        {
            result.RemoveAt(result.Count - 2);
        }

        if (b.Length == 1)
        {
            result.RemoveAt(result.Count - 1);
        }

        return [.. result];
    }

    private static int[]? Reshape(int[] x, TensorValue? target, bool allowZero)
    {
        if (target is null)
        {
            return null;
        }

        long[] t = target.Items<long>();
        var result = new int[t.Length];
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < t.Length; i++)
        {
            result[i] = t[i] == 0 && !allowZero ? x[i] : (int)t[i];
            if (t[i] == -1)
            {
                inferred = i;
            }
            else
            {
                known *= result[i];
            }
        }

        if (inferred >= 0)
        {
            result[inferred] = (int)(ShapeMath.ElementCount(x) / Math.Max(known, 1));
        }

        return result;
    }

    private static TensorValue? Const(ModelGraph? graph, Node n, int slot) =>
        graph is not null && slot < n.Inputs.Length && graph.Initializers.TryGetValue(n.Inputs[slot], out var t) ? t : null;

    private static long[]? Ints(Node n, string name) => n.Attributes.TryGetValue(name, out var a) && a.Kind == AttributeKind.Ints ? [.. a.Ints] : null;

    private static long Int(Node n, string name, long fallback) => n.Attributes.TryGetValue(name, out var a) && a.Kind == AttributeKind.Int ? a.Int : fallback;

    private static string Str(Node n, string name) => n.Attributes.TryGetValue(name, out var a) && a.Kind == AttributeKind.String ? a.String ?? "NOTSET" : "NOTSET";
}
