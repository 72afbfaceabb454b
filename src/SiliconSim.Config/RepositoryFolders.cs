namespace SiliconSim.Config;

/// <summary>
/// Finds the repository's shipped folders (<c>configs/presets</c>, <c>configs/energy</c>, <c>workloads/…</c>) by
/// searching upward from a list of start folders, so the CLI finds them both from a build output inside the repository
/// and from a checkout's root.
/// </summary>
public static class RepositoryFolders
{
    /// <summary>
    /// The first existing folder <paramref name="relativeFolder"/> in the executable's folder or one of its parents, else
    /// in the current directory or one of its parents; null when there is none.
    /// </summary>
    public static string? FindAbove(string relativeFolder) =>
        FindAbove(relativeFolder, [AppContext.BaseDirectory, Directory.GetCurrentDirectory()], Directory.Exists);

    /// <summary>
    /// For each of <paramref name="starts"/> in turn, that folder and then each parent: the first
    /// <c>Path.Combine(folder, <paramref name="relativePath"/>)</c> for which <paramref name="exists"/> is true; null when
    /// there is none.
    /// </summary>
    public static string? FindAbove(string relativePath, ReadOnlySpan<string> starts, Func<string, bool> exists)
    {
        ArgumentNullException.ThrowIfNull(exists);
        foreach (string start in starts)
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, relativePath);
                if (exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
