using System.Collections.Immutable;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Formats.Blocks;
using SiliconSim.Numerics.Kernels.LowPrecision;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// Maps low-precision weight-only QDQ matrix ops onto a low-precision MAC array: a float Conv, Gemm or MatMul whose
/// weight is a DequantizeLinear of a constant FLOAT4E2M1 / FLOAT8E4M3FN / FLOAT8E5M2 initializer becomes
/// <c>siliconsim.ArrayConv</c> / <c>siliconsim.ArrayGemm</c> with inputs (X, codes, scale[, bias]). The array multiplies
/// element codes, so it quantizes the activations to the weight's element type itself ("the MAC type follows the
/// format"), with the scaling the weight's layout names:
/// <list type="bullet">
/// <item>blocks of 32 along the reduction axis with power-of-two scales: OCP MX (MXFP4 / MXFP8) activations;</item>
/// <item>fp4 blocks of 16: NVFP4 activations (16-element blocks, E4M3 scales, an fp32 scale per row); or, when the
/// activation already passes NVIDIA Model Optimizer's NVFP4 quantizer (<c>trt::TRT_FP4DynamicQuantize</c> with a
/// calibrated static tensor scale, then two DequantizeLinears), X and that scale (input 4): the array takes the codes
/// and block scales of X's NVFP4 form, 16 channels of a pixel or 16 elements of a row per block, which is how the value
/// is stored between layers (<see cref="StoredFormats"/>);</item>
/// <item>fp8 per output channel or per tensor: fp8 activations with one fp32 scale per row (per pixel or token); or, when
/// the activation already passes a per-tensor fp8 QuantizeLinear → DequantizeLinear (the quantizer's calibrated
/// activations), those codes and that scale as they are (the op reads the codes, the scale is input 4).</item>
/// </list>
/// Then an array op's single-use Relu, and after it a single-use per-tensor QuantizeLinear, move into its epilogue.
/// Anything else (another block size, a zero point, a shared DequantizeLinear, Gemm with transA or alpha/beta ≠ 1)
/// stays as DequantizeLinear + float op: values then follow ONNX's float semantics. This is not an ORT rewrite: it runs
/// only when the accelerator's array lists the weight's type (<see cref="Apply"/>'s caller decides).
/// </summary>
public static class LowPrecisionArrayMapping
{
    /// <summary>The mapping's name in traces and verifier messages; its steps append theirs.</summary>
    public const string PassName = "low-precision-array-mapping";

    /// <summary>The element types the array can take from a DequantizeLinear.</summary>
    public static bool IsLowPrecision(DataType type) => type is DataType.Float4E2M1 or DataType.Float8E4M3FN or DataType.Float8E5M2;

