using System.Collections.Immutable;
using SiliconSim.Config.Sweeps;
using SiliconSim.Config.Sweeps.Search;

namespace SiliconSim.Config.Tests.Sweeps;

/// <summary>
/// The search's pieces: NSGA-II's ranks and crowding on a set worked by hand, generations as a function of seed and
/// history, the budget, no point proposed twice, rejected points never proposed, and the Latin hypercube's strata.
/// </summary>
public sealed class SearchPlannerTests
{
    private static SweepSearch Search(SearchMethod method, int budget, int population = 12, ulong seed = 1) =>
        new(method, seed, budget, population, SweepSearch.DefaultObjectives, new Diagnostics.SourceLocation("s.yaml", 1, 1));

    private static SearchOutcome Point(double? f1, double? f2) =>
        new([], f1 is double a && f2 is double b ? ImmutableArray.Create(a, b) : null);

    [Fact]
    public void RankAndCrowding_MatchDebsDefinitions_OnAHandWorkedSet()
    {
        // A, B, C trade off (front 0); B dominates D (front 1); D dominates E (front 2); F has no objectives (last).
        SearchOutcome[] points = [Point(1, 5), Point(2, 3), Point(4, 1), Point(3, 4), Point(5, 5), Point(null, null)];
        var (rank, crowding) = Nsga2.RankAndCrowding(points);
        Assert.Equal([0, 0, 0, 1, 2, 3], rank);

        // B's neighbours span the whole front in both objectives: (4 - 1) / (4 - 1) + (5 - 1) / (5 - 1) = 2.
        Assert.Equal([double.PositiveInfinity, 2, double.PositiveInfinity], crowding[..3]);
        Assert.Equal(0, crowding[5]);
    }

    [Fact]
    public void Select_KeepsTheBestRanksThenTheLeastCrowded()
    {
        // Front 0 of four points: the two extremes (infinite crowding) and the interior one with the larger gap survive.
        List<SearchOutcome> all = [Point(1, 10), Point(2, 9), Point(5, 3), Point(10, 1), Point(6, 9)];
        var chosen = Nsga2.Select(all, 3);
        Assert.Equal([all[0], all[3], all[2]], chosen);
    }

    /// <summary>Runs a whole search on a synthetic two-objective grid; returns its generations.</summary>
    private static List<IReadOnlyList<SearchOutcome>> RunSearch(SweepSearch search, ImmutableArray<int> lengths, Func<ImmutableArray<int>, bool> runnable)
    {
        var generations = new List<IReadOnlyList<SearchOutcome>>();
        while (true)
        {
            var next = SearchPlanner.Generation(search, lengths, generations, runnable);
            if (next.IsEmpty)
            {
                return generations;
            }

            // f1 falls and f2 rises with the genes' sum: every sum is a front point, a classic conflicting pair.
            generations.Add([.. next.Select(g => new SearchOutcome(g, ImmutableArray.Create((double)g.Sum(), (double)g.Sum(v => (7 - v) * (7 - v)))))]);
        }
    }

    [Theory]
    [InlineData(SearchMethod.Nsga2)]
    [InlineData(SearchMethod.Random)]
    [InlineData(SearchMethod.LatinHypercube)]
    public void ASearch_SpendsAtMostItsBudget_ProposesNoPointTwice_AndNoRejectedPoint(SearchMethod method)
    {
        ImmutableArray<int> lengths = [8, 8, 8, 8, 8];
        var generations = RunSearch(Search(method, 100), lengths, g => g[0] != 0);
        var all = generations.SelectMany(g => g).Select(o => string.Join(',', o.Genes)).ToList();
        Assert.InRange(all.Count, method == SearchMethod.LatinHypercube ? 60 : 100, 100);
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.DoesNotContain(all, g => g.StartsWith("0,", StringComparison.Ordinal));
        Assert.Equal(method == SearchMethod.Nsga2 ? 9 : 1, generations.Count);
    }

    [Fact]
    public void Generations_AreAFunctionOfTheSeedAndTheHistory()
    {
        ImmutableArray<int> lengths = [6, 6, 6];
        string Run(ulong seed) => string.Join(';', RunSearch(Search(SearchMethod.Nsga2, 60, 10, seed), lengths, _ => true).SelectMany(g => g).Select(o => string.Join(',', o.Genes)));
        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }

