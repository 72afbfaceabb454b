using System.Collections.Immutable;
using System.Globalization;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Simulation.Layers;

namespace SiliconSim.Simulation.Tests.Plan;

/// <summary>What one step of a generated network adds (the builder turns a step into one or two layers).</summary>
public enum StepKind
{
    /// <summary>A conv (QLinearConv): plain or depthwise, kernel 1..3, stride 1..2, pad 0..1, optional bias.</summary>
    Conv,

    /// <summary>A gemm against constant weights over the tensor's last axis (QGemm / MatMulInteger), optional bias.</summary>
    Linear,

    /// <summary>A matmul of two activations (the K x N operand computed at run time, as attention's Q x K^T).</summary>
    MatMul,

    /// <summary>An element-wise op of one input (Relu, or Clip with two constant bounds).</summary>
    Unary,

    /// <summary>A residual add of two activations of one shape (QLinearAdd with shared scale constants).</summary>
    Add,

    /// <summary>QuantizeLinear of a float or int32 tensor, DequantizeLinear of an 8-bit one.</summary>
    Requantize,

    /// <summary>MaxPool 2x2 stride 2.</summary>
    Pool,

    /// <summary>GlobalAveragePool (a reduction).</summary>
    GlobalPool,

    /// <summary>A view: Flatten, or Reshape with a constant shape; it writes nothing and aliases its input.</summary>
    View,

    /// <summary>Split along channels into two outputs (data movement).</summary>
    Split,
}

/// <summary>
/// One step of a generated network. <see cref="A"/> and <see cref="B"/> pick operands counting back from the newest
/// tensor (0: the last one written, so small values make chains and larger ones skip connections); <see cref="C"/> and
/// <see cref="D"/> are the step's shape and flag codes (see <see cref="NetworkBuilder"/>). Every value is valid for any
/// network, so removing a step or lowering a value (shrinking) leaves a buildable recipe.
/// </summary>
public readonly record struct Step(StepKind Kind, int A, int B, int C, int D)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Kind}({A},{B},{C},{D})");
}

/// <summary>
/// A generated network as a recipe: graph input shape [Batch, Channels, Height, Width] (float or uint8; optionally a
/// second uint8 input of the same shape), the steps, and <see cref="ExtraOutput"/> (when positive, one more tensor that
/// later layers read is also a graph output).
/// </summary>
public sealed record NetworkRecipe(int Batch, int Channels, int Height, int Width, bool FloatInput, bool SecondInput, int ExtraOutput, ImmutableArray<Step> Steps)
{
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"input [{Batch},{Channels},{Height},{Width}] {(FloatInput ? "float" : "uint8")}{(SecondInput ? " + second uint8 input" : string.Empty)}, extra output {ExtraOutput}, steps [{string.Join(", ", Steps)}]");
}

/// <summary>
/// Builds the layers of a <see cref="NetworkRecipe"/> the way <c>LayerExtractor</c> describes a lowered graph: each layer
/// with the tensors it reads (activations, graph inputs, constants; views read their input's root) and writes, bytes as
/// stored (sub-byte types packed, rounded up to whole bytes), and every tensor that no layer reads a graph output.
/// </summary>
public static class NetworkBuilder
{
    public static ImmutableArray<LayerWork> Build(NetworkRecipe recipe)
    {
        var b = new State(recipe);
        for (int i = 0; i < recipe.Steps.Length; i++)
        {
            b.Add(recipe.Steps[i]);
        }

        return b.Finish(recipe.ExtraOutput);
    }

    /// <summary>Stored bytes of <paramref name="elements"/> elements of <paramref name="type"/>, packed.</summary>
    public static long Bytes(long elements, DataType type) => ((elements * DataTypeInfo.BitWidth(type)) + 7) / 8;

    private sealed record Tensor(string Name, int N, int C, int H, int W, DataType Type, TensorOrigin Origin)
    {
        public long Elements => (long)N * C * H * W;

        public long Bytes => NetworkBuilder.Bytes(Elements, Type);

        public bool MatrixOperand => Type is DataType.UInt8 or DataType.Int8 or DataType.Int4;

        public bool SameShape(Tensor o) => (N, C, H, W) == (o.N, o.C, o.H, o.W);
    }

    private sealed class State
    {
        // Tensors in the order written (views add an entry under their input's name with the new shape).
        private readonly List<Tensor> _tensors = [];
        private readonly List<LayerWork> _layers = [];
        private int _next;

        public State(NetworkRecipe r)
        {
            _tensors.Add(new Tensor("x0", r.Batch, r.Channels, r.Height, r.Width, r.FloatInput ? DataType.Float : DataType.UInt8, TensorOrigin.GraphInput));
            if (r.SecondInput)
            {
                _tensors.Add(new Tensor("x1", r.Batch, r.Channels, r.Height, r.Width, DataType.UInt8, TensorOrigin.GraphInput));
            }
        }

