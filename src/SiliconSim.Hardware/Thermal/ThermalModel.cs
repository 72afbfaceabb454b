using SiliconSim.Hardware.Specs;

namespace SiliconSim.Hardware.Thermal;

/// <summary>
/// The thermal state of a <see cref="ThermalNetwork"/> and its exact solution for piecewise-constant power. With θ the
/// rise above ambient, A = −C⁻¹G and constant power P at the junction, the solution of <c>C dθ/dt = P − Gθ</c> over a
/// step h is <c>θ(h) = θss + e^{Ah}(θ(0) − θss)</c> with <c>θss = G⁻¹P</c>, and its integral is
/// <c>∫θ = θss·h + A⁻¹(e^{Ah} − I)(θ(0) − θss)</c>, which gives the mean junction temperature and the heat
/// leaving through the ambient conductances. Leakage <c>P_leak = s·P_leak(T0)·exp(k(T − T0))</c> is evaluated at the
/// step's mean junction temperature, which is affine in the total power; the resulting scalar fixed point is solved
/// by Newton's method, and a missing fixed point is reported as runaway.
/// </summary>
public sealed class ThermalModel
{
    /// <summary>
    /// A junction temperature no silicon survives; beyond it the exponential leakage model means nothing, so the step
    /// is reported as runaway.
    /// </summary>
    public const double RunawayLimitC = 500;

    private const int MaxCachedSteps = 4096;

    private readonly double[,] _a;
    private readonly double[] _r;
    private readonly double[] _rise;
    private readonly double[] _scratch;
    private readonly Dictionary<double, (double[,] Phi, double[,] M, double[,] N)> _cache = [];

    public ThermalModel(ThermalNetwork network, double ambientC, double leakagePowerW = 0, double leakageReferenceC = 25, double leakageCoefficientPerK = 0)
    {
        Network = network;
        AmbientC = ambientC;
        LeakagePowerW = leakagePowerW;
        LeakageReferenceC = leakageReferenceC;
        LeakageCoefficientPerK = leakageCoefficientPerK;
        int n = network.NodeCount;
        _a = network.SystemMatrix();
        double[,] gInv = DenseMatrix.Inverse(network.Conductance);
        _r = [.. Enumerable.Range(0, n).Select(i => gInv[i, 0])];
        _rise = new double[n];
        _scratch = new double[n];
    }

    /// <summary>The model of a spec's three-node chain with its leakage.</summary>
    public ThermalModel(ThermalSpec spec)
        : this(ThermalNetwork.FromSpec(spec), spec.AmbientC, spec.LeakagePowerW, spec.LeakageReferenceC, spec.LeakageCoefficientPerK)
    {
    }

    public ThermalNetwork Network { get; }

    public double AmbientC { get; }

    public double LeakagePowerW { get; }

    public double LeakageReferenceC { get; }

    public double LeakageCoefficientPerK { get; }

    public double JunctionC => AmbientC + _rise[0];

    /// <summary>Node temperatures in °C, in <see cref="ThermalNetwork.NodeNames"/> order.</summary>
    public double[] NodeTemperaturesC() => [.. _rise.Select(r => AmbientC + r)];

    /// <summary>Heat stored above ambient, Σ Cᵢθᵢ, in J.</summary>
    public double StoredEnergyJ
    {
        get
        {
            double e = 0;
            for (int i = 0; i < _rise.Length; i++)
            {
                e += Network.CapacitanceJPerK[i] * _rise[i];
            }

            return e;
        }
    }

    /// <summary>Puts every node back at ambient.</summary>
    public void Reset() => Array.Clear(_rise);

    /// <summary>Sets the node temperatures (°C).</summary>
    public void SetTemperatures(ReadOnlySpan<double> temperaturesC)
    {
        for (int i = 0; i < _rise.Length; i++)
        {
            _rise[i] = temperaturesC[i] - AmbientC;
        }
    }

