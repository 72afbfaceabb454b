using System.Numerics;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Numerics.Reference;

/// <summary>Scalar QLinearConv: <see cref="ConvIntegerReference"/>, + bias, then per-channel fp32 requantization.</summary>
public static class QLinearConvReference
{
    /// <summary>y = requantize(acc + bias[oc], (x_scale · w_scale[oc]) / y_scale, y_zp), every step spelled out.</summary>
    public static TY[] Compute<TX, TW, TY>(
        ReadOnlySpan<TX> x,
        float xScale,
        int xZeroPoint,
        ReadOnlySpan<TW> w,
        ReadOnlySpan<float> wScales,
        ReadOnlySpan<int> wZeroPoints,
        float yScale,
        int yZeroPoint,
        ReadOnlySpan<int> bias,
        ConvGeometry g)
        where TX : unmanaged, IBinaryInteger<TX>
        where TW : unmanaged, IBinaryInteger<TW>
        where TY : unmanaged, IBinaryInteger<TY>, IMinMaxValue<TY>
    {
        int[] acc = ConvIntegerReference.Compute(x, xZeroPoint, w, wZeroPoints, g);
        int outSize = g.OutSize;
        var y = new TY[acc.Length];
        for (int i = 0; i < acc.Length; i++)
        {
            int oc = i / outSize % g.OutChannels;
            float scale = xScale * wScales[wScales.Length == 1 ? 0 : oc];
            scale /= yScale;
            int a = unchecked(acc[i] + (bias.IsEmpty ? 0 : bias[oc]));
            y[i] = RequantizeReference.Requantize<TY>(a, scale, yZeroPoint);
        }

        return y;
    }
}