    /// <summary>Rewrites every mappable op whose weight type <paramref name="supports"/> accepts.</summary>
    /// <param name="observer">Told after each of the mapping's steps ("low-precision-array-mapping", then its
    /// "-fuse-relu", "-quantize-before-maxpool" and "-fuse-quantize" steps and "to-graph"); null for none. Whatever it
    /// is, <see cref="GraphVerifier"/> runs after each step and one that breaks the graph throws
    /// <see cref="PassVerificationException"/>.</param>
    public static ModelGraph Apply(ModelGraph graph, Func<DataType, bool> supports, ILoweringObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(supports);
        var editor = new GraphEditor(graph);
        var verifier = new PassVerifier(editor, observer);
        foreach (Node node in editor.Nodes.ToList())
        {
            if (node.NormalizedDomain.Length != 0 || node.OpType is not ("Conv" or "Gemm" or "MatMul") || node.Inputs.Length < 2
                || editor.Producer(node.Inputs[1]) is not { OpType: "DequantizeLinear" } dq || dq.NormalizedDomain.Length != 0
                || editor.Constant(dq.Inputs[0]) is not { } codes || !IsLowPrecision(codes.Type) || !supports(codes.Type)
                || (dq.Inputs.Length > 2 && dq.Inputs[2].Length > 0)
                || editor.Constant(dq.Inputs[1]) is not { Type: DataType.Float } scale
                || editor.Consumers(dq.Outputs[0]).Count != 1 || editor.IsGraphOutput(dq.Outputs[0]))
            {
                continue;
            }

            if (Map(node, dq, codes, scale) is { } mapped)
            {
                Node? activation = StaticActivation(editor, mapped, codes.Type);
                NvFp4Chain? nvfp4 = activation is null ? StaticNvFp4Activation(editor, mapped, codes) : null;
                string bias = mapped.Inputs.Length > 3 ? mapped.Inputs[3] : string.Empty;
                if (activation is not null)
                {
                    // The array reads the quantized activation and its scale (input 4) instead of the dequantized copy.
                    mapped = mapped with { Inputs = [activation.Inputs[0], mapped.Inputs[1], mapped.Inputs[2], bias, activation.Inputs[1]] };
                }
                else if (nvfp4 is not null)
                {
                    // The array reads the float activation and its static tensor scale (input 4), and takes the codes and
                    // block scales of its NVFP4 form: the conversion the chain of the model performs.
                    mapped = mapped with { Inputs = [nvfp4.Quantize.Inputs[0], mapped.Inputs[1], mapped.Inputs[2], bias, nvfp4.Quantize.Inputs[1]] };
                }

                editor.Replace(node, mapped);
                editor.Remove(dq);
                if (activation is not null && editor.Consumers(activation.Outputs[0]).Count == 0 && !editor.IsGraphOutput(activation.Outputs[0]))
                {
                    editor.Remove(activation);
                }

                if (nvfp4 is not null)
                {
                    RemoveIfUnread(editor, nvfp4.Codes);
                    RemoveIfUnread(editor, nvfp4.BlockScales);
                    RemoveIfUnread(editor, nvfp4.Quantize);
                }
            }
        }

        verifier.After(PassName, editor);
        FuseRelu(editor);
        verifier.After(PassName + "-fuse-relu", editor);
        QuantizeBeforeMaxPool(editor, supports);
        verifier.After(PassName + "-quantize-before-maxpool", editor);
        FuseQuantize(editor);
        verifier.After(PassName + "-fuse-quantize", editor);
        ModelGraph onArray = verifier.Finish(editor);
        IReadOnlyDictionary<string, StoredFormat> stored = StoredFormats(onArray);
        return onArray with
        {
            Nodes = [.. onArray.Nodes.Select(n => IsArrayOp(n) && stored.TryGetValue(n.Outputs[0], out StoredFormat? f) && f.BlockScaleType == DataType.Float8E8M0
                ? n with { Attributes = n.Attributes.SetItem("store_mx", new AttributeValue(AttributeKind.Int) { Int = 1 }) }
                : n)],
        };
    }