    /// <summary>
    /// Advances by <paramref name="seconds"/> with <paramref name="dynamicPowerW"/> at the junction plus leakage
    /// scaled by <paramref name="leakageScale"/> (the DVFS voltage ratio). On runaway the state is left unchanged.
    /// </summary>
    public ThermalStepResult Advance(double seconds, double dynamicPowerW, double leakageScale = 1)
    {
        if (!(seconds > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "must be > 0");
        }

        var (phi, m, nMat) = StepMatrices(seconds);

        // Mean junction rise over the step is a + b·P: a from the initial state, b = (N r)₀ / h from the power.
        double a = Row0(m, _rise) / seconds;
        double b = Row0(nMat, _r) / seconds;
        double amp = leakageScale * LeakagePowerW * Math.Exp(LeakageCoefficientPerK * (AmbientC + a + (b * dynamicPowerW) - LeakageReferenceC));
        if (!SolveLeakage(amp, LeakageCoefficientPerK * b, out double leak))
        {
            return new ThermalStepResult(leak, double.NaN, double.NaN, double.NaN, false);
        }

        double p = dynamicPowerW + leak;
        double ambientOut = 0;
        for (int i = 0; i < _rise.Length; i++)
        {
            _scratch[i] = _rise[i] - (p * _r[i]);
        }

        for (int i = 0; i < _rise.Length; i++)
        {
            double phiD = 0, mD = 0;
            for (int j = 0; j < _rise.Length; j++)
            {
                phiD += phi[i, j] * _scratch[j];
                mD += m[i, j] * _scratch[j];
            }

            ambientOut += Network.AmbientConductanceWPerK[i] * ((p * _r[i] * seconds) + mD);
            _rise[i] = (p * _r[i]) + phiD;
        }

        bool ok = double.IsFinite(_rise[0]) && JunctionC <= RunawayLimitC;
        return new ThermalStepResult(leak, p * seconds, ambientOut, AmbientC + a + (b * p), ok);
    }

    /// <summary>
    /// The junction temperature that constant dynamic power settles at: θ = R·(P + P_leak(T_amb + θ)) with R the
    /// junction-to-ambient resistance; no solution means runaway.
    /// </summary>
    public ThermalSteadyState SteadyState(double dynamicPowerW, double leakageScale = 1)
    {
        double r = _r[0];
        double amp = leakageScale * LeakagePowerW * Math.Exp(LeakageCoefficientPerK * (AmbientC + (r * dynamicPowerW) - LeakageReferenceC));
        if (!SolveLeakage(amp, LeakageCoefficientPerK * r, out double leak))
        {
            return new ThermalSteadyState(false, double.PositiveInfinity, double.PositiveInfinity,
                $"no steady state: leakage rises faster with temperature than {r:G4} K/W can shed it at {dynamicPowerW:G4} W dynamic power (thermal runaway)");
        }

        double junction = AmbientC + (r * (dynamicPowerW + leak));
        return junction > RunawayLimitC
            ? new ThermalSteadyState(false, junction, leak, $"steady junction {junction:F0} degC is above {RunawayLimitC} degC (thermal runaway)")
            : new ThermalSteadyState(true, junction, leak, null);
    }

    /// <summary>
    /// Solves x = amp·e^{kb·x} for its smallest root by Newton's method from x = amp. f(x) = x − amp·e^{kb·x} is
    /// concave, so from the left every iterate stays at or below the smallest root and increases; when the slope turns
    /// non-positive first, f never reaches zero and there is no fixed point.
    /// </summary>
    internal static bool SolveLeakage(double amp, double kb, out double x)
    {
        x = amp;
        if (amp == 0 || kb == 0)
        {
            return double.IsFinite(x);
        }

        for (int i = 0; i < 200; i++)
        {
            double g = amp * Math.Exp(kb * x);
            double slope = 1 - (kb * g);
            if (!(slope > 0) || !double.IsFinite(g))
            {
                return false;
            }

            double dx = (g - x) / slope;
            x += dx;
            if (Math.Abs(dx) <= 1e-15 * Math.Abs(x))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Φ = e^{Ah}, M = ∫₀ʰ e^{As} ds = h·φ₁(Ah) and N = h·I − M = −A h² φ₂(Ah), all from one exponential of the block
    /// matrix [[Ah, I, 0], [0, 0, I], [0, 0, 0]] (Van Loan, IEEE TAC 1978; its first row of blocks is Φ, φ₁, φ₂), so
    /// that no step, however short, loses the mean temperature to cancellation.
    /// </summary>
    private (double[,] Phi, double[,] M, double[,] N) StepMatrices(double seconds)
    {
        if (_cache.TryGetValue(seconds, out var hit))
        {
            return hit;
        }

        if (_cache.Count >= MaxCachedSteps)
        {
            _cache.Clear();
        }

        int n = _a.GetLength(0);
        var big = new double[3 * n, 3 * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                big[i, j] = _a[i, j] * seconds;
            }

            big[i, n + i] = 1;
            big[n + i, (2 * n) + i] = 1;
        }

        double[,] e = DenseMatrix.Exp(big);
        var phi = new double[n, n];
        var m = new double[n, n];
        var phi2 = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                phi[i, j] = e[i, j];
                m[i, j] = e[i, n + j] * seconds;
                phi2[i, j] = e[i, (2 * n) + j];
            }
        }

        double[,] nMat = DenseMatrix.Scale(DenseMatrix.Multiply(_a, phi2), -seconds * seconds);
        _cache[seconds] = (phi, m, nMat);
        return (phi, m, nMat);
    }

    private static double Row0(double[,] m, ReadOnlySpan<double> v)
    {
        double s = 0;
        for (int j = 0; j < v.Length; j++)
        {
            s += m[0, j] * v[j];
        }

        return s;
    }
}
