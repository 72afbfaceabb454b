using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// The shapes ORT's graph holds when its fusions run (ONNX shape inference over symbolic input dims): for every value a
/// rule reaches, its rank and the dimensions known statically (null for symbolic or unknown ones). Fusions such as
/// BiasGeluFusion and MatMulScaleFusion fire only on what this proves, as ORT's do; values no rule reaches are absent,
/// as a missing shape is in ORT. Covers the ops of transformer encoders and their quantized forms.
/// </summary>
internal sealed class SymbolicShapes
{
    private readonly Dictionary<string, int?[]> _shapes = new(StringComparer.Ordinal);

    public SymbolicShapes(GraphEditor graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        foreach (var (name, value) in graph.Initializers)
        {
            _shapes[name] = [.. value.Shape.Select(d => (int?)d)];
        }

        foreach (ValueInfo input in graph.Source.Inputs)
        {
            if (!_shapes.ContainsKey(input.Name) && input.Dims.Length > 0)
            {
                _shapes[input.Name] = [.. input.Dims];
            }
        }

        foreach (Node n in graph.Nodes)
        {
            int?[]? shape;
            try
            {
                shape = Rule(graph, n);
            }
            catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidCastException or OverflowException)
            {
                shape = null;
            }

            if (shape is not null && n.Outputs.Length > 0 && n.Outputs[0].Length > 0)
            {
                _shapes[n.Outputs[0]] = shape;
            }

            // DynamicQuantizeLinear's scale and zero point are scalars.
            if (n.OpType == "DynamicQuantizeLinear" && n.NormalizedDomain.Length == 0)
            {
                foreach (string scalar in n.Outputs.Skip(1).Where(o => o.Length > 0))
                {
                    _shapes[scalar] = [];
                }
            }
        }
    }

    /// <summary>The shape of <paramref name="value"/>, or null when inference does not reach it.</summary>
    public int?[]? Of(string value) => value.Length > 0 && _shapes.TryGetValue(value, out var s) ? s : null;

    private int?[]? In(Node n, int i) => i < n.Inputs.Length ? Of(n.Inputs[i]) : null;

    private int?[]? Rule(GraphEditor graph, Node n)
    {
        string op = n.OpType;
        switch (op)
        {
            case "Constant":
                return FusionPatterns.ConstantOf(graph, n.Outputs[0]) is { } c ? [.. c.Shape.Select(d => (int?)d)] : null;
            case "Shape":
                return In(n, 0) is { } s0 ? [ShapeLength(n, s0.Length)] : null;
            case "Gather":
                {
                    if (In(n, 0) is not { } data || In(n, 1) is not { } idx)
                    {
                        return null;
                    }

                    int axis = Axis(n, data.Length, 0);
                    return [.. data[..axis], .. idx, .. data[(axis + 1)..]];
                }

            case "Unsqueeze":
                {
                    long[]? axes = Ints(graph, n, "axes", 1);
                    if (In(n, 0) is not { } x || axes is null)
                    {
                        return null;
                    }

                    int rank = x.Length + axes.Length;
                    var norm = axes.Select(a => (int)(a < 0 ? a + rank : a)).ToHashSet();
                    var result = new int?[rank];
                    int k = 0;
                    for (int d = 0; d < rank; d++)
                    {
                        result[d] = norm.Contains(d) ? 1 : x[k++];
                    }

                    return result;
                }

            case "Concat":
                {
                    var parts = n.Inputs.Select(Of).ToList();
                    if (parts.Count == 0 || parts.Any(p => p is null))
                    {
                        return null;
                    }

                    int rank = parts[0]!.Length;
                    int axis = Axis(n, rank, 0);
                    var result = (int?[])parts[0]!.Clone();
                    result[axis] = parts.All(p => p![axis].HasValue) ? parts.Sum(p => p![axis]!.Value) : null;
                    return result;
                }

            case "Reshape":
                {
                    if (FusionPatterns.ConstantOf(graph, n.Inputs[1]) is { } target)
                    {
                        long[] t = target.Type == DataType.Int64 ? target.Items<long>() : [];
                        int?[]? x = In(n, 0);
                        return [.. t.Select((d, i) => d > 0 ? (int?)d : d == 0 && x is not null && i < x.Length ? x[i] : null)];
                    }

                    return In(n, 1) is [int len] ? new int?[len] : null;
                }

            case "Transpose":
                {
                    if (In(n, 0) is not { } x)
                    {
                        return null;
                    }

                    long[] perm = n.Attributes.TryGetValue("perm", out var p) ? [.. p.Ints] : [.. Enumerable.Range(0, x.Length).Reverse().Select(i => (long)i)];
                    return [.. perm.Select(i => x[i])];
                }

            case "MatMul" or "FusedMatMul" or "MatMulInteger" or "MatMulIntegerToFloat" or "DynamicQuantizeMatMul":
                return MatMul(In(n, 0), In(n, 1), n);
            case "QLinearMatMul":
                return MatMul(In(n, 0), In(n, 3), n);
            case "Gemm":
                {
                    if (In(n, 0) is not [var a0, var a1] || In(n, 1) is not [var b0, var b1])
                    {
                        return null;
                    }

                    bool ta = n.Attributes.TryGetValue("transA", out var ta1) && ta1.Int != 0;
                    bool tb = n.Attributes.TryGetValue("transB", out var tb1) && tb1.Int != 0;
                    return [ta ? a1 : a0, tb ? b0 : b1];
                }

            case "Add" or "Sub" or "Mul" or "Div" or "Pow" or "Where" or "Max" or "Min" or "Equal" or "Less" or "Greater":
                return Broadcast(n.Inputs.Select(Of).ToList());
            case "QLinearAdd" or "QLinearMul":
                return Broadcast([In(n, 0), In(n, 3)]);
            case "ReduceMean" or "ReduceSum" or "ReduceMax" or "ReduceMin":
                {
                    if (In(n, 0) is not { } x)
                    {
                        return null;
                    }

                    long[]? axes = Ints(graph, n, "axes", 1);
                    bool keep = !n.Attributes.TryGetValue("keepdims", out var kd) || kd.Int != 0;
                    var set = axes is null ? Enumerable.Range(0, x.Length).ToHashSet() : axes.Select(a => (int)(a < 0 ? a + x.Length : a)).ToHashSet();
                    return keep ? [.. x.Select((d, i) => set.Contains(i) ? 1 : d)] : [.. x.Where((d, i) => !set.Contains(i))];
                }

            case "Erf" or "Gelu" or "BiasGelu" or "FastGelu" or "Relu" or "Sigmoid" or "Tanh" or "Softmax" or "LayerNormalization"
                or "SkipLayerNormalization" or "Cast" or "Sqrt" or "Exp" or "Identity" or "QuantizeLinear" or "DequantizeLinear"
                or "DynamicQuantizeLinear" or "QLinearSoftmax" or "Dropout" or "Neg" or "Abs" or "Reciprocal" or "Clip" or "QLinearLeakyRelu"
                or "QLinearSigmoid":
                return In(n, 0);
            default:
                return null;
        }
    }

    private static int? ShapeLength(Node n, int rank)
    {
        int start = n.Attributes.TryGetValue("start", out var s) ? (int)s.Int : 0;
        int end = n.Attributes.TryGetValue("end", out var e) ? (int)e.Int : rank;
        start = Math.Clamp(start < 0 ? start + rank : start, 0, rank);
        end = Math.Clamp(end < 0 ? end + rank : end, 0, rank);
        return Math.Max(0, end - start);
    }

    private static int Axis(Node n, int rank, long fallback)
    {
        long a = n.Attributes.TryGetValue("axis", out var v) ? v.Int : fallback;
        return (int)(a < 0 ? a + rank : a);
    }

    /// <summary>An ints attribute, or (opset 13+ style) the constant int64 input at <paramref name="inputIndex"/>.</summary>
    private static long[]? Ints(GraphEditor graph, Node n, string name, int inputIndex)
    {
        if (n.Attributes.TryGetValue(name, out var a))
        {
            return [.. a.Ints];
        }

        return inputIndex < n.Inputs.Length && FusionPatterns.ConstantOf(graph, n.Inputs[inputIndex]) is { Type: DataType.Int64 } t ? t.Items<long>() : null;
    }

    private static int?[]? MatMul(int?[]? a, int?[]? b, Node n)
    {
        if (a is null || b is null || a.Length == 0 || b.Length == 0)
        {
            return null;
        }

        bool ta = n.Attributes.TryGetValue("transA", out var ta1) && ta1.Int != 0 && a.Length > 1;
        bool tb = n.Attributes.TryGetValue("transB", out var tb1) && tb1.Int != 0 && b.Length > 1;
        int?[] a2 = a.Length == 1 ? [1, a[0]] : a;
        int?[] b2 = b.Length == 1 ? [b[0], 1] : b;
        var batch = Broadcast([a2[..^2], b2[..^2]]);
        if (batch is null)
        {
            return null;
        }

        var result = new List<int?>(batch);
        if (a.Length != 1)
        {
            result.Add(ta ? a2[^1] : a2[^2]);
        }

        if (b.Length != 1)
        {
            result.Add(tb ? b2[^2] : b2[^1]);
        }

        return [.. result];
    }

    /// <summary>Numpy broadcasting where a dim is known if either side proves it (a 1 yields to the other side).</summary>
    private static int?[]? Broadcast(List<int?[]?> shapes)
    {
        if (shapes.Count == 0 || shapes.Any(s => s is null))
        {
            return null;
        }

        int rank = shapes.Max(s => s!.Length);
        var result = new int?[rank];
        for (int d = 0; d < rank; d++)
        {
            int? dim = 1;
            bool unknown = false;
            foreach (int?[]? s in shapes)
            {
                int i = d - (rank - s!.Length);
                if (i < 0)
                {
                    continue;
                }

                int? v = s[i];
                if (v is null)
                {
                    unknown = true;
                }
                else if (v != 1)
                {
                    dim = v;
                }
            }

            result[d] = dim != 1 ? dim : unknown ? null : 1;
        }

        return result;
    }
}
