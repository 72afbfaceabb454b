namespace SiliconSim.Cli.Tests.Fuzz;

/// <summary>The edits a mutation makes: byte-level ones for every input, token and line edits for text.</summary>
internal enum MutationKind
{
    FlipBit,
    SetBytes,
    Truncate,
    Insert,
    Duplicate,
    ReplaceToken,
    DeleteLine,
    DuplicateLine,
}
