using System.Numerics;

namespace SiliconSim.Numerics.Reference;

/// <summary>The requantization rule written out in double-checked steps (ort-cpu-semantics.md §2, §4.1).</summary>
public static class RequantizeReference
{
    /// <summary>
    /// float(acc) rounded to nearest even, times scale in fp32; clamped to [qmin − zp, qmax − zp]; rounded half to even;
    /// plus zp.
    /// </summary>
    public static T Requantize<T>(int acc, float scale, int zeroPoint)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        int qmin = int.CreateTruncating(T.MinValue);
        int qmax = int.CreateTruncating(T.MaxValue);
        float product = (float)acc * scale;
        float clamped = Math.Min(Math.Max(product, qmin - zeroPoint), qmax - zeroPoint);
        if (float.IsNaN(product))
        {
            clamped = qmin - zeroPoint;
        }

        return T.CreateTruncating((int)MathF.Round(clamped, MidpointRounding.ToEven) + zeroPoint);
    }
}