        private Tensor Pick(int back) => _tensors[_tensors.Count - 1 - (back % _tensors.Count)];

        private string NewName() => string.Create(CultureInfo.InvariantCulture, $"t{_next++}");

        private static TensorUse Read(Tensor t) => new(t.Name, t.Bytes, t.Origin);

        private static TensorUse Constant(string name, long bytes) => new(name, bytes, TensorOrigin.Constant);

        private Tensor Write(int n, int c, int h, int w, DataType type) => new(NewName(), n, c, h, w, type, TensorOrigin.Activation);

        private string LayerName(string op) => string.Create(CultureInfo.InvariantCulture, $"L{_layers.Count}_{op}");

        public void Add(Step s)
        {
            switch (s.Kind)
            {
                case StepKind.Conv: Conv(s); break;
                case StepKind.Linear: Linear(s, Pick(s.A)); break;
                case StepKind.MatMul: MatMul(s); break;
                case StepKind.Unary: Unary(s, Pick(s.A)); break;
                case StepKind.Add: Add2(s); break;
                case StepKind.Requantize: Requantize(Pick(s.A), s.D); break;
                case StepKind.Pool: Pool(Pick(s.A)); break;
                case StepKind.GlobalPool: GlobalPool(Pick(s.A)); break;
                case StepKind.View: View(s, Pick(s.A)); break;
                case StepKind.Split: Split(s, Pick(s.A)); break;
                default: throw new ArgumentOutOfRangeException(nameof(s), s.Kind, null);
            }
        }

        /// <summary>D bit 16: MXFP4 weights (E2M1 codes, an E8M0 scale per 32 along the reduction, streamed with the
        /// tiles, as an array op's are); else bit 2: int4; else int8.</summary>
        private static (DataType Type, BlockScales? Scales) WeightKind(int d) =>
            (d & 16) != 0 ? (DataType.Float4E2M1, BlockScales.Mx)
            : ((d & 2) != 0 ? DataType.Int4 : DataType.Int8, (BlockScales?)null);

        /// <summary>Stored bytes of <paramref name="lines"/> weight lines of <paramref name="reduction"/> elements: packed
        /// codes, and with block scales one scale per block of each line (a partial last block has its own).</summary>
        private static long WeightBytes(long lines, long reduction, DataType type, BlockScales? scales) =>
            Bytes(lines * reduction, type) + (scales is null ? 0 : ((lines * ((reduction + scales.BlockSize - 1) / scales.BlockSize) * scales.ScaleBits) + 7) / 8);

        /// <summary>The tensor itself when the array can take it, else a QuantizeLinear of it (added here).</summary>
        private Tensor Quantized(Tensor t) => t.MatrixOperand ? t : Requantize(t, 0);

        /// <summary>C: kernel 1 + C % 3, stride 1 + C / 3 % 2, pad C / 6 % 2. D bits: 1 depthwise, 2 int4 weights, 4 int32 output, 8 bias, 16 MXFP4 weights.</summary>
        private void Conv(Step s)
        {
            Tensor x = Quantized(Pick(s.A));
            bool depthwise = (s.D & 1) != 0 && x.C > 1;
            int group = depthwise ? x.C : 1;
            int outC = depthwise ? x.C * (1 + (s.B % 2)) : 1 + (s.B % 6);
            int pad = s.C / 6 % 2, stride = 1 + (s.C / 3 % 2);
            int kh = Math.Min(1 + (s.C % 3), x.H + (2 * pad)), kw = Math.Min(1 + (s.C % 3), x.W + (2 * pad));
            var conv = ConvGeometry.Resolve([x.N, x.C, x.H, x.W], outC, [kh, kw], [stride, stride], [1, 1], [pad, pad, pad, pad], "NOTSET", group);
            (DataType weightType, BlockScales? weightScales) = WeightKind(s.D);
            DataType outType = (s.D & 4) != 0 ? DataType.Int32 : DataType.UInt8;
            long cg = x.C / group, mg = outC / group;
            string w = $"w{_layers.Count}";
            long weightBytes = WeightBytes(outC * conv.KernelSize, cg, weightType, weightScales);
            Tensor y = Write(conv.Batch, outC, conv.OutSpatial[0], conv.OutSpatial[1], outType);
            var reads = ImmutableArray.Create(Read(x), Constant(w, weightBytes));
            if ((s.D & 8) != 0)
            {
                reads = reads.Add(Constant($"bias{_layers.Count}", outC * 4L));
            }

            _layers.Add(new MatrixLayer
            {
                Name = LayerName(depthwise ? "DepthwiseConv" : "Conv"),
                OpType = "QLinearConv",
                Gemm = new GemmShape((long)conv.Batch * conv.OutSize, mg, cg * conv.KernelSize),
                Groups = group,
                InputType = x.Type,
                WeightType = weightType,
                WeightScales = weightScales,
                OutputType = outType,
                InputBytes = x.Bytes,
                WeightBytes = weightBytes,
                OutputBytes = y.Bytes,
                Conv = conv,
                Reads = reads,
                Writes = [new TensorUse(y.Name, y.Bytes, TensorOrigin.Activation)],
                InputTensor = x.Name,
                WeightTensor = w,
            });
            _tensors.Add(y);
        }