    [Fact]
    public void ASearchWithABudgetAboveTheGrid_VisitsEveryRunnablePointOnce()
    {
        ImmutableArray<int> lengths = [3, 4];
        var all = RunSearch(Search(SearchMethod.Random, 50), lengths, g => g[1] != 3).SelectMany(g => g).ToList();
        Assert.Equal(9, all.Count);
        Assert.Equal(9, all.Select(o => string.Join(',', o.Genes)).Distinct().Count());
    }

    [Fact]
    public void LatinHypercube_WithAsManySamplesAsValues_UsesEveryValueOfEveryAxisOnce()
    {
        ImmutableArray<int> lengths = [10, 10, 10];
        var points = SearchPlanner.Generation(Search(SearchMethod.LatinHypercube, 10), lengths, [], _ => true);
        Assert.Equal(10, points.Length);
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(Enumerable.Range(0, 10), points.Select(p => p[k]).Order());
        }
    }
}

/// <summary>The search keys of a sweep file: defaults with their reasons, and what a search cannot be.</summary>
public sealed class SearchSpecTests : IDisposable
{
    private readonly SweepFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void SearchKeys_ReadIntoTheDefinition_WithDefaults()
    {
        var sweep = _files.LoadValid("base: edge-npu\nmodels: [m.onnx]\naxes:\n  array.rows: [8, 16]\nsearch: latin_hypercube\nbudget: 2\n");
        Assert.Equal(new SweepSearch(SearchMethod.LatinHypercube, 1, 2, 24, SweepSearch.DefaultObjectives, sweep.Search!.ObjectivesLocation), sweep.Search);

        var set = _files.LoadValid("base: edge-npu\nmodels: [m.onnx]\naxes:\n  array.rows: [8, 16]\nsearch: nsga2\nseed: 9\nbudget: 2\npopulation: 4\nobjectives: [energy_j, cycles]\n");
        Assert.Equal((SearchMethod.Nsga2, 9UL, 4), (set.Search!.Method, set.Search.Seed, set.Search.Population));
        Assert.Equal(["energy_j", "cycles"], set.Search.Objectives.ToArray());
    }

    [Fact]
    public void ASearch_MayExploreAGridBeyondMaxPoints_ButItsBudgetMayNot()
    {
        // 4096^3 points: far beyond max_points as a grid, fine as a space to search.
        const string Axes = "axes:\n  array.rows: {start: 1, stop: 4096, step: 1}\n  array.cols: {start: 1, stop: 4096, step: 1}\n";
        Assert.NotNull(_files.LoadValid($"base: edge-npu\nmodels: [m.onnx]\n{Axes}search: random\nbudget: 100\n").Search);
        var grid = _files.Load($"base: edge-npu\nmodels: [m.onnx]\n{Axes}");
        Assert.Contains(grid.Diagnostics, d => d.Message.Contains("more than max_points", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("combine: zip\nsearch: random\nbudget: 5\n", "search: a search explores the grid of the axes; remove combine: zip")]
    [InlineData("search: random\nbudget: 0\n", "budget: must be an integer >= 1, got '0'")]
    [InlineData("search: nsga2\nbudget: 5\npopulation: 1\n", "population: must be an integer >= 2, got '1'")]
    [InlineData("search: random\nbudget: 5\nseed: -3\n", "seed: must be an integer >= 0, got '-3'")]
    [InlineData("population: 4\n", "population: only a search has this setting")]
    public void BadSearchSettings_AreLocatedDiagnostics(string settings, string message)
    {
        var r = _files.Load($"base: edge-npu\nmodels: [m.onnx]\naxes:\n  array.rows: [8, 16]\n{settings}");
        Assert.False(r.Success);
        Assert.Contains(r.Diagnostics, d => d.ToString().Contains(message, StringComparison.Ordinal) && d.ToString().Contains("s.yaml:", StringComparison.Ordinal));
    }

    [Fact]
    public void ASearchOverTwoModels_IsRefused()
    {
        File.WriteAllBytes(_files.PathOf("n.onnx"), [0]);
        var r = _files.Load("base: edge-npu\nmodels: [m.onnx, n.onnx]\naxes:\n  array.rows: [8, 16]\nsearch: random\nbudget: 2\n");
        Assert.Contains(r.Diagnostics, d => d.Message.Contains("a search explores one model's configs; got 2 models", StringComparison.Ordinal));
    }
}
