using System.Collections.Immutable;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Simulation.Vectors;

/// <summary>
/// The whole-layer test vectors of one node from its input and output values. A quantized matrix layer
/// (<see cref="MatrixOperandsReader"/>) gets its input as stored, the im2col operand, the weights as [group, k, n],
/// the bias, the requantization parameters (and M0 and shift under the fixed-point requantizer), the int32
/// accumulators in the output's layout and the outputs; any other node gets its inputs and outputs as stored.
/// </summary>
public static class LayerVectorBuilder
{
    /// <summary>The vectors of <paramref name="node"/>.</summary>
    public static LayerVectors Build(Node node, IReadOnlyList<TensorValue?> inputs, IReadOnlyList<TensorValue> outputs, MatrixNumerics numerics)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        MatrixOperands? matrix = MatrixOperandsReader.Read(node, inputs, numerics);
        if (matrix is null)
        {
            var plain = ImmutableArray.CreateBuilder<VectorTensor>();
            for (int k = 0; k < inputs.Count; k++)
            {
                if (inputs[k] is { } v)
                {
                    plain.Add(Whole($"input{k}", VectorRole.Input, v));
                }
            }

            for (int k = 0; k < outputs.Count; k++)
            {
                plain.Add(Whole($"output{k}", VectorRole.Output, outputs[k]));
            }

            return new LayerVectors(node.Name, node.OpType, plain.ToImmutable());
        }

        var t = ImmutableArray.CreateBuilder<VectorTensor>();
        t.Add(Whole("input", VectorRole.Input, inputs[0]!));
        t.Add(new VectorTensor("operand", VectorRole.Operand, Codes(matrix.AType, [matrix.Groups, matrix.M, matrix.K], matrix.A), ["g", "row", "k"], "im2col [group, row = (image, output pixel), k = (input channel of the group, kernel tap)]; padding taps hold the input zero point"));
        t.Add(new VectorTensor("weights", VectorRole.Weight, Codes(matrix.WType, [matrix.Groups, matrix.K, matrix.N], matrix.W), ["g", "k", "col"], "[group, k, n]: k runs over the array's rows, n (output channel of the group) over its columns"));
        int channels = matrix.Groups * matrix.N;
        t.Add(new VectorTensor("bias", VectorRole.Bias, TensorValue.Create(DataType.Int32, [channels], matrix.Bias.ToArray()), ["c"], "per output channel; seeds the accumulators"));
        t.Add(Param("a_zero_point", [matrix.AZeroPoint], "c"));
        t.Add(Param("w_zero_point", matrix.WZeroPoints, "c"));
        t.Add(Param("y_zero_point", [matrix.OutputZeroPoint], "c"));
        t.Add(new VectorTensor("scale", VectorRole.Requantization, TensorValue.Create(DataType.Float, [channels], matrix.Scales.ToArray()), ["c"], "fp32 requantization scale per output channel: (s_x · s_w[c]) / s_y as ONNX Runtime computes it"));
        if (numerics.Requantizer == RequantizerArithmetic.FixedPoint)
        {
            FixedPointMultiplier[] fixedPoint = matrix.FixedPointMultipliers();
            t.Add(Param("m0", [.. fixedPoint.Select(f => f.Multiplier)], "c", "Q0.31 significand M0 per output channel: multiplier ≈ M0 · 2^(shift − 31)"));
            t.Add(Param("shift", [.. fixedPoint.Select(f => f.Shift)], "c", "power of two per output channel (positive: left before the high multiply)"));
        }

        int[] acc = matrix.ToOutputLayout(matrix.GemmAccumulators());
        t.Add(new VectorTensor("accumulators", VectorRole.Accumulator, TensorValue.Create(DataType.Int32, matrix.OutputShape, acc), AxesFor(matrix.OutputShape.Length), $"the output's layout; int32 before requantization ({numerics})"));
        t.Add(Whole("output", VectorRole.Output, outputs[0]));
        return new LayerVectors(node.Name, node.OpType, t.ToImmutable()) { Matrix = matrix };
    }

    /// <summary>Dimension names: n, c, h, w for 4-D; row, col for 2-D; d0, d1… otherwise.</summary>
    public static ImmutableArray<string> AxesFor(int rank) => rank switch
    {
        1 => ["c"],
        2 => ["row", "col"],
        3 => ["n", "c", "w"],
        4 => ["n", "c", "h", "w"],
        5 => ["n", "c", "d", "h", "w"],
        _ => [.. Enumerable.Range(0, rank).Select(i => $"d{i}")],
    };

    /// <summary>A tensor of <paramref name="type"/> holding int codes (one per element, sub-byte types unpacked).</summary>
    public static TensorValue Codes(DataType type, int[] shape, int[] codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        Array data = DataTypeInfo.StorageType(type) switch
        {
            Type s when s == typeof(sbyte) => codes.Select(v => (sbyte)v).ToArray(),
            Type s when s == typeof(byte) => codes.Select(v => (byte)v).ToArray(),
            Type s when s == typeof(int) => codes.ToArray(),
            _ => throw new NotSupportedException($"{DataTypeInfo.Name(type)} codes are not integer"),
        };
        return TensorValue.Create(type, shape, data);
    }

    private static VectorTensor Whole(string name, VectorRole role, TensorValue value) =>
        new(name, role, value, AxesFor(value.Rank), value.Rank == 4 ? "nchw, as stored" : "row-major, as stored");

    private static VectorTensor Param(string name, int[] values, string axis, string? layout = null) =>
        new(name, VectorRole.Requantization, TensorValue.Create(DataType.Int32, [values.Length], values.ToArray()), [axis], layout ?? (values.Length == 1 ? "one value for the layer" : "per output channel"));
}