        /// <summary>[N*C*H, W] x [W, 1 + B % 8]. D bits: 2 int4 weights, 4 int32 output, 8 bias, 16 MXFP4 weights.</summary>
        private void Linear(Step s, Tensor picked)
        {
            Tensor x = Quantized(picked);
            int outF = 1 + (s.B % 8);
            (DataType weightType, BlockScales? weightScales) = WeightKind(s.D);
            DataType outType = (s.D & 4) != 0 ? DataType.Int32 : DataType.UInt8;
            string w = $"w{_layers.Count}";
            long weightBytes = WeightBytes(outF, x.W, weightType, weightScales);
            Tensor y = Write(x.N, x.C, x.H, outF, outType);
            var reads = ImmutableArray.Create(Read(x), Constant(w, weightBytes));
            if ((s.D & 8) != 0)
            {
                reads = reads.Add(Constant($"bias{_layers.Count}", outF * 4L));
            }

            _layers.Add(new MatrixLayer
            {
                Name = LayerName("Gemm"),
                OpType = "QGemm",
                Gemm = new GemmShape((long)x.N * x.C * x.H, outF, x.W),
                InputType = x.Type,
                WeightType = weightType,
                WeightScales = weightScales,
                OutputType = outType,
                InputBytes = x.Bytes,
                WeightBytes = weightBytes,
                OutputBytes = y.Bytes,
                Reads = reads,
                Writes = [new TensorUse(y.Name, y.Bytes, TensorOrigin.Activation)],
                InputTensor = x.Name,
                WeightTensor = w,
            });
            _tensors.Add(y);
        }

        /// <summary>
        /// A = [N*C*H, W] times B = another 8-bit activation read as [W, elements / W] (at most 16 columns); without such a
        /// B, a <see cref="Linear"/> step instead. D bit 4: int32 output.
        /// </summary>
        private void MatMul(Step s)
        {
            Tensor a = Pick(s.A);
            Tensor? b = null;
            for (int k = 0; k < _tensors.Count && b is null; k++)
            {
                Tensor t = Pick(s.B + k);
                if (t.Name != a.Name && t.MatrixOperand && t.Elements % a.W == 0 && t.Elements / a.W <= 16)
                {
                    b = t;
                }
            }

            if (b is null || !a.MatrixOperand)
            {
                Linear(s, a);
                return;
            }

            int n = (int)(b.Elements / a.W);
            DataType outType = (s.D & 4) != 0 ? DataType.Int32 : DataType.UInt8;
            Tensor y = Write(a.N, a.C, a.H, n, outType);
            _layers.Add(new MatrixLayer
            {
                Name = LayerName("MatMul"),
                OpType = "QLinearMatMul",
                Gemm = new GemmShape((long)a.N * a.C * a.H, n, a.W),
                InputType = a.Type,
                WeightType = b.Type,
                OutputType = outType,
                InputBytes = a.Bytes,
                WeightBytes = b.Bytes,
                OutputBytes = y.Bytes,
                WeightIsConstant = false,
                Reads = [Read(a), Read(b)],
                Writes = [new TensorUse(y.Name, y.Bytes, TensorOrigin.Activation)],
                InputTensor = a.Name,
                WeightTensor = b.Name,
            });
            _tensors.Add(y);
        }

        /// <summary>Relu; D bit 1: Clip with two one-byte constant bounds.</summary>
        private void Unary(Step s, Tensor x)
        {
            bool clip = (s.D & 1) != 0;
            Tensor y = Write(x.N, x.C, x.H, x.W, x.Type);
            var reads = clip ? ImmutableArray.Create(Read(x), Constant($"lo{_layers.Count}", 1), Constant($"hi{_layers.Count}", 1)) : [Read(x)];
            AddVector(clip ? "Clip" : "Relu", VectorOpClass.Elementwise, y.Elements, reads, [y]);
        }

