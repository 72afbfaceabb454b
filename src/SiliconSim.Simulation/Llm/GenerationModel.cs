using System.Collections.Immutable;
using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation.Pipeline;

namespace SiliconSim.Simulation.Llm;

/// <summary>
/// Times a generation (docs/llm.md): the prefill pass, then decode steps at growing past lengths, each through the one
/// pipeline (network memory plan, energy). Steps between the sampled ones are interpolated linearly in the past length.
/// When the request carries the decoder's graph, its values are executed too (<see cref="GreedyDecoding"/>). Pure: no I/O.
/// </summary>
public static class GenerationModel
{
    /// <summary>Times <paramref name="request"/> on <paramref name="spec"/>; a problem (bad request, untileable layer)
    /// comes back as its message instead.</summary>
    public static (GenerationResult? Result, ImmutableArray<SimulationProblem> Problems) Evaluate(GenerationRequest request, AcceleratorSpec spec, EnergyTableSpec table)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(table);
        if (request.Problem() is { } problem)
        {
            return (null, [new SimulationProblem("request", problem)]);
        }

        DecoderPass Pass(int past, int tokens) => new() { Shape = request.Shape, Batch = request.Batch, NewTokens = tokens, PastTokens = past, Weights = request.Weights, Kv = request.Kv };

        DecoderPass prefillPass = Pass(0, request.PromptTokens);
        var (prefill, prefillProblems) = Time(prefillPass, spec, table, request.Model + " prefill");
        if (prefill is null)
        {
            return (null, prefillProblems);
        }

        ImmutableArray<int> samples = Samples(request.NewTokens, request.DecodeSamples);
        var sampled = new Dictionary<int, PhaseMetrics>();
        foreach (int step in samples)
        {
            var (metrics, problems) = Time(Pass(request.PromptTokens + step, 1), spec, table, request.Model + " decode");
            if (metrics is null)
            {
                return (null, problems);
            }

            sampled[step] = metrics;
        }

        PhaseMetrics? decode = null;
        for (int k = 0; k + 1 < samples.Length; k++)
        {
            int a = samples[k], b = samples[k + 1];
            for (int step = a; step < b || (step == b && k + 2 == samples.Length); step++)
            {
                PhaseMetrics m = sampled[a].Lerp(sampled[b], (double)(step - a) / (b - a));
                decode = decode is null ? m : decode.Plus(m);
            }
        }

        decode ??= sampled[samples[0]];
        GeneratedTokens? generated = null;
        if (request.Graph is { } graph)
        {
            try
            {
                generated = GreedyDecoding.Run(graph, request.PromptIds!, request.NewTokens, request.Execution);
            }
            catch (Exception e) when (e is FormatException or Graph.Execution.ExecutionException)
            {
                return (null, [new SimulationProblem("model", e.Message)]);
            }
        }

        return (new GenerationResult
        {
            Request = request,
            Accelerator = spec.Name,
            ClockMhz = spec.ClockMhz,
            PeakOpsPerSecond = 2.0 * spec.Array.PeCount * spec.ClockMhz * 1e6,
            DramBytesPerSecond = spec.Memory.Dram.BandwidthGBps * 1e9,
            WeightBytes = WeightBytes(request),
            OnChipBytes = spec.Memory.Buffers.Sum(b => b.CapacityBytes),
            Prefill = prefill,
            Decode = decode,
            SampledSteps = samples,
            Generated = generated,
        }, []);
    }

    /// <summary>Bytes of every weight of the model under the request's format (embedding and output projection included).</summary>
    public static long WeightBytes(GenerationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        DecoderShape s = request.Shape;
        StoredLlmFormat w = LlmFormats.Weights(request.Weights);
        long h = s.HiddenSize, q = (long)s.Heads * s.HeadDim, kv = (long)s.KvHeads * s.HeadDim;
        long perBlock = w.Bytes(h * q) + (2 * w.Bytes(h * kv)) + w.Bytes(q * h) + (3 * w.Bytes(h * s.IntermediateSize)) + (2 * 2 * h);
        long embedding = 2L * s.VocabSize * h;
        long head = s.TiedEmbeddings ? 0 : w.Bytes((long)s.VocabSize * h);
        return (s.Layers * perBlock) + (2 * h) + embedding + head;
    }

    /// <summary>The decode steps timed exactly: first, last and evenly spaced ones between, distinct and sorted.</summary>
    public static ImmutableArray<int> Samples(int steps, int count) =>
        [.. Enumerable.Range(0, Math.Min(count, steps)).Select(i => steps == 1 ? 0 : (int)Math.Round(i * (steps - 1) / (double)(Math.Min(count, steps) - 1))).Distinct().Order()];

    private static (PhaseMetrics? Metrics, ImmutableArray<SimulationProblem> Problems) Time(DecoderPass pass, AcceleratorSpec spec, EnergyTableSpec table, string name)
    {
        var workload = new PreparedWorkload
        {
            Name = name,
            Layers = pass.Layers,
            Batch = pass.Batch,
            Values = ValuesOutcome.TimingOnly,
            Numerics = SimulationPipeline.ReferenceNumericsText,
            ReferenceNumerics = true,
        };
        RunOutcome outcome = SimulationPipeline.Evaluate(workload, spec, table, new EvaluationOptions { ThermalSeconds = 0 });
        return outcome.Success ? (PhaseMetrics.Of(outcome.Result!, pass), []) : (null, outcome.Problems);
    }
}
