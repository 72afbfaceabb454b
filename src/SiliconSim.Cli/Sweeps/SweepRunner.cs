using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SiliconSim.Cli.Io;
using SiliconSim.Config.Sweeps;
using SiliconSim.Config.Sweeps.Search;
using SiliconSim.Reporting.Sweeps;
using SiliconSim.Simulation.Pipeline;

namespace SiliconSim.Cli.Sweeps;

/// <summary>
/// Runs an expanded sweep: each model is read and prepared once (<see cref="SweepModel"/>), then every point goes
/// through the one pipeline (<see cref="SimulationPipeline.Evaluate"/>) on <c>--jobs</c> workers, each outcome stored
/// in the <see cref="PointStore"/> under a key of the resolved config, model, tool version and what is evaluated, so a
/// rerun skips finished points. The tables (<see cref="SweepTables"/>) are always rebuilt from the expansion and the
/// stored points, in point order, so they depend on neither thread count, interruptions nor how the points were shared
/// among shards. A search's points come a generation at a time (<see cref="NextGeneration"/>).
/// </summary>
internal sealed class SweepRunner
{
    private readonly SweepDefinition _sweep;
    private readonly string _outDir;
    private readonly string _version;
    private readonly PointStore _store;
    private readonly Dictionary<string, SweepModel> _models = new(StringComparer.Ordinal);
    private readonly string _evaluation;
    private readonly SweepSpace? _space;

    public SweepRunner(SweepDefinition sweep, string outDir, string version)
    {
        _sweep = sweep;
        _outDir = outDir;
        _version = version;
        _store = new PointStore(outDir, version);
        string thermal = sweep.ThermalSeconds > 0 ? sweep.ThermalSeconds.ToString("R", CultureInfo.InvariantCulture) : "none";
        _evaluation = $"metrics {string.Join(',', SweepMetrics.Columns)}; thermal_seconds {thermal}";
        _space = sweep.Search is null ? null : new SweepSpace(sweep);
    }

    /// <summary>The memory budget each model's lowering and execution must stay within.</summary>
    public Numerics.MemoryBudget MemoryBudget { get; init; } = Numerics.MemoryBudget.Default;

    /// <summary>True for a search (points a generation at a time), false for a grid or zip.</summary>
    public bool Searches => _sweep.Search is not null;

    /// <summary>The two metrics of the Pareto table: the search's objectives, else latency and <see cref="ParetoMetric"/>.</summary>
    public (string X, string Y) Front => _sweep.Search is { } s ? (s.Objectives[0], s.Objectives[1]) : ("latency_s", ParetoMetric);

    /// <summary>The second Pareto metric beside latency.</summary>
    public static string ParetoMetric => SweepMetrics.ParetoMetric;

    /// <summary>
    /// The points of the next generation, given the generations already complete (every runnable point stored): a
    /// grid's one generation is every point; a search's come from <see cref="SearchPlanner"/> and the stored outcomes.
    /// Empty when there are no more.
    /// </summary>
    public ImmutableArray<SweepPoint> NextGeneration(IReadOnlyList<ImmutableArray<SweepPoint>> done)
    {
        if (_sweep.Search is not { } search)
        {
            return done.Count == 0 ? [.. SweepExpander.Expand(_sweep)] : [];
        }

        var lengths = _space!.AxisLengths;
        var outcomes = done.Select(g => (IReadOnlyList<SearchOutcome>)[.. g.Select(p => Outcome(p, search, lengths))]).ToList();
        var genes = SearchPlanner.Generation(search, lengths, outcomes, at => _space.At(0, at).Runnable);
        return [.. genes.Select(at => _space.At(0, at)).OrderBy(p => p.Index)];
    }

    private SearchOutcome Outcome(SweepPoint point, SweepSearch search, ImmutableArray<int> lengths)
    {
        int[] genes = new int[lengths.Length];
        long index = point.Index;
        for (int k = lengths.Length - 1; k >= 0; k--)
        {
            genes[k] = (int)(index % lengths[k]);
            index /= lengths[k];
        }

        PointRecord? r = point.Runnable ? _store.TryRead(Key(point)) : null;
        var values = search.Objectives.Select(o => r is { Status: "ok" } && r.Metrics.GetValueOrDefault(o) is double v ? v : double.NaN).ToImmutableArray();
        return new SearchOutcome([.. genes], values.All(double.IsFinite) ? values : null);
    }

