using System.Text.Json;
using System.Text.Json.Serialization;

namespace SiliconSim.Reporting.Json;

/// <summary>Writes <typeparamref name="T"/> as its snake_case name (<c>BitExact</c> as <c>"bit_exact"</c>); numbers are rejected.</summary>
internal sealed class SnakeCaseEnumConverter<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where T : struct, Enum;
