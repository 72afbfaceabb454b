using System.Collections.Immutable;
using SiliconSim.Config.Diagnostics;

namespace SiliconSim.Config.Yaml;

/// <summary>A sequence (block <c>- x</c> or flow <c>[x, y]</c>).</summary>
internal sealed record YamlSequence(SourceLocation Location, ImmutableArray<YamlNode> Items) : YamlNode(Location);
