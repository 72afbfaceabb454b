using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;
using SiliconSim.Hardware.Thermal;

namespace SiliconSim.Hardware.Tests.Thermal;

/// <summary>The RC solver against closed forms, an independent quadrature and implicit Euler.</summary>
public sealed class ThermalModelTests
{
    private static readonly ThermalSpec s_noLeak = new();

    // 0.05 W at 25 degC, doubling every 25 K: the edge-npu preset's leakage.
    private static LeakageModel Leakage(double doublingC = 25) =>
        new() { ReferencePowerW = 0.05, ReferenceJunctionC = 25, NominalVoltageV = 0.8, DoublingC = doublingC, Source = "test" };

    private static ThermalNetwork Chain(double[] c, double[] r) => new(
        Enumerable.Range(0, c.Length).Select(i => $"n{i}"), c,
        Enumerable.Range(0, c.Length - 1).Select(i => (i, i + 1, r[i])), [(c.Length - 1, r[^1])]);

    [Theory]
    [InlineData(0.5)]
    [InlineData(2.0)]
    [InlineData(7.5)]
    public void ConstantPower_SettlesAtAmbientPlusPowerTimesJunctionToAmbient(double power)
    {
        var model = new ThermalModel(ThermalNetwork.FromSpec(s_noLeak), s_noLeak.AmbientC);
        for (int i = 0; i < 20; i++)
        {
            model.Advance(1000, power);
        }

        double expected = 45 + (power * (1 + 4 + 15));
        Assert.Equal(expected, model.JunctionC, 9);
        Assert.Equal(20, ThermalNetwork.FromSpec(s_noLeak).JunctionToAmbientKPerW, 12);
    }

    [Fact]
    public void SingleRc_StepResponse_ReachesSixtyThreePercentAtTau()
    {
        // One node, C = 2 J/K, R = 3 K/W: tau = 6 s, rise(t) = P R (1 - e^{-t/tau}).
        var model = new ThermalModel(new ThermalNetwork(["j"], [2.0], [], [(0, 3.0)]), ambientC: 20);
        model.Advance(6, 1.5);
        Assert.Equal(1.5 * 3 * (1 - Math.Exp(-1)), model.JunctionC - 20, 12);
        Assert.Equal(0.632, (model.JunctionC - 20) / 4.5, 3);
    }

    [Fact]
    public void TwoNodeStepResponse_FollowsTheEigenvaluesOfCInverseG()
    {
        // C = diag(c1, c2), G = [[g1, -g1], [-g1, g1 + g2]]: the eigenvalues of C^-1 G from trace and determinant.
        double c1 = 0.3, c2 = 4, r1 = 2, r2 = 5, g1 = 1 / r1, g2 = 1 / r2;
        double tr = (g1 / c1) + ((g1 + g2) / c2), det = g1 * g2 / (c1 * c2);
        double l1 = (tr + Math.Sqrt((tr * tr) - (4 * det))) / 2, l2 = (tr - Math.Sqrt((tr * tr) - (4 * det))) / 2;
        var model = new ThermalModel(Chain([c1, c2], [r1, r2]), ambientC: 0);
        const double P = 2, H = 0.4;
        double steady = P * (r1 + r2);
        var x = new List<double> { -steady };
        for (int k = 0; k < 6; k++)
        {
            model.Advance(H, P);
            x.Add(model.JunctionC - steady);
        }

        // A sum of two exponentials obeys x[k+2] = (m1 + m2) x[k+1] - m1 m2 x[k] with m = e^{-lambda h}.
        double m1 = Math.Exp(-l1 * H), m2 = Math.Exp(-l2 * H);
        for (int k = 0; k + 2 < x.Count; k++)
        {
            Assert.Equal(((m1 + m2) * x[k + 1]) - (m1 * m2 * x[k]), x[k + 2], 10);
        }
    }

