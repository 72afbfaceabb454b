using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;

namespace SiliconSim.Hardware.Thermal;

/// <summary>
/// The thermal state of a <see cref="ThermalNetwork"/> and its exact solution for piecewise-constant power. With θ the
/// rise above ambient, A = −C⁻¹G and constant power P at the junction, the solution of <c>C dθ/dt = P − Gθ</c> over a
/// step h is <c>θ(h) = θss + e^{Ah}(θ(0) − θss)</c> with <c>θss = G⁻¹P</c>, and its integral is
/// <c>∫θ = θss·h + A⁻¹(e^{Ah} − I)(θ(0) − θss)</c>, which gives the mean junction temperature and the heat
/// leaving through the ambient conductances. Leakage is the <see cref="LeakageModel"/>'s
/// <c>P_leak(T, V) = P0·(V/V0)·exp(k(T − T0))</c>, evaluated at the step's mean junction temperature, which is affine in
/// the total power; the resulting scalar fixed point is solved by Newton's method, and a missing fixed point is
/// reported as runaway.
/// </summary>
public sealed class ThermalModel
{
    /// <summary>
    /// A junction temperature no silicon survives; beyond it the exponential leakage model means nothing, so the step
    /// is reported as runaway.
    /// </summary>
    public const double RunawayLimitC = 500;

    private readonly double[,] _a;
    private readonly double[] _r;
    private readonly double[] _rise;
    private readonly double[] _scratch;

    // Most runs step by a few lengths over and over (a control period, a layer's duration): those are looked up.
    private const int MaxCachedSteps = 4096;

    private readonly Dictionary<double, (double[,] Phi, double[,] M, double[,] N)> _cache = [];

    // A = V·diag(λ)·V⁻¹ (see StepMatrices): the eigenvalues and the two basis matrices, computed once.
    private readonly double[] _lambda;
    private readonly double[,] _v;
    private readonly double[,] _vInverse;

    /// <param name="network">The RC network; power enters at node 0.</param>
    /// <param name="ambientC">Ambient temperature, °C.</param>
    /// <param name="leakage">The die's leakage; null for none.</param>
    public ThermalModel(ThermalNetwork network, double ambientC, LeakageModel? leakage = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        Network = network;
        AmbientC = ambientC;
        Leakage = leakage ?? s_noLeakage;
        int n = network.NodeCount;
        _a = network.SystemMatrix();
        double[,] gInv = DenseMatrix.Inverse(network.Conductance);
        _r = [.. Enumerable.Range(0, n).Select(i => gInv[i, 0])];
        _rise = new double[n];
        _scratch = new double[n];
        (_lambda, _v, _vInverse) = Eigenbasis(network);
    }

    /// <summary>The model of a spec's three-node chain with <paramref name="leakage"/> (<see cref="LeakageModel.Of"/>).</summary>
    public ThermalModel(ThermalSpec spec, LeakageModel leakage)
        : this(ThermalNetwork.FromSpec(spec ?? throw new ArgumentNullException(nameof(spec))), spec.AmbientC, leakage ?? throw new ArgumentNullException(nameof(leakage)))
    {
    }

    private static readonly LeakageModel s_noLeakage = new() { ReferencePowerW = 0, ReferenceJunctionC = 25, NominalVoltageV = 1, DoublingC = 25, Source = "none" };

    public ThermalNetwork Network { get; }

    public double AmbientC { get; }

