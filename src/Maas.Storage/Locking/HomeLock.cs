using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Maas.Core;
using Maas.Core.Errors;

namespace Maas.Storage.Locking;

/// <summary>
/// The lock that keeps deleting work (dataset removal, pack compaction, gc) apart from everything that reads or adds
/// to a home (import, train, serve, analyze): an OS advisory lock on <c>locks/home.lock</c>, shared or exclusive.
/// The kernel drops it when its process ends, however it ends, so a killed process never leaves the home locked.
/// </summary>
/// <remarks>
/// On Unix, .NET takes the lock with <c>flock</c> when it opens the file: <see cref="FileShare.None"/> asks for
/// <c>LOCK_EX</c>, any other sharing for <c>LOCK_SH</c>, both non-blocking (a conflict throws <see cref="IOException"/>).
/// <c>flock</c> belongs to the open file, not to the process, so two acquisitions within one process conflict as two
/// processes would. Each holder also writes a small file under <c>locks/holders/</c> naming itself, removed on release
/// and ignored once its process is gone, so that a refused process can say who holds the home.
/// </remarks>
public sealed class HomeLock : IDisposable
{
    /// <summary>The environment variable that sets how long to wait for the lock, in seconds (default 10).</summary>
    public const string TimeoutVariable = "MAAS_LOCK_TIMEOUT_SECONDS";

    /// <summary>How long an acquisition waits for a conflicting holder to finish when <see cref="TimeoutVariable"/> is unset.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan s_retryInterval = TimeSpan.FromMilliseconds(100);

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private readonly FileStream _lock;
    private readonly string _holderPath;
    private bool _disposed;

    private HomeLock(FileStream lockFile, string holderPath, HomeLockMode mode)
    {
        _lock = lockFile;
        _holderPath = holderPath;
        Mode = mode;
    }

    /// <summary>How this lock is held.</summary>
    public HomeLockMode Mode { get; }

    /// <summary>The lock file of <paramref name="home"/>.</summary>
    public static string LockPath(MaasHome home)
    {
        ArgumentNullException.ThrowIfNull(home);
        return Path.Combine(home.LocksPath, "home.lock");
    }

    /// <summary>Takes the lock shared, for work that reads or adds to the home.</summary>
    /// <exception cref="ConflictException">An exclusive holder kept it past the timeout; the message names the holder.</exception>
    public static Task<HomeLock> AcquireSharedAsync(MaasHome home, string purpose, CancellationToken cancellationToken) =>
        AcquireAsync(home, HomeLockMode.Shared, purpose, null, cancellationToken);

    /// <summary>Takes the lock exclusive, for work that deletes what others may read or reuse.</summary>
    /// <exception cref="ConflictException">Other holders kept it past the timeout; the message names them.</exception>
    public static Task<HomeLock> AcquireExclusiveAsync(MaasHome home, string purpose, CancellationToken cancellationToken) =>
        AcquireAsync(home, HomeLockMode.Exclusive, purpose, null, cancellationToken);

    /// <summary>
    /// Takes the lock in <paramref name="mode"/>, retrying while another holder conflicts, for up to
    /// <paramref name="timeout"/> (when null: <see cref="TimeoutVariable"/>, else <see cref="DefaultTimeout"/>).
    /// </summary>
    /// <param name="home">The home to lock.</param>
    /// <param name="mode">Shared or exclusive.</param>
    /// <param name="purpose">What the caller is about to do, shown to a process the lock refuses.</param>
    /// <param name="timeout">How long to wait for conflicting holders; zero tries once.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <exception cref="ConflictException">The lock stayed taken past the timeout; the message (<c>busy: ...</c>) names the holders.</exception>
    /// <exception cref="InvalidInputException"><see cref="TimeoutVariable"/> is not a number of seconds.</exception>
    public static async Task<HomeLock> AcquireAsync(MaasHome home, HomeLockMode mode, string purpose, TimeSpan? timeout,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(home);
        ArgumentException.ThrowIfNullOrWhiteSpace(purpose);
        var wait = timeout ?? ConfiguredTimeout();
        var path = LockPath(home);
        var holders = Path.Combine(home.LocksPath, "holders");
        Directory.CreateDirectory(holders);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryOpen(path, mode) is { } lockFile)
            {
                var holderPath = Path.Combine(holders, string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}-{Guid.NewGuid():N}.json"));
                try
                {
                    var holder = new HomeLockHolder(Environment.ProcessId, mode, purpose, CommandLine(), DateTimeOffset.UtcNow);
                    await AtomicFile.WriteAllBytesAsync(holderPath, JsonSerializer.SerializeToUtf8Bytes(holder, s_json), CancellationToken.None, flushToDisk: false);
                    return new HomeLock(lockFile, holderPath, mode);
                }
                catch
                {
                    await lockFile.DisposeAsync();
                    throw;
                }
            }