    [Fact]
    public void EnergyIn_EqualsStoredPlusAmbientOutflow_ByIndependentQuadrature()
    {
        ThermalNetwork net = Chain([0.5, 2, 5], [1, 2, 3]);
        var model = new ThermalModel(net, ambientC: 30);
        var probe = new ThermalModel(net, ambientC: 30);
        (double Seconds, double Power)[] pieces = [(2.0, 3.0), (1.5, 0.2), (2.5, 5.0)];
        double energyIn = 0, outflow = 0, outflowModel = 0;

        // 5-point Gauss-Legendre on 0.05 s subintervals; the fastest time constant here is ~0.3 s.
        double[] nodes = [-0.9061798459386640, -0.5384693101056831, 0, 0.5384693101056831, 0.9061798459386640];
        double[] weights = [0.2369268850561891, 0.4786286704993665, 0.5688888888888889, 0.4786286704993665, 0.2369268850561891];
        foreach (var (seconds, power) in pieces)
        {
            double[] start = model.NodeTemperaturesC();
            const int Parts = 40;
            double sub = seconds / Parts;
            for (int p = 0; p < Parts; p++)
            {
                for (int q = 0; q < nodes.Length; q++)
                {
                    double at = (p * sub) + ((nodes[q] + 1) * sub / 2);
                    probe.SetTemperatures(start);
                    probe.Advance(at, power);
                    outflow += weights[q] * sub / 2 * ((probe.NodeTemperaturesC()[2] - 30) / 3);
                }
            }

            outflowModel += model.Advance(seconds, power).EnergyToAmbientJ;
            energyIn += seconds * power;
        }

        double stored = (0.5 * (model.NodeTemperaturesC()[0] - 30)) + (2 * (model.NodeTemperaturesC()[1] - 30)) + (5 * (model.NodeTemperaturesC()[2] - 30));
        Assert.Equal(stored, model.StoredEnergyJ, 12);
        Assert.True(Math.Abs(energyIn - stored - outflow) <= 1e-9 * energyIn, $"in {energyIn}, stored {stored}, out {outflow}");
        Assert.True(Math.Abs(outflowModel - outflow) <= 1e-9 * energyIn, $"model out {outflowModel}, quadrature {outflow}");
    }

    [Fact]
    public void ExactStep_IsTheLimitOfImplicitEuler()
    {
        double[] c = [0.01, 1, 20], r = [1, 4, 15];
        var model = new ThermalModel(Chain(c, r), ambientC: 0);
        const double T = 0.5, P = 3;
        model.Advance(T, P);
        double exact = model.JunctionC;

        double Euler(int steps)
        {
            // (C + dt G) x' = C x + dt P e0, solved by the Thomas algorithm for this tridiagonal chain.
            double dt = T / steps;
            double[] g = [1 / r[0], 1 / r[1], 1 / r[2]];
            double[] x = new double[3];
            for (int s = 0; s < steps; s++)
            {
                double[] diag = [c[0] + (dt * g[0]), c[1] + (dt * (g[0] + g[1])), c[2] + (dt * (g[1] + g[2]))];
                double[] off = [-dt * g[0], -dt * g[1]];
                double[] rhs = [(c[0] * x[0]) + (dt * P), c[1] * x[1], c[2] * x[2]];
                for (int i = 1; i < 3; i++)
                {
                    double f = off[i - 1] / diag[i - 1];
                    diag[i] -= f * off[i - 1];
                    rhs[i] -= f * rhs[i - 1];
                }

                x[2] = rhs[2] / diag[2];
                x[1] = (rhs[1] - (off[1] * x[2])) / diag[1];
                x[0] = (rhs[0] - (off[0] * x[1])) / diag[0];
            }

            return x[0];
        }

        double e1 = Math.Abs(Euler(2_000) - exact), e2 = Math.Abs(Euler(4_000) - exact), e3 = Math.Abs(Euler(64_000) - exact);
        Assert.True(e3 < 1e-4 * exact, $"error {e3}");
        Assert.InRange(e1 / e2, 1.8, 2.2); // first order: halving dt halves the error
    }

