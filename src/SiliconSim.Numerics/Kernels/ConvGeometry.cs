namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// The resolved geometry of an N-d convolution or pooling window over an NC[D]HW tensor: explicit pads (auto_pad
/// resolved), strides, dilations and output extents. Shared by every conv and pool kernel so they agree on shapes.
/// </summary>
public sealed record ConvGeometry(
    int Batch,
    int InChannels,
    int OutChannels,
    int Group,
    int[] InSpatial,
    int[] KernelSpatial,
    int[] OutSpatial,
    int[] Strides,
    int[] Dilations,
    int[] PadsBegin,
    int[] PadsEnd)
{
    /// <summary>Number of spatial dimensions.</summary>
    public int SpatialRank => InSpatial.Length;

    /// <summary>Product of the input spatial extents.</summary>
    public int InSize => Product(InSpatial);

    /// <summary>Product of the output spatial extents.</summary>
    public int OutSize => Product(OutSpatial);

    /// <summary>Product of the kernel extents.</summary>
    public int KernelSize => Product(KernelSpatial);

    /// <summary>The output tensor shape [N, OutChannels, out...].</summary>
    public int[] OutputShape => [Batch, OutChannels, .. OutSpatial];

    /// <summary>
    /// Resolves ONNX conv/pool attributes against an input shape. <paramref name="pads"/> is ONNX's
    /// [b1..bn, e1..en]; <paramref name="autoPad"/> is NOTSET, VALID, SAME_UPPER or SAME_LOWER.
    /// With <paramref name="ceilMode"/> (pooling), output extents round up, but a window that would start entirely in
    /// the end padding is dropped (ONNX opset 19+ and ORT's pool attributes).
    /// </summary>
    /// <exception cref="ArgumentException">the attributes are inconsistent with the input.</exception>
    public static ConvGeometry Resolve(
        ReadOnlySpan<int> inputShape,
        int outChannels,
        ReadOnlySpan<int> kernel,
        long[]? strides,
        long[]? dilations,
        long[]? pads,
        string autoPad,
        int group,
        bool ceilMode = false)
    {
        int rank = inputShape.Length - 2;
        if (rank < 1)
        {
            throw new ArgumentException($"input must be N x C x spatial..., got rank {inputShape.Length}");
        }

        if (kernel.Length != rank)
        {
            throw new ArgumentException($"kernel has {kernel.Length} dims but the input has {rank} spatial dims");
        }

        int[] s = Expand(strides, rank, 1, "strides");
        int[] d = Expand(dilations, rank, 1, "dilations");
        var inSpatial = inputShape[2..].ToArray();
        var padB = new int[rank];
        var padE = new int[rank];
        var outSpatial = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            if (s[i] <= 0 || d[i] <= 0 || kernel[i] <= 0)
            {
                throw new ArgumentException("strides, dilations and kernel extents must be positive");
            }

            int effective = ((kernel[i] - 1) * d[i]) + 1;
            switch (autoPad)
            {
                case "" or "NOTSET":
                    if (pads is not null)
                    {
                        if (pads.Length != 2 * rank)
                        {
                            throw new ArgumentException($"pads has {pads.Length} values, expected {2 * rank}");
                        }

                        padB[i] = checked((int)pads[i]);
                        padE[i] = checked((int)pads[i + rank]);
                        if (padB[i] < 0 || padE[i] < 0)
                        {
                            throw new ArgumentException("pads must be non-negative");
                        }
                    }

                    outSpatial[i] = OutExtent(inSpatial[i] + padB[i] + padE[i], effective, s[i], ceilMode, inSpatial[i] + padB[i]);
                    break;
                case "VALID":
                    outSpatial[i] = OutExtent(inSpatial[i], effective, s[i], ceilMode, inSpatial[i]);
                    break;
                case "SAME_UPPER" or "SAME_LOWER":
                    {
                        int o = (inSpatial[i] + s[i] - 1) / s[i];
                        int total = Math.Max(0, ((o - 1) * s[i]) + effective - inSpatial[i]);
                        padB[i] = autoPad == "SAME_UPPER" ? total / 2 : (total + 1) / 2;
                        padE[i] = total - padB[i];
                        outSpatial[i] = o;
                        break;
                    }

                default:
                    throw new ArgumentException($"auto_pad '{autoPad}' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
            }

            if (outSpatial[i] <= 0)
            {
                throw new ArgumentException($"the window ({effective}) is larger than the padded input ({inSpatial[i] + padB[i] + padE[i]}) in spatial dim {i}");
            }
        }

        return new ConvGeometry(inputShape[0], inputShape[1], outChannels, group, inSpatial, kernel.ToArray(), outSpatial, s, d, padB, padE);
    }

    // Kernels read these per group and per pixel block, so a plain loop rather than LINQ.
    private static int Product(int[] extents)
    {
        int p = 1;
        foreach (int e in extents)
        {
            p *= e;
        }

        return p;
    }

    private static int OutExtent(int padded, int effective, int stride, bool ceilMode, int lastStartLimit)
    {
        if (padded < effective)
        {
            return 0;
        }

        int span = padded - effective;
        int o = ceilMode ? ((span + stride - 1) / stride) + 1 : (span / stride) + 1;
        // In ceil mode the last window must start inside the input or its begin padding.
        if (ceilMode && (o - 1) * stride >= lastStartLimit)
        {
            o--;
        }

        return o;
    }

    private static int[] Expand(long[]? values, int rank, int fallback, string name)
    {
        if (values is null || values.Length == 0)
        {
            return Enumerable.Repeat(fallback, rank).ToArray();
        }

        if (values.Length != rank)
        {
            throw new ArgumentException($"{name} has {values.Length} values, expected {rank}");
        }

        return values.Select(v => checked((int)v)).ToArray();
    }
}
