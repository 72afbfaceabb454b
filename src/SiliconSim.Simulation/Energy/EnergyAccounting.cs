using System.Collections.Immutable;
using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;
using SiliconSim.Hardware.Thermal;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels.LowPrecision;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Simulation.Energy;

/// <summary>
/// Turns a <see cref="SimulationResult"/> into action counts (per layer) and prices them with
/// <see cref="EnergyModel"/>. The rules:
/// <list type="bullet">
/// <item>MACs: the layer's MACs with its operand types (<see cref="LayerResult.InputType"/>, <see cref="LayerResult.WeightType"/>).</item>
/// <item>Accumulator adds = MACs: integer operands add at the array's accumulator width; float operands in fp32, except
/// fp8/fp4 operands under <c>block_exact_fp32</c> accumulation, whose products are summed exactly by an integer adder
/// as wide as the exact sum of K products (<see cref="ExactSumBits"/>; the per-block fp32 add is part of the fp4 MAC
/// entry of the energy table).</item>
/// <item>Registers per MAC (a = input bits, w = weight bits, p = accumulator bits): every MAC reads a, w and p
/// (multiplier operands and the incoming partial sum); it writes p plus the operands that move on to the next PE:
/// weight stationary a (inputs flow across), input stationary w, output stationary a + w (both flow, the sum stays).
/// Preloading the stationary operand is not counted (once per fold, negligible next to the per-MAC traffic).</item>
/// <item>SRAM: each buffer's word accesses from <see cref="LayerResult.Buffers"/>.</item>
/// <item>DRAM: the layer's read and write bytes x 8.</item>
/// <item>Vector: the layer's elements in its op class.</item>
/// <item>Leakage: the layer's total cycles (compute and stalls: the chip is powered either way), at the junction
/// temperature of the whole run (<see cref="Evaluate(SimulationResult, AcceleratorSpec, EnergyTableSpec)"/>).</item>
/// <item>Idle (always-on) power: the same cycles.</item>
/// </list>
/// </summary>
public static class EnergyAccounting
{
    /// <summary>The action counts of one layer on <paramref name="accelerator"/>.</summary>
    public static ActionCounts Count(LayerResult layer, AcceleratorSpec accelerator)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(accelerator);
        var counts = new ActionCounts
        {
            Buffers = [.. layer.Buffers.Select(b => new BufferAccessCount(b.Name, b.ReadAccesses, b.WriteAccesses))],
            DramReadBits = layer.DramReadBytes * 8,
            DramWriteBits = layer.DramWriteBytes * 8,
            Cycles = layer.TotalCycles,
            VectorOps = layer.VectorClass is VectorOpClass cls && layer.VectorElements > 0 ? [new VectorOpCount(cls, layer.VectorElements)] : [],
        };
        if (layer.Kind != LayerKind.Matrix || layer.Macs == 0)
        {
            return counts;
        }