        /// <summary>x + another tensor of x's shape (searched from B back); a <see cref="Unary"/> step without one. The
        /// scale constants come from a pool of three shared by every Add (D % 3), as a quantizer shares them.</summary>
        private void Add2(Step s)
        {
            Tensor x = Pick(s.A);
            Tensor? other = null;
            for (int k = 0; k < _tensors.Count && other is null; k++)
            {
                Tensor t = Pick(s.B + k);
                if (t.Name != x.Name && t.SameShape(x))
                {
                    other = t;
                }
            }

            if (other is null)
            {
                Unary(s, x);
                return;
            }

            Tensor y = Write(x.N, x.C, x.H, x.W, x.Type);
            string scale = string.Create(CultureInfo.InvariantCulture, $"scale{s.D % 3}");
            AddVector("QLinearAdd", VectorOpClass.Elementwise, y.Elements, [Read(x), Read(other), Constant(scale, 4)], [y]);
        }

        /// <summary>Float or int32 -> QuantizeLinear to uint8 (D % 3 == 1: int8, 2: int4); 8/4-bit -> DequantizeLinear to float.</summary>
        private Tensor Requantize(Tensor x, int d)
        {
            bool quantize = !x.MatrixOperand;
            DataType type = quantize ? (d % 3) switch { 1 => DataType.Int8, 2 => DataType.Int4, _ => DataType.UInt8 } : DataType.Float;
            Tensor y = Write(x.N, x.C, x.H, x.W, type);
            AddVector(quantize ? "QuantizeLinear" : "DequantizeLinear", VectorOpClass.Quantize, y.Elements, [Read(x), Constant("qscale", 4), Constant("qzero", 1)], [y]);
            return y;
        }

        private void Pool(Tensor x)
        {
            int k = x.H >= 2 && x.W >= 2 ? 2 : 1;
            Tensor y = Write(x.N, x.C, x.H / k, x.W / k, x.Type);
            AddVector("MaxPool", VectorOpClass.Pooling, y.Elements * k * k, [Read(x)], [y]);
        }

        private void GlobalPool(Tensor x)
        {
            Tensor y = Write(x.N, x.C, 1, 1, x.Type);
            AddVector("GlobalAveragePool", VectorOpClass.Reduction, x.Elements, [Read(x)], [y]);
        }

        /// <summary>Flatten to [N, 1, 1, C*H*W]; D bit 1: Reshape, which reads a 16-byte constant shape.</summary>
        private void View(Step s, Tensor x)
        {
            bool reshape = (s.D & 1) != 0;
            var reads = reshape ? ImmutableArray.Create(Read(x), Constant($"shape{_layers.Count}", 16)) : [Read(x)];
            _layers.Add(new VectorLayer
            {
                Name = LayerName(reshape ? "Reshape" : "Flatten"),
                OpType = reshape ? "Reshape" : "Flatten",
                OpClass = VectorOpClass.DataMovement,
                Elements = 0,
                MovesData = false,
                InputBytes = reads.Sum(r => r.Bytes),
                OutputBytes = x.Bytes,
                Reads = reads,
                Writes = [],
            });
            _tensors.Add(x with { C = 1, H = 1, W = x.C * x.H * x.W });
        }

        /// <summary>Channels in two halves (a <see cref="Unary"/> step when there is one channel).</summary>
        private void Split(Step s, Tensor x)
        {
            if (x.C < 2)
            {
                Unary(s, x);
                return;
            }

            Tensor y0 = Write(x.N, x.C / 2, x.H, x.W, x.Type), y1 = Write(x.N, x.C - (x.C / 2), x.H, x.W, x.Type);
            AddVector("Split", VectorOpClass.DataMovement, x.Elements, [Read(x)], [y0, y1]);
        }

        private void AddVector(string op, VectorOpClass opClass, long elements, ImmutableArray<TensorUse> reads, Tensor[] writes)
        {
            _layers.Add(new VectorLayer
            {
                Name = LayerName(op),
                OpType = op,
                OpClass = opClass,
                Elements = elements,
                InputBytes = reads.Sum(r => r.Bytes),
                OutputBytes = writes.Sum(w => w.Bytes),
                Reads = reads,
                Writes = [.. writes.Select(w => new TensorUse(w.Name, w.Bytes, TensorOrigin.Activation))],
            });
            _tensors.AddRange(writes);
        }

        /// <summary>Marks the graph outputs: every written tensor no layer reads, and with <paramref name="extra"/> &gt; 0
        /// one more that is read (the extra-th written tensor, cyclically).</summary>
        public ImmutableArray<LayerWork> Finish(int extra)
        {
            var read = _layers.SelectMany(l => l.Reads).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
            var written = _layers.SelectMany(l => l.Writes).Select(w => w.Name).ToList();
            var outputs = written.Where(w => !read.Contains(w)).ToHashSet(StringComparer.Ordinal);
            if (extra > 0 && written.Count > 0)
            {
                outputs.Add(written[extra % written.Count]);
            }

            TensorUse Mark(TensorUse u) => u with { IsGraphOutput = outputs.Contains(u.Name) };
            return [.. _layers.Select(l => l with { Reads = [.. l.Reads.Select(Mark)], Writes = [.. l.Writes.Select(Mark)] })];
        }
    }
}