    /// <summary>
    /// The values the accelerator keeps in a low-precision block format between layers (value name → format), so that
    /// what is counted is what the array reads:
    /// <list type="bullet">
    /// <item>OCP MX: the output of an MX array op, and of a vector op that only reads such values, whenever every reader
    /// of the value is an MX array op of that element type (as its activation) or such a vector op, and the value is
    /// not a graph output. The array's epilogue (or the vector unit) writes the value in MX, 32 channels of one pixel per
    /// block (the last axis of a GEMM's rows): exactly the blocks the next array op forms, so that op's own conversion
    /// changes nothing (converting an MX block again is the identity). The array ops writing such values carry
    /// <c>store_mx</c> and convert their output (<c>LowPrecisionArrayOps</c>).</item>
    /// <item>NVFP4: a value every reader of which is an NVFP4 array op reading it as its activation with the same
    /// static tensor scale (input 4, from the model's calibrated NVFP4 activation quantizer) and the same blocking (16
    /// channels of one pixel for convs, 16 elements of a row for GEMMs), and that a node writes (not a graph input, an
    /// initializer or a view such as Flatten, whose data its input's writer stored). The conversion depends only on the
    /// value and the static scale, so the writer's epilogue (or output stage) produces exactly the codes and block
    /// scales every reader takes (<c>NvFp4AxisQuantizer</c>).</item>
    /// </list>
    /// Everything else keeps its graph type: fp8 codes written by a fused QuantizeLinear are already FLOAT8; a value
    /// read in fp32 by anything (a pooling op the graph runs in fp32, a per-row conversion) stays fp32. NVFP4 without a
    /// static tensor scale and per-row fp8 are converted per array row (a conv's receptive field), which no stored
    /// layout carries, so their activations stay fp32.
    /// </summary>
    public static IReadOnlyDictionary<string, StoredFormat> StoredFormats(ModelGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var consumers = new Dictionary<string, List<(Node Node, int Slot)>>(StringComparer.Ordinal);
        var producers = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (Node node in graph.Nodes)
        {
            for (int i = 0; i < node.Inputs.Length; i++)
            {
                if (!consumers.TryGetValue(node.Inputs[i], out var list))
                {
                    consumers[node.Inputs[i]] = list = [];
                }

                list.Add((node, i));
            }

            foreach (string output in node.Outputs.Where(o => o.Length > 0))
            {
                producers.TryAdd(output, node);
            }
        }

        var outputs = graph.Outputs.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var wanted = new Dictionary<(string, DataType), bool>();
        bool Wants(string value, DataType type)
        {
            if (wanted.TryGetValue((value, type), out bool known))
            {
                return known;
            }

            wanted[(value, type)] = false; // a cycle cannot occur in a valid graph; this only guards the recursion
            bool result = !outputs.Contains(value) && consumers.TryGetValue(value, out var readers) && readers.Count > 0
                && readers.All(r => (IsMxArrayOp(graph, r.Node, out DataType t) && t == type && r.Slot == 0)
                    || (IsStorageFriendly(r.Node) && r.Slot == 0 && Wants(r.Node.Outputs[0], type)));
            wanted[(value, type)] = result;
            return result;
        }

        var stored = new Dictionary<string, StoredFormat>(StringComparer.Ordinal);
        foreach (Node node in graph.Nodes)
        {
            if (IsMxArrayOp(graph, node, out DataType type) && Wants(node.Outputs[0], type))
            {
                stored[node.Outputs[0]] = StoredFormat.Mx(type, node.OpType == "ArrayConv" ? 1 : -1);
            }
            else if (IsStorageFriendly(node) && node.Inputs.Length > 0 && stored.TryGetValue(node.Inputs[0], out StoredFormat? f)
                && f.BlockScaleType == DataType.Float8E8M0 && Wants(node.Outputs[0], f.ElementType))
            {
                stored[node.Outputs[0]] = f;
            }
        }

        foreach (var (value, readers) in consumers)
        {
            if (value.Length == 0 || outputs.Contains(value) || graph.Initializers.ContainsKey(value) || stored.ContainsKey(value)
                || !producers.TryGetValue(value, out Node? writer) || IsView(writer) || readers.Count == 0)
            {
                continue;
            }

            (int Axis, int Bits)? common = null;
            foreach ((Node reader, int slot) in readers)
            {
                if (slot != 0 || !IsArrayOp(reader) || reader.Attributes["scaling"].String != nameof(BlockScaling.NvFp4) || reader.Inputs.Length < 5
                    || !graph.Initializers.TryGetValue(reader.Inputs[4], out TensorValue? scale) || scale is not { Type: DataType.Float, Length: 1 })
                {
                    common = null;
                    break;
                }

                (int Axis, int Bits) mine = (reader.OpType == "ArrayConv" ? 1 : -1, BitConverter.SingleToInt32Bits(scale.Items<float>()[0]));
                if (common is { } c && c != mine)
                {
                    common = null;
                    break;
                }

                common = mine;
            }

            if (common is { } format)
            {
                stored[value] = StoredFormat.NvFp4(format.Axis);
            }
        }

        return stored;
    }

