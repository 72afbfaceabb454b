using System.Collections.Immutable;
using SiliconSim.Graph.Onnx.Proto;

namespace SiliconSim.Simulation.Llm;

/// <summary>What an ONNX decoder's structure says: its shape and the format its projections are stored in.</summary>
/// <param name="Shape">The decoder's dimensions.</param>
/// <param name="Weights">The format the projections are stored in (MatMulNBits 4-bit: int4; 8-bit: int8; float MatMul: fp16).</param>
public sealed record OnnxDecoder(DecoderShape Shape, LlmWeightFormat Weights);

/// <summary>
/// Reads a decoder's shape from an ONNX graph wired as ONNX Runtime GenAI's model builder wires one (issue 15): the
/// embedding Gather over <c>input_ids</c>, one GroupQueryAttention per block, and MatMul or MatMulNBits projections.
/// Only node attributes and initializer dimensions are read, never tensor data, so a graph whose external weights are
/// absent still gives its shape.
/// </summary>
public static class OnnxDecoderShape
{
    private const string MicrosoftDomain = "com.microsoft";

    /// <exception cref="FormatException">the graph is not such a decoder; the message names what is missing.</exception>
    public static OnnxDecoder Read(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        GraphProto g = model.Graph ?? throw new FormatException("the model has no graph");
        var initializers = g.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);

        List<NodeProto> attention = [.. g.Node.Where(n => n.OpType == "GroupQueryAttention" && n.Domain == MicrosoftDomain)];
        if (attention.Count == 0)
        {
            throw new FormatException("no GroupQueryAttention node (com.microsoft): generate reads decoders exported by ONNX Runtime GenAI's model builder");
        }

        int heads = IntAttribute(attention[0], "num_heads");
        int kvHeads = IntAttribute(attention[0], "kv_num_heads");
        if (attention.Any(n => IntAttribute(n, "num_heads") != heads || IntAttribute(n, "kv_num_heads") != kvHeads))
        {
            throw new FormatException("GroupQueryAttention nodes disagree on num_heads or kv_num_heads");
        }

        NodeProto embeddingGather = g.Node.FirstOrDefault(n => n.OpType == "Gather" && n.Input.Count == 2 && n.Input[1] == "input_ids" && initializers.ContainsKey(n.Input[0]))
            ?? throw new FormatException("no Gather of an initializer by 'input_ids' (the token embedding)");
        TensorProto embedding = initializers[embeddingGather.Input[0]];
        if (embedding.Dims.Count != 2)
        {
            throw new FormatException($"embedding '{embedding.Name}' has {embedding.Dims.Count} dimensions, expected [vocab, hidden]");
        }

        int vocab = checked((int)embedding.Dims[0]);
        int hidden = checked((int)embedding.Dims[1]);
        int headDim = HeadDim(g, hidden, heads);

        List<(NodeProto Node, long K, long N, string Weight)> projections = [.. Projections(g, initializers)];
        if (projections.Count == 0)
        {
            throw new FormatException("no MatMul or MatMulNBits projection with constant weights");
        }

        // The MLP's down projection maps the intermediate width back to the hidden one; the attention output projection
        // also ends at hidden, from heads x head_dim.
        long attentionWidth = (long)heads * headDim;
        var down = projections.Where(p => p.N == hidden && p.K != attentionWidth && p.K != hidden).Select(p => p.K).Distinct().ToList();
        if (down.Count != 1)
        {
            throw new FormatException(down.Count == 0
                ? $"no MLP down projection (a projection from a width other than {attentionWidth} to hidden {hidden})"
                : $"projections to hidden {hidden} come from several widths ({string.Join(", ", down)}); cannot tell the intermediate size");
        }

        var lmHead = projections.LastOrDefault(p => p.N == vocab);
        bool tied = lmHead.Weight == embedding.Name;
        int maxPositions = MaxPositions(attention[0], initializers);
        var shape = new DecoderShape
        {
            Architecture = string.IsNullOrEmpty(model.ProducerName) ? "ONNX decoder" : $"ONNX decoder ({model.ProducerName})",
            HiddenSize = hidden,
            IntermediateSize = checked((int)down[0]),
            Layers = attention.Count,
            Heads = heads,
            KvHeads = kvHeads,
            HeadDim = headDim,
            VocabSize = vocab,
            TiedEmbeddings = tied,
            MaxPositions = maxPositions,
        };
        return new OnnxDecoder(shape, WeightFormat(projections));
    }

    /// <summary>The head size from the first past key's declared last dimension, else hidden / heads.</summary>
    private static int HeadDim(GraphProto g, int hidden, int heads)
    {
        ValueInfoProto? pastKey = g.Input.FirstOrDefault(i => i.Name.StartsWith("past_key_values.", StringComparison.Ordinal) && i.Name.EndsWith(".key", StringComparison.Ordinal));
        var dims = pastKey?.Type?.TensorType?.Shape?.Dim;
        return dims is { Count: 4 } && dims[3].HasDimValue && dims[3].DimValue > 0 ? checked((int)dims[3].DimValue) : hidden / heads;
    }

    /// <summary>The rotary cache's rows (GroupQueryAttention input 7, cos_cache [max positions, rotary/2]), else unbounded.</summary>
    private static int MaxPositions(NodeProto attention, Dictionary<string, TensorProto> initializers) =>
        attention.Input.Count > 7 && initializers.TryGetValue(attention.Input[7], out TensorProto? cos) && cos.Dims.Count == 2
            ? checked((int)cos.Dims[0])
            : int.MaxValue;

    private static IEnumerable<(NodeProto Node, long K, long N, string Weight)> Projections(GraphProto g, Dictionary<string, TensorProto> initializers)
    {
        foreach (NodeProto n in g.Node)
        {
            if (n.OpType == "MatMulNBits" && n.Domain == MicrosoftDomain)
            {
                yield return (n, IntAttribute(n, "K"), IntAttribute(n, "N"), n.Input[1]);
            }
            else if (n.OpType == "MatMul" && string.IsNullOrEmpty(n.Domain) && n.Input.Count == 2
                && initializers.TryGetValue(n.Input[1], out TensorProto? w) && w.Dims.Count == 2)
            {
                yield return (n, w.Dims[0], w.Dims[1], w.Name);
            }
        }
    }

    /// <summary>MatMulNBits at 4 bits is W4A16 (int4), at 8 bits int8; float MatMuls time as fp16.</summary>
    private static LlmWeightFormat WeightFormat(List<(NodeProto Node, long K, long N, string Weight)> projections)
    {
        ImmutableArray<int> bits = [.. projections.Where(p => p.Node.OpType == "MatMulNBits").Select(p => IntAttribute(p.Node, "bits", 4)).Distinct()];
        return bits.Length == 0 ? LlmWeightFormat.Fp16 : bits.Max() <= 4 ? LlmWeightFormat.Int4 : LlmWeightFormat.Int8;
    }

    private static int IntAttribute(NodeProto node, string name, int? defaultValue = null)
    {
        AttributeProto? a = node.Attribute.FirstOrDefault(x => x.Name == name);
        if (a is null)
        {
            return defaultValue ?? throw new FormatException($"node '{node.Name}' ({node.OpType}) has no '{name}' attribute");
        }

        return a.I is > 0 and <= int.MaxValue ? (int)a.I : throw new FormatException($"node '{node.Name}' ({node.OpType}) attribute '{name}' is {a.I}, not a positive integer");
    }
}
