namespace SiliconSim.Numerics.Kernels.ConvTranspose;

/// <summary>
/// Resolved shape of an N-d ConvTranspose: X [N, C, in...], W [C, M/group, k...], Y [N, M, out...]. Each input
/// position i and tap k land on output position i·stride − padBegin + k·dilation.
/// </summary>
public sealed record ConvTransposeGeometry(
    int Batch,
    int InChannels,
    int OutChannels,
    int Group,
    int[] InSpatial,
    int[] KernelSpatial,
    int[] OutSpatial,
    int[] Strides,
    int[] Dilations,
    int[] PadsBegin)
{
    /// <summary>The output tensor shape [N, M, out...].</summary>
    public int[] OutputShape => [Batch, OutChannels, .. OutSpatial];

    /// <summary>
    /// Resolves ONNX ConvTranspose attributes as ORT does (ConvTransposeAttributes::ComputeTransposePadAndOutputShape):
    /// with output_shape (or SAME_* auto_pad, whose target is in·stride) the total padding is
    /// max(0, stride·(in−1) + output_padding + (k−1)·dilation + 1 − out); SAME_UPPER puts the odd unit at the tail,
    /// SAME_LOWER and NOTSET (explicit output_shape) at the head (checked against ORT 1.31 and the ONNX node tests).
    /// Without them the output is stride·(in−1) + output_padding + (k−1)·dilation + 1 − pads.
    /// </summary>
    /// <param name="outputShape">the output_shape attribute: spatial extents, or the full [N, M, ...] shape.</param>
    /// <exception cref="ArgumentException">inconsistent attributes.</exception>
    public static ConvTransposeGeometry Resolve(
        ReadOnlySpan<int> xShape,
        ReadOnlySpan<int> wShape,
        int group,
        long[]? strides,
        long[]? dilations,
        long[]? pads,
        long[]? outputPadding,
        long[]? outputShape,
        string autoPad)
    {
        int rank = xShape.Length - 2;
        if (rank < 1 || wShape.Length != xShape.Length)
        {
            throw new ArgumentException("ConvTranspose needs X [N,C,...] and W [C,M/group,...] of the same rank");
        }

        if (group <= 0 || xShape[1] % group != 0 || wShape[0] != xShape[1])
        {
            throw new ArgumentException($"group {group} does not fit X channels {xShape[1]} and W [{wShape[0]},...]");
        }

        int[] s = Expand(strides, rank, 1, "strides");
        int[] d = Expand(dilations, rank, 1, "dilations");
        int[] adj = Expand(outputPadding, rank, 0, "output_padding");
        int[]? outGiven = null;
        if (outputShape is { Length: > 0 })
        {
            long[] spatial = outputShape.Length == rank + 2 ? outputShape[2..] : outputShape;
            outGiven = Expand(spatial, rank, 0, "output_shape");
        }

        var inSpatial = xShape[2..].ToArray();
        var kernel = wShape[2..].ToArray();
        var outSpatial = new int[rank];
        var padB = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            if (s[i] <= 0 || d[i] <= 0)
            {
                throw new ArgumentException("strides and dilations must be positive");
            }

            int full = (s[i] * (inSpatial[i] - 1)) + adj[i] + ((kernel[i] - 1) * d[i]) + 1;
            bool same = autoPad is "SAME_UPPER" or "SAME_LOWER";
            if (outGiven is not null || same)
            {
                int o = outGiven?[i] ?? inSpatial[i] * s[i];
                int total = Math.Max(0, full - o);
                padB[i] = autoPad == "SAME_UPPER" ? total / 2 : total - (total / 2);
                // With auto_pad alone ORT takes the extent back from the clamped padding, so a target of in·stride
                // larger than the unpadded extent yields that extent (observed against ORT 1.31).
                outSpatial[i] = outGiven is null ? full - total : o;
            }
            else
            {
                int padE = 0;
                if (autoPad is "" or "NOTSET" && pads is not null)
                {
                    if (pads.Length != 2 * rank)
                    {
                        throw new ArgumentException($"pads has {pads.Length} values, expected {2 * rank}");
                    }

                    padB[i] = checked((int)pads[i]);
                    padE = checked((int)pads[i + rank]);
                }
                else if (autoPad is not ("" or "NOTSET" or "VALID"))
                {
                    throw new ArgumentException($"auto_pad '{autoPad}' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
                }

                outSpatial[i] = full - padB[i] - padE;
            }

            if (outSpatial[i] <= 0)
            {
                throw new ArgumentException($"ConvTranspose output extent {outSpatial[i]} in spatial dim {i} is not positive");
            }
        }

        return new ConvTransposeGeometry(xShape[0], xShape[1], wShape[1] * group, group, inSpatial, kernel, outSpatial, s, d, padB);
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