    [Fact]
    public void MatrixExponential_OfDiagonalAndNilpotent_MatchesClosedForms()
    {
        double[,] e = DenseMatrix.Exp(new double[,] { { -3, 0 }, { 0, 40 } });
        Assert.Equal(Math.Exp(-3), e[0, 0], Math.Exp(-3) * 1e-13);
        Assert.Equal(Math.Exp(40), e[1, 1], Math.Exp(40) * 1e-13);
        double[,] n = DenseMatrix.Exp(new double[,] { { 0, 5, 0 }, { 0, 0, 2 }, { 0, 0, 0 } });
        Assert.Equal([1, 5, 5.0, 0, 1, 2, 0, 0, 1], n.Cast<double>().ToArray());
    }

    [Fact]
    public void Leakage_StableSetup_ConvergesToTheFixedPoint()
    {
        var model = new ThermalModel(new ThermalSpec(), Leakage());
        ThermalSteadyState ss = model.SteadyState(2.0);
        Assert.True(ss.Converged, ss.Reason);
        double k = Math.Log(2) / 25;
        double leak = 0.05 * Math.Exp(k * (ss.JunctionC - 25));
        Assert.Equal(leak, ss.LeakagePowerW, 12);
        Assert.Equal(45 + (20 * (2.0 + leak)), ss.JunctionC, 9);

        for (int i = 0; i < 2000; i++)
        {
            Assert.True(model.Advance(10, 2.0).Converged);
        }

        Assert.Equal(ss.JunctionC, model.JunctionC, 6);
    }

    [Fact]
    public void Leakage_HugeCoefficient_IsReportedAsRunaway()
    {
        var model = new ThermalModel(new ThermalSpec(), Leakage(doublingC: 2));
        ThermalSteadyState ss = model.SteadyState(2.0);
        Assert.False(ss.Converged);
        Assert.Contains("runaway", ss.Reason, StringComparison.Ordinal);

        bool diverged = false;
        for (int i = 0; i < 10_000 && !diverged; i++)
        {
            diverged = !model.Advance(0.1, 2.0).Converged;
        }

        Assert.True(diverged);
    }

    [Theory]
    [InlineData(0.99, true)]
    [InlineData(1.01, false)]
    public void LeakageFixedPoint_ExistsExactlyWhenAmpTimesSlopeTimesEIsAtMostOne(double product, bool exists)
    {
        // x = A e^{c x} has a real root iff A c e <= 1 (tangency at x = 1/c).
        const double C = 0.7;
        double amp = product / (C * Math.E);
        Assert.Equal(exists, ThermalModel.SolveLeakage(amp, C, out double x));
        if (exists)
        {
            Assert.Equal(amp * Math.Exp(C * x), x, 12);
        }
    }

    [Theory]
    [InlineData(1e-9)]
    [InlineData(3.7e-6)]
    [InlineData(1e-3)]
    [InlineData(0.0123)]
    [InlineData(1.0)]
    [InlineData(250.0)]
    public void StepMatrices_FromTheEigenbasis_EqualVanLoansBlockExponential(double seconds)
    {
        // Uneven capacitances and resistances: time constants from microseconds to minutes, as in the presets.
        var model = new ThermalModel(Chain([1e-3, 0.8, 25], [0.7, 3.5, 14]), ambientC: 25);
        var (phi, m, n) = model.StepMatrices(seconds);
        var (phiRef, mRef, nRef) = model.StepMatricesByBlockExponential(seconds);
        foreach (var (actual, expected) in new[] { (phi, phiRef), (m, mRef), (n, nRef) })
        {
            double scale = 0;
            foreach (double e in expected)
            {
                scale = Math.Max(scale, Math.Abs(e));
            }

            for (int i = 0; i < 3; i++)
            {
                for (int j = 0; j < 3; j++)
                {
                    // The block exponential's own error grows with ‖Ah‖ (scaling and squaring): held to 1e-9 of the entries.
                    Assert.True(Math.Abs(actual[i, j] - expected[i, j]) <= 1e-9 * scale, $"h={seconds} [{i},{j}]: {actual[i, j]} vs {expected[i, j]}");
                }
            }
        }
    }
}
