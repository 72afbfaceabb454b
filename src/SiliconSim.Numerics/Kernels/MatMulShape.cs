namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// The numpy matmul shape rules as ONNX MatMul/MatMulInteger/QLinearMatMul use them: a 1-D A is [1, K] and a 1-D B is
/// [K, 1] (the added dim is dropped from the output); leading dims broadcast.
/// </summary>
public sealed record MatMulShape(int M, int K, int N, int[] BatchShape, int[] ABatchShape, int[] BBatchShape, int[] OutputShape)
{
    /// <summary>The number of output matrices.</summary>
    public int BatchCount => BatchShape.Aggregate(1, (a, b) => a * b);

    /// <summary>Resolves the shapes of A and B.</summary>
    /// <exception cref="ArgumentException">the shapes do not multiply or broadcast.</exception>
    public static MatMulShape Resolve(ReadOnlySpan<int> aShape, ReadOnlySpan<int> bShape)
    {
        if (aShape.Length == 0 || bShape.Length == 0)
        {
            throw new ArgumentException("matmul operands must have rank 1 or more");
        }

        int m = aShape.Length == 1 ? 1 : aShape[^2];
        int k = aShape[^1];
        int kb = bShape.Length == 1 ? bShape[0] : bShape[^2];
        int n = bShape.Length == 1 ? 1 : bShape[^1];
        if (k != kb)
        {
            throw new ArgumentException($"matmul inner dims differ: A {ShapeMath.Format(aShape)}, B {ShapeMath.Format(bShape)}");
        }

        int[] aBatch = aShape.Length > 2 ? aShape[..^2].ToArray() : [];
        int[] bBatch = bShape.Length > 2 ? bShape[..^2].ToArray() : [];
        int[] batch = ShapeMath.Broadcast(aBatch, bBatch);
        var output = new List<int>(batch);
        if (aShape.Length > 1)
        {
            output.Add(m);
        }

        if (bShape.Length > 1)
        {
            output.Add(n);
        }

        return new MatMulShape(m, k, n, batch, aBatch, bBatch, [.. output]);
    }

    /// <summary>The index of the A (or B) matrix that output batch <paramref name="batchIndex"/> reads.</summary>
    public int SourceIndex(int batchIndex, bool forA)
    {
        int[] src = forA ? ABatchShape : BBatchShape;
        int offset = BatchShape.Length - src.Length;
        int index = 0;
        int rem = batchIndex;
        int stride = 1;
        for (int d = BatchShape.Length - 1; d >= 0; d--)
        {
            int coord = rem % BatchShape[d];
            rem /= BatchShape[d];
            int sd = d - offset;
            if (sd >= 0)
            {
                if (src[sd] != 1)
                {
                    index += coord * stride;
                }

                stride *= src[sd];
            }
        }

        return index;
    }
}
