using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SiliconSim.Cli.Io;
using SiliconSim.Cli.Validation;
using SiliconSim.Config.Sweeps;
using SiliconSim.Config.Topology;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Passes;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Simulation;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Mapping;
using SiliconSim.Simulation.Numerics;

namespace SiliconSim.Cli.Sweeps;

/// <summary>
/// Runs an expanded sweep: each model once functionally, then the timing model per point in parallel, each point's
/// outcome written atomically to <c>points/&lt;key&gt;.json</c> (key = SHA-256 of resolved config YAML, model file hash
/// and tool version) so a rerun skips finished points; <c>results.csv</c> and <c>pareto.csv</c> are always rebuilt from
/// the expansion and the stored points, in point order, so they do not depend on thread count or interruptions.
/// </summary>
internal sealed class SweepRunner
{
    private static readonly char[] s_csvSpecial = [',', '"', '\n', '\r'];
    private readonly SweepDefinition _sweep;
    private readonly ImmutableArray<SweepPoint> _points;
    private readonly ImmutableArray<IPointEvaluator> _evaluators;
    private readonly string _outDir;
    private readonly string _version;
    private readonly Dictionary<string, ModelWork> _models = new(StringComparer.Ordinal);
    private readonly string _evaluation;

    public SweepRunner(SweepDefinition sweep, string outDir, string version, ImmutableArray<IPointEvaluator>? evaluators = null)
    {
        _sweep = sweep;
        _points = [.. SweepExpander.Expand(sweep)];
        _evaluators = evaluators ?? DefaultEvaluators(sweep);
        _outDir = outDir;
        _version = version;
        string thermal = _evaluators.OfType<ThermalEvaluator>().FirstOrDefault() is { } t ? t.ThermalSeconds.ToString("R", CultureInfo.InvariantCulture) : "none";
        _evaluation = $"metrics {string.Join(',', MetricColumns)}; thermal_seconds {thermal}";
    }

    /// <summary>
    /// The metric evaluators every sweep runs: timing, energy (its <c>energy_j</c> column makes energy pareto.csv's
    /// second metric) and thermal over the sweep's <c>thermal_seconds</c>, which prices power with the same energy.
    /// </summary>
    public static ImmutableArray<IPointEvaluator> DefaultEvaluators(SweepDefinition sweep)
    {
        var energy = new EnergyEvaluator();
        return [new TimingEvaluator(), energy, new ThermalEvaluator(sweep.ThermalSeconds, energy)];
    }

    public ImmutableArray<SweepPoint> Points => _points;

    public ImmutableArray<string> MetricColumns => [.. _evaluators.SelectMany(e => e.Columns)];

    /// <summary>The second Pareto metric: energy when an evaluator provides it, else DRAM traffic.</summary>
    public string ParetoMetric => MetricColumns.Contains("energy_j") ? "energy_j" : "dram_bytes";

    public string PointsDir => Path.Combine(_outDir, "points");

    /// <summary>Loads, lowers, executes and extracts layers of every model once (a topology's rows are its layers).</summary>
    /// <exception cref="FormatException">a topology CSV is malformed (file:line:column messages).</exception>
    public void PrepareModels()
    {
        AcceleratorSpec? numericsSpec = _points.FirstOrDefault(p => p.Runnable)?.Spec;
        foreach (string model in _sweep.Models.Distinct(StringComparer.Ordinal))
        {
            _models[model] = Prepare(model, numericsSpec);
        }
    }

