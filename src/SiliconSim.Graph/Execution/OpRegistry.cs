using System.Collections.Frozen;
using System.Reflection;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Execution;

/// <summary>The operator implementations, discovered once from every <see cref="OnnxOpAttribute"/> in this assembly.</summary>
public static class OpRegistry
{
    private static readonly FrozenDictionary<(string Domain, string OpType), Func<OpContext, TensorValue[]>> s_ops = Discover();

    /// <summary>The implementation of <paramref name="opType"/> in <paramref name="domain"/>, or null.</summary>
    public static Func<OpContext, TensorValue[]>? Find(string domain, string opType)
    {
        string d = domain is "ai.onnx" ? string.Empty : domain;
        return s_ops.TryGetValue((d, opType), out var f) ? f : null;
    }

    /// <summary>Every supported (domain, op), sorted, for documentation and `describe`.</summary>
    public static IReadOnlyList<(string Domain, string OpType)> Supported =>
        [.. s_ops.Keys.OrderBy(k => k.Domain, StringComparer.Ordinal).ThenBy(k => k.OpType, StringComparer.Ordinal)];

    private static FrozenDictionary<(string, string), Func<OpContext, TensorValue[]>> Discover()
    {
        var map = new Dictionary<(string, string), Func<OpContext, TensorValue[]>>();
        foreach (Type type in typeof(OpRegistry).Assembly.GetTypes())
        {
            foreach (MethodInfo method in type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            {
                foreach (OnnxOpAttribute op in method.GetCustomAttributes<OnnxOpAttribute>())
                {
                    var f = method.CreateDelegate<Func<OpContext, TensorValue[]>>();
                    if (!map.TryAdd((op.Domain, op.OpType), f))
                    {
                        throw new InvalidOperationException($"op {op.Domain}.{op.OpType} is implemented twice");
                    }
                }
            }
        }

        return map.ToFrozenDictionary();
    }
}
