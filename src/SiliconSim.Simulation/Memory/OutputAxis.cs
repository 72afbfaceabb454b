namespace SiliconSim.Simulation.Memory;

/// <summary>
/// One axis of the output pixel space (batch or a spatial axis) with the input elements each output range reads: the
/// im2col reuse. A gemm's M is one axis with a 1-wide window, stride 1 and no padding, so it reads exactly its own rows.
/// </summary>
internal readonly record struct OutputAxis(long Out, long In, long Kernel, long Stride, long Dilation, long PadBegin)
{
    /// <summary>
    /// Distinct input elements along this axis that outputs [<paramref name="first"/>, <paramref name="end"/>) read,
    /// padding excluded. Windows that overlap or abut (dilation 1, stride at most the kernel) read one contiguous span;
    /// otherwise (a stride past the window, dilation) the taps are enumerated, so skipped elements are not fetched.
    /// </summary>
    public long Touched(long first, long end)
    {
        long start = Math.Max((first * Stride) - PadBegin, 0);
        long stop = Math.Min(((end - 1) * Stride) - PadBegin + ((Kernel - 1) * Dilation) + 1, In);
        if (stop <= start)
        {
            return 0;
        }

        bool contiguous = (Dilation == 1 || Kernel == 1) && (Stride <= Kernel || end - first == 1);
        if (contiguous)
        {
            return stop - start;
        }

        var seen = new bool[stop - start];
        long count = 0;
        for (long o = first; o < end; o++)
        {
            for (long j = 0; j < Kernel; j++)
            {
                long i = (o * Stride) - PadBegin + (j * Dilation) - start;
                if (i >= 0 && i < seen.Length && !seen[i])
                {
                    seen[i] = true;
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Which input elements along this axis some output reads (padding excluded).</summary>
    public bool[] TouchedMask()
    {
        var mask = new bool[In];
        for (long o = 0; o < Out; o++)
        {
            for (long j = 0; j < Kernel; j++)
            {
                long i = (o * Stride) - PadBegin + (j * Dilation);
                if (i >= 0 && i < In)
                {
                    mask[i] = true;
                }
            }
        }

        return mask;
    }
}