            if (clock.Elapsed >= wait)
            {
                throw Busy(holders, mode, purpose, wait);
            }

            await Task.Delay(s_retryInterval, cancellationToken);
        }
    }

    /// <summary>The holders recorded under <paramref name="home"/> whose processes are still alive.</summary>
    public static IReadOnlyList<HomeLockHolder> Holders(MaasHome home)
    {
        ArgumentNullException.ThrowIfNull(home);
        return LiveHolders(Path.Combine(home.LocksPath, "holders"));
    }

    /// <summary>Removes this holder's record, then releases the lock.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            File.Delete(_holderPath);
        }
        finally
        {
            // The lock file itself stays: deleting it would let a later process lock a new file while another still holds the old one.
            _lock.Dispose();
        }
    }

    private static FileStream? TryOpen(string path, HomeLockMode mode)
    {
        try
        {
            // Read access for the shared lock: .NET takes LOCK_SH for a file opened for writing only on file systems it
            // knows to support it, and always for one opened for reading.
            return mode == HomeLockMode.Exclusive
                ? new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None)
                : new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }

    private static TimeSpan ConfiguredTimeout()
    {
        var text = Environment.GetEnvironmentVariable(TimeoutVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return DefaultTimeout;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && seconds <= 86_400
            ? TimeSpan.FromSeconds(seconds)
            : throw new InvalidInputException($"{TimeoutVariable}='{text}': give a number of seconds from 0 to 86400.");
    }

    private static ConflictException Busy(string holdersFolder, HomeLockMode mode, string purpose, TimeSpan waited)
    {
        // A shared request is refused only by an exclusive holder; an exclusive one by anyone.
        var live = LiveHolders(holdersFolder);
        var blocking = mode == HomeLockMode.Shared && live.Any(h => h.Mode == HomeLockMode.Exclusive)
            ? live.Where(h => h.Mode == HomeLockMode.Exclusive).ToList()
            : live;
        var who = blocking.Count == 0
            ? "another maas process holds the home"
            : string.Join("; ", blocking.Select(h => $"`{h.CommandLine}` (PID {h.ProcessId}, {h.Purpose})")) + (blocking.Count == 1 ? " holds the home" : " hold the home");
        return new ConflictException(string.Create(CultureInfo.InvariantCulture,
            $"busy: {who}; {purpose} waited {waited.TotalSeconds:0.#} s for it. Try again when it ends (or set {TimeoutVariable} to wait longer)."));
    }

    private static List<HomeLockHolder> LiveHolders(string folder)
    {
        var holders = new List<HomeLockHolder>();
        if (!Directory.Exists(folder))
        {
            return holders;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            HomeLockHolder? holder;
            try
            {
                holder = JsonSerializer.Deserialize<HomeLockHolder>(File.ReadAllText(file), s_json);
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                // Released (deleted) while being read, or a record cut short by a crash: neither names a live holder.
                continue;
            }

            if (holder is not null && IsAlive(holder.ProcessId))
            {
                holders.Add(holder);
            }
            else
            {
                // The process died holding the lock; the kernel released it, and its record is stale.
                TryDelete(file);
            }
        }

        return holders;
    }

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
            // Another process cleaned it first.
        }
    }

    private static string CommandLine()
    {
        var args = Environment.GetCommandLineArgs();
        if (args.Length == 0)
        {
            return $"process {Environment.ProcessId}";
        }

        var program = Path.GetFileNameWithoutExtension(args[0]);
        return string.Join(' ', args.Skip(1).Select(a => a.Length == 0 || a.Any(char.IsWhiteSpace) ? $"\"{a}\"" : a).Prepend(program));
    }
}
