using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Numerics;

namespace SiliconSim.TestSupport.Models;

/// <summary>
/// A small fp32 transformer encoder written node for node the way PyTorch's TorchScript exporter writes one at opset 17
/// (HF-BERT-style attention, nn.GELU, nn.LayerNorm, nn.Linear): input [batch, seq, 64] with symbolic batch and seq,
/// <see cref="Layers"/> post-LN layers of 4-head self-attention (MatMul + Add projections; head shapes built at run
/// time by Shape → Gather → Unsqueeze → Concat → Reshape; Transpose; MatMul; Div by √16; Softmax; MatMul; Transpose;
/// Reshape; output projection; residual Add; LayerNormalization) and a 64→128→64 feed-forward block with GELU in its
/// erf form (x·(erf(x/√2) + 1)·0.5), then a ReduceMean over the sequence and a Gemm classifier (transB = 1). Weights
/// are drawn from a seeded generator, uniform in ±1/√fan_in as nn.Linear initialises them, so the same seed gives the
/// same model bytes.
/// </summary>
public sealed class TransformerEncoderBuilder
{
    public const int DModel = 64;
    public const int Heads = 4;
    public const int HeadDim = DModel / Heads;
    public const int FfnDim = 128;
    public const int Layers = 2;
    public const int Classes = 10;
    public const string InputName = "input";
    public const string OutputName = "logits";
    public const int DefaultSeed = 20251123;

    private readonly Random _random;
    private readonly GraphProto _graph;
    private readonly ModelProto _model;
    private int _constants;

    private readonly int? _batch;
    private readonly int? _seq;

