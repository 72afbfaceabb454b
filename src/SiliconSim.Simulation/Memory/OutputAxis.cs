namespace SiliconSim.Simulation.Memory;

/// <summary>
/// One axis of the output pixel space (batch or a spatial axis) with the input range each output range reads: the
/// im2col reuse. A gemm's M is one axis with a 1-wide window, stride 1 and no padding, so it reads exactly its own rows.
/// </summary>
internal readonly record struct OutputAxis(long Out, long In, long Kernel, long Stride, long Dilation, long PadBegin)
{
    /// <summary>
    /// Input elements along this axis that outputs [<paramref name="first"/>, <paramref name="end"/>) read, padding
    /// excluded: the span from the first window's start to the last window's end, clipped to [0, In). A box, so with a
    /// stride larger than the window the skipped elements inside the span are counted too (DRAM rows are fetched whole).
    /// </summary>
    public long Touched(long first, long end)
    {
        long start = (first * Stride) - PadBegin;
        long stop = ((end - 1) * Stride) - PadBegin + ((Kernel - 1) * Dilation) + 1;
        return Math.Max(0, Math.Min(stop, In) - Math.Max(start, 0));
    }
}
