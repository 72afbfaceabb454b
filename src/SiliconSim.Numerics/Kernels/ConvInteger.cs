using System.Numerics;

namespace SiliconSim.Numerics.Kernels;

/// <summary>ONNX ConvInteger: an N-d (1..3 spatial dims) grouped convolution of integer codes with int32 output.</summary>
public static class ConvInteger
{
    /// <summary>
    /// <c>y[n, oc, p] = Σ_{c, k} (x − x_zp)(w[oc] − w_zp[oc])</c> over the window of <paramref name="geometry"/>, with
    /// padded positions contributing 0. Integer accumulation is exact wrapping int32 (no saturation, as ORT's VNNI
    /// u8s8 path). <paramref name="w"/> is [M, C/group, k...]; <paramref name="wZeroPoints"/> has 1 or M values;
    /// <paramref name="y"/> is [N, M, out...] (<see cref="ConvGeometry.OutputShape"/>).
    /// </summary>
    public static void Compute<TX, TW>(ReadOnlySpan<TX> x, int xZeroPoint, ReadOnlySpan<TW> w, ReadOnlySpan<int> wZeroPoints, ConvGeometry geometry, Span<int> y)
        where TX : unmanaged, IBinaryInteger<TX>
        where TW : unmanaged, IBinaryInteger<TW>
    {
        var core = QuantizedConvCore.Create<TX, TW>(geometry, xZeroPoint, w, wZeroPoints);
        CheckSizes(x.Length, y.Length, geometry, core);
        int perImage = geometry.OutChannels * core.OutSize;
        for (int n = 0; n < geometry.Batch; n += core.ImagesPerChunk)
        {
            int count = Math.Min(core.ImagesPerChunk, geometry.Batch - n);
            core.Accumulate(x, n, count, y.Slice(n * perImage, count * perImage));
        }
    }

    internal static void CheckSizes(int xLength, int yLength, ConvGeometry g, QuantizedConvCore core)
    {
        if (xLength != g.Batch * g.InChannels * core.InSize)
        {
            throw new ArgumentException($"input holds {xLength} values, expected {g.Batch * g.InChannels * core.InSize}");
        }

        if (yLength != g.Batch * g.OutChannels * core.OutSize)
        {
            throw new ArgumentException($"output holds {yLength} values, expected {g.Batch * g.OutChannels * core.OutSize}");
        }
    }
}
