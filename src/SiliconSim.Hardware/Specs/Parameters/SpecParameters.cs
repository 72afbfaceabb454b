using System.Collections.Immutable;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Kernels.LowPrecision;

namespace SiliconSim.Hardware.Specs.Parameters;

/// <summary>
/// Every parameter of an <see cref="AcceleratorSpec"/> with its unit, default and the reason for the default (gem5's
/// <c>Param</c>, SST's <c>sst-info</c>). This is the one place that metadata lives: <see cref="AcceleratorSpec.Validate"/>
/// takes its ranges from here, the config loader its keys, types and choices, and <c>siliconsim describe</c> its text.
/// Each default is written here once, as the value the spec holds (<see cref="SpecParameter.DefaultValue"/>); the binder
/// applies it and the spec records' initializers read it (<see cref="Default{T}"/>).
/// </summary>
public static class SpecParameters
{
    private const string Buffer = "memory.buffers[].";
    private const string Cpe = "vector_unit.cycles_per_element.";
    private const string Thermal = "thermal.";

    /// <summary>All parameters in document order (sections before their members).</summary>
    public static ImmutableArray<SpecParameter> All { get; } =
    [
        new() { Path = "name", Kind = ParameterKind.Text, Conversion = ParameterConversion.Text, Default = "the file name", Doc = "Short name used in tables and reports.", Reason = "A preset is known by its file name; set it only to tell variants apart." },
        new() { Path = "clock_mhz", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = Single(s => s.ClockMhz), Unit = "MHz", Min = 0, MinExclusive = true, Floor = 0.001, Max = 100_000, RangeReason = "At least 1 kHz: no digital accelerator is clocked slower, and a smaller clock (1e-300 MHz) makes every time and energy-per-second figure overflow or print as 0 MHz.", Doc = "Core clock; converts cycles to seconds and GB/s to bytes per cycle.", Reason = "Required: no clock is neutral, and every time and bandwidth-per-cycle figure depends on it." },
        new() { Path = "supply_voltage_v", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = Single(s => s.SupplyVoltageV), Unit = "V", DefaultValue = 0.9, Min = 0, MinExclusive = true, Max = 5, Doc = "Core supply voltage; dynamic energy scales with V^2.", Reason = "Nominal core supply of the 28 nm to 16 nm processes most published NPUs use; affects energy only." },
        new() { Path = "technology_node_nm", Kind = ParameterKind.Integer, Conversion = ParameterConversion.Integer, Read = Single(s => s.TechnologyNodeNm), Unit = "nm", DefaultValue = 28, Min = 1, Max = 500, Doc = "Process node; energy tables are scaled from their published node to this one.", Reason = "TPUv1's node (Jouppi et al., ISCA 2017) and a common node of published int8 accelerators." },
        new() { Path = "energy", Kind = ParameterKind.Text, Conversion = ParameterConversion.Text, DefaultValue = "horowitz-45nm", Doc = "Energy table: a name in configs/energy or a path to a table YAML (relative paths from the config's folder).", Reason = "Horowitz, ISSCC 2014 (45 nm): the most cited per-operation energies; scaled to technology_node_nm and supply_voltage_v." },
        new() { Path = "timing", Kind = ParameterKind.Choice, Conversion = ParameterConversion.Choice(SpecNames.Timings), Choices = SpecNames.Timings.Names, DefaultValue = TimingModel.Corrected, Doc = "Fold-level cycle model: SiliconSim's (SCALE-Sim plus the costs it omits) or SCALE-Sim v2's formulas.", Reason = "The corrected model counts the output drain SCALE-Sim leaves out; use scalesim only to reproduce SCALE-Sim studies." },

        new() { Path = "array", Kind = ParameterKind.Section, Doc = "The systolic array of MAC processing elements (PEs).", Reason = "Required: the array is the accelerator." },
        new() { Path = "array.rows", Kind = ParameterKind.Integer, Conversion = ParameterConversion.Integer, Read = Single(s => s.Array.Rows), Unit = "PEs", Min = 1, Max = 4096, Doc = "PE rows (SCALE-Sim's ArrayHeight).", Reason = "Required: the array shape defines the design." },
        new() { Path = "array.cols", Kind = ParameterKind.Integer, Conversion = ParameterConversion.Integer, Read = Single(s => s.Array.Cols), Unit = "PEs", Min = 1, Max = 4096, Doc = "PE columns (SCALE-Sim's ArrayWidth).", Reason = "Required: the array shape defines the design." },
        new() { Path = "array.dataflow", Kind = ParameterKind.Choice, Conversion = ParameterConversion.Choice(SpecNames.Dataflows), Choices = SpecNames.Dataflows.Names, DefaultValue = Dataflow.WeightStationary, Doc = "Which operand stays in the PEs: output (os), weight (ws) or input (is) stationary.", Reason = "Weight stationary is TPUv1's dataflow and that of most int8 NPUs; SCALE-Sim's google.cfg uses it too." },
        new() { Path = "array.operand_types", Kind = ParameterKind.ChoiceList, Conversion = ParameterConversion.TypeList(SpecNames.OperandTypes), Choices = SpecNames.OperandTypes.Names, DefaultValue = ImmutableArray.Create(DataType.UInt8, DataType.Int8), Doc = "Element types a MAC accepts as activation and weight operands.", Reason = "ONNX Runtime's quantizer defaults to uint8 activations and int8 weights (u8s8)." },
        new() { Path = "array.accumulator_bits", Kind = ParameterKind.Integer, Conversion = ParameterConversion.Integer, Read = Single(s => s.Array.Numerics.AccumulatorBits), Unit = "bits", DefaultValue = 32, Min = 2, Max = 64, Doc = "Accumulator width.", Reason = "ONNX Runtime accumulates int8 products in int32, so 32 bits keeps results bit-exact with it." },
        new() { Path = "array.overflow", Kind = ParameterKind.Choice, Conversion = ParameterConversion.Choice(SpecNames.Overflows), Choices = SpecNames.Overflows.Names, DefaultValue = AccumulatorOverflow.Wrap, Doc = "What the accumulator does when a sum leaves its range.", Reason = "A plain two's-complement adder wraps, and so does ONNX Runtime's int32 accumulation." },
        new() { Path = "array.requantizer", Kind = ParameterKind.Choice, Conversion = ParameterConversion.Choice(SpecNames.Requantizers), Choices = SpecNames.Requantizers.Names, DefaultValue = RequantizerArithmetic.Float32, Doc = "How the output path turns an accumulator into a quantized output.", Reason = "float32 is ONNX Runtime's arithmetic (fp32 scale, round half to even), the golden reference." },
        new() { Path = "array.low_precision_accumulation", Kind = ParameterKind.Choice, Conversion = ParameterConversion.Choice(SpecNames.LowPrecisionAccumulations), Choices = SpecNames.LowPrecisionAccumulations.Names, DefaultValue = LowPrecisionAccumulation.BlockExactThenFp32, Doc = "How fp8/fp4 MACs sum a dot product: block_exact_fp32 sums each scaled block exactly and rounds it once into an fp32 accumulator; sequential_fp32 rounds every product into the fp32 accumulator in k order (used only for float8/float4 operand types).", Reason = "OCP MX v1.0 section 6.2 defines the block dot product exactly and leaves the internal precision to the implementation; an exact block sum rounded once is the closest a design gets to that definition." },
        new() { Path = "array.fixed_point_rounding", Kind = ParameterKind.Choice, Conversion = ParameterConversion.Choice(SpecNames.Roundings), Choices = SpecNames.Roundings.Names, DefaultValue = ShiftRounding.NearestAwayFromZero, Doc = "Rounding of the fixed-point requantizer's right shift (used only with requantizer: fixed_point).", Reason = "gemmlowp's RoundingDivideByPOT, which TFLite and most integer NPUs copy (Jacob et al., CVPR 2018)." },
        new() { Path = "array.pipeline_latency_cycles", Kind = ParameterKind.Integer, Conversion = ParameterConversion.Integer, Read = Single(s => s.Array.PipelineLatencyCycles), Unit = "cycles", DefaultValue = 0, Min = 0, Max = 64, Doc = "Extra cycles the MAC pipeline adds before the first result leaves the array.", Reason = "SCALE-Sim models single-cycle PEs; 0 keeps its cycle counts comparable." },

        new() { Path = "vector_unit", Kind = ParameterKind.Section, Default = "all defaults", Doc = "The SIMD unit that runs every op that is not a matrix product.", Reason = "Every member has a default, so a config may leave it out." },
        new() { Path = "vector_unit.lanes", Kind = ParameterKind.Integer, Conversion = ParameterConversion.Integer, Read = Single(s => s.VectorUnit.Lanes), Unit = "elements/cycle", Default = "array.cols", Min = 1, Max = 65_536, Doc = "Elements processed per cycle (SIMD width).", Reason = "One lane per array column keeps up with the array's output rate, as TPUv1's activation unit does." },
        new() { Path = "vector_unit.cycles_per_element", Kind = ParameterKind.Section, Default = "all defaults", Doc = "Cycles one lane spends per element, per op class.", Reason = "Every class has a default, so a config may list only the ones it changes." },
        new() { Path = Cpe + "elementwise", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = Single(s => s.VectorUnit.CyclesPerElement[VectorOpClass.Elementwise]), Unit = "cycles/element", DefaultValue = 1.0, Min = 0, MinExclusive = true, Max = 1000, Doc = "Add, Mul, Relu, Clip, QLinearAdd and other one-op-per-element work.", Reason = "One fused ALU operation per element per cycle." },
        new() { Path = Cpe + "pooling", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = Single(s => s.VectorUnit.CyclesPerElement[VectorOpClass.Pooling]), Unit = "cycles/element", DefaultValue = 1.0, Min = 0, MinExclusive = true, Max = 1000, Doc = "Max/average pooling, per window element read.", Reason = "One compare or add per window element." },
        new() { Path = Cpe + "reduction", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = Single(s => s.VectorUnit.CyclesPerElement[VectorOpClass.Reduction]), Unit = "cycles/element", DefaultValue = 1.0, Min = 0, MinExclusive = true, Max = 1000, Doc = "ReduceMean/ReduceSum/GlobalAveragePool, per input element.", Reason = "One add per input element." },
        new() { Path = Cpe + "transcendental", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = Single(s => s.VectorUnit.CyclesPerElement[VectorOpClass.Transcendental]), Unit = "cycles/element", DefaultValue = 4.0, Min = 0, MinExclusive = true, Max = 1000, Doc = "Exp, Erf, Tanh, Sigmoid, Gelu, Softmax.", Reason = "A cubic polynomial by Horner's rule is about 4 dependent multiply-adds." },
        new() { Path = Cpe + "normalization", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = Single(s => s.VectorUnit.CyclesPerElement[VectorOpClass.Normalization]), Unit = "cycles/element", DefaultValue = 2.0, Min = 0, MinExclusive = true, Max = 1000, Doc = "LayerNormalization and similar two-pass normalizations.", Reason = "Two passes over the data: statistics, then scale and shift." },
        new() { Path = Cpe + "quantize", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = Single(s => s.VectorUnit.CyclesPerElement[VectorOpClass.Quantize]), Unit = "cycles/element", DefaultValue = 1.0, Min = 0, MinExclusive = true, Max = 1000, Doc = "QuantizeLinear, DequantizeLinear and requantization outside the array.", Reason = "One fused multiply-round-clamp per element." },
        new() { Path = Cpe + "data_movement", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = Single(s => s.VectorUnit.CyclesPerElement[VectorOpClass.DataMovement]), Unit = "cycles/element", DefaultValue = 1.0, Min = 0, Max = 1000, Doc = "Reshape, Transpose, Concat, Gather, Slice (0 = free address remapping).", Reason = "One element moved per lane per cycle." },
        new() { Path = "vector_unit.types", Kind = ParameterKind.ChoiceList, Conversion = ParameterConversion.TypeList(SpecNames.VectorTypes), Choices = SpecNames.VectorTypes.Names, DefaultValue = ImmutableArray.Create(DataType.Int8, DataType.UInt8, DataType.Int32, DataType.Float), Doc = "Element types the vector unit computes in.", Reason = "Covers QLinear elementwise ops (8-bit), bias and accumulators (int32) and fp32 softmax/normalization." },

        new() { Path = "memory", Kind = ParameterKind.Section, Doc = "The memory hierarchy from the PE registers out to DRAM.", Reason = "Required: the buffers and DRAM have no neutral size." },
        new() { Path = "memory.registers", Kind = ParameterKind.Section, Default = "all defaults", Doc = "Registers inside each PE.", Reason = "Every member has a default." },
        new() { Path = "memory.registers.bytes_per_pe", Kind = ParameterKind.Integer, Conversion = ParameterConversion.Integer, Read = Single(s => s.Memory.Registers.BytesPerPe), Unit = "bytes", DefaultValue = 8, Min = 1, Max = 1_048_576, Doc = "Register bytes in each PE (stationary operand, passing operands, accumulator).", Reason = "An int32 accumulator plus the stationary and two passing int8 operands, rounded up to 8 bytes." },
        new() { Path = "memory.buffers", Kind = ParameterKind.SectionList, Doc = "On-chip SRAM buffers: one each for input, weight and output, or one unified buffer.", Reason = "Required: SRAM sizes set the tiling and have no neutral value." },
        new() { Path = Buffer + "name", Kind = ParameterKind.Text, Conversion = ParameterConversion.Text, Doc = "A name for reports (unique).", Reason = "Required: results and diagnostics name buffers." },
        new() { Path = Buffer + "role", Kind = ParameterKind.Choice, Conversion = ParameterConversion.Choice(SpecNames.Roles), Choices = SpecNames.Roles.Names, Doc = "Which operands the buffer holds (SCALE-Sim's ifmap, filter, ofmap SRAMs, or TPUv1's Unified Buffer).", Reason = "Required: the mapping needs to know where each operand lives." },
        new() { Path = Buffer + "capacity_kib", Kind = ParameterKind.Number, Conversion = ParameterConversion.KibToBytes, Read = BufferValue(b => b.CapacityBytes / 1024.0), Unit = "KiB", Min = 0, MinExclusive = true, Max = 1_048_576, Doc = "Capacity in KiB (1024 bytes); may be fractional if it is a whole number of bytes.", Reason = "Required: SRAM size is the main design choice." },
        new() { Path = Buffer + "word_bytes", Kind = ParameterKind.Integer, Conversion = ParameterConversion.Integer, Read = BufferValue(b => b.WordBytes), Unit = "bytes", DefaultValue = 1, Min = 1, Max = 4096, Doc = "Bytes per SRAM word; one access moves one word per bank and port.", Reason = "One int8 element per word, the unit in which SCALE-Sim counts SRAM accesses." },
        new() { Path = Buffer + "banks", Kind = ParameterKind.Integer, Conversion = ParameterConversion.Integer, Read = BufferValue(b => b.Banks), Unit = "banks", DefaultValue = 1, Min = 1, Max = 4096, Doc = "Independently addressed banks.", Reason = "SCALE-Sim's MemoryBanks default." },
        new() { Path = Buffer + "ports", Kind = ParameterKind.Integer, Conversion = ParameterConversion.Integer, Read = BufferValue(b => b.Ports), Unit = "ports", DefaultValue = 1, Min = 1, Max = 8, Doc = "Read/write ports per bank.", Reason = "Single-ported SRAM is the densest macro; double buffering hides the fills." },
        new() { Path = Buffer + "bytes_per_cycle", Kind = ParameterKind.Integer, Conversion = ParameterConversion.Integer, Read = BufferValue(b => b.BytesPerCycle), Unit = "bytes/cycle", Min = 1, Max = 1_048_576, Doc = "Peak bytes per cycle between the buffer and the array.", Reason = "Required: it depends on the array edge it feeds." },
        new() { Path = Buffer + "double_buffered", Kind = ParameterKind.Boolean, Conversion = ParameterConversion.Boolean, DefaultValue = true, Doc = "Half the capacity is filled from DRAM while the array works on the other half.", Reason = "SCALE-Sim and most NPUs prefetch the next tile during compute." },
        new() { Path = "memory.schedule", Kind = ParameterKind.Choice, Conversion = ParameterConversion.Choice(SpecNames.Schedules), Choices = SpecNames.Schedules.Names, DefaultValue = ExecutionSchedule.LayerByLayer, Doc = "layer_by_layer runs each layer whole; depth_first carries bands of output rows through stacks of consecutive layers in line buffers (docs/memory-model.md).", Reason = "Layer by layer is how TPUv1, Arm Vela and TVM schedule by default; depth first (DeFiNES, HPCA 2023) is the alternative to study." },
        new() { Path = "memory.weights", Kind = ParameterKind.Choice, Conversion = ParameterConversion.Choice(SpecNames.WeightPlacements), Choices = SpecNames.WeightPlacements.Names, DefaultValue = WeightPlacement.Stream, Doc = "stream fetches each layer's weights from DRAM once per layer and batch; resident keeps all weights on chip when they fit (loaded once, not per inference).", Reason = "Most models' weights exceed an accelerator's SRAM, and TPUv1 streams its weights from DRAM (Jouppi et al., ISCA 2017)." },
        new() { Path = "memory.fusion", Kind = ParameterKind.Choice, Conversion = ParameterConversion.Choice(SpecNames.Fusions), Choices = SpecNames.Fusions.Names, DefaultValue = EpilogueFusion.Elementwise, Doc = "Vector ops that run in a matrix op's output path without a round trip through a buffer: none; epilogue (bias, activation, requantize, residual add, quantize); epilogue_pooling (and pooling).", Reason = "Every NPU compiler fuses element-wise work into the producing layer's output stage (TVM, Arm Vela); pooling needs neighbouring rows that not every output path keeps." },
        new() { Path = "memory.dram", Kind = ParameterKind.Section, Doc = "Off-chip DRAM.", Reason = "Required: its bandwidth bounds every memory-bound layer." },
        new() { Path = "memory.dram.type", Kind = ParameterKind.Choice, Conversion = ParameterConversion.Choice(SpecNames.DramTypes), Choices = SpecNames.DramTypes.Names, DefaultValue = "LPDDR4", Doc = "DRAM standard; selects the energy per bit.", Reason = "The usual DRAM of edge NPUs." },
        new() { Path = "memory.dram.bandwidth_gbps", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = Single(s => s.Memory.Dram.BandwidthGBps), Unit = "GB/s", Min = 0, MinExclusive = true, Floor = 1e-6, Max = 100_000, RangeReason = "At least 1e-6 GB/s (1 kB/s), a million times below the slowest DRAM interface (a single LPDDR channel moves gigabytes per second); below it transfer times and bytes per cycle leave the range the timing model computes in.", Doc = "Sustained bandwidth in 10^9 bytes per second.", Reason = "Required: no bandwidth is neutral." },
        new() { Path = "memory.dram.latency_ns", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = Single(s => s.Memory.Dram.LatencyNs), Unit = "ns", DefaultValue = 100.0, Min = 0, Max = 100_000, Doc = "Latency of one access from request to first data.", Reason = "A row miss plus controller and PHY costs about 100 ns on LPDDR4/DDR4 systems." },
        new() { Path = "memory.dram.burst_bytes", Kind = ParameterKind.Integer, Conversion = ParameterConversion.Integer, Read = Single(s => s.Memory.Dram.BurstBytes), Unit = "bytes", DefaultValue = 64, Min = 1, Max = 65_536, Doc = "Bytes per burst; transfers round up to whole bursts.", Reason = "A 64-byte line: DDR4 BL8 on a 64-bit channel, LPDDR4 BL16 on two 16-bit channels." },

        new() { Path = "thermal", Kind = ParameterKind.Section, Default = "all defaults", Doc = "Compact RC thermal network (junction -> package/spreader -> heatsink/board -> ambient), temperature-dependent leakage and the DVFS throttling governor.", Reason = "Every member has a default, so a config may leave it out; the defaults describe a fanless handheld-class package." },
        new() { Path = Thermal + "ambient_c", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = Single(s => s.Thermal.AmbientC), Unit = "degC", DefaultValue = 45.0, Min = -60, Max = 150, Doc = "Ambient temperature; every node starts here.", Reason = "HotSpot's default ambient, 318.15 K (Huang et al., IEEE TVLSI 2006, hotspot.config): the air inside an enclosure, not the room." },
        new() { Path = Thermal + "junction_to_spreader_k_per_w", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = Single(s => s.Thermal.JunctionToSpreaderKPerW), Unit = "K/W", DefaultValue = 1.0, Min = 0, MinExclusive = true, Max = 10_000, Doc = "Die plus die-attach/TIM resistance from the junction to the package lid or spreader.", Reason = "Assumption: theta_JC of flip-chip BGA packages for 10-50 mm^2 dies is typically 0.5-2 K/W." },
        new() { Path = Thermal + "spreader_to_heatsink_k_per_w", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = Single(s => s.Thermal.SpreaderToHeatsinkKPerW), Unit = "K/W", DefaultValue = 4.0, Min = 0, MinExclusive = true, Max = 10_000, Doc = "Resistance from the spreader to the heatsink or board node (TIM2, solder balls, PCB spreading).", Reason = "Assumption: a fanless package conducting into a PCB or phone chassis frame." },
        new() { Path = Thermal + "heatsink_to_ambient_k_per_w", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = Single(s => s.Thermal.HeatsinkToAmbientKPerW), Unit = "K/W", DefaultValue = 15.0, Min = 0, MinExclusive = true, Max = 10_000, Doc = "Convection and radiation from the heatsink/board node to ambient.", Reason = "Assumption: a 20 K/W total junction-to-ambient, the order of theta_JA (JEDEC JESD51 still air) of BGA packages without a heatsink; about 2-3 W sustained at a 45 K rise, the budget of handheld SoCs." },
        new() { Path = Thermal + "junction_capacitance_j_per_k", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = Single(s => s.Thermal.JunctionCapacitanceJPerK), Unit = "J/K", DefaultValue = 0.01, Min = 0, MinExclusive = true, Max = 1e6, Doc = "Heat capacity of the die node.", Reason = "A 10 mm^2 x 0.5 mm silicon die at 1.75e6 J/(m^3 K) (HotSpot's silicon specific heat) holds 0.009 J/K." },
        new() { Path = Thermal + "spreader_capacitance_j_per_k", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = Single(s => s.Thermal.SpreaderCapacitanceJPerK), Unit = "J/K", DefaultValue = 1.0, Min = 0, MinExclusive = true, Max = 1e6, Doc = "Heat capacity of the package/spreader node.", Reason = "A 15 x 15 x 1.3 mm copper lid at 3.55e6 J/(m^3 K) (HotSpot's copper) holds about 1 J/K." },
        new() { Path = Thermal + "heatsink_capacitance_j_per_k", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = Single(s => s.Thermal.HeatsinkCapacitanceJPerK), Unit = "J/K", DefaultValue = 20.0, Min = 0, MinExclusive = true, Max = 1e6, Doc = "Heat capacity of the heatsink/board node.", Reason = "Assumption: the share of a PCB and chassis frame (about 20 g of FR4/aluminium) that warms with the package; gives a time constant of minutes, as handheld devices show." },
        new() { Path = Thermal + "leakage_power_w", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = (s, _) => s.Thermal.LeakagePowerW, Unit = "W", Default = "the energy table's leakage", Min = 0, Max = 10_000, Doc = "The whole die's leakage power at leakage_reference_c and supply_voltage_v, replacing the energy table's (leakage.sram_uw_per_kib x KiB + leakage.pe_uw x PEs at its leakage.reference_c). One figure either way: energy and the thermal model both take leakage from it, at P(T, V) = P0 (V / supply_voltage_v) exp(k (T - T0)).", Reason = "The energy table's per-KiB and per-PE figures scale with the design; a measured or datasheet whole-die figure, when there is one, is better, and replaces them." },
        new() { Path = Thermal + "leakage_reference_c", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = (s, _) => s.Thermal.LeakageReferenceC, Unit = "degC", DefaultValue = 25.0, Min = -60, Max = 300, Doc = "Junction temperature T0 at which leakage_power_w is given; only with leakage_power_w (the energy table's leakage carries its own leakage.reference_c).", Reason = "Room temperature, where leakage is usually characterised (the typical corner of standard-cell libraries, e.g. 25 degC in the Nangate 45 nm Open Cell Library)." },
        new() { Path = Thermal + "leakage_doubling_c", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = Single(s => s.Thermal.LeakageDoublingC), Unit = "degC", DefaultValue = 25.0, Min = 0, MinExclusive = true, Max = 1000, Doc = "Junction temperature rise that doubles leakage, whether P0 is leakage_power_w or the energy table's: P_leak(T) = P_leak(T0) * exp(k (T - T0)) with k = ln 2 / leakage_doubling_c.", Reason = "Subthreshold leakage is commonly cited to double every 25-30 degC in deep-submicron CMOS (the exponential of HotLeakage, Zhang et al., UVa CS-2003-05); 25 is the pessimistic end." },
        new() { Path = Thermal + "idle_power_w", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = Single(s => s.Thermal.IdlePowerW), Unit = "W", DefaultValue = 0.0, Min = 0, Max = 10_000, Doc = "Always-on power at the nominal point: what clock gating leaves running (PLL, clock root, always-on control), drawn during inference and between inferences alike. Energy counts it over every cycle of a run (the idle component, beside clock_overhead_fraction's activity-proportional clock tree); the thermal model adds it between inferences too. Scales with V^2 f like all dynamic power; leakage is separate.", Reason = "A fully clock-gated array with no always-on domain: only leakage remains, which is modelled on its own." },
        new() { Path = Thermal + "max_junction_c", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = Single(s => s.Thermal.MaxJunctionC), Unit = "degC", DefaultValue = 105.0, Min = -60, Max = 300, Doc = "Highest allowed junction temperature; runs that exceed it are flagged.", Reason = "Assumption: the 105 degC Tj,max commonly specified for consumer and mobile SoCs." },
        new() { Path = Thermal + "throttle_c", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = Single(s => s.Thermal.ThrottleC), Unit = "degC", DefaultValue = 95.0, Min = -60, Max = 300, Doc = "Junction temperature at or above which the governor steps down one DVFS step per control period.", Reason = "10 degC below max_junction_c leaves room for the junction's overshoot during one control period." },
        new() { Path = Thermal + "hysteresis_c", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = Single(s => s.Thermal.HysteresisC), Unit = "degC", DefaultValue = 5.0, Min = 0, Max = 300, Doc = "The governor steps back up only at or below throttle_c - hysteresis_c.", Reason = "A few degrees, as Linux thermal trip points use, so the governor does not toggle every period around the threshold." },
        new() { Path = Thermal + "control_period_ms", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = Single(s => s.Thermal.ControlPeriodMs), Unit = "ms", DefaultValue = 10.0, Min = 0, MinExclusive = true, Max = 1e6, Doc = "How often the governor reads the junction temperature and may change step.", Reason = "Of the order of the die's time constant (junction R x C = 10 ms by default), so the governor reacts before the spreader heats." },
        new() { Path = Thermal + "dvfs_steps", Kind = ParameterKind.SectionList, Default = "the nominal point only", Doc = "Operating points from fastest to slowest; work takes f0/f longer and dynamic energy scales with (V/V0)^2 relative to clock_mhz and supply_voltage_v.", Reason = "Without listed steps the part runs only at its nominal point and cannot throttle." },
        new() { Path = Thermal + "dvfs_steps[].frequency_mhz", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = StepValue(d => d.FrequencyMhz), Unit = "MHz", Min = 0, MinExclusive = true, Floor = 0.001, Max = 100_000, RangeReason = "At least 1 kHz, as clock_mhz: a DVFS step is a clock, and a smaller one makes throttled time overflow.", Doc = "Core clock of this step.", Reason = "Required: an operating point is a frequency and a voltage." },
        new() { Path = Thermal + "dvfs_steps[].voltage_v", Kind = ParameterKind.Number, Conversion = ParameterConversion.Number, Read = StepValue(d => d.VoltageV), Unit = "V", Min = 0, MinExclusive = true, Max = 5, Doc = "Supply voltage of this step.", Reason = "Required: an operating point is a frequency and a voltage." },
    ];

