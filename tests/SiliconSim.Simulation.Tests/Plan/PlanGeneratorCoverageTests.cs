using FsCheck;
using FsCheck.Fluent;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Simulation.Tests.Plan;

/// <summary>The generated networks and memories reach every regime the plan's laws are about, or they would pass vacuously.</summary>
public sealed class PlanGeneratorCoverageTests
{
    [Fact]
    public void NetworkCases_ReachEveryRegime()
    {
        NetworkCase[] cases = PlanGenerators.Cases().Sample(300, new Rnd(20261207), 30);
        var runs = cases.Select(c => (Case: c, Result: NetworkPlanProperties.Run(c.Layers, c.Spec, c.Batch))).ToList();
        var feasible = runs.Where(r => r.Result is not null).ToList();
        var layers = cases.SelectMany(c => c.Layers).ToList();

        void Reaches(string regime, int count) => Assert.True(count >= 5, $"{regime}: {count} of {cases.Length} cases");

        Assert.True(feasible.Count >= 270, $"only {feasible.Count} of {cases.Length} feasible");

        // Networks: every kind of layer and tensor, chains and DAGs.
        Reaches("convs", cases.Count(c => c.Layers.Any(l => l is MatrixLayer { Conv: not null })));
        Reaches("depthwise convs", cases.Count(c => c.Layers.Any(l => l is MatrixLayer { Groups: > 1 })));
        Reaches("gemms", cases.Count(c => c.Layers.Any(l => l is MatrixLayer { Conv: null, WeightIsConstant: true })));
        Reaches("matmuls of two activations", cases.Count(c => c.Layers.Any(l => l is MatrixLayer { WeightIsConstant: false })));
        foreach (VectorOpClass opClass in new[] { VectorOpClass.Elementwise, VectorOpClass.Quantize, VectorOpClass.Pooling, VectorOpClass.Reduction, VectorOpClass.DataMovement })
        {
            Reaches($"{opClass} ops", cases.Count(c => c.Layers.Any(l => l is VectorLayer v && v.OpClass == opClass && v.MovesData)));
        }

        Reaches("views", cases.Count(c => c.Layers.Any(l => l is VectorLayer { MovesData: false })));
        Reaches("residual adds of two activations", cases.Count(c => c.Layers.Any(l => l.Reads.Count(r => r.Origin == TensorOrigin.Activation) >= 2 && l is VectorLayer)));
        Reaches("skip connections (a tensor read by a later, non-adjacent layer)", cases.Count(SkipsALayer));
        Reaches("graph inputs read by two layers", cases.Count(c => c.Layers.SelectMany(l => l.Reads).Where(r => r.Origin == TensorOrigin.GraphInput).GroupBy(r => r.Name).Any(g => g.Count() > 1)));
        Reaches("two graph inputs", cases.Count(c => c.Network.SecondInput && c.Layers.SelectMany(l => l.Reads).Any(r => r.Name == "x1")));
        Reaches("several graph outputs", cases.Count(c => c.Layers.SelectMany(l => l.Writes).Count(w => w.IsGraphOutput) >= 2));
        Reaches("graph outputs read again", cases.Count(c => c.Layers.SelectMany(l => l.Reads).Any(r => r.IsGraphOutput)));
        Reaches("constants shared by layers", cases.Count(c => c.Layers.SelectMany(l => l.Reads.Where(r => r.Origin == TensorOrigin.Constant).Select(r => r.Name)).GroupBy(n => n).Any(g => g.Count() > 1)));
        Reaches("int4 tensors", cases.Count(c => c.Layers.Any(l => l is MatrixLayer { WeightType: DataType.Int4 } or MatrixLayer { InputType: DataType.Int4 })));
        Reaches("MXFP4 weights with their block scales", cases.Count(c => c.Layers.Any(l => l is MatrixLayer { WeightScales: not null })));
        Reaches("networks whose graph inputs each have one whole reader", cases.Count(c => NetworkPlanProperties.GraphInputsHaveOneWholeReader(c.Layers)));
        Assert.True(layers.Count >= 3 * cases.Length, $"{layers.Count} layers in {cases.Length} networks");

        // Memories and plans: both organisations, spills and refills, resident weights (and requested ones that did not
        // fit), fusion, networks at their lower bound and above it.
        Reaches("unified buffers", feasible.Count(r => r.Case.Memory.Unified));
        Reaches("role-split buffers", feasible.Count(r => !r.Case.Memory.Unified));
        Reaches("spills", feasible.Count(r => r.Result!.Layers.Any(l => l.Occupancy.Spilled.Count > 0)));
        Reaches("refills", feasible.Count(r => r.Result!.Layers.Any(l => l.Dram.RefillReadBytes > 0)));
        Reaches("tensors kept on chip between layers", feasible.Count(r => r.Result!.Layers.Any(l => l.Occupancy.ResidentActivationBytes > 0)));
        Reaches("resident weights", feasible.Count(r => r.Result!.Plan.WeightsResident));
        Reaches("resident weights that did not fit", feasible.Count(r => r.Result!.Plan.WeightsRequestedResident && !r.Result.Plan.WeightsResident));
        Reaches("fused layers", feasible.Count(r => r.Result!.Layers.Any(l => l.FusedInto is not null)));
        Reaches("depth-first schedules", feasible.Count(r => r.Case.Memory.Schedule == ExecutionSchedule.DepthFirst));
        Reaches("networks at their lower bound", feasible.Count(r => NetworkPlanProperties.NetworkDram(r.Result!) == r.Result!.Plan.LowerBoundDramBytes));
        Reaches("networks above their lower bound", feasible.Count(r => NetworkPlanProperties.NetworkDram(r.Result!) > r.Result!.Plan.LowerBoundDramBytes));
    }

    private static bool SkipsALayer(NetworkCase c)
    {
        var writer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < c.Layers.Length; i++)
        {
            if (c.Layers[i].Reads.Any(r => writer.TryGetValue(r.Name, out int w) && w < i - 1))
            {
                return true;
            }

            foreach (TensorUse w in c.Layers[i].Writes)
            {
                writer[w.Name] = i;
            }
        }

        return false;
    }
}
