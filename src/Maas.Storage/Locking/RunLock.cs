using Maas.Core.Errors;

namespace Maas.Storage.Locking;

/// <summary>
/// The lock a training process holds on <c>run.lock</c> in a run's folder while it trains the run. The kernel drops it
/// when the process ends, however it ends, so a run recorded as running whose lock is free was interrupted.
/// </summary>
public static class RunLock
{
    /// <summary>The lock file's name inside the run's folder.</summary>
    public const string FileName = "run.lock";

    private const int Attempts = 20;

    /// <summary>Takes the run's lock exclusively.</summary>
    /// <param name="runFolder">The run's artifact folder (created when missing).</param>
    /// <param name="runId">The run's id, for the error message.</param>
    /// <exception cref="ConflictException">Another process trains the run now.</exception>
    public static FileStream Acquire(string runFolder, string runId)
    {
        Directory.CreateDirectory(runFolder);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return new FileStream(Path.Combine(runFolder, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < Attempts)
            {
                // A reader checking whether the run is alive holds a shared lock for a moment; a trainer holds it for good.
                Thread.Sleep(10);
            }
            catch (IOException)
            {
                throw new ConflictException($"run '{runId}' is being trained by another process now.");
            }
        }
    }

    /// <summary>Whether a process holds the lock of the run in <paramref name="runFolder"/> now.</summary>
    public static bool IsHeld(string runFolder)
    {
        var path = Path.Combine(runFolder, FileName);
        try
        {
            // A shared lock for a moment: it conflicts only with the trainer's exclusive one.
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return false;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }
}
