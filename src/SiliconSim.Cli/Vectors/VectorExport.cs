using System.Collections.Immutable;
using SiliconSim.Cli.Io;
using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation.Memory;
using SiliconSim.Simulation.Pipeline;
using SiliconSim.Simulation.Results;
using SiliconSim.Simulation.Vectors;

namespace SiliconSim.Cli.Vectors;

/// <summary>
/// Records the chosen layers' vectors by running the model through the pipeline with a
/// <see cref="LayerVectorRecorder"/>, and with tiles, cuts them by the mapping the pipeline's memory model chose.
/// </summary>
internal static class VectorExport
{
    /// <summary>The vectors of <paramref name="layers"/> (null: every node), in execution order.</summary>
    public static IReadOnlyList<LayerVectors> Record(LoadedWorkload workload, HardwareConfig config, IReadOnlySet<string>? layers, bool tiles)
    {
        if (workload.Request.Inputs.Count == 0)
        {
            throw new UserInputException(workload.ModelPath, "has no input values to export vectors from: pass --input FILE or a test-case folder");
        }

        var recorder = new LayerVectorRecorder(layers, config.Spec.Array.Numerics.ToMatrixNumerics());
        PreparedWorkload prepared = (workload with { Request = workload.Request with { NodeOverride = recorder } }).Prepare(config.Spec);
        if (layers is not null)
        {
            var missing = layers.Where(name => !recorder.Recorded.Any(r => r.Layer == name)).ToList();
            if (missing.Count > 0)
            {
                string known = string.Join(", ", prepared.Lowered!.Nodes.Select(n => $"'{n.Name}'"));
                throw new UserInputException("--layers", $"no node {string.Join(", ", missing.Select(m => $"'{m}'"))} in the lowered graph of {workload.ModelPath}; its nodes: {known}");
            }
        }

        if (!tiles)
        {
            return recorder.Recorded;
        }

        RunOutcome outcome = SimulationPipeline.Evaluate(prepared, config.Spec, config.EnergyTable, new EvaluationOptions { ThermalSeconds = 0 });
        if (!outcome.Success)
        {
            throw new UserInputException([.. outcome.Problems.Select(config.Locate)]);
        }

        ImmutableArray<LayerResult> timed = outcome.Result!.Performance.Layers;
        ArraySpec array = config.Spec.Array;
        return [.. recorder.Recorded.Select(layer => layer.Matrix is { } matrix && timed.FirstOrDefault(l => l.Name == layer.Layer)?.Mapping is TileMapping mapping
            ? layer with { Tensors = layer.Tensors.AddRange(TileVectorSplitter.Split(matrix, TilePlan.From(mapping, matrix), array.Dataflow, array.Rows, array.Cols, layer["input"].Value)) }
            : layer)];
    }
}
