namespace SiliconSim.Numerics.Kernels.Reduction;

/// <summary>A reduction resolved against an input shape: which axes reduce, the output shape and ORT's fast path.</summary>
public sealed class ReduceLayout
{
    private ReduceLayout(int[] inputShape, bool[] reduced, int[] outputShape, ReducePath path, int[] fastShape)
    {
        InputShape = inputShape;
        Reduced = reduced;
        OutputShape = outputShape;
        Path = path;
        FastShape = fastShape;
    }

    /// <summary>The input dimensions.</summary>
    public int[] InputShape { get; }

    /// <summary>Per input axis: reduced or kept.</summary>
    public bool[] Reduced { get; }

    /// <summary>The output dimensions (reduced axes as 1 with keepdims, dropped without).</summary>
    public int[] OutputShape { get; }

    /// <summary>ORT's traversal for the merged shape.</summary>
    public ReducePath Path { get; }

    /// <summary>Adjacent axes of equal kind multiplied together (ORT's fast_shape).</summary>
    public int[] FastShape { get; }

    /// <summary>The number of input elements folded into each output element.</summary>
    public int ReducedCount
    {
        get
        {
            int n = 1;
            for (int d = 0; d < InputShape.Length; d++)
            {
                n *= Reduced[d] ? InputShape[d] : 1;
            }

            return n;
        }
    }

    /// <summary>
    /// Resolves <paramref name="axes"/> (negative allowed; null or empty means every axis) against
    /// <paramref name="shape"/>.
    /// </summary>
    /// <param name="shape">the input dimensions.</param>
    /// <param name="axes">the axes to reduce.</param>
    /// <param name="keepDims">keep reduced axes as 1.</param>
    /// <param name="degreeOfParallelism">ORT's intra-op thread count, which gates the fast paths (CommonFastReduceSwitch in
    /// reduction_ops.cc): RK only when R &gt; 16·dop and max(R, N) &gt; 256·dop, KRK only when the outer size ≥ max(2, dop), RKR
    /// only when the kept size ≥ max(2, dop); otherwise the generic loop runs.</param>
    /// <exception cref="ArgumentException">an axis is out of range or repeated.</exception>
    public static ReduceLayout Create(int[] shape, IReadOnlyList<long>? axes, bool keepDims, int degreeOfParallelism = 1) =>
        Create(shape, axes, keepDims, degreeOfParallelism, emptyMeansAll: true);

    /// <summary>A layout that reduces nothing: each output element folds exactly its own input element.</summary>
    public static ReduceLayout Identity(int[] shape) => Create(shape, [], keepDims: true, 1, emptyMeansAll: false);

    private static ReduceLayout Create(int[] shape, IReadOnlyList<long>? axes, bool keepDims, int degreeOfParallelism, bool emptyMeansAll)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int rank = shape.Length;
        var reduced = new bool[rank];
        if (axes is null || axes.Count == 0)
        {
            Array.Fill(reduced, emptyMeansAll);
        }
        else
        {
            foreach (long a in axes)
            {
                int axis = ShapeMath.NormalizeAxis(a, rank);
                if (reduced[axis])
                {
                    throw new ArgumentException($"axis {a} is repeated");
                }

                reduced[axis] = true;
            }
        }

        var output = new List<int>(rank);
        for (int d = 0; d < rank; d++)
        {
            if (!reduced[d])
            {
                output.Add(shape[d]);
            }
            else if (keepDims)
            {
                output.Add(1);
            }
        }

        // Merge runs of equal kind, keeping size-1 axes (ORT does not drop them, so [2,1,3] over axis 1 is K,R,K).
        var fast = new List<int>();
        var fastReduced = new List<bool>();
        for (int d = 0; d < rank; d++)
        {
            if (d > 0 && reduced[d] == reduced[d - 1])
            {
                fast[^1] *= shape[d];
            }
            else
            {
                fast.Add(shape[d]);
                fastReduced.Add(reduced[d]);
            }
        }

        int dop = Math.Max(1, degreeOfParallelism);
        ReducePath path = fast.Count switch
        {
            0 => ReducePath.All,
            1 => fastReduced[0] ? ReducePath.All : ReducePath.Generic,
            2 when !fastReduced[0] => ReducePath.KR,
            2 when fast[0] > 16 * dop && Math.Max(fast[0], fast[1]) > 256 * dop => ReducePath.RK,
            3 when !fastReduced[0] && fast[0] >= Math.Max(2, dop) => ReducePath.KRK,
            3 when fastReduced[0] && fast[1] >= Math.Max(2, dop) => ReducePath.RKR,
            _ => ReducePath.Generic,
        };
        return new ReduceLayout(shape, reduced, [.. output], path, [.. fast]);
    }

    /// <summary>
    /// For each output element (row-major), the flat input offset of its first reduced element; and the offsets of the
    /// reduced elements relative to it, in row-major order of the reduced axes.
    /// </summary>
    public (int[] Bases, int[] Offsets) Walk()
    {
        int rank = InputShape.Length;
        int[] strides = ShapeMath.Strides(InputShape);
        var keptAxes = new List<int>();
        var redAxes = new List<int>();
        for (int d = 0; d < rank; d++)
        {
            (Reduced[d] ? redAxes : keptAxes).Add(d);
        }

        return (Enumerate(keptAxes, strides), Enumerate(redAxes, strides));
    }

    private int[] Enumerate(List<int> axes, int[] strides)
    {
        long count = 1;
        foreach (int a in axes)
        {
            count *= InputShape[a];
        }

        var result = new int[count];
        var idx = new int[axes.Count];
        int offset = 0;
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = offset;
            for (int k = axes.Count - 1; k >= 0; k--)
            {
                int a = axes[k];
                idx[k]++;
                offset += strides[a];
                if (idx[k] < InputShape[a])
                {
                    break;
                }

                offset -= strides[a] * idx[k];
                idx[k] = 0;
            }
        }

        return result;
    }
}
