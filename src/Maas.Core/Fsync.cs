using System.Runtime.InteropServices;

namespace Maas.Core;

/// <summary>
/// Forces a file's or a folder's entries to disk before metadata that refers to them is committed. A renamed or
/// newly created entry is durable only once its parent folder is synced too; .NET cannot open a folder, so on
/// Linux and macOS the folder is opened, synced and closed through libc. Elsewhere folder syncs are skipped.
/// </summary>
public static class Fsync
{
    private const int ReadOnly = 0;

    /// <summary>Syncs the content of the file at <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The file cannot be opened or synced.</exception>
    public static void File(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Syncs the entries (names) of the folder at <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The folder cannot be opened or synced.</exception>
    public static void Directory(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var descriptor = Open(path, ReadOnly);
        if (descriptor < 0)
        {
            throw new IOException($"{path}: cannot open the folder to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Sync(descriptor) != 0)
            {
                throw new IOException($"{path}: cannot sync the folder (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Sync(int descriptor);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int descriptor);
}
