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
        if (!bias.IsEmpty && bias.Length != geometry.OutChannels)
        {
            throw new ArgumentException($"bias has {bias.Length} values, expected {geometry.OutChannels}");
        }

        int m = geometry.OutChannels;
        int outSize = core.OutSize;
        int perImage = m * outSize;
        int chunk = core.ImagesPerChunk;
        var acc = new int[chunk * perImage];
        for (int n = 0; n < geometry.Batch; n += chunk)
        {
            int count = Math.Min(chunk, geometry.Batch - n);
            core.Accumulate(x, n, count, acc);
            for (int b = 0; b < count; b++)
            {
                Requantizer.RequantizeRows(acc.AsSpan(b * perImage, perImage), outSize, bias, scales, yZeroPoint, y.Slice((n + b) * perImage, perImage));
            }
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
}