    /// <summary>
    /// The bytes each array op's weight-scale constant (its input 2) takes as the array stores it, by initializer name.
    /// The graph holds one fp32 per block because DequantizeLinear reads fp32, but the formats define narrower scales:
    /// an E8M0 byte per MX block (OCP MX v1.0 §5.2; the mapping takes a 32-block scale as MX only when every value is a
    /// power of two), an E4M3 byte per NVFP4 block (NVIDIA's two-level NVFP4, whose one fp32 tensor scale is a constant
    /// of the op like the activations' static scale, see <see cref="StoredFormat"/>). Per-row fp8 scales are fp32 in the
    /// format too, so they are not listed; nor is a scale that anything other than an array op's input 2 reads, which
    /// keeps its graph type.
    /// </summary>
    public static IReadOnlyDictionary<string, long> WeightScaleBytes(ModelGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var bytes = new Dictionary<string, long>(StringComparer.Ordinal);
        var elsewhere = new HashSet<string>(StringComparer.Ordinal);
        foreach (Node node in graph.Nodes)
        {
            for (int i = 0; i < node.Inputs.Length; i++)
            {
                string input = node.Inputs[i];
                bool isWeightScale = i == 2 && IsArrayOp(node) && graph.Initializers.ContainsKey(input);
                string? scaling = isWeightScale && node.Attributes.TryGetValue("scaling", out AttributeValue? s) ? s.String : null;
                // One byte a block in both formats (E8M0, E4M3).
                long? stored = scaling is nameof(BlockScaling.Mx) or nameof(BlockScaling.NvFp4) ? graph.Initializers[input].Length : null;
                if (stored is { } b && !elsewhere.Contains(input))
                {
                    bytes[input] = b;
                }
                else if (input.Length > 0)
                {
                    elsewhere.Add(input);
                    bytes.Remove(input);
                }
            }
        }

        foreach (string output in graph.Outputs.Select(o => o.Name))
        {
            bytes.Remove(output);
        }

        return bytes;
    }

    /// <summary>An array op made by this pass.</summary>
    public static bool IsArrayOp(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.NormalizedDomain == NchwcSelection.Domain && node.OpType is "ArrayConv" or "ArrayGemm";
    }

    private static bool IsMxArrayOp(ModelGraph graph, Node node, out DataType type)
    {
        type = DataType.Undefined;
        if (!IsArrayOp(node) || !node.Attributes.TryGetValue("scaling", out AttributeValue? s) || s.String != nameof(BlockScaling.Mx))
        {
            return false;
        }

        type = graph.Initializers.TryGetValue(node.Inputs[1], out TensorValue? codes) ? codes.Type : DataType.Undefined;
        return type != DataType.Undefined;
    }

    /// <summary>
    /// Vector ops that read one activation per pixel's channel block and write one: their output, converted to MX, has
    /// the same blocks as their input. Reshapes are not among them (they can move elements between blocks).
    /// </summary>
    private static bool IsView(Node node) => node.OpType is "Reshape" or "Flatten" or "Squeeze" or "Unsqueeze" or "Identity";

    private static bool IsStorageFriendly(Node node) =>
        node.OpType is "Relu" or "MaxPool" or "AveragePool" or "GlobalAveragePool" or "GlobalMaxPool" or "NchwcAveragePool" or "NchwcGlobalAveragePool"
        && node.Outputs.Length == 1;