    private static ModelWork Prepare(string target, AcceleratorSpec? spec)
    {
        if (!Directory.Exists(target) && string.Equals(Path.GetExtension(target), ".csv", StringComparison.OrdinalIgnoreCase))
        {
            return PrepareTopology(target);
        }

        (string modelPath, string? caseFolder) = Directory.Exists(target) ? (Path.Combine(target, "model.onnx"), target) : (target, null);
        ModelGraph graph = ModelFiles.LoadModel(modelPath);
        ModelGraph lowered = AcceleratorLowering.Lower(graph, spec);
        var unsupported = GraphExecutor.FindUnsupported(lowered);
        if (unsupported.Count > 0)
        {
            throw new UserInputException(modelPath, UnsupportedNode.Describe(unsupported));
        }

        var runtimeInputs = graph.RuntimeInputs.ToList();
        string? dataSet = caseFolder is null ? null : new TestCase(Path.GetFileName(Path.GetFullPath(caseFolder)), caseFolder).DataSets is [var first, ..] ? first : null;
        Dictionary<string, int[]> shapes;
        int batch;
        string values;
        if (dataSet is not null && TestCase.NumberedFiles(dataSet, "input_") is { } inputFiles && inputFiles.Count == runtimeInputs.Count)
        {
            var inputs = new Dictionary<string, TensorValue>(StringComparer.Ordinal);
            for (int i = 0; i < inputFiles.Count; i++)
            {
                inputs[runtimeInputs[i].Name] = ModelFiles.LoadTensor(inputFiles[i]);
            }

            // Values depend on the array's numerics only, never on timing: one functional run per model, under the
            // first runnable point's numerics (sweeping numerics fields changes timing inputs, not these values).
            var execution = spec is null ? new ExecutionOptions() : spec.Array.Numerics.ToExecutionOptions();
            var actual = GraphExecutor.Run(lowered, inputs, null, execution);
            var golden = TestCase.NumberedFiles(dataSet, "output_").Select(ModelFiles.LoadTensor).ToList();
            long mismatches = golden.Count == actual.Count ? actual.Select((a, k) => TensorComparison.Compare(a.Value, golden[k])).Sum(c => c.Problem is null ? c.Mismatches : c.Elements) : -1;
            values = mismatches < 0 ? "executed" : mismatches == 0 ? "bit-exact" : $"{mismatches} mismatches";
            shapes = inputs.ToDictionary(kv => kv.Key, kv => kv.Value.Shape.ToArray(), StringComparer.Ordinal);
            batch = inputs.Values.First().Rank > 0 ? inputs.Values.First().Shape[0] : 1;
        }
        else
        {
            shapes = ShapeInference.InputShapes(graph, 1);
            batch = 1;
            values = "timing only";
        }

        var layers = LayerExtractor.Extract(lowered, shapes).Layers;
        string name = caseFolder is not null ? Path.GetFileName(Path.GetFullPath(caseFolder)) : Path.GetFileNameWithoutExtension(modelPath);
        string sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(modelPath)));
        return new ModelWork(target, name, sha, layers, batch, new OperandTypes(lowered), values);
    }

    /// <summary>A SCALE-Sim topology, timed as <c>run --topology</c> does: its layers at batch 1, no values.</summary>
    private static ModelWork PrepareTopology(string path)
    {
        // A malformed topology throws FormatException with file:line:column messages; the sweep command prints them.
        ImmutableArray<MatrixLayer> layers = ScaleSimTopologyReader.Parse(File.ReadAllText(path), path);
        string sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        return new ModelWork(path, Path.GetFileNameWithoutExtension(path), sha, [.. layers.Cast<LayerWork>()], 1, null, "timing only (topology)");
    }

    /// <summary>
    /// The point's key: SHA-256 over the resolved config YAML, the model file's hash, the tool version and what is
    /// evaluated (the metric columns and the thermal duration), so a stored point from a sweep that computed other
    /// columns, or the same ones over another duration, is never reused with missing or different cells.
    /// </summary>
    public string Key(SweepPoint point) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{point.ConfigYaml}\n--\n{_models[point.Model].Sha256}\n--\n{_version}\n--\n{_evaluation}")));

    private string PointFile(string key) => Path.Combine(PointsDir, key + ".json");

    /// <summary>The runnable points without a complete stored result, in index order.</summary>
    public ImmutableArray<SweepPoint> Pending() => [.. _points.Where(p => p.Runnable && TryRead(PointFile(Key(p))) is null)];

    /// <summary>
    /// Runs <paramref name="pending"/> on <paramref name="jobs"/> workers; stops scheduling on cancellation (points in
    /// flight finish and are stored). <paramref name="done"/> is called after each stored point (from worker threads).
    /// Returns true when every point ran.
    /// </summary>
    public bool Run(ImmutableArray<SweepPoint> pending, int jobs, CancellationToken cancel, Action<SweepPoint>? done = null)
    {
        Directory.CreateDirectory(PointsDir);
        try
        {
            Parallel.ForEach(
                pending,
                new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = cancel },
                point =>
                {
                    Store(point, Evaluate(point));
                    done?.Invoke(point);
                });
            return true;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return false;
        }
    }

    private PointRecord Evaluate(SweepPoint point)
    {
        ModelWork model = _models[point.Model];
        PerformanceOutcome outcome = PerformanceModel.Evaluate(point.Spec!, model.Layers, model.Name, model.Batch, model.OperandTypes);
        string key = Key(point);
        if (!outcome.Success)
        {
            string reason = string.Join("; ", outcome.Problems.Select(p => $"{p.ConfigPath}: {p.Message}"));
            return new PointRecord(key, "infeasible", reason, ImmutableDictionary<string, double?>.Empty);
        }

        var context = new PointContext(point, model.Layers);
        var metrics = ImmutableDictionary.CreateBuilder<string, double?>(StringComparer.Ordinal);
        foreach (IPointEvaluator evaluator in _evaluators)
        {
            var values = evaluator.Evaluate(context, outcome.Result!);
            for (int i = 0; i < evaluator.Columns.Length; i++)
            {
                metrics[evaluator.Columns[i]] = values[i];
            }
        }

        return new PointRecord(key, "ok", null, metrics.ToImmutable());
    }

    private void Store(SweepPoint point, PointRecord record)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("key", record.Key);
            json.WriteString("tool_version", _version);
            json.WriteString("model", point.Model);
            json.WriteString("model_sha256", _models[point.Model].Sha256);
            json.WriteStartObject("values");
            for (int k = 0; k < _sweep.Axes.Length; k++)
            {
                json.WriteString(_sweep.Axes[k].Path, point.Values[k]);
            }

            json.WriteEndObject();
            json.WriteString("status", record.Status);
            if (record.Reason is not null)
            {
                json.WriteString("reason", record.Reason);
            }

            json.WriteStartObject("metrics");
            foreach (string column in MetricColumns.Where(record.Metrics.ContainsKey))
            {
                if (record.Metrics[column] is double v && double.IsFinite(v))
                {
                    json.WriteNumber(column, v);
                }
                else
                {
                    json.WriteNull(column);
                }
            }

            json.WriteEndObject();
            json.WriteString("config_yaml", point.ConfigYaml);

            // Written last: a reader treats a file without it as incomplete.
            json.WriteBoolean("complete", true);
            json.WriteEndObject();
        }

        // Temp file then atomic rename: a killed sweep leaves either no file or a complete one.
        string final = PointFile(record.Key);
        string temp = final + "." + Environment.CurrentManagedThreadId.ToString(CultureInfo.InvariantCulture) + ".tmp";
        File.WriteAllBytes(temp, buffer.ToArray());
        File.Move(temp, final, overwrite: true);
    }

    private static PointRecord? TryRead(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = doc.RootElement;
            if (!root.TryGetProperty("complete", out var complete) || complete.ValueKind != JsonValueKind.True)
            {
                return null;
            }

            var metrics = ImmutableDictionary.CreateBuilder<string, double?>(StringComparer.Ordinal);
            foreach (JsonProperty m in root.GetProperty("metrics").EnumerateObject())
            {
                metrics[m.Name] = m.Value.ValueKind == JsonValueKind.Number ? m.Value.GetDouble() : null;
            }

            return new PointRecord(
                root.GetProperty("key").GetString()!,
                root.GetProperty("status").GetString()!,
                root.TryGetProperty("reason", out var r) ? r.GetString() : null,
                metrics.ToImmutable());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// Rebuilds results.csv (every point, in index order: dropped ones with their reason, unfinished ones as pending)
    /// and pareto.csv from the stored points. Returns the number of points with a stored outcome.
    /// </summary>
    public int WriteTables()
    {
        Directory.CreateDirectory(_outDir);
        var metricColumns = MetricColumns;
        var records = _points.Select(p => p.Runnable ? TryRead(PointFile(Key(p))) : null).ToList();
        var header = new List<string> { "index" };
        header.AddRange(_sweep.Axes.Select(a => a.Path));
        header.AddRange(["model", "status", "reason"]);
        header.AddRange(metricColumns);
        var rows = new List<List<string>>(_points.Length);
        for (int i = 0; i < _points.Length; i++)
        {
            SweepPoint p = _points[i];
            PointRecord? r = records[i];
            var row = new List<string> { p.Index.ToString(CultureInfo.InvariantCulture) };
            row.AddRange(p.Values);
            row.Add(_models[p.Model].Name);
            row.Add(!p.Runnable ? "dropped" : r is null ? "pending" : r.Status);
            row.Add(p.DropReason ?? r?.Reason ?? string.Empty);
            row.AddRange(metricColumns.Select(c => r?.Metrics.GetValueOrDefault(c) is double v ? Format(v) : string.Empty));
            rows.Add(row);
        }

        File.WriteAllText(Path.Combine(_outDir, "results.csv"), CsvText(header, rows));
        var pareto = ParetoFront(records);
        File.WriteAllText(Path.Combine(_outDir, "pareto.csv"), CsvText(pareto.Header, pareto.Rows));
        Reporting.RenderedChart? chart = WriteParetoChart(records);
        WriteReport(header, rows, pareto, chart);
        return records.Count(r => r is not null);
    }

    /// <summary>
    /// report.html: the Pareto front, every point with its swept values and headline metrics (the rest are in
    /// results.csv), and the Pareto chart, in one self-contained page.
    /// </summary>
    private void WriteReport(List<string> header, List<List<string>> rows, (List<string> Header, List<List<string>> Rows) pareto, Reporting.RenderedChart? chart)
    {
        string[] headline = ["latency_s", "inferences_per_second", "utilization", "energy_j", "tops_per_w", "peak_junction_c", "throttled", "sustained_inferences_per_s"];
        int[] columns = [.. Enumerable.Range(0, header.Count).Where(c => c < _sweep.Axes.Length + 4 || headline.Contains(header[c], StringComparer.Ordinal))];
        var front = new Reporting.Html.TablePage.Table(
            "Pareto front (latency and " + ParetoMetric + ", per model)", pareto.Header, [.. pareto.Rows]);
        var points = new Reporting.Html.TablePage.Table(
            $"Points ({rows.Count(r => r[header.IndexOf("status")] == "ok")} ok of {rows.Count}; every column in results.csv)",
            [.. columns.Select(c => header[c])],
            [.. rows.Select(r => (IReadOnlyList<string>)[.. columns.Select(c => r[c])])]);
        using var writer = new StreamWriter(Path.Combine(_outDir, "report.html"));
        Reporting.Html.TablePage.Write($"Sweep: {Path.GetFileName(_outDir.TrimEnd(Path.DirectorySeparatorChar))}", [front, points], chart is null ? [] : [chart], writer);
    }

    /// <summary>
    /// pareto.png/.svg: every finished point's energy per inference against latency, coloured by the spec's
    /// <c>color_by</c> axis or the first one (its position in the axis when it is not numeric), the front highlighted.
    /// Needs the energy column.
    /// </summary>
    private Reporting.RenderedChart? WriteParetoChart(List<PointRecord?> records)
    {
        // The spec's color_by axis, else the first; -1 when the sweep has no axes (colour by point index).
        int colour = _sweep.ColorBy is { } chosen ? _sweep.Axes.Select(a => a.Path).ToList().IndexOf(chosen) : _sweep.Axes.Length > 0 ? 0 : -1;
        var points = new List<Reporting.Charts.SweepPoint>();
        for (int i = 0; i < _points.Length; i++)
        {
            if (records[i] is { Status: "ok" } r && r.Metrics.GetValueOrDefault("latency_s") is double latency && r.Metrics.GetValueOrDefault("energy_j") is double energy)
            {
                SweepPoint p = _points[i];
                string value = colour >= 0 ? p.Values[colour] : string.Empty;
                double parameter = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : colour >= 0 ? _sweep.Axes[colour].Values.IndexOf(value) : p.Index;
                points.Add(new Reporting.Charts.SweepPoint(p.Index.ToString(CultureInfo.InvariantCulture), latency, energy, parameter));
            }
        }

        if (points.Count == 0)
        {
            return null;
        }

        string parameterName = colour >= 0 ? _sweep.Axes[colour].Path : "index";
        return Reporting.ChartFiles.Save(Reporting.Charts.ParetoChart.Build(points, parameterName), _outDir, "pareto", Reporting.Charts.ParetoChart.Title);
    }

    /// <summary>
    /// Per model, the points not dominated in (latency_s, second metric), both minimized; sorted by latency. A point is
    /// dominated when another is no worse in both and better in one.
    /// </summary>
    private (List<string> Header, List<List<string>> Rows) ParetoFront(List<PointRecord?> records)
    {
        string metric = ParetoMetric;
        var header = new List<string> { "model", "index" };
        header.AddRange(_sweep.Axes.Select(a => a.Path));
        header.AddRange(["latency_s", metric]);
        var rows = new List<List<string>>();
        var candidates = _points.Select((p, i) => (Point: p, Record: records[i]))
            .Where(x => x.Record is { Status: "ok" } r && r.Metrics.GetValueOrDefault("latency_s") is double && r.Metrics.GetValueOrDefault(metric) is double)
            .Select(x => (x.Point, Latency: x.Record!.Metrics["latency_s"]!.Value, Metric: x.Record.Metrics[metric]!.Value))
            .ToList();
        foreach (var group in candidates.GroupBy(c => c.Point.Model, StringComparer.Ordinal))
        {
            var list = group.ToList();
            var front = list.Where(a => !list.Any(b => b.Latency <= a.Latency && b.Metric <= a.Metric && (b.Latency < a.Latency || b.Metric < a.Metric)))
                .OrderBy(a => a.Latency).ThenBy(a => a.Metric).ThenBy(a => a.Point.Index);
            foreach (var f in front)
            {
                var row = new List<string> { _models[f.Point.Model].Name, f.Point.Index.ToString(CultureInfo.InvariantCulture) };
                row.AddRange(f.Point.Values);
                row.Add(Format(f.Latency));
                row.Add(Format(f.Metric));
                rows.Add(row);
            }
        }

        return (header, rows);
    }

    private static string CsvText(List<string> header, List<List<string>> rows)
    {
        var sb = new StringBuilder();
        foreach (List<string> row in rows.Prepend(header))
        {
            sb.AppendJoin(',', row.Select(Csv)).Append('\n');
        }

        return sb.ToString();
    }

    public string ModelValues(string model) => _models[model].Values;

    private static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Csv(string field) =>
        field.IndexOfAny(s_csvSpecial) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