    private static Func<AcceleratorSpec, int, double?> Single(Func<AcceleratorSpec, double> read) => (spec, _) => read(spec);

    private static Func<AcceleratorSpec, int, double?> BufferValue(Func<BufferSpec, double> read) =>
        (spec, i) => i >= 0 && i < spec.Memory.Buffers.Length ? read(spec.Memory.Buffers[i]) : null;

    private static Func<AcceleratorSpec, int, double?> StepValue(Func<DvfsStep, double> read) =>
        (spec, i) => i >= 0 && i < spec.Thermal.DvfsSteps.Length ? read(spec.Thermal.DvfsSteps[i]) : null;

    private static readonly ImmutableDictionary<string, SpecParameter> s_byPath = All.ToImmutableDictionary(p => p.Path, StringComparer.Ordinal);

    /// <summary>The parameter at a path; list indices may be written (<c>memory.buffers[2].name</c>) or not (<c>[]</c>).</summary>
    public static SpecParameter? Find(string path) => s_byPath.GetValueOrDefault(Normalize(path));

    /// <summary>The parameter at a path; throws when there is none (a bug in the caller).</summary>
    public static SpecParameter Get(string path) => Find(path) ?? throw new ArgumentException($"no spec parameter '{path}'", nameof(path));

    /// <summary>
    /// The catalogue's default of a parameter as the spec holds it (<c>Default&lt;int&gt;("array.accumulator_bits")</c>
    /// is 32): what the binder applies when a config leaves the field out, and what the spec records' initializers read.
    /// </summary>
    /// <exception cref="ArgumentException">the path names no parameter, or one without a value default.</exception>
    /// <exception cref="InvalidCastException">the default is not a <typeparamref name="T"/> (a bug in the caller).</exception>
    public static T Default<T>(string path) =>
        (T)(Get(path).DefaultValue ?? throw new ArgumentException($"spec parameter '{path}' has no value default", nameof(path)));

