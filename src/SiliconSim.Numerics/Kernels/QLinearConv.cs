using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace SiliconSim.Numerics.Kernels;

/// <summary>ONNX QLinearConv as ORT's CPU provider computes it (qlinearconv.cc + MLAS; ort-cpu-semantics.md §2).</summary>
public static class QLinearConv
{
    /// <summary>
    /// For each output: <c>acc = Σ (x − x_zp)(w − w_zp[oc])</c>, exact wrapping int32, plus <c>bias[oc]</c> (wrapping);
    /// then <c>scale[oc] = (x_scale · w_scale[oc]) / y_scale</c> in fp32 left to right, and
    /// <see cref="Requantizer.Requantize(int, float, int, int, int)"/> into <typeparamref name="TY"/>.
    /// <paramref name="wScales"/> and <paramref name="wZeroPoints"/> have 1 or M values; <paramref name="bias"/> is
    /// empty or has M values. Shapes as in <see cref="ConvInteger.Compute{TX, TW}"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute<TX, TW, TY>(
        ReadOnlySpan<TX> x,
        float xScale,
        int xZeroPoint,
        ReadOnlySpan<TW> w,
        ReadOnlySpan<float> wScales,
        ReadOnlySpan<int> wZeroPoints,
        float yScale,
        int yZeroPoint,
        ReadOnlySpan<int> bias,
        ConvGeometry geometry,
        Span<TY> y)
        where TX : unmanaged, IBinaryInteger<TX>
        where TW : unmanaged, IBinaryInteger<TW>
        where TY : unmanaged, IBinaryInteger<TY>, IMinMaxValue<TY>
    {
        var core = QuantizedConvCore.Create<TX, TW>(geometry, xZeroPoint, w, wZeroPoints);
        ConvInteger.CheckSizes(x.Length, y.Length, geometry, core);
        float[] scales = OutputScales(xScale, wScales, yScale, geometry.OutChannels);
        CheckBias(bias, geometry.OutChannels);
        int perImage = geometry.OutChannels * core.OutSize;
        int[] acc = ArrayPool<int>.Shared.Rent(Math.Max(core.ImagesPerChunk * perImage, 1));
        try
        {
            for (int n = 0; n < geometry.Batch; n += core.ImagesPerChunk)
            {
                int count = Math.Min(core.ImagesPerChunk, geometry.Batch - n);
                core.Accumulate(x, n, count, acc);
                for (int b = 0; b < count; b++)
                {
                    Requantizer.RequantizeRows(acc.AsSpan(b * perImage, perImage), core.OutSize, bias, scales, yZeroPoint, y.Slice((n + b) * perImage, perImage));
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(acc);
        }
    }

    /// <summary>
    /// The same arithmetic with weights packed beforehand (<see cref="PackedConvWeights.Pack{TX, TW}"/>, for the
    /// geometry, x zero point and weight zero points of this call) and on up to <paramref name="parallelism"/>'s
    /// threads: depthwise convs split their channels and 1x1 u8s8 convs their output pixels, each piece accumulating
    /// and requantizing its own outputs in one fork; other convs split the accumulation by output channels and the
    /// requantization by output rows. Every piece writes its own outputs with the one-thread arithmetic, so the bits do
    /// not depend on the threads.
    /// </summary>
    public static void Compute<TX, TY>(
        PackedConvWeights packed,
        ReadOnlyMemory<TX> x,
        float xScale,
        ReadOnlySpan<float> wScales,
        float yScale,
        int yZeroPoint,
        ReadOnlyMemory<int> bias,
        Memory<TY> y,
        Parallelism parallelism)
        where TX : unmanaged, IBinaryInteger<TX>
        where TY : unmanaged, IBinaryInteger<TY>, IMinMaxValue<TY>
    {
        ArgumentNullException.ThrowIfNull(packed);
        if (packed.InputType != typeof(TX))
        {
            throw new ArgumentException($"the weights were packed for {packed.InputType.Name} inputs, not {typeof(TX).Name}");
        }

        QuantizedConvCore core = packed.Core;
        ConvGeometry geometry = core.Geometry;
        ConvInteger.CheckSizes(x.Length, y.Length, geometry, core);
        float[] scales = OutputScales(xScale, wScales, yScale, geometry.OutChannels);
        CheckBias(bias.Span, geometry.OutChannels);
        int m = geometry.OutChannels, outSize = core.OutSize, perImage = m * outSize;
        if (core.RequantizesDirectly)
        {
            for (int n = 0; n < geometry.Batch; n++)
            {
                core.AccumulateRequantized(x, n, bias, scales, yZeroPoint, y.Slice(n * perImage, perImage), parallelism);
            }

            return;
        }

        int[] acc = ArrayPool<int>.Shared.Rent(Math.Max(core.ImagesPerChunk * perImage, 1));
        try
        {
            for (int n = 0; n < geometry.Batch; n += core.ImagesPerChunk)
            {
                int count = Math.Min(core.ImagesPerChunk, geometry.Batch - n);
                core.Accumulate(x, n, count, acc, parallelism);
                for (int b = 0; b < count; b++)
                {
                    int accBase = b * perImage, yBase = (n + b) * perImage;
                    parallelism.ForRanges(m, (start, end) => Requantizer.RequantizeRows(
                        acc.AsSpan(accBase + (start * outSize), (end - start) * outSize),
                        outSize,
                        bias.IsEmpty ? [] : bias.Span[start..end],
                        scales.AsSpan(start, end - start),
                        yZeroPoint,
                        y.Span.Slice(yBase + (start * outSize), (end - start) * outSize)), RequantizeMinRowsPerThread);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(acc);
        }
    }

    /// <summary>(x_scale · w_scale[oc]) / y_scale, fp32, left to right (qlinearconv.cc), expanded to M values.</summary>
    public static float[] OutputScales(float xScale, ReadOnlySpan<float> wScales, float yScale, int m)
    {
        if (wScales.Length != 1 && wScales.Length != m)
        {
            throw new ArgumentException($"weight scale must have 1 or {m} values, got {wScales.Length}");
        }

        var scales = new float[m];
        for (int oc = 0; oc < m; oc++)
        {
            float s = xScale * wScales[wScales.Length == 1 ? 0 : oc];
            scales[oc] = s / yScale;
        }

        return scales;
    }

    // Below this many output channels per thread, requantizing on one thread is cheaper than dispatching.
    private const int RequantizeMinRowsPerThread = 16;

    private static void CheckBias(ReadOnlySpan<int> bias, int m)
    {
        if (!bias.IsEmpty && bias.Length != m)
        {
            throw new ArgumentException($"bias has {bias.Length} values, expected {m}");
        }
    }
}
