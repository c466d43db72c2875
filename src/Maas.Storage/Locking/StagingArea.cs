namespace Maas.Storage.Locking;

/// <summary>
/// A folder of work in progress (model files before registration, an import's manifest before its commit): each piece
/// is named by a stem and guarded by <c>stem.lock</c>, held while it is in use. The kernel drops the lock when its
/// process dies, so whatever a killed process left is recognised by its free lock and removed by the next writer.
/// </summary>
/// <param name="root">The staging folder.</param>
public sealed class StagingArea(string root)
{
    private const string LockExtension = ".lock";

    private static readonly TimeSpan s_unlockedGrace = TimeSpan.FromHours(1);

    /// <summary>The staging folder.</summary>
    public string Root => root;

    /// <summary>
    /// Removes what killed writers left, then reserves a new stem: the returned lease holds its lock and names
    /// <see cref="StagingLease.Path"/>, which the caller creates (as a folder or as files <c>Path.ext</c>).
    /// </summary>
    /// <param name="prefix">The start of the stem, e.g. <c>model</c>.</param>
    public StagingLease Reserve(string prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        Directory.CreateDirectory(root);
        RemoveAbandoned(dryRun: false);
        while (true)
        {
            var stem = System.IO.Path.Combine(root, $"{prefix}-{Guid.NewGuid():N}");
            // The lock is taken before anything else of the stem exists, so a piece without a held lock is never in use.
            var lockFile = new FileStream(stem + LockExtension, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
            if (File.Exists(stem + LockExtension))
            {
                return new StagingLease(stem, lockFile);
            }

            // Another writer's clean-up took the file between its creation and the lock; take a new name.
            lockFile.Dispose();
        }
    }

    /// <summary>
    /// Removes (or, with <paramref name="dryRun"/>, only measures) every piece whose lock is free or missing;
    /// returns how many pieces and bytes that was.
    /// </summary>
    public (int Pieces, long Bytes) RemoveAbandoned(bool dryRun)
    {
        if (!Directory.Exists(root))
        {
            return (0, 0);
        }

        var pieces = 0;
        long bytes = 0;
        var entries = Directory.EnumerateFileSystemEntries(root).Select(System.IO.Path.GetFileName).OfType<string>().ToList();
        var stems = entries.Where(e => e.EndsWith(LockExtension, StringComparison.Ordinal)).Select(e => e[..^LockExtension.Length])
            .Concat(entries.Where(e => !e.EndsWith(LockExtension, StringComparison.Ordinal)).Select(StemOf))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        foreach (var stem in stems)
        {
            var lockPath = System.IO.Path.Combine(root, stem + LockExtension);
            FileStream? claim = null;
            try
            {
                if (File.Exists(lockPath))
                {
                    claim = new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                }
            }
            catch (IOException)
            {
                // Held: a writer is using it.
                continue;
            }

            using (claim)
            {
                var owned = entries.Where(e => e != stem + LockExtension && StemOf(e) == stem).Select(e => System.IO.Path.Combine(root, e)).ToList();
                // A piece without a lock file was staged by an older maas that took none: abandoned only once it is old.
                if (claim is null && owned.Any(p => DateTime.UtcNow - LastWrite(p) < s_unlockedGrace))
                {
                    continue;
                }

                pieces++;
                bytes += owned.Sum(Size) + (claim is null ? 0 : Size(lockPath));
                if (dryRun)
                {
                    continue;
                }

                foreach (var path in owned)
                {
                    Delete(path);
                }

                if (claim is not null)
                {
                    File.Delete(lockPath);
                }
            }
        }

        return (pieces, bytes);
    }

    /// <summary>The stem of an entry: its name up to the first dot after the start (<c>import-ab12.db</c> is <c>import-ab12</c>).</summary>
    private static string StemOf(string name)
    {
        var dot = name.IndexOf('.', 1);
        return dot < 0 ? name : name[..dot];
    }

    private static DateTime LastWrite(string path) =>
        Directory.Exists(path) ? Directory.GetLastWriteTimeUtc(path) : File.GetLastWriteTimeUtc(path);

    private static long Size(string path) =>
        Directory.Exists(path)
            ? new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length)
            : File.Exists(path) ? new FileInfo(path).Length : 0;

    private static void Delete(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        else
        {
            File.Delete(path);
        }
    }
}
