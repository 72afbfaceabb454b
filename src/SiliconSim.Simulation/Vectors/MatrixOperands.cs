using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Simulation.Vectors;

/// <summary>
/// A quantized matrix layer (QLinearConv, QGemm) as the array sees it: <see cref="Groups"/> GEMMs of an M x K operand
/// (a conv's input after im2col: row m = (image, output pixel), column k = (input channel of the group, kernel tap),
/// padding taps holding the input zero point) times a K x N operand (the weights: k over the array's rows, n over output
/// channels of the group), accumulated from the bias, then requantized per output channel. Codes are kept with their
/// zero points (the PE subtracts them at its inputs, as <see cref="ArrayMatrix"/> defines).
/// </summary>
public sealed record MatrixOperands
{
    public required int Groups { get; init; }

    public required int M { get; init; }

    public required int N { get; init; }

    public required int K { get; init; }

    /// <summary>The streamed operand's codes, [group, m, k] row-major.</summary>
    public required int[] A { get; init; }

    public required DataType AType { get; init; }

    public required int AZeroPoint { get; init; }

    /// <summary>The stationary operand's codes, [group, k, n] row-major.</summary>
    public required int[] W { get; init; }

    public required DataType WType { get; init; }

    /// <summary>One weight zero point per output channel of the layer ([group · N]).</summary>
    public required int[] WZeroPoints { get; init; }

    /// <summary>The accumulators' initial values per output channel ([group · N]; zeros without a bias).</summary>
    public required int[] Bias { get; init; }

    /// <summary>The output element type (uint8 or int8).</summary>
    public required DataType OutputType { get; init; }

    public required int OutputZeroPoint { get; init; }

    /// <summary>ORT's fp32 requantization scale per output channel ([group · N]).</summary>
    public required float[] Scales { get; init; }

    /// <summary>The same multipliers in double, from which the fixed-point M0 and shift derive.</summary>
    public required double[] RealMultipliers { get; init; }

    /// <summary>The array's numerics: accumulator width, overflow and requantizer.</summary>
    public required MatrixNumerics Numerics { get; init; }

    /// <summary>The conv window, or null for a gemm (then the output is [M, N] and groups is 1).</summary>
    public ConvGeometry? Conv { get; init; }

    /// <summary>Whether a gemm's input is stored [K, M] (transA); false for a conv.</summary>
    public bool TransposedA { get; init; }

    /// <summary>The accumulators of every output, [group, m, n] row-major: the bias plus the products in K order,
    /// under the array's accumulator width and overflow (<see cref="ArrayMatrix.Gemm{TA, TB}"/>).</summary>
    public int[] GemmAccumulators()
    {
        var acc = new int[Groups * M * N];
        var init = new int[M * N];
        for (int g = 0; g < Groups; g++)
        {
            for (int i = 0; i < M; i++)
            {
                Array.Copy(Bias, g * N, init, i * N, N);
            }

            ArrayMatrix.Gemm<int, int>(A.AsSpan(g * M * K, M * K), [AZeroPoint], false, W.AsSpan(g * K * N, K * N), WZeroPoints.AsSpan(g * N, N), false, M, K, N, init, Numerics, acc.AsSpan(g * M * N, M * N));
        }

        return acc;
    }

    /// <summary>
    /// The accumulators after the first <paramref name="kEnd"/> products of every output, [group, m, n] row-major: the
    /// state a K-tiled run leaves in them once the K tiles ending at <paramref name="kEnd"/> are done, under the
    /// array's accumulator width and overflow. At <c>kEnd = K</c> they are <see cref="GemmAccumulators"/>.
    /// </summary>
    public int[] AccumulatorsThrough(int kEnd)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(kEnd);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(kEnd, K);
        var acc = new int[Groups * M * N];
        var init = new int[M * N];
        var a = new int[M * kEnd];
        for (int g = 0; g < Groups; g++)
        {
            for (int i = 0; i < M; i++)
            {
                Array.Copy(Bias, g * N, init, i * N, N);
                Array.Copy(A, ((g * M) + i) * K, a, i * kEnd, kEnd);
            }

            ArrayMatrix.Gemm<int, int>(a, [AZeroPoint], false, W.AsSpan(g * K * N, kEnd * N), WZeroPoints.AsSpan(g * N, N), false, M, kEnd, N, init, Numerics, acc.AsSpan(g * M * N, M * N));
        }