    /// <summary>
    /// An array op's single-use Relu runs in its epilogue (ORT fuses Conv + Relu at level 2 the same way): max(y, 0) in
    /// fp32 after the bias, the same bits as the separate op.
    /// </summary>
    private static void FuseRelu(GraphEditor editor)
    {
        foreach (Node node in editor.Nodes.Where(IsArrayOp).ToList())
        {
            if (editor.IsGraphOutput(node.Outputs[0]) || editor.Consumers(node.Outputs[0]) is not [(var relu, 0)]
                || relu.OpType != "Relu" || relu.NormalizedDomain.Length != 0)
            {
                continue;
            }

            editor.Replace(node, node with
            {
                Outputs = [relu.Outputs[0]],
                Attributes = node.Attributes.SetItem("activation", new AttributeValue(AttributeKind.String) { String = "Relu" }),
            });
            editor.Remove(relu);
        }
    }

    /// <summary>
    /// A per-tensor fp8 activation (the quantizer's calibrated QuantizeLinear → DequantizeLinear) feeding a per-row fp8
    /// array op: the DequantizeLinear whose codes and scale the array takes directly, or null.
    /// </summary>
    private static Node? StaticActivation(GraphEditor editor, Node mapped, DataType weightType)
    {
        if (mapped.Attributes["scaling"].String != nameof(BlockScaling.PerRow)
            || editor.Producer(mapped.Inputs[0]) is not { OpType: "DequantizeLinear" } adq || adq.NormalizedDomain.Length != 0
            || editor.TypeOf(adq.Inputs[0]) != weightType
            || editor.Constant(adq.Inputs[1]) is not { Type: DataType.Float, Length: 1 })
        {
            return null;
        }

        bool zeroPointIsZero = adq.Inputs.Length < 3 || adq.Inputs[2].Length == 0
            || (editor.Constant(adq.Inputs[2]) is { } zp && zp.Items<byte>().All(b => b == 0));
        return zeroPointIsZero ? adq : null;
    }

    /// <summary>
    /// An NVFP4 activation quantized as NVIDIA's Model Optimizer exports it, feeding an NVFP4 array op: X →
    /// <c>trt::TRT_FP4DynamicQuantize(X, S)</c> → (codes, E4M3 block scales), <c>DequantizeLinear(block scales, S)</c>,
    /// <c>DequantizeLinear(codes, those, axis, block_size 16)</c>, with S a constant scalar (the static tensor scale) and
    /// the blocks along the axis the array blocks (a conv's channels, axis 1; a GEMM row's last axis, -1); or null. For a
    /// grouped conv, each group's channels must lie in whole 16-channel blocks or within one (groups of 1, 2, 4, 8 or a
    /// multiple of 16 channels), so every block the array forms is part of one stored block.
    /// </summary>
    private static NvFp4Chain? StaticNvFp4Activation(GraphEditor editor, Node mapped, TensorValue weightCodes)
    {
        if (mapped.Attributes["scaling"].String != nameof(BlockScaling.NvFp4)
            || editor.Producer(mapped.Inputs[0]) is not { OpType: "DequantizeLinear" } codesDq || codesDq.NormalizedDomain.Length != 0
            || (codesDq.Inputs.Length > 2 && codesDq.Inputs[2].Length > 0) || Int(codesDq, "block_size", 0) != NvFp4Codec.BlockSize
            || editor.Producer(codesDq.Inputs[1]) is not { OpType: "DequantizeLinear" } scalesDq || scalesDq.NormalizedDomain.Length != 0
            || (scalesDq.Inputs.Length > 2 && scalesDq.Inputs[2].Length > 0)
            || editor.Constant(scalesDq.Inputs[1]) is not { Type: DataType.Float, Length: 1 } tensorScale
            || editor.Producer(codesDq.Inputs[0]) is not { OpType: "TRT_FP4DynamicQuantize" } quantize || quantize.NormalizedDomain != Quantization.LowPrecisionQuantizer.TensorRtDomain
            || quantize.Outputs.Length < 2 || quantize.Outputs[0] != codesDq.Inputs[0] || quantize.Outputs[1] != scalesDq.Inputs[0]
            || editor.Constant(quantize.Inputs[1]) is not { Type: DataType.Float, Length: 1 } quantizeScale
            || BitConverter.SingleToInt32Bits(quantizeScale.Items<float>()[0]) != BitConverter.SingleToInt32Bits(tensorScale.Items<float>()[0])
            || Int(quantize, "block_size", NvFp4Codec.BlockSize) != NvFp4Codec.BlockSize || Int(quantize, "scale_type", (long)DataType.Float8E4M3FN) != (long)DataType.Float8E4M3FN
            || editor.TypeOf(quantize.Inputs[0]) != DataType.Float)
        {
            return null;
        }

        long axis = Int(codesDq, "axis", 1);
        bool conv = mapped.OpType == "ArrayConv";
        if (Int(quantize, "axis", -1) != axis || axis != (conv ? 1 : -1))
        {
            return null;
        }

        long group = Int(mapped, "group", 1);
        int channels = weightCodes.Rank > 1 ? weightCodes.Shape[1] : 0;
        if (conv && group > 1 && channels % NvFp4Codec.BlockSize != 0 && NvFp4Codec.BlockSize % Math.Max(channels, 1) != 0)
        {
            return null;
        }

        return new NvFp4Chain(quantize, scalesDq, codesDq);
    }

