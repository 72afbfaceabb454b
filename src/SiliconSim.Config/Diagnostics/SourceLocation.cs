namespace SiliconSim.Config.Diagnostics;

/// <summary>A place in a config file; line and column count from 1, as editors and compilers show them.</summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