    /// <summary>
    /// Reads every model once (its file and hash, which every point key needs), before any point runs, so a missing
    /// or malformed model fails the sweep at once, naming it.
    /// </summary>
    /// <exception cref="UserInputException">a model is missing or malformed.</exception>
    public void LoadModels()
    {
        foreach (string model in _sweep.Models.Distinct(StringComparer.Ordinal))
        {
            LoadedWorkload workload = WorkloadFiles.Load(model);
            workload = workload with { Request = workload.Request with { MemoryBudget = MemoryBudget } };
            _models[model] = new SweepModel(workload, WorkloadFiles.Sha256(workload.ModelPath));
        }
    }

    /// <summary>
    /// Prepares each model for every lowering the runnable <paramref name="points"/> need, before any of them runs, so a
    /// model that cannot run (an unsupported op, a failing node, a memory budget) fails the sweep at once, naming it.
    /// </summary>
    /// <exception cref="UserInputException">a model cannot run.</exception>
    public void PrepareModels(IEnumerable<SweepPoint> points)
    {
        foreach (SweepPoint point in points.Where(p => p.Runnable))
        {
            _ = _models[point.Model].For(point.Spec!);
        }
    }

    /// <summary>
    /// The point's key: SHA-256 over the resolved config YAML, the model file's hash, the tool version and what is
    /// evaluated (the metric columns and the thermal duration), so a stored point from a sweep that computed other
    /// columns, or the same ones over another duration, is never reused with missing or different cells.
    /// </summary>
    public string Key(SweepPoint point) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{point.ConfigYaml}\n--\n{_models[point.Model].Sha256}\n--\n{_version}\n--\n{_evaluation}")));

    /// <summary>The runnable points of <paramref name="points"/> without a complete stored result, in their order.</summary>
    public ImmutableArray<SweepPoint> Pending(IEnumerable<SweepPoint> points) => [.. points.Where(p => p.Runnable && _store.TryRead(Key(p)) is null)];

    /// <summary>
    /// Runs <paramref name="pending"/> on <paramref name="jobs"/> workers; stops scheduling on cancellation (points in
    /// flight finish and are stored). <paramref name="done"/> is called after each stored point (from worker threads).
    /// Returns true when every point ran.
    /// </summary>
    public bool Run(ImmutableArray<SweepPoint> pending, int jobs, CancellationToken cancel, Action<SweepPoint>? done = null)
    {
        try
        {
            Parallel.ForEach(
                pending,
                new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = cancel },
                point =>
                {
                    _store.Store(point, Axes, _models[point.Model].Sha256, SweepMetrics.Columns, Evaluate(point));
                    done?.Invoke(point);
                });
            return true;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return false;
        }
    }

    private ImmutableArray<string> Axes => [.. _sweep.Axes.Select(a => a.Path)];

    /// <summary>Axis <paramref name="k"/>'s config path.</summary>
    public string AxisPath(int k) => _sweep.Axes[k].Path;

    private PointRecord Evaluate(SweepPoint point)
    {
        var spec = point.Spec!;
        string key = Key(point);

        // Samples are only for run's chart: one per run keeps the per-point thermal cost to its steps alone.
        var options = new EvaluationOptions { ThermalSeconds = _sweep.ThermalSeconds, ThermalSampleIntervalS = _sweep.ThermalSeconds };
        // Every runnable point has its energy table, loaded and checked against its spec when the sweep was expanded.
        RunOutcome outcome = SimulationPipeline.Evaluate(_models[point.Model].For(spec), spec, point.EnergyTable!, options);
        if (!outcome.Success)
        {
            string reason = string.Join("; ", outcome.Problems.Select(p => $"{p.ConfigPath}: {p.Message}"));
            return new PointRecord(key, "infeasible", reason, ImmutableDictionary<string, double?>.Empty);
        }

        var values = SweepMetrics.Values(outcome.Result!);
        var metrics = SweepMetrics.Columns.Select((c, i) => KeyValuePair.Create(c, values[i])).ToImmutableDictionary(StringComparer.Ordinal);
        return new PointRecord(key, "ok", null, metrics);
    }

    /// <summary>Rebuilds the tables of <paramref name="points"/> (in index order) from the store. Returns the number of points with a stored outcome.</summary>
    public int WriteTables(IEnumerable<SweepPoint> points)
    {
        var rows = new List<SweepRow>();
        int stored = 0;
        foreach (SweepPoint p in points.OrderBy(p => p.Index))
        {
            PointRecord? r = p.Runnable ? _store.TryRead(Key(p)) : null;
            stored += r is null ? 0 : 1;
            string status = !p.Runnable ? "dropped" : r is null ? "pending" : r.Status;
            rows.Add(new SweepRow(p.Index, p.Values, _models[p.Model].Name, status, p.DropReason ?? r?.Reason ?? string.Empty, r?.Metrics ?? ImmutableDictionary<string, double?>.Empty));
        }

        SweepTables.Write(_outDir, Axes, rows, _sweep.ColorBy, Front);
        return stored;
    }
}