    private static void RemoveIfUnread(GraphEditor editor, Node node)
    {
        if (node.Outputs.All(o => o.Length == 0 || (editor.Consumers(o).Count == 0 && !editor.IsGraphOutput(o))))
        {
            editor.Remove(node);
        }
    }

    /// <summary>The nodes of a Model Optimizer NVFP4 activation: the quantizer and the two DequantizeLinears.</summary>
    private sealed record NvFp4Chain(Node Quantize, Node BlockScales, Node Codes);

    /// <summary>
    /// MaxPool → per-tensor fp8 QuantizeLinear becomes QuantizeLinear → <c>siliconsim.MaxPool</c> on the codes: Q is
    /// monotone, so Q(max x) = max Q(x) bit for bit (ORT's QDQ propagation moves int8 Q/DQ across MaxPool for the same
    /// reason). The pooling then reads and writes 8 bits, and the QuantizeLinear can join the array op before it.
    /// </summary>
    private static void QuantizeBeforeMaxPool(GraphEditor editor, Func<DataType, bool> supports)
    {
        foreach (Node pool in editor.Nodes.Where(n => n.OpType == "MaxPool" && n.NormalizedDomain.Length == 0).ToList())
        {
            if ((pool.Outputs.Length > 1 && pool.Outputs[1].Length > 0) || editor.IsGraphOutput(pool.Outputs[0])
                || editor.Consumers(pool.Outputs[0]) is not [(var q, 0)] || q.OpType != "QuantizeLinear" || q.NormalizedDomain.Length != 0
                || q.Inputs.Length < 3 || editor.Constant(q.Inputs[1]) is not { Type: DataType.Float, Length: 1 }
                || editor.Constant(q.Inputs[2]) is not { Length: 1 } zp || zp.Type is not (DataType.Float8E4M3FN or DataType.Float8E5M2) || !supports(zp.Type))
            {
                continue;
            }

            string codes = editor.FreshName(pool.Inputs[0] + "_quantized");
            editor.Replace(pool, q with { Inputs = q.Inputs.SetItem(0, pool.Inputs[0]), Outputs = [codes] });
            editor.Replace(q, pool with { Domain = NchwcSelection.Domain, Inputs = [codes], Outputs = [q.Outputs[0]] });

            // The codes are a new value: record their type, as every pass does for the values it makes.
            editor.Types[codes] = zp.Type;
        }
    }

