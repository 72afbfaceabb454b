using FsCheck;
using FsCheck.Xunit;
using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Vector;
using static SiliconSim.Simulation.Tests.Memory.TestSpecs;

namespace SiliconSim.Simulation.Tests.Vector;

/// <summary>
/// The vector unit on the test spec: 16 lanes; elementwise 1.5, transcendental 4 cycles per element; DRAM 1 B/cycle,
/// 10-cycle latency, 64-byte bursts; a 512 B unified buffer.
/// </summary>
public sealed class VectorUnitModelTests
{
    private static readonly AcceleratorSpec s_spec = Spec([Buffer("ub", BufferRole.Unified, 512)], burstBytes: 64);

    [Theory]
    [InlineData(VectorOpClass.Elementwise, 100, 11)] // ceil(100 / 16) = 7 steps x 1.5 = 10.5 -> 11
    [InlineData(VectorOpClass.Elementwise, 16, 2)] // 1 step x 1.5 -> 2
    [InlineData(VectorOpClass.Transcendental, 33, 12)] // 3 steps x 4
    [InlineData(VectorOpClass.DataMovement, 1000, 0)]
    public void Evaluate_OnChipTensors_CostCeilElementsOverLanesTimesCyclesPerElement(VectorOpClass opClass, long elements, long expected)
    {
        VectorLayerResult r = VectorUnitModel.Evaluate(Layer(opClass, elements, 100, 100), s_spec);

        Assert.True(r.FitsOnChip);
        Assert.Equal(expected, r.ComputeCycles);
        Assert.Equal(expected, r.TotalCycles);
        Assert.Equal(0, r.Dram.TotalBytes);
        Assert.Equal((100L, 100L), (r.Buffers[0].ReadBytes, r.Buffers[0].WriteBytes));
    }

    [Fact]
    public void Evaluate_TensorsLargerThanTheBuffer_StreamThroughDramBehindOneLatency()
    {
        VectorLayerResult r = VectorUnitModel.Evaluate(Layer(VectorOpClass.Elementwise, 1000, 1000, 1000), s_spec);

        Assert.False(r.FitsOnChip);
        // 1000 B each way rounds to 16 bursts of 64 B; streaming 2048 B at 1 B/cycle outlasts 63 x 1.5 = 95 compute cycles.
        Assert.Equal((1024L, 1024L), (r.Dram.InputReadBytes, r.Dram.OutputWriteBytes));
        Assert.Equal(95, r.ComputeCycles);
        Assert.Equal(10 + 2048, r.TotalCycles);
        Assert.Equal(10 + 2048 - 95, r.StallCycles);
        // The unit reads 1000 B and writes 1000 B; the DRAM fill writes 1000 B and the drain reads 1000 B.
        Assert.Equal((2000L, 2000L), (r.Buffers[0].ReadBytes, r.Buffers[0].WriteBytes));
    }

    [Fact]
    public void Evaluate_Reshape_CostsNothingEvenWhenLarge()
    {
        VectorLayerResult r = VectorUnitModel.Evaluate(Layer(VectorOpClass.DataMovement, 1 << 20, 1 << 20, 1 << 20) with { OpType = "Reshape", MovesData = false }, s_spec);

        Assert.Equal((0L, 0L, 0L), (r.ComputeCycles, r.TotalCycles, r.Dram.TotalBytes));
        Assert.Empty(r.Buffers);
    }

    [Fact]
    public void Evaluate_TransposeThatDoesNotFit_CostsOnlyItsTraffic()
    {
        VectorLayerResult r = VectorUnitModel.Evaluate(Layer(VectorOpClass.DataMovement, 600, 600, 600) with { OpType = "Transpose" }, s_spec);

        Assert.Equal(0, r.ComputeCycles);
        Assert.Equal(10 + 640 + 640, r.TotalCycles);
    }

    [Fact]
    public void Evaluate_OpClassWithoutACost_Throws()
    {
        AcceleratorSpec spec = s_spec with { VectorUnit = s_spec.VectorUnit with { CyclesPerElement = s_spec.VectorUnit.CyclesPerElement.Remove(VectorOpClass.Pooling) } };
        Assert.Throws<ArgumentException>(() => VectorUnitModel.Evaluate(Layer(VectorOpClass.Pooling, 10, 10, 10), spec));
    }

    [Property(MaxTest = 100)]
    public void MoreBandwidth_NeverAddsCycles_AndTotalCoversComputeAndTraffic(PositiveInt elements, PositiveInt bytes, PositiveInt factor, bool transcendental)
    {
        VectorLayer layer = Layer(transcendental ? VectorOpClass.Transcendental : VectorOpClass.Elementwise, elements.Get % 5000, bytes.Get % 3000, (bytes.Get / 7) % 3000);
        AcceleratorSpec faster = s_spec with { Memory = s_spec.Memory with { Dram = s_spec.Memory.Dram with { BandwidthGBps = 1 + (factor.Get % 10) } } };
        VectorLayerResult slow = VectorUnitModel.Evaluate(layer, s_spec), fast = VectorUnitModel.Evaluate(layer, faster);

        Assert.True(fast.TotalCycles <= slow.TotalCycles);
        Assert.True(slow.TotalCycles >= slow.ComputeCycles);
        Assert.True(slow.TotalCycles >= slow.Dram.TotalBytes);
        Assert.Equal(slow.FitsOnChip, slow.Dram.TotalBytes == 0);
    }

    private static VectorLayer Layer(VectorOpClass opClass, long elements, long inputBytes, long outputBytes) => new()
    {
        Name = "v",
        OpType = opClass == VectorOpClass.DataMovement ? "Transpose" : "QLinearAdd",
        OpClass = opClass,
        Elements = elements,
        InputBytes = inputBytes,
        OutputBytes = outputBytes,
    };
}