    /// <summary>
    /// A number's value in a spec by concrete path (<c>memory.buffers[1].capacity_kib</c>), in config units; null when
    /// the path names no number or its index is past the list's end.
    /// </summary>
    public static double? ReadNumber(AcceleratorSpec spec, string path)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (Find(path)?.Read is not { } read)
        {
            return null;
        }

        int open = path.IndexOf('[', StringComparison.Ordinal);
        int index = 0;
        if (open >= 0 && !int.TryParse(path.AsSpan(open + 1, path.IndexOf(']', open) - open - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out index))
        {
            return null;
        }

        return read(spec, index);
    }

    /// <summary>The direct members of a section, in document order (<c>""</c> for the top level).</summary>
    public static IEnumerable<SpecParameter> Children(string sectionPath)
    {
        string parent = Normalize(sectionPath);
        if (parent.Length > 0 && s_byPath.TryGetValue(parent, out var section) && section.Kind == ParameterKind.SectionList)
        {
            parent += "[]";
        }

        return All.Where(p => string.Equals(p.Parent, parent, StringComparison.Ordinal));
    }

    /// <summary>Replaces every list index with <c>[]</c>: <c>memory.buffers[1].name</c> to <c>memory.buffers[].name</c>.</summary>
    public static string Normalize(string path)
    {
        var sb = new System.Text.StringBuilder(path.Length);
        for (int i = 0; i < path.Length; i++)
        {
            sb.Append(path[i]);
            if (path[i] == '[')
            {
                while (i + 1 < path.Length && path[i + 1] != ']')
                {
                    i++;
                }
            }
        }

        return sb.ToString();
    }
}
