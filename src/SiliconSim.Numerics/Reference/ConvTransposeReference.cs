using SiliconSim.Numerics.Kernels.ConvTranspose;

namespace SiliconSim.Numerics.Reference;

/// <summary>
/// ConvTranspose stated as a gather: each output position o sums, over input channels of its group and kernel taps k,
/// x[i]·w[k] for the input positions i with i·stride − pad + k·dilation = o (the ONNX definition read backwards),
/// accumulated in double and rounded once, plus the bias.
/// </summary>
public static class ConvTransposeReference
{
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
        int[] inStrides = ShapeMath.Strides(g.InSpatial);
        var y = new float[g.Batch * g.OutChannels * outSize];
        var o = new int[rank];
        var k = new int[rank];
        for (int n = 0; n < g.Batch; n++)
        {
            for (int m = 0; m < g.OutChannels; m++)
            {
                int grp = m / mg;
                for (int op = 0; op < outSize; op++)
                {
                    Unflatten(op, g.OutSpatial, o);
                    double acc = bias.Length == 0 ? 0 : bias[m];
                    for (int c = grp * cg; c < (grp + 1) * cg; c++)
                    {
                        for (int kp = 0; kp < kSize; kp++)
                        {
                            Unflatten(kp, g.KernelSpatial, k);
                            int flat = 0;
                            bool hit = true;
                            for (int d = 0; d < rank && hit; d++)
                            {
                                int num = o[d] + g.PadsBegin[d] - (k[d] * g.Dilations[d]);
                                hit = num >= 0 && num % g.Strides[d] == 0 && num / g.Strides[d] < g.InSpatial[d];
                                flat += hit ? num / g.Strides[d] * inStrides[d] : 0;
                            }

                            if (hit)
                            {
                                acc += (double)x[(((n * g.InChannels) + c) * inSize) + flat] * w[(((c * mg) + (m - (grp * mg))) * kSize) + kp];
                            }
                        }
                    }

                    y[(((n * g.OutChannels) + m) * outSize) + op] = (float)acc;
                }
            }
        }

        return y;
    }

    private static void Unflatten(int flat, int[] shape, int[] pos)
    {
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            pos[d] = flat % shape[d];
            flat /= shape[d];
        }
    }
}
