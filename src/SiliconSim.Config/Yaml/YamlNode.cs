using SiliconSim.Config.Diagnostics;

namespace SiliconSim.Config.Yaml;

/// <summary>
/// A node of the YAML tree with its location. SiliconSim builds its own small tree from YamlDotNet's parser events
/// (instead of deserializing straight into documents) so that one pass can report every problem, not only the first.
/// </summary>
internal abstract record YamlNode(SourceLocation Location);
