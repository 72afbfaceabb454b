namespace SiliconSim.Cli.Tests.Fuzz;

/// <summary>
/// One mutation of a seed input: what to change (<see cref="Kind"/>), where (<see cref="At"/>, a fraction of the input's
/// length), how much (<see cref="Length"/>), and with what (<see cref="Value"/> for bytes, <see cref="Token"/> for text).
/// </summary>
internal sealed record Mutation(FuzzTarget Target, MutationKind Kind, double At, int Length, byte Value, string Token)
{
    /// <summary>Applies the mutation to <paramref name="input"/>; text targets take token and line edits as well.</summary>
    public byte[] Apply(byte[] input)
    {
        int at = Math.Clamp((int)(At * input.Length), 0, Math.Max(0, input.Length - 1));
        int length = Math.Clamp(Length, 1, Math.Max(1, input.Length - at));
        switch (Kind)
        {
            case MutationKind.FlipBit when input.Length > 0:
                byte[] flipped = (byte[])input.Clone();
                flipped[at] ^= (byte)(1 << (Value % 8));
                return flipped;
            case MutationKind.SetBytes when input.Length > 0:
                byte[] set = (byte[])input.Clone();
                Array.Fill(set, Value, at, length);
                return set;
            case MutationKind.Truncate:
                return input[..at];
            case MutationKind.Insert:
                return [.. input[..at], .. Enumerable.Repeat(Value, length), .. input[at..]];
            case MutationKind.Duplicate when input.Length > 0:
                return [.. input[..(at + length)], .. input[at..(at + length)], .. input[(at + length)..]];
            case MutationKind.ReplaceToken:
                return ReplaceToken(input, at);
            case MutationKind.DeleteLine:
                return EditLines(input, at, (lines, i) => lines.RemoveAt(i));
            case MutationKind.DuplicateLine:
                return EditLines(input, at, (lines, i) => lines.Insert(i, lines[i]));
            default:
                return input;
        }
    }

    /// <summary>Replaces the word (a run of letters, digits, '.', '-', '_') at or after <paramref name="at"/> with <see cref="Token"/>.</summary>
    private byte[] ReplaceToken(byte[] input, int at)
    {
        string text = System.Text.Encoding.UTF8.GetString(input);
        static bool Word(char c) => char.IsLetterOrDigit(c) || c is '.' or '-' or '_';
        int start = Math.Min(at, text.Length);
        while (start < text.Length && !Word(text[start]))
        {
            start++;
        }

        int end = start;
        while (end < text.Length && Word(text[end]))
        {
            end++;
        }

        return System.Text.Encoding.UTF8.GetBytes(text[..start] + Token + text[end..]);
    }

    private static byte[] EditLines(byte[] input, int at, Action<List<string>, int> edit)
    {
        var lines = System.Text.Encoding.UTF8.GetString(input).Split('\n').ToList();
        if (lines.Count == 0)
        {
            return input;
        }

        edit(lines, Math.Min(lines.Count - 1, at * lines.Count / Math.Max(1, input.Length)));
        return System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines));
    }

    public override string ToString() =>
        $"{Target} {Kind} at {At:0.####} length {Length} value {Value}{(Kind == MutationKind.ReplaceToken ? $" token '{Token}'" : string.Empty)}";
}