    /// <summary>
    /// An array op's single-use per-tensor QuantizeLinear (scalar scale and zero point) runs in its epilogue, as an
    /// integer array's requantizer does: the op writes the quantized output (inputs 5 and 6 are the scale and zero
    /// point), with the same QuantizeLinear arithmetic, so the same bits.
    /// </summary>
    private static void FuseQuantize(GraphEditor editor)
    {
        foreach (Node node in editor.Nodes.Where(IsArrayOp).ToList())
        {
            if (editor.IsGraphOutput(node.Outputs[0]) || editor.Consumers(node.Outputs[0]) is not [(var q, 0)]
                || q.OpType != "QuantizeLinear" || q.NormalizedDomain.Length != 0 || q.Inputs.Length < 3
                || editor.Constant(q.Inputs[1]) is not { Type: DataType.Float, Length: 1 } || editor.Constant(q.Inputs[2]) is not { Length: 1 })
            {
                continue;
            }

            string[] inputs = [.. node.Inputs, .. Enumerable.Repeat(string.Empty, Math.Max(0, 5 - node.Inputs.Length)), q.Inputs[1], q.Inputs[2]];
            var attributes = q.Attributes.TryGetValue("saturate", out AttributeValue? saturate) ? node.Attributes.SetItem("saturate", saturate) : node.Attributes;
            editor.Replace(node, node with { Inputs = [.. inputs], Outputs = [q.Outputs[0]], Attributes = attributes });
            editor.Remove(q);
        }
    }

    private static Node? Map(Node node, Node dq, TensorValue codes, TensorValue scale)
    {
        bool isGemm = node.OpType == "Gemm";
        if (isGemm && (Int(node, "transA", 0) != 0 || Float(node, "alpha", 1f) != 1f || Float(node, "beta", 1f) != 1f))
        {
            return null;
        }

        if (node.OpType != "Conv" && codes.Rank != 2)
        {
            return null;
        }

        bool transB = isGemm && Int(node, "transB", 0) != 0;
        (int reduction, int channel) = node.OpType == "Conv" ? (1, 0) : transB ? (1, 0) : (0, 1);
        long blockSize = Int(dq, "block_size", 0);
        int axis = (int)Int(dq, "axis", 1);
        axis = axis < 0 ? axis + codes.Rank : axis;
        BlockScaling? scaling = blockSize switch
        {
            > 0 when axis != reduction => null,
            32 when scale.Items<float>().All(s => s == 0 || float.IsPow2(s)) => BlockScaling.Mx,
            16 when codes.Type == DataType.Float4E2M1 => BlockScaling.NvFp4,
            0 when codes.Type != DataType.Float4E2M1 && (scale.Rank == 0 || scale.Length == 1 || (scale.Rank == 1 && axis == channel)) => BlockScaling.PerRow,
            _ => null,
        };
        if (scaling is null)
        {
            return null;
        }

        var attributes = node.Attributes
            .SetItem("scaling", new AttributeValue(AttributeKind.String) { String = scaling.Value.ToString() })

            .SetItem("block_size", new AttributeValue(AttributeKind.Int) { Int = blockSize })
            .SetItem("transB", new AttributeValue(AttributeKind.Int) { Int = transB ? 1 : 0 });
        if (node.OpType == "Conv")
        {
            attributes = attributes.Remove("transB");
        }

        ImmutableArray<string> inputs = [node.Inputs[0], dq.Inputs[0], dq.Inputs[1], .. node.Inputs.Skip(2)];
        return node with { OpType = node.OpType == "Conv" ? "ArrayConv" : "ArrayGemm", Domain = NchwcSelection.Domain, Inputs = inputs, Attributes = attributes };
    }

    private static long Int(Node n, string name, long fallback) => n.Attributes.TryGetValue(name, out AttributeValue? v) && v.Kind == AttributeKind.Int ? v.Int : fallback;

    private static float Float(Node n, string name, float fallback) => n.Attributes.TryGetValue(name, out AttributeValue? v) && v.Kind == AttributeKind.Float ? v.Float : fallback;
}
