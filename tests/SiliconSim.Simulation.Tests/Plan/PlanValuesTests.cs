using System.Collections.Immutable;
using SiliconSim.Config;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Pipeline;
using SiliconSim.Simulation.Results;
using SiliconSim.Simulation.Tests.Memory;

namespace SiliconSim.Simulation.Tests.Plan;

/// <summary>
/// Issue 14, "the plan changes no output bit": the same model on two accelerators that differ only in their memory
/// (buffer organisation and sizes, double buffering, schedule, weight placement, fusion) computes the same outputs, bit
/// for bit, and they are ONNX Runtime's golden.
/// </summary>
public sealed class PlanValuesTests
{
    [Theory]
    [InlineData("zoo/resnet_mini_qdq_s8s8_channel")]
    [InlineData("zoo/mobilenetv2_mini_qop_u8s8_tensor")]
    public void Outputs_AreBitIdentical_AndTheGolden_WhateverTheMemoryPlan(string testCase)
    {
        ConfigLoadResult edge = RealModels.Preset("edge-npu");
        AcceleratorSpec preset = edge.SpecOrThrow();
        // Small role-split buffers, weights streamed, nothing fused, layer by layer: this network spills.
        AcceleratorSpec tight = WithMemory(
            preset,
            [TestSpecs.Buffer("ib", BufferRole.Input, 4096), TestSpecs.Buffer("wb", BufferRole.Weight, 4096), TestSpecs.Buffer("ob", BufferRole.Output, 2048)],
            WeightPlacement.Stream,
            EpilogueFusion.None,
            ExecutionSchedule.LayerByLayer);
        // One large double-buffered unified buffer, weights resident, element-wise ops and pooling fused, depth first.
        AcceleratorSpec roomy = WithMemory(
            preset,
            [TestSpecs.Buffer("ub", BufferRole.Unified, 8L << 20, doubleBuffered: true)],
            WeightPlacement.Resident,
            EpilogueFusion.ElementwiseAndPooling,
            ExecutionSchedule.DepthFirst);
        WorkloadRequest request = RealModels.WithData(testCase);

        var options = new EvaluationOptions { ThermalSeconds = 0 };
        PreparedWorkload a = SimulationPipeline.Prepare(request, tight), b = SimulationPipeline.Prepare(request, roomy);
        RunOutcome ra = SimulationPipeline.Evaluate(a, tight, edge.EnergyTable!, options), rb = SimulationPipeline.Evaluate(b, roomy, edge.EnergyTable!, options);
        Assert.True(ra.Success && rb.Success, string.Join("; ", ra.Problems.Concat(rb.Problems).Select(p => p.Message)));

        // The two plans really differ: one spills and streams weights, the other keeps weights and fuses.
        SimulationResult pa = ra.Result!.Performance, pb = rb.Result!.Performance;
        Assert.Contains(pa.Layers, l => l.Occupancy.Spilled.Count > 0 || l.Dram.SpillWriteBytes > 0);
        Assert.True(pb.Plan.WeightsResident);
        Assert.Contains(pb.Layers, l => l.FusedInto is not null);
        Assert.NotEqual(pa.DramReadBytes + pa.DramWriteBytes, pb.DramReadBytes + pb.DramWriteBytes);

        Assert.Equal(request.Golden.Count, a.Outputs.Count);
        Assert.Equal(a.Outputs.Count, b.Outputs.Count);
        for (int i = 0; i < a.Outputs.Count; i++)
        {
            Assert.Equal(a.Outputs[i].Name, b.Outputs[i].Name);
            Assert.Equal(Bits(a.Outputs[i].Value), Bits(b.Outputs[i].Value));
            Assert.Equal(Bits(request.Golden[i]), Bits(a.Outputs[i].Value));
        }

        Assert.Equal(ValuesOutcome.BitExact, ra.Result.Values);
        Assert.Equal(ValuesOutcome.BitExact, rb.Result.Values);
    }

    private static AcceleratorSpec WithMemory(AcceleratorSpec spec, ImmutableArray<BufferSpec> buffers, WeightPlacement weights, EpilogueFusion fusion, ExecutionSchedule schedule) =>
        spec with { Memory = spec.Memory with { Buffers = buffers, Weights = weights, Fusion = fusion, Schedule = schedule } };

    /// <summary>The tensor's type, shape and every element's bits (floats by their IEEE encoding, so -0 and NaN payloads count).</summary>
    private static string Bits(TensorValue t)
    {
        IEnumerable<string> elements = t.Data switch
        {
            float[] f => f.Select(v => BitConverter.SingleToInt32Bits(v).ToString("x8", System.Globalization.CultureInfo.InvariantCulture)),
            double[] d => d.Select(v => BitConverter.DoubleToInt64Bits(v).ToString("x16", System.Globalization.CultureInfo.InvariantCulture)),
            _ => t.Data.Cast<object>().Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty),
        };
        return $"{t} {string.Join(" ", elements)}";
    }
}
