namespace SiliconSim.Config.Diagnostics;

/// <summary>
/// A place in a config file; line and column count from 1, as editors and compilers show them. Line 0 is a place
/// outside any file, such as a command-line override, and shows as its name alone (<c>--set</c>).
/// </summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}