        bool isFloat = DataTypeInfo.IsFloat(layer.InputType) || DataTypeInfo.IsFloat(layer.WeightType);
        int a = DataTypeInfo.BitWidth(layer.InputType), w = DataTypeInfo.BitWidth(layer.WeightType);
        int? exactBits = accelerator.Array.Numerics.LowPrecisionAccumulation == LowPrecisionAccumulation.BlockExactThenFp32
            ? ExactSumBits(layer.InputType, layer.WeightType, layer.ReductionLength) : null;
        int p = exactBits ?? (isFloat ? 32 : accelerator.Array.Numerics.AccumulatorBits);
        isFloat &= exactBits is null;
        int moved = accelerator.Array.Dataflow switch
        {
            Dataflow.WeightStationary => a,
            Dataflow.InputStationary => w,
            _ => a + w,
        };
        return counts with
        {
            Macs = [new MacCount(layer.InputType, layer.WeightType, layer.Macs)],
            AccumulatorAdds = [new AccumulatorAddCount(p, isFloat, layer.Macs)],
            RegisterReadBits = layer.Macs * (a + w + p),
            RegisterWriteBits = layer.Macs * (moved + p),
        };
    }

    /// <summary>
    /// Bits of an exact fixed-point sum of <paramref name="k"/> products of two fp8/fp4 element types: the span from
    /// the smallest nonzero to the largest product magnitude, a sign bit and ceil(log2 k) carry bits; null when either
    /// type is not fp8/fp4.
    /// </summary>
    public static int? ExactSumBits(DataType input, DataType weight, long k) =>
        MagnitudeBits(input) is int a && MagnitudeBits(weight) is int w ? a + w + 1 + (int)Math.Ceiling(Math.Log2(Math.Max(1, k))) : null;

    /// <summary>Bits that hold every magnitude of the type as an integer multiple of its smallest subnormal.</summary>
    private static int? MagnitudeBits(DataType type) => type switch
    {
        DataType.Float4E2M1 => 4,       // 0.5 .. 6 = 1 .. 12 halves
        DataType.Float8E4M3FN => 18,    // 2^-9 .. 448 = 1 .. 229,376 units of 2^-9
        DataType.Float8E5M2 => 32,      // 2^-16 .. 57344 = 1 .. 3,758,096,384 units of 2^-16
        _ => null,
    };

    /// <summary>
    /// Per-layer and total energy of <paramref name="result"/> with <paramref name="table"/>, leakage priced at the
    /// junction temperature the run holds when repeated back to back at the nominal operating point: the steady state
    /// T = T_amb + R_ja·(P + P_leak(T)) of the thermal model (<see cref="ThermalModel.SteadyState"/>), where P is the
    /// run's on-die energy other than leakage over its duration (which does not depend on T) and P_leak is the same
    /// <see cref="LeakageModel"/> the thermal model heats the die with. So the run's on-die energy over its duration is
    /// exactly the power the thermal model dissipates at that temperature. The ripple within one run is ignored: the
    /// junction's time constant (milliseconds) is far above a run's. When there is no steady state (thermal runaway)
    /// leakage is priced at <c>thermal.max_junction_c</c> (<see cref="LeakageTemperatureBasis.MaxJunction"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The table cannot price the accelerator (<see cref="EnergyModel.Validate"/>).</exception>
    public static EnergyReport Evaluate(SimulationResult result, AcceleratorSpec accelerator, EnergyTableSpec table)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(accelerator);
        ArgumentNullException.ThrowIfNull(table);
        LeakageModel leakage = LeakageModel.Of(table, accelerator);

        // Priced once at any temperature: everything but leakage is the same at all of them.
        EnergyBreakdown any = Evaluate(result, accelerator, table, leakage.ReferenceJunctionC).Total;
        double seconds = result.TotalCycles * accelerator.CycleSeconds;
        double powerW = seconds > 0 ? (any.OnDieJ - any.LeakageJ) / seconds : 0;
        ThermalSteadyState steady = new ThermalModel(accelerator.Thermal, leakage).SteadyState(powerW);
        return steady.Converged
            ? Evaluate(result, accelerator, table, steady.JunctionC, LeakageTemperatureBasis.SteadyState)
            : Evaluate(result, accelerator, table, accelerator.Thermal.MaxJunctionC, LeakageTemperatureBasis.MaxJunction);
    }

    /// <summary>Per-layer and total energy of <paramref name="result"/> with <paramref name="table"/>, leakage priced at <paramref name="junctionC"/>.</summary>
    /// <exception cref="ArgumentException">The table cannot price the accelerator (<see cref="EnergyModel.Validate"/>).</exception>
    public static EnergyReport Evaluate(SimulationResult result, AcceleratorSpec accelerator, EnergyTableSpec table, double junctionC) =>
        Evaluate(result, accelerator, table, junctionC, LeakageTemperatureBasis.Given);

    private static EnergyReport Evaluate(SimulationResult result, AcceleratorSpec accelerator, EnergyTableSpec table, double junctionC, LeakageTemperatureBasis basis)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(table);
        var layers = ImmutableArray.CreateBuilder<LayerEnergy>(result.Layers.Length);
        EnergyBreakdown total = EnergyModel.Evaluate(table, accelerator, ActionCounts.Empty, junctionC);
        foreach (LayerResult layer in result.Layers)
        {
            ActionCounts counts = Count(layer, accelerator);
            EnergyBreakdown energy = EnergyModel.Evaluate(table, accelerator, counts, junctionC);
            layers.Add(new LayerEnergy(layer.Name, counts, energy));
            total = total.Plus(energy);
        }

        return new EnergyReport(table.Name, layers.MoveToImmutable(), total)
        {
            Leakage = new LeakagePricing { Model = LeakageModel.Of(table, accelerator), JunctionC = junctionC, Basis = basis },
        };
    }
}
