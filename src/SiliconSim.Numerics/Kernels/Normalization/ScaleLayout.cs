using SiliconSim.Numerics.Kernels.Activation;

namespace SiliconSim.Numerics.Kernels.Normalization;

/// <summary>
/// Where LayerNormalization reads scale and bias, following ONNX Runtime 1.31's split (found against ORT 1.31; its
/// layer_norm_helper.h): both must NumPy-broadcast to X. When both are shaped X.shape[axis:] (leading 1s allowed),
/// every row reads them flat on the fast path; any other broadcast (a scalar, a lower-rank suffix, 1s, or a leading
/// dimension that varies per row) runs ORT's generic path, with an index per X element. Unlike older ORT, a scale
/// with norm_size elements but another shape is refused, and axis-2 (B,S,…), (B,1,…), (1,S,…) scales, once a per-row
/// offset on the fast path, take the generic path.
/// </summary>
/// <param name="Generic">Whether rows run on the generic (double) path with <see cref="ScaleIndex"/>/<see cref="BiasIndex"/>.</param>
/// <param name="ScaleIndex">On the generic path, for every X element the flat index into scale.</param>
/// <param name="BiasIndex">On the generic path with a bias, for every X element the flat index into bias.</param>
internal sealed record ScaleLayout(bool Generic, int[] ScaleIndex, int[]? BiasIndex)
{
    /// <exception cref="ArgumentException">scale or bias does not broadcast to X.</exception>
    public static ScaleLayout Resolve(TensorValue x, TensorValue scale, TensorValue? bias, int axis)
    {
        int[] xShape = [.. x.Shape];
        if (!Broadcasts(scale, xShape) || (bias is not null && !Broadcasts(bias, xShape)))
        {
            string biasText = bias is null ? string.Empty : $" and bias {bias.ShapeText}";
            throw new ArgumentException($"LayerNormalization scale {scale.ShapeText}{biasText} must match X.shape[axis:] or broadcast to X {x.ShapeText}");
        }

        if (IsNormShaped(scale, xShape, axis) && (bias is null || IsNormShaped(bias, xShape, axis)))
        {
            int n = checked((int)ShapeMath.ElementCount(xShape.AsSpan(axis)));
            return new ScaleLayout(false, [.. Enumerable.Range(0, n)], bias is null ? null : [.. Enumerable.Range(0, n)]);
        }

        return new ScaleLayout(
            true,
            ActivationKernels.BroadcastIndex(scale.Shape.AsSpan(), xShape),
            bias is null ? null : ActivationKernels.BroadcastIndex(bias.Shape.AsSpan(), xShape));
    }

    /// <summary>Whether <paramref name="t"/>, aligned on the right, is X.shape[axis:] with only 1s before it.</summary>
    private static bool IsNormShaped(TensorValue t, int[] xShape, int axis)
    {
        for (int d = 0; d < xShape.Length; d++)
        {
            int k = d - (xShape.Length - t.Rank);
            int dim = k >= 0 ? t.Shape[k] : 1;
            if (dim != (d < axis ? 1 : xShape[d]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Broadcasts(TensorValue t, int[] shape)
    {
        if (t.Rank > shape.Length)
        {
            return false;
        }

        for (int i = 1; i <= t.Rank; i++)
        {
            int d = t.Shape[t.Rank - i];
            if (d != 1 && d != shape[^i])
            {
                return false;
            }
        }

        return true;
    }
}
