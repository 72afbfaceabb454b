namespace SiliconSim.Numerics.Kernels.Activation;

/// <summary>Double-precision special functions .NET lacks (erf), accurate to a few double ulps.</summary>
public static class ActivationMath
{
    /// <summary>
    /// erf(x): the Maclaurin series below |x| = 3 (its largest term is ~1e3, so ~1e-13 relative error) and the
    /// Laplace continued fraction for erfc above (erfc &lt; 2.3e-5 there, so erf is 1 − tiny).
    /// </summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        double a = Math.Abs(x);
        double r;
        if (a < 3.0)
        {
            double x2 = a * a;
            double term = a;
            double sum = a;
            for (int n = 1; n < 200; n++)
            {
                term *= -x2 / n;
                double add = term / ((2 * n) + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum))
                {
                    break;
                }
            }

            r = sum * 2.0 / Math.Sqrt(Math.PI);
        }
        else if (a > 27.0)
        {
            r = 1.0;
        }
        else
        {
            double t = a;
            for (int n = 80; n >= 1; n--)
            {
                t = a + (n / 2.0 / t);
            }

            r = 1.0 - (Math.Exp(-a * a) / Math.Sqrt(Math.PI) / t);
        }

        return x < 0 ? -r : r;
    }
}
