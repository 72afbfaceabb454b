namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// How a QuantizeLinear/DequantizeLinear scale (and zero point) maps onto the data: one value for the tensor, one per
/// index along <c>axis</c>, or one per block of <c>blockSize</c> consecutive indices along <c>axis</c> (opset 21). The
/// data is viewed as [Outer, AxisDim, Inner]; the rules follow ORT's PrepareForQDQ (quantize_linear.cc).
/// </summary>
public readonly record struct QuantLayout(int Outer, int AxisDim, int Inner, int BlockSize, int ScaleAxisDim, bool PerTensor)
{
    /// <summary>
    /// Calls <paramref name="body"/>(start, end, param) for consecutive runs of the flat elements [0, <paramref name="count"/>)
    /// that share one scale and zero point (index param), split into contiguous ranges over up to
    /// <paramref name="parallelism"/>'s threads (at least <paramref name="minElementsPerThread"/> each). Per tensor or per
    /// axis only (not blocked). A run cut by a range boundary is passed in pieces; an element-wise body cannot tell.
    /// </summary>
    public void ForEachRun(int count, Parallelism parallelism, int minElementsPerThread, Action<int, int, int> body)
    {
        if (BlockSize != 0)
        {
            throw new InvalidOperationException("a blocked layout has no runs of one parameter along the flat elements");
        }

        int inner = Inner;
        int axisDim = AxisDim;
        parallelism.ForRanges(count, (start, end) =>
        {
            int i = start;
            while (i < end)
            {
                int run = i / inner;
                int runEnd = Math.Min(end, (run + 1) * inner);
                body(i, runEnd, run % axisDim);
                i = runEnd;
            }
        }, minElementsPerThread);
    }

    /// <summary>The index into the scale/zero-point storage of element (outer, a, inner).</summary>
    public int ParamIndex(int outer, int a, int inner) => PerTensor ? 0
        : BlockSize == 0 ? a
        : (((outer * ScaleAxisDim) + (a / BlockSize)) * Inner) + inner;

    /// <summary>
    /// Validates the scale and zero-point shapes against <paramref name="x"/>. Any scale with one element is per-tensor,
    /// as in the ONNX reference (ORT's IsScalarOr1ElementVector accepts only rank 0 or 1 there, and routes a [1,1] scale
    /// through the blocked path, which gives the same values); otherwise <paramref name="blockSize"/>
    /// 0 means per-axis (a 1-D scale of length x.shape[axis]) and a positive one means blocked (the scale has x's rank
    /// and shape except ceil(D_axis / blockSize) on the axis). The zero point must have the scale's shape.
    /// </summary>
    /// <exception cref="ArgumentException">the shapes do not fit.</exception>
    public static QuantLayout Resolve(ReadOnlySpan<int> x, ReadOnlySpan<int> scale, ReadOnlySpan<int> zeroPoint, bool hasZeroPoint, long axis, long blockSize)
    {
        if (blockSize < 0)
        {
            throw new ArgumentException($"block_size must be non-negative, not {blockSize}");
        }

        int count = (int)ShapeMath.ElementCount(x);
        if (ShapeMath.ElementCount(scale) == 1)
        {
            if (hasZeroPoint && ShapeMath.ElementCount(zeroPoint) != 1)
            {
                throw new ArgumentException($"a per-tensor scale needs a single zero point, not {ShapeMath.Format(zeroPoint)}");
            }

            return new QuantLayout(1, 1, count, 0, 1, PerTensor: true);
        }

        int ax = ShapeMath.NormalizeAxis(axis, x.Length);
        int outer = 1;
        for (int i = 0; i < ax; i++)
        {
            outer *= x[i];
        }

        int inner = 1;
        for (int i = ax + 1; i < x.Length; i++)
        {
            inner *= x[i];
        }

        if (hasZeroPoint && !scale.SequenceEqual(zeroPoint))
        {
            throw new ArgumentException($"the zero point shape {ShapeMath.Format(zeroPoint)} differs from the scale shape {ShapeMath.Format(scale)}");
        }

        if (blockSize == 0)
        {
            if (scale.Length != 1 || scale[0] != x[ax])
            {
                throw new ArgumentException($"a per-axis scale must be 1-D of length {x[ax]} (axis {ax} of {ShapeMath.Format(x)}), not {ShapeMath.Format(scale)}");
            }

            return new QuantLayout(outer, x[ax], inner, 0, x[ax], PerTensor: false);
        }

        if (scale.Length != x.Length)
        {
            throw new ArgumentException($"a blocked scale must have the rank of x {ShapeMath.Format(x)}, not {ShapeMath.Format(scale)}");
        }

        for (int i = 0; i < x.Length; i++)
        {
            long expected = i == ax ? (x[i] + blockSize - 1) / blockSize : x[i];
            if (scale[i] != expected)
            {
                throw new ArgumentException($"a blocked scale for x {ShapeMath.Format(x)}, axis {ax}, block_size {blockSize} must have dim {i} = {expected}, not {ShapeMath.Format(scale)}");
            }
        }

        return new QuantLayout(outer, x[ax], inner, (int)blockSize, scale[ax], PerTensor: false);
    }
}
