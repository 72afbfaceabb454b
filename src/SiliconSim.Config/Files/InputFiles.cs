using System.Globalization;
using System.Text;

namespace SiliconSim.Config.Files;

/// <summary>
/// The one way SiliconSim opens a file that input names (a model, its external data, a tensor, a config, its base, an
/// energy table, a sweep, a topology): the path is resolved to its real path with every symbolic link followed; when a
/// folder is given the real path must lie inside that folder's real path; only a regular file is opened (a FIFO would
/// block, <c>/dev/zero</c> never ends, a directory is no file); and its size is checked against the bytes asked for
/// before anything is read. Every refusal is an <see cref="InputFileException"/> whose message is the problem alone.
/// </summary>
public static class InputFiles
{
    /// <summary>
    /// The cap on a YAML or CSV input (configs, bases, energy tables, sweeps, topologies): the bundled ones are a few
    /// KiB and SCALE-Sim's largest topology is under 10 KiB, so 16 MiB is far above any real file while keeping a
    /// mistaken path (a model, a log) from being parsed as text.
    /// </summary>
    public const long MaxTextBytes = 16L << 20;

    // Linux's MAXSYMLINKS (40): more hops than this is a loop.
    private const int MaxLinkHops = 40;

    /// <summary>
    /// Opens <paramref name="path"/> for reading after the checks above; the stream is of the resolved file, so what
    /// was checked is what is read.
    /// </summary>
    /// <param name="path">The file as named (relative to the current directory unless rooted).</param>
    /// <param name="maxBytes">The largest file accepted.</param>
    /// <param name="folder">When given, the folder the file must stay inside (after links are followed).</param>
    /// <exception cref="InputFileException">the file is refused.</exception>
    public static FileStream OpenRead(string path, long maxBytes, string? folder = null)
    {
        string real = Resolve(path, folder);
        FileStream stream = OpenChecked(real);
        if (stream.Length > maxBytes)
        {
            long length = stream.Length;
            stream.Dispose();
            throw new InputFileException($"is {Bytes(length)}; the limit for this file is {Bytes(maxBytes)}");
        }

        return stream;
    }

    /// <summary>The whole file as UTF-8 text (a BOM is honoured), after the checks of <see cref="OpenRead"/>.</summary>
    /// <exception cref="InputFileException">the file is refused.</exception>
    public static string ReadAllText(string path, long maxBytes = MaxTextBytes, string? folder = null)
    {
        using FileStream stream = OpenRead(path, maxBytes, folder);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// <paramref name="length"/> bytes at <paramref name="offset"/> (a negative length: to the end of the file), checked
    /// against the file's size before the buffer is allocated.
    /// </summary>
    /// <exception cref="InputFileException">the file is refused or the range lies outside it.</exception>
    public static byte[] ReadRange(string path, long offset, long length, string? folder = null)
    {
        using FileStream stream = OpenRead(path, long.MaxValue, folder);
        long size = stream.Length;

        // Written so no sum can overflow: offsets near 2^63 are input, not arithmetic.
        if (offset < 0 || offset > size || (length >= 0 && length > size - offset))
        {
            throw new InputFileException($"the range [{offset}, +{(length < 0 ? size - Math.Clamp(offset, 0, size) : length)}) lies outside the file ({Bytes(size)})");
        }

        long count = length < 0 ? size - offset : length;
        if (count > Array.MaxLength)
        {
            throw new InputFileException($"the range asks for {Bytes(count)}; one tensor's data is at most {Bytes(Array.MaxLength)}");
        }

        stream.Seek(offset, SeekOrigin.Begin);
        byte[] buffer = new byte[count];
        stream.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>Whether <paramref name="path"/> names a regular file (links followed); a FIFO or device does not.</summary>
    public static bool IsRegularFile(string path) => FileKinds.Of(path) == FileKind.Regular;

    /// <summary>
    /// The real path of <paramref name="path"/>: absolute, every symbolic link in it followed, <c>.</c> and <c>..</c>
    /// applied to the real parent (as the kernel does, not to the text). A path whose links loop is refused.
    /// </summary>
    /// <exception cref="InputFileException">the links loop.</exception>
    public static string RealPath(string path)
    {
        string full = Path.GetFullPath(path);
        string root = Path.GetPathRoot(full) ?? "/";
        var pending = new Stack<string>(full[root.Length..].Split(Separators, StringSplitOptions.RemoveEmptyEntries).Reverse());
        string current = root;
        int hops = 0;
        while (pending.TryPop(out string? part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? root;
                continue;
            }

            string next = Path.Combine(current, part);
            string? target = LinkTarget(next);
            if (target is null)
            {
                current = next;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                throw new InputFileException($"too many levels of symbolic links at {next}");
            }

            // The target's own parts are walked in turn, so links inside it are followed too.
            string[] parts = target.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
            for (int i = parts.Length - 1; i >= 0; i--)
            {
                pending.Push(parts[i]);
            }

            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target) ?? root;
            }
        }

        return current;
    }

    private static char[] Separators => OperatingSystem.IsWindows() ? ['/', '\\'] : ['/'];

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Resolve(string path, string? folder)
    {
        string real = RealPath(path);
        if (folder is not null)
        {
            string root = RealPath(folder);
            string prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
            if (!real.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new InputFileException($"resolves to {real}, outside the folder {root} it must stay in (symbolic links are followed)");
            }
        }

        FileKind kind = FileKinds.Of(real);
        if (kind != FileKind.Regular)
        {
            throw new InputFileException(kind == FileKind.Missing ? "no such file" : $"is {FileKinds.Describe(kind)}, not a regular file");
        }

        return real;
    }

    private static FileStream OpenChecked(string real)
    {
        try
        {
            return new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputFileException("no such file", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputFileException($"cannot be read ({e.Message})", e);
        }
    }

    private static string Bytes(long n) => n.ToString("N0", CultureInfo.InvariantCulture) + " bytes";
}
