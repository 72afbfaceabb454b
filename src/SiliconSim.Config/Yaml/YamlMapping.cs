using System.Collections.Immutable;
using SiliconSim.Config.Diagnostics;

namespace SiliconSim.Config.Yaml;

/// <summary>A mapping in file order; keys are unique (duplicates are reported and dropped when reading).</summary>
internal sealed record YamlMapping(SourceLocation Location, ImmutableArray<KeyValuePair<YamlScalar, YamlNode>> Entries) : YamlNode(Location);
