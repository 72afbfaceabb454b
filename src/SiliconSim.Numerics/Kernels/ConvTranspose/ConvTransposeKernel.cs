namespace SiliconSim.Numerics.Kernels.ConvTranspose;

/// <summary>
/// fp32 ConvTranspose: every output element is bias + Σ x·w over the (input position, tap) pairs that land on it,
/// accumulated in double and rounded once. Not ORT's bits (ORT runs an SGEMM then col2im); within the ONNX backend
/// tolerance. The reference (<c>ConvTransposeReference</c>) states the same sum as a gather over output positions.
/// </summary>
public static class ConvTransposeKernel
{
    /// <summary>Y [N, M, out...] from X [N, C, in...], W [C, M/group, k...] and an optional bias [M] (empty = none).</summary>
    public static float[] Compute(float[] x, float[] w, float[] bias, ConvTransposeGeometry g)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(bias);
        ArgumentNullException.ThrowIfNull(g);
        int rank = g.InSpatial.Length;
        int inSize = g.InSpatial.Aggregate(1, (a, b) => a * b);
        int outSize = g.OutSpatial.Aggregate(1, (a, b) => a * b);
        int kSize = g.KernelSpatial.Aggregate(1, (a, b) => a * b);
        int cg = g.InChannels / g.Group;
        int mg = g.OutChannels / g.Group;
        int[] outStrides = ShapeMath.Strides(g.OutSpatial);
        var acc = new double[g.Batch * g.OutChannels * outSize];
        var inPos = new int[rank];
        var kPos = new int[rank];
        for (int n = 0; n < g.Batch; n++)
        {
            for (int c = 0; c < g.InChannels; c++)
            {
                int grp = c / cg;
                for (int i = 0; i < inSize; i++)
                {
                    Unflatten(i, g.InSpatial, inPos);
                    double xv = x[(((n * g.InChannels) + c) * inSize) + i];
                    for (int k = 0; k < kSize; k++)
                    {
                        Unflatten(k, g.KernelSpatial, kPos);
                        int o = 0;
                        bool inside = true;
                        for (int dd = 0; dd < rank; dd++)
                        {
                            int p = (inPos[dd] * g.Strides[dd]) - g.PadsBegin[dd] + (kPos[dd] * g.Dilations[dd]);
                            if (p < 0 || p >= g.OutSpatial[dd])
                            {
                                inside = false;
                                break;
                            }

                            o += p * outStrides[dd];
                        }

                        if (!inside)
                        {
                            continue;
                        }

                        for (int m = 0; m < mg; m++)
                        {
                            double wv = w[(((c * mg) + m) * kSize) + k];
                            acc[(((n * g.OutChannels) + (grp * mg) + m) * outSize) + o] += xv * wv;
                        }
                    }
                }
            }
        }

        var y = new float[acc.Length];
        for (int n = 0; n < g.Batch; n++)
        {
            for (int m = 0; m < g.OutChannels; m++)
            {
                double b = bias.Length == 0 ? 0 : bias[m];
                int off = ((n * g.OutChannels) + m) * outSize;
                for (int o = 0; o < outSize; o++)
                {
                    y[off + o] = (float)(acc[off + o] + b);
                }
            }
        }

        return y;
    }

    internal static void Unflatten(int flat, int[] shape, int[] pos)
    {
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            pos[d] = flat % shape[d];
            flat /= shape[d];
        }
    }
}
