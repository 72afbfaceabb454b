using System.Text.Json.Serialization;
using SiliconSim.Numerics;

namespace SiliconSim.Reporting.Json;

/// <summary>
/// Writes a <see cref="DataType"/> as its name, which is ONNX's <c>TensorProto.DataType</c> spelling in Pascal case
/// (<c>"Float8E4M3FN"</c>): snake_case would split it into <c>float8_e4_m3_fn</c>, a name no spec uses.
/// </summary>
internal sealed class DataTypeNameConverter() : JsonStringEnumConverter<DataType>(namingPolicy: null, allowIntegerValues: false);