    private TransformerEncoderBuilder(int seed, int? batch, int? seq)
    {
        _batch = batch;
        _seq = seq;
        _random = new Random(seed);
        _graph = new GraphProto { Name = "main_graph" };
        _model = new ModelProto { IrVersion = 8, ProducerName = "pytorch", ProducerVersion = "2.5.0", Graph = _graph };
        _model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 17 });
    }

    /// <summary>The encoder's ONNX model with weights drawn from <paramref name="seed"/>.</summary>
    /// <param name="seed">Seeds the weights.</param>
    /// <param name="batch">A static batch size, or null for the symbolic "batch" (dynamic_axes).</param>
    /// <param name="seq">A static sequence length, or null for the symbolic "seq".</param>
    public static ModelProto Build(int seed = DefaultSeed, int? batch = null, int? seq = null)
    {
        var b = new TransformerEncoderBuilder(seed, batch, seq);
        b.BuildGraph();
        return b._model;
    }

    /// <summary>A seeded input [batch, seq, 64]: roughly unit-variance values (sum of uniforms), like embeddings.</summary>
    public static TensorValue Input(int batch, int seq, int seed)
    {
        var r = new Random(seed);
        var x = new float[batch * seq * DModel];
        for (int i = 0; i < x.Length; i++)
        {
            // Irwin–Hall of 3 uniforms: bell-shaped, variance 1 after scaling, no unbounded tails.
            x[i] = (float)((r.NextDouble() + r.NextDouble() + r.NextDouble() - 1.5) * 2.0);
        }

        return TensorValue.FromFloats([batch, seq, DModel], x);
    }

    private void BuildGraph()
    {
        _graph.Input.Add(ValueInfo(InputName, [Dim(_batch, "batch"), Dim(_seq, "seq"), Dim(DModel, null)]));
        string h = InputName;
        for (int l = 0; l < Layers; l++)
        {
            h = Layer(h, $"/encoder/layer.{l}");
        }

        string pooled = Node("ReduceMean", "/pooler/ReduceMean", [h], ("axes", new long[] { 1 }), ("keepdims", 0L));
        string w = Weight("classifier.weight", [Classes, DModel], DModel);
        string bias = Weight("classifier.bias", [Classes], DModel);
        Node("Gemm", "/classifier/Gemm", [pooled, w, bias], [OutputName], ("alpha", 1f), ("beta", 1f), ("transB", 1L));
        _graph.Output.Add(ValueInfo(OutputName, [Dim(_batch, "batch"), Dim(Classes, null)]));
    }

    private string Layer(string x, string p)
    {
        string pt = p.Replace('/', '.').TrimStart('.');
        string q = Linear(x, $"{p}/attention/query", $"{pt}.attention.query", DModel, DModel);
        string k = Linear(x, $"{p}/attention/key", $"{pt}.attention.key", DModel, DModel);
        string v = Linear(x, $"{p}/attention/value", $"{pt}.attention.value", DModel, DModel);

        // x.size()[:-1] + (heads, head_dim), as the exporter spells it for each view.
        string qh = Node("Transpose", $"{p}/attention/Transpose", [Node("Reshape", $"{p}/attention/Reshape", [q, HeadShape(x, $"{p}/attention")])], ("perm", new long[] { 0, 2, 1, 3 }));
        string kh = Node("Transpose", $"{p}/attention/Transpose_1", [Node("Reshape", $"{p}/attention/Reshape_1", [k, HeadShape(x, $"{p}/attention/k")])], ("perm", new long[] { 0, 2, 3, 1 }));
        string vh = Node("Transpose", $"{p}/attention/Transpose_2", [Node("Reshape", $"{p}/attention/Reshape_2", [v, HeadShape(x, $"{p}/attention/v")])], ("perm", new long[] { 0, 2, 1, 3 }));
        string scores = Node("MatMul", $"{p}/attention/MatMul", [qh, kh]);
        string scaled = Node("Div", $"{p}/attention/Div", [scores, Const(TensorValue.Scalar(DataType.Float, MathF.Sqrt(HeadDim)))]);
        string probs = Node("Softmax", $"{p}/attention/Softmax", [scaled], ("axis", -1L));
        string context = Node("MatMul", $"{p}/attention/MatMul_1", [probs, vh]);
        string merged = Node("Transpose", $"{p}/attention/Transpose_3", [context], ("perm", new long[] { 0, 2, 1, 3 }));
        string flat = Node("Reshape", $"{p}/attention/Reshape_3", [merged, ModelShape(x, $"{p}/attention/out")]);
        string attn = Linear(flat, $"{p}/attention/output/dense", $"{pt}.attention.output.dense", DModel, DModel);
        string res1 = Node("Add", $"{p}/attention/output/Add", [attn, x]);
        string h1 = LayerNorm(res1, $"{p}/attention/output/LayerNorm", $"{pt}.attention.output.LayerNorm");

        string inter = Linear(h1, $"{p}/intermediate/dense", $"{pt}.intermediate.dense", DModel, FfnDim);
        string gelu = Gelu(inter, $"{p}/intermediate/intermediate_act_fn");
        string ffn = Linear(gelu, $"{p}/output/dense", $"{pt}.output.dense", FfnDim, DModel);
        string res2 = Node("Add", $"{p}/output/Add", [ffn, h1]);
        return LayerNorm(res2, $"{p}/output/LayerNorm", $"{pt}.output.LayerNorm");
    }

    /// <summary>nn.Linear on a 3-D input: MatMul by the transposed weight (an initializer), then Add of the bias.</summary>
    private string Linear(string x, string p, string param, int inFeatures, int outFeatures)
    {
        string w = Weight($"onnx::MatMul_{param}", [inFeatures, outFeatures], inFeatures);
        string b = Weight($"{param}.bias", [outFeatures], inFeatures);
        string mm = Node("MatMul", $"{p}/MatMul", [x, w]);
        return Node("Add", $"{p}/Add", [b, mm]);
    }

    /// <summary>nn.GELU() at opset 17: Div by √2, Erf, Add 1, Mul by x, Mul by 0.5.</summary>
    private string Gelu(string x, string p)
    {
        string d = Node("Div", $"{p}/Div", [x, Const(TensorValue.Scalar(DataType.Float, 1.4142135381698608f))]);
        string e = Node("Erf", $"{p}/Erf", [d]);
        string a = Node("Add", $"{p}/Add", [e, Const(TensorValue.Scalar(DataType.Float, 1f))]);
        string m = Node("Mul", $"{p}/Mul", [x, a]);
        return Node("Mul", $"{p}/Mul_1", [m, Const(TensorValue.Scalar(DataType.Float, 0.5f))]);
    }

    private string LayerNorm(string x, string p, string param)
    {
        string gamma = Init($"{param}.weight", TensorValue.FromFloats([DModel], Uniform(DModel, 0.8, 1.2)));
        string beta = Init($"{param}.bias", TensorValue.FromFloats([DModel], Uniform(DModel, -0.1, 0.1)));
        return Node("LayerNormalization", $"{p}/LayerNormalization", [x, gamma, beta], ("axis", -1L), ("epsilon", 1e-5f));
    }

    /// <summary>Concat(Unsqueeze(Gather(Shape(x), 0)), Unsqueeze(Gather(Shape(x), 1)), [heads], [head_dim]).</summary>
    private string HeadShape(string x, string p) => Concat(x, p, Heads, HeadDim);

    /// <summary>Concat(Unsqueeze(Gather(Shape(x), 0)), Unsqueeze(Gather(Shape(x), 1)), [d_model]).</summary>
    private string ModelShape(string x, string p) => Concat(x, p, DModel);

    private string Concat(string x, string p, params long[] tail)
    {
        string shape = Node("Shape", $"{p}/Shape", [x]);
        string b = Node("Gather", $"{p}/Gather", [shape, Const(TensorValue.Scalar(DataType.Int64, 0L))], ("axis", 0L));
        string shape1 = Node("Shape", $"{p}/Shape_1", [x]);
        string s = Node("Gather", $"{p}/Gather_1", [shape1, Const(TensorValue.Scalar(DataType.Int64, 1L))], ("axis", 0L));
        var parts = new List<string>
        {
            Node("Unsqueeze", $"{p}/Unsqueeze", [b, Const(TensorValue.Create(DataType.Int64, [1], new long[] { 0 }))]),
            Node("Unsqueeze", $"{p}/Unsqueeze_1", [s, Const(TensorValue.Create(DataType.Int64, [1], new long[] { 0 }))]),
        };
        parts.AddRange(tail.Select(t => Const(TensorValue.Create(DataType.Int64, [1], new[] { t }))));
        return Node("Concat", $"{p}/Concat", [.. parts], ("axis", 0L));
    }

    private string Weight(string name, int[] shape, int fanIn)
    {
        double bound = 1.0 / Math.Sqrt(fanIn);
        return Init(name, TensorValue.FromFloats(shape, Uniform((int)ShapeMath.ElementCount(shape), -bound, bound)));
    }

    private float[] Uniform(int count, double lo, double hi)
    {
        var v = new float[count];
        for (int i = 0; i < count; i++)
        {
            v[i] = (float)(lo + ((hi - lo) * _random.NextDouble()));
        }

        return v;
    }

    private string Init(string name, TensorValue value)
    {
        _graph.Initializer.Add(SiliconSim.Graph.Onnx.TensorProtos.ToProto(name, value));
        return name;
    }

    /// <summary>A Constant node, as the exporter writes scalars and shape pieces.</summary>
    private string Const(TensorValue value)
    {
        string output = $"/Constant_{_constants}_output_0";
        var node = new NodeProto { OpType = "Constant", Name = $"/Constant_{_constants++}" };
        node.Output.Add(output);
        node.Attribute.Add(OnnxBuilder.Attribute("value", value));
        _graph.Node.Add(node);
        return output;
    }

    private string Node(string op, string name, string[] inputs, params (string Name, object Value)[] attributes) =>
        Node(op, name, inputs, [$"{name}_output_0"], attributes);

    private string Node(string op, string name, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        foreach ((string attr, object value) in attributes)
        {
            node.Attribute.Add(OnnxBuilder.Attribute(attr, value));
        }

        _graph.Node.Add(node);
        return outputs[0];
    }

    private static TensorShapeProto.Types.Dimension Dim(int? value, string? symbol) =>
        value is int v ? new TensorShapeProto.Types.Dimension { DimValue = v } : new TensorShapeProto.Types.Dimension { DimParam = symbol };

    private static ValueInfoProto ValueInfo(string name, TensorShapeProto.Types.Dimension[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(dims);
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)DataType.Float, Shape = shape } },
        };
    }
}
