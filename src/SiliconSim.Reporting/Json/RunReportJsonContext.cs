using System.Text.Json.Serialization;
using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation.Energy;
using SiliconSim.Simulation.Memory;
using SiliconSim.Simulation.Pipeline;
using SiliconSim.Simulation.Results;
using SiliconSim.Simulation.Thermal;

namespace SiliconSim.Reporting.Json;

/// <summary>
/// System.Text.Json source generation for <c>report.json</c> (schema <c>siliconsim.run/2</c>): snake_case keys in
/// declaration order (equal runs give byte-identical files), enums as snake_case names (data types by their ONNX
/// names), non-finite numbers as the strings <c>"Infinity"</c>, <c>"-Infinity"</c> and <c>"NaN"</c> (JSON has no
/// literal for them), nullable and required members enforced when reading. <see cref="RunReportJson"/> adds the few
/// renames the schema documents.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    Converters =
    [
        typeof(SnakeCaseEnumConverter<ValuesOutcome>),
        typeof(SnakeCaseEnumConverter<LayerKind>),
        typeof(SnakeCaseEnumConverter<BufferRole>),
        typeof(SnakeCaseEnumConverter<OperandKind>),
        typeof(SnakeCaseEnumConverter<VectorOpClass>),
        typeof(SnakeCaseEnumConverter<ThermalRunStatus>),
        typeof(SnakeCaseEnumConverter<ExecutionSchedule>),
        typeof(SnakeCaseEnumConverter<LeakageTemperatureBasis>),
        typeof(DataTypeNameConverter),
    ])]
[JsonSerializable(typeof(RunReportDocument))]
internal sealed partial class RunReportJsonContext : JsonSerializerContext;