    /// <summary>The die's leakage, the same model energy accounting prices it with.</summary>
    public LeakageModel Leakage { get; }

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
    /// Advances by <paramref name="seconds"/> with <paramref name="dynamicPowerW"/> at the junction plus the leakage at
    /// <paramref name="supplyVoltageV"/> (a DVFS step's; null: the nominal voltage). On runaway the state is left unchanged.
    /// </summary>
    public ThermalStepResult Advance(double seconds, double dynamicPowerW, double? supplyVoltageV = null)
    {
        if (!(seconds > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "must be > 0");
        }

        var (phi, m, nMat) = StepMatrices(seconds);

        // Mean junction rise over the step is a + b·P: a from the initial state, b = (N r)₀ / h from the power.
        double a = Row0(m, _rise) / seconds;
        double b = Row0(nMat, _r) / seconds;
        double amp = Leakage.PowerW(AmbientC + a + (b * dynamicPowerW), supplyVoltageV ?? Leakage.NominalVoltageV);
        if (!SolveLeakage(amp, Leakage.CoefficientPerK * b, out double leak))
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
    /// junction-to-ambient resistance, leakage at <paramref name="supplyVoltageV"/> (null: nominal); no solution means
    /// runaway. At the solution the die dissipates exactly P + P_leak(T) = θ/R.
    /// </summary>
    public ThermalSteadyState SteadyState(double dynamicPowerW, double? supplyVoltageV = null)
    {
        double r = _r[0];
        double amp = Leakage.PowerW(AmbientC + (r * dynamicPowerW), supplyVoltageV ?? Leakage.NominalVoltageV);
        if (!SolveLeakage(amp, Leakage.CoefficientPerK * r, out double leak))
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
    /// Φ = e^{Ah}, M = ∫₀ʰ e^{As} ds = h·φ₁(Ah) and N = h·I − M = −A h² φ₂(Ah), exactly, for any step length: A is
    /// similar to a symmetric matrix (an RC network's C⁻¹G with C diagonal), so A = V·diag(λ)·V⁻¹ with real λ &lt; 0, and
    /// each matrix is V·diag(f(λ))·V⁻¹ with f = e^{λh}, h·φ₁(λh), −λh²·φ₂(λh), φ₁ and φ₂ evaluated so that no step,
    /// however short, loses the mean temperature to cancellation. Three scalar functions per node instead of a matrix
    /// exponential keeps arbitrary step lengths cheap (a long inference split at every control period).
    /// <see cref="StepMatricesByBlockExponential"/> is the same by Van Loan's block exponential, kept as the check.
    /// </summary>
    internal (double[,] Phi, double[,] M, double[,] N) StepMatrices(double seconds)
    {
        if (_cache.TryGetValue(seconds, out var hit))
        {
            return hit;
        }

        if (_cache.Count >= MaxCachedSteps)
        {
            _cache.Clear();
        }

        int n = _lambda.Length;
        var fPhi = new double[n];
        var fM = new double[n];
        var fN = new double[n];
        for (int k = 0; k < n; k++)
        {
            double z = _lambda[k] * seconds;
            fPhi[k] = Math.Exp(z);
            fM[k] = seconds * Phi1(z);
            fN[k] = -z * seconds * Phi2(z);
        }

        var matrices = (InBasis(fPhi), InBasis(fM), InBasis(fN));
        _cache[seconds] = matrices;
        return matrices;
    }

    /// <summary>The reference for <see cref="StepMatrices"/>: all three from one exponential of the block matrix
    /// [[Ah, I, 0], [0, 0, I], [0, 0, 0]] (Van Loan, IEEE TAC 1978; its first row of blocks is Φ, φ₁, φ₂).</summary>
    internal (double[,] Phi, double[,] M, double[,] N) StepMatricesByBlockExponential(double seconds)
    {
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

        return (phi, m, DenseMatrix.Scale(DenseMatrix.Multiply(_a, phi2), -seconds * seconds));
    }

    /// <summary>φ₁(z) = (e^z − 1)/z, 1 at 0.</summary>
    private static double Phi1(double z) => z == 0 ? 1 : ExpM1(z) / z;

    /// <summary>φ₂(z) = (e^z − 1 − z)/z², ½ at 0: its Taylor series below |z| = 0.02 (error under 1e-17), else directly.</summary>
    private static double Phi2(double z) => Math.Abs(z) < 0.02
        ? 0.5 + (z * ((1.0 / 6) + (z * ((1.0 / 24) + (z * ((1.0 / 120) + (z * ((1.0 / 720) + (z / 5040)))))))))
        : (ExpM1(z) - z) / (z * z);

    /// <summary>e^z − 1 to a few ulps for every z: Kahan's (u − 1)·z / ln u with u = e^z, which cancels the rounding of u.</summary>
    private static double ExpM1(double z)
    {
        double u = Math.Exp(z);
        return u == 1 ? z : u - 1 == -1 ? -1 : (u - 1) * z / Math.Log(u);
    }

    private double[,] InBasis(double[] diagonal)
    {
        int n = diagonal.Length;
        var result = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int k = 0; k < n; k++)
                {
                    sum += _v[i, k] * diagonal[k] * _vInverse[k, j];
                }

                result[i, j] = sum;
            }
        }

        return result;
    }

    /// <summary>
    /// A = −C⁻¹G = C^-½ S C^½ with S = −C^-½ G C^-½ symmetric; S = Q Λ Qᵀ by cyclic Jacobi rotations (exact to rounding
    /// for these small dense matrices, and deterministic); so V = C^-½ Q and V⁻¹ = Qᵀ C^½.
    /// </summary>
    private static (double[] Lambda, double[,] V, double[,] VInverse) Eigenbasis(ThermalNetwork network)
    {
        int n = network.NodeCount;
        ReadOnlySpan<double> c = network.CapacitanceJPerK;
        var s = new double[n, n];
        var q = DenseMatrix.Identity(n);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                s[i, j] = -network.Conductance[i, j] / Math.Sqrt(c[i] * c[j]);
            }
        }

        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, total = 0;
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    total += s[i, j] * s[i, j];
                    off += i == j ? 0 : s[i, j] * s[i, j];
                }
            }

            if (off <= 1e-32 * total)
            {
                break;
            }

            for (int p = 0; p < n - 1; p++)
            {
                for (int r = p + 1; r < n; r++)
                {
                    if (s[p, r] == 0)
                    {
                        continue;
                    }

                    // The rotation that zeroes s[p, r] (Golub and Van Loan, Matrix Computations, §8.5.2).
                    double theta = (s[r, r] - s[p, p]) / (2 * s[p, r]);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
                    double cs = 1 / Math.Sqrt((t * t) + 1), sn = t * cs;
                    for (int k = 0; k < n; k++)
                    {
                        double skp = s[k, p], skr = s[k, r];
                        s[k, p] = (cs * skp) - (sn * skr);
                        s[k, r] = (sn * skp) + (cs * skr);
                    }

                    for (int k = 0; k < n; k++)
                    {
                        double spk = s[p, k], srk = s[r, k];
                        s[p, k] = (cs * spk) - (sn * srk);
                        s[r, k] = (sn * spk) + (cs * srk);
                    }

                    for (int k = 0; k < n; k++)
                    {
                        double qkp = q[k, p], qkr = q[k, r];
                        q[k, p] = (cs * qkp) - (sn * qkr);
                        q[k, r] = (sn * qkp) + (cs * qkr);
                    }
                }
            }
        }

        var lambda = new double[n];
        var v = new double[n, n];
        var vInverse = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            lambda[i] = s[i, i];
            for (int k = 0; k < n; k++)
            {
                v[i, k] = q[i, k] / Math.Sqrt(c[i]);
                vInverse[k, i] = q[i, k] * Math.Sqrt(c[i]);
            }
        }

        return (lambda, v, vInverse);
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
