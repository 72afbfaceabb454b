namespace SiliconSim.Hardware.Thermal;

/// <summary>Small dense row-major matrices for the thermal network (a handful of nodes): product, inverse, exponential.</summary>
internal static class DenseMatrix
{
    public static double[,] Identity(int n)
    {
        var m = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            m[i, i] = 1;
        }

        return m;
    }

    public static double[,] Multiply(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), k = a.GetLength(1), m = b.GetLength(1);
        var c = new double[n, m];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int t = 0; t < k; t++)
                {
                    s += a[i, t] * b[t, j];
                }

                c[i, j] = s;
            }
        }

        return c;
    }

    public static double[,] Add(double[,] a, double[,] b, double scaleB = 1)
    {
        int n = a.GetLength(0), m = a.GetLength(1);
        var c = new double[n, m];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                c[i, j] = a[i, j] + (scaleB * b[i, j]);
            }
        }

        return c;
    }

    public static double[,] Scale(double[,] a, double s) => Add(new double[a.GetLength(0), a.GetLength(1)], a, s);

    /// <summary>Maximum absolute column sum.</summary>
    public static double Norm1(double[,] a)
    {
        double best = 0;
        for (int j = 0; j < a.GetLength(1); j++)
        {
            double s = 0;
            for (int i = 0; i < a.GetLength(0); i++)
            {
                s += Math.Abs(a[i, j]);
            }

            best = Math.Max(best, s);
        }

        return best;
    }

    /// <summary>Solves A X = B by Gauss-Jordan elimination with partial pivoting.</summary>
    public static double[,] Solve(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), m = b.GetLength(1);
        var l = (double[,])a.Clone();
        var r = (double[,])b.Clone();
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int i = col + 1; i < n; i++)
            {
                if (Math.Abs(l[i, col]) > Math.Abs(l[pivot, col]))
                {
                    pivot = i;
                }
            }

            if (l[pivot, col] == 0)
            {
                throw new InvalidOperationException("singular matrix");
            }

            SwapRows(l, col, pivot);
            SwapRows(r, col, pivot);
            for (int i = 0; i < n; i++)
            {
                if (i == col || l[i, col] == 0)
                {
                    continue;
                }

                double f = l[i, col] / l[col, col];
                for (int j = 0; j < n; j++)
                {
                    l[i, j] -= f * l[col, j];
                }

                for (int j = 0; j < m; j++)
                {
                    r[i, j] -= f * r[col, j];
                }
            }
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                r[i, j] /= l[i, i];
            }
        }

        return r;
    }

    public static double[,] Inverse(double[,] a) => Solve(a, Identity(a.GetLength(0)));

    /// <summary>
    /// e^A by scaling and squaring with the [6/6] Padé approximant (Moler and Van Loan, "Nineteen dubious ways",
    /// SIAM Review 2003, method 3): scale A by 2^-s so that ‖A‖₁ ≤ 1/2, where the [6/6] approximant's relative error
    /// is below 1e-16, then square s times.
    /// </summary>
    public static double[,] Exp(double[,] a)
    {
        int n = a.GetLength(0);
        double norm = Norm1(a);
        int s = norm > 0.5 ? (int)Math.Ceiling(Math.Log2(norm / 0.5)) : 0;
        double[,] x = Scale(a, Math.ScaleB(1.0, -s));

        // Padé coefficients c_k = (2q-k)! q! / ((2q)! k! (q-k)!) for q = 6, built by the recurrence.
        const int Q = 6;
        double c = 1;
        double[,] power = Identity(n);
        double[,] num = Identity(n);
        double[,] den = Identity(n);
        for (int k = 1; k <= Q; k++)
        {
            c *= (double)(Q - k + 1) / (k * ((2 * Q) - k + 1));
            power = Multiply(power, x);
            num = Add(num, power, c);
            den = Add(den, power, (k % 2 == 0 ? 1 : -1) * c);
        }

        double[,] e = Solve(den, num);
        for (int i = 0; i < s; i++)
        {
            e = Multiply(e, e);
        }

        return e;
    }

    private static void SwapRows(double[,] m, int a, int b)
    {
        if (a == b)
        {
            return;
        }

        for (int j = 0; j < m.GetLength(1); j++)
        {
            (m[a, j], m[b, j]) = (m[b, j], m[a, j]);
        }
    }
}
