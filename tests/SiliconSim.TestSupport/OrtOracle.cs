using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Formats;

namespace SiliconSim.TestSupport;

/// <summary>
/// Runs a model through ONNX Runtime's CPU provider (all graph optimisations on, one intra-op thread) and returns its
/// outputs as <see cref="TensorValue"/>s: the oracle for differential tests. Test-only.
/// </summary>
public static class OrtOracle
{
    /// <summary>Runs <paramref name="model"/> on named inputs and returns every graph output in order.</summary>
    public static IReadOnlyList<(string Name, TensorValue Value)> Run(byte[] model, IReadOnlyList<(string Name, TensorValue Value)> inputs, GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_ALL)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = level, IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        var ortInputs = new List<NamedOnnxValue>();
        foreach ((string name, TensorValue value) in inputs)
        {
            ortInputs.Add(ToOrt(name, value));
        }

        using var results = session.Run(ortInputs);
        var outputs = new List<(string, TensorValue)>();
        foreach (var r in results)
        {
            outputs.Add((r.Name, FromOrt(r)));
        }

        return outputs;
    }

    /// <summary>Runs and returns the single (first) output.</summary>
    public static TensorValue RunSingle(byte[] model, params (string Name, TensorValue Value)[] inputs) => Run(model, inputs)[0].Value;

    private static NamedOnnxValue ToOrt(string name, TensorValue v)
    {
        int[] dims = [.. v.Shape];
        // Dispatch on the element type: the CLR lets ushort[] match a short[] pattern (and byte[] an sbyte[] one).
        return v.Type switch
        {
            DataType.Float => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(v.Items<float>(), dims)),
            DataType.Double => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<double>(v.Items<double>(), dims)),
            DataType.UInt8 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<byte>(v.Items<byte>(), dims)),
            DataType.Int8 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<sbyte>(v.Items<sbyte>(), dims)),
            DataType.Int16 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<short>(v.Items<short>(), dims)),
            DataType.UInt16 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<ushort>(v.Items<ushort>(), dims)),
            DataType.Int32 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<int>(v.Items<int>(), dims)),
            DataType.UInt32 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<uint>(v.Items<uint>(), dims)),
            DataType.Int64 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<long>(v.Items<long>(), dims)),
            DataType.UInt64 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<ulong>(v.Items<ulong>(), dims)),
            DataType.Bool => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<bool>(v.Items<bool>(), dims)),
            DataType.Float16 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<Float16>(v.Items<Half>().Select(h => new Float16(BitConverter.HalfToUInt16Bits(h))).ToArray(), dims)),
            _ => throw new NotSupportedException($"the oracle cannot feed {v.Type} inputs"),
        };
    }

    private static TensorValue FromOrt(DisposableNamedOnnxValue r)
    {
        switch (r.ElementType)
        {
            case TensorElementType.Float: return Wrap(DataType.Float, r.AsTensor<float>());
            case TensorElementType.Double: return Wrap(DataType.Double, r.AsTensor<double>());
            case TensorElementType.UInt8: return Wrap(DataType.UInt8, r.AsTensor<byte>());
            case TensorElementType.Int8: return Wrap(DataType.Int8, r.AsTensor<sbyte>());
            case TensorElementType.Int16: return Wrap(DataType.Int16, r.AsTensor<short>());
            case TensorElementType.UInt16: return Wrap(DataType.UInt16, r.AsTensor<ushort>());
            case TensorElementType.Int32: return Wrap(DataType.Int32, r.AsTensor<int>());
            case TensorElementType.UInt32: return Wrap(DataType.UInt32, r.AsTensor<uint>());
            case TensorElementType.Int64: return Wrap(DataType.Int64, r.AsTensor<long>());
            case TensorElementType.UInt64: return Wrap(DataType.UInt64, r.AsTensor<ulong>());
            case TensorElementType.Bool: return Wrap(DataType.Bool, r.AsTensor<bool>());
            case TensorElementType.Float16:
                {
                    var t = r.AsTensor<Float16>();
                    return TensorValue.Create(DataType.Float16, t.Dimensions.ToArray(), t.ToArray().Select(f => BitConverter.UInt16BitsToHalf(f.value)).ToArray());
                }

            case TensorElementType.BFloat16:
                {
                    var t = r.AsTensor<Microsoft.ML.OnnxRuntime.BFloat16>();
                    return TensorValue.Create(DataType.BFloat16, t.Dimensions.ToArray(), t.ToArray().Select(f => new Numerics.Formats.BFloat16(f.value)).ToArray());
                }

            default:
                throw new NotSupportedException($"the oracle cannot read {r.ElementType} outputs");
        }
    }

    private static TensorValue Wrap<T>(DataType type, Tensor<T> t) => TensorValue.Create(type, t.Dimensions.ToArray(), t.ToArray());
}
