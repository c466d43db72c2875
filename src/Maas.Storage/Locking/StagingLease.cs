namespace Maas.Storage.Locking;

/// <summary>A reserved piece of a <see cref="StagingArea"/>: its lock is held until disposal, which also removes what is left at its path.</summary>
public sealed class StagingLease : IDisposable
{
    private readonly FileStream _lock;
    private bool _disposed;

    internal StagingLease(string path, FileStream lockFile)
    {
        Path = path;
        _lock = lockFile;
    }

    /// <summary>The reserved path (a folder, or the stem of files <c>Path.ext</c>), not created yet.</summary>
    public string Path { get; }

    /// <summary>Removes the folder at <see cref="Path"/> if it is still there (the registry may have moved it away), then the lock.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (Directory.Exists(Path))
            {
                Directory.Delete(Path, recursive: true);
            }
        }
        finally
        {
            // Deleted while still held, so no clean-up elsewhere can claim it in between.
            File.Delete(Path + ".lock");
            _lock.Dispose();
        }
    }
}
