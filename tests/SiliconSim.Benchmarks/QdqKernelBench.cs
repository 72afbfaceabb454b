using System.Diagnostics;
using System.Globalization;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;
using SiliconSim.TestSupport.Models;

namespace SiliconSim.Benchmarks;

/// <summary>
/// `--qdq-kernels`: the vectorised QuantizeLinear/DequantizeLinear against their scalar references on ResNet-18's
/// shapes (a 512x512x3x3 int8 weight per channel, a 64x112x112 activation per tensor), median of 7 after a warm-up,
/// one thread, with the ratio measured in the same run.
/// </summary>
internal static class QdqKernelBench
{
    public static void Run(TextWriter output)
    {
        var rand = new SeededTensors(5);
        TensorValue activation = rand.Normal(1f, 1, 64, 112, 112);
        TensorValue scalarScale = TensorValue.Scalar(DataType.Float, 0.02f);
        TensorValue scalarZero = TensorValue.Scalar(DataType.Int8, (sbyte)3);
        TensorValue codes = QuantizeLinear.Run(activation, scalarScale, scalarZero, DataType.Int8);
        var weightCodes = new sbyte[512 * 512 * 9];
        var r = new Random(6);
        for (int i = 0; i < weightCodes.Length; i++)
        {
            weightCodes[i] = (sbyte)r.Next(-127, 128);
        }

        TensorValue weight = TensorValue.Create(DataType.Int8, [512, 512, 3, 3], weightCodes);
        TensorValue channelScales = rand.Uniform(0.001f, 0.01f, 512);
        TensorValue channelZeros = TensorValue.Zeros(DataType.Int8, [512]);
        output.WriteLine("| kernel | elements | scalar ms | vectorised ms | speed-up |");
        output.WriteLine("|---|---|---|---|---|");
        Row(output, "QuantizeLinear fp32 -> int8 per tensor", activation.Length,
            () => QuantizeLinear.RunScalar(activation, scalarScale, scalarZero, DataType.Int8),
            () => QuantizeLinear.Run(activation, scalarScale, scalarZero, DataType.Int8));
        Row(output, "DequantizeLinear int8 -> fp32 per tensor", codes.Length,
            () => DequantizeLinear.RunScalar(codes, scalarScale, scalarZero, DataType.Float),
            () => DequantizeLinear.Run(codes, scalarScale, scalarZero, DataType.Float));
        Row(output, "DequantizeLinear int8 -> fp32 per channel (weight)", weight.Length,
            () => DequantizeLinear.RunScalar(weight, channelScales, channelZeros, DataType.Float, axis: 0),
            () => DequantizeLinear.Run(weight, channelScales, channelZeros, DataType.Float, axis: 0));
    }

    private static void Row(TextWriter output, string name, int elements, Func<TensorValue> scalar, Func<TensorValue> vectorised)
    {
        double s = MedianMs(scalar);
        double v = MedianMs(vectorised);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {elements} | {s:F2} | {v:F2} | {s / v:F1} |"));
    }

    private static double MedianMs(Func<TensorValue> work)
    {
        work();
        var times = new double[7];
        for (int i = 0; i < times.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            work();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        return times[times.Length / 2];
    }
}
