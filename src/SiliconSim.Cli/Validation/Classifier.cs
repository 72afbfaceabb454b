using SiliconSim.Numerics;

namespace SiliconSim.Cli.Validation;

/// <summary>Top-1 predictions of classifier-shaped outputs ([N, C] floats with C &gt; 1).</summary>
internal static class Classifier
{
    public static bool IsClassifierShaped(TensorValue t) => t.Rank == 2 && t.Shape[1] > 1 && DataTypeInfo.IsFloat(t.Type);

    /// <summary>The arg-max of every row; ties go to the lowest index, as numpy.argmax does.</summary>
    public static int[] TopOne(TensorValue t)
    {
        int rows = t.Shape[0];
        int classes = t.Shape[1];
        var result = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            int best = 0;
            double bestValue = TensorComparison.ToDouble(t, r * classes);
            for (int c = 1; c < classes; c++)
            {
                double v = TensorComparison.ToDouble(t, (r * classes) + c);
                if (v > bestValue)
                {
                    best = c;
                    bestValue = v;
                }
            }

            result[r] = best;
        }

        return result;
    }
}