        return acc;
    }

    /// <summary>Where GEMM element [<paramref name="g"/>, <paramref name="m"/>, <paramref name="n"/>] sits in the
    /// output's layout (NCHW for a conv, [M, N] for a gemm).</summary>
    public int OutputIndex(int g, int m, int n)
    {
        if (Conv is null)
        {
            return (m * N) + n;
        }

        int plane = PlaneLength, image = m / plane;
        return (((image * Groups * N) + (g * N) + n) * plane) + (m % plane);
    }

    /// <summary>
    /// The partial sums of one block: <c>Σ_{k in [k0, k0+kCount)} (a[g, m, k] − a_zp)(w[g, k, n] − w_zp[n])</c> for
    /// m in [m0, m0+mCount), n in [n0, n0+nCount), in int32 with wrap-around and without the bias, [mCount, nCount].
    /// Summed over the K blocks with the bias they give the 32-bit wrapping accumulators.
    /// </summary>
    public int[] PartialSums(int g, int m0, int mCount, int k0, int kCount, int n0, int nCount)
    {
        var p = new int[mCount * nCount];
        for (int i = 0; i < mCount; i++)
        {
            int aRow = (((g * M) + m0 + i) * K) + k0;
            for (int j = 0; j < nCount; j++)
            {
                int n = n0 + j, zp = WZeroPoints[(g * N) + n];
                long sum = 0;
                for (int t = 0; t < kCount; t++)
                {
                    sum += (long)(A[aRow + t] - AZeroPoint) * (W[(((g * K) + k0 + t) * N) + n] - zp);
                }

                p[(i * nCount) + j] = unchecked((int)sum);
            }
        }

        return p;
    }

    /// <summary>The node's output shape: [batch, channels, spatial...] for a conv, [M, N] for a gemm.</summary>
    public int[] OutputShape => Conv?.OutputShape ?? [M, N];

    /// <summary>Output elements per channel plane: a conv's output pixels, 1 for a gemm's row-major [M, N].</summary>
    private int PlaneLength => Conv?.OutSize ?? 1;

    /// <summary>GEMM-layout accumulators [group, m, n] rearranged into the output's layout (NCHW for a conv).</summary>
    public int[] ToOutputLayout(int[] gemm)
    {
        ArgumentNullException.ThrowIfNull(gemm);
        if (Conv is null)
        {
            return [.. gemm];
        }

        var y = new int[gemm.Length];
        int plane = PlaneLength, channels = Groups * N;
        for (int g = 0; g < Groups; g++)
        {
            for (int m = 0; m < M; m++)
            {
                int image = m / plane, p = m % plane;
                for (int j = 0; j < N; j++)
                {
                    y[(((image * channels) + (g * N) + j) * plane) + p] = gemm[(((g * M) + m) * N) + j];
                }
            }
        }

        return y;
    }

    /// <summary>The outputs of accumulators in the output's layout, requantized as the array does
    /// (<see cref="ArrayRequantizer"/>: ORT's fp32 requantizer, or the fixed-point one).</summary>
    public TensorValue Requantize(int[] outputLayoutAccumulators)
    {
        ArgumentNullException.ThrowIfNull(outputLayoutAccumulators);
        var requantizer = new ArrayRequantizer(Scales, RealMultipliers, Numerics);
        int plane = PlaneLength;
        if (OutputType == DataType.UInt8)
        {
            var y = new byte[outputLayoutAccumulators.Length];
            requantizer.Requantize<byte>(outputLayoutAccumulators, plane, OutputZeroPoint, y);
            return TensorValue.Create(OutputType, OutputShape, y);
        }

        var s = new sbyte[outputLayoutAccumulators.Length];
        requantizer.Requantize<sbyte>(outputLayoutAccumulators, plane, OutputZeroPoint, s);
        return TensorValue.Create(OutputType, OutputShape, s);
    }

    /// <summary>The fixed-point multipliers (M0, shift) per output channel, as the fixed-point requantizer uses them.</summary>
    public FixedPointMultiplier[] FixedPointMultipliers() => [.. RealMultipliers.Select(FixedPointMultiplier.FromReal)];
}
