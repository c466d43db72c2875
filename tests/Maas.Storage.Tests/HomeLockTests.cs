using System.Diagnostics;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Storage.Locking;
using Maas.Testing;

namespace Maas.Storage.Tests;

/// <summary>
/// The home lock's shared/exclusive semantics, within one process (flock belongs to the open file, so two
/// acquisitions conflict as two processes would) and across processes (util-linux <c>flock</c> as the other process).
/// </summary>
public sealed class HomeLockTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly MaasHome _home;

    public HomeLockTests() => _home = new MaasHome(_temp.Combine("home")).EnsureCreated();

    [Fact]
    public async Task Shared_Holders_Coexist()
    {
        using var first = await HomeLock.AcquireAsync(_home, HomeLockMode.Shared, "importing a", TimeSpan.Zero, CancellationToken.None);
        using var second = await HomeLock.AcquireAsync(_home, HomeLockMode.Shared, "training on a", TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(2, HomeLock.Holders(_home).Count);
    }

    [Fact]
    public async Task Exclusive_WhileShared_IsBusy_NamingTheHolder()
    {
        using var shared = await HomeLock.AcquireAsync(_home, HomeLockMode.Shared, "importing photos", TimeSpan.Zero, CancellationToken.None);

        var error = await Assert.ThrowsAsync<ConflictException>(() =>
            HomeLock.AcquireAsync(_home, HomeLockMode.Exclusive, "removing dataset a@1", TimeSpan.Zero, CancellationToken.None));

        Assert.StartsWith("busy: `", error.Message, StringComparison.Ordinal);
        Assert.Contains($"(PID {Environment.ProcessId}, importing photos) holds the home", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shared_WhileExclusive_IsBusy_NamingTheHolder_AndSucceedsOnceReleased()
    {
        var exclusive = await HomeLock.AcquireAsync(_home, HomeLockMode.Exclusive, "removing dataset a@1", TimeSpan.Zero, CancellationToken.None);

        var error = await Assert.ThrowsAsync<ConflictException>(() =>
            HomeLock.AcquireAsync(_home, HomeLockMode.Shared, "importing photos", TimeSpan.Zero, CancellationToken.None));
        Assert.Contains($"(PID {Environment.ProcessId}, removing dataset a@1)", error.Message, StringComparison.Ordinal);

        exclusive.Dispose();
        Assert.Empty(HomeLock.Holders(_home));
        using var shared = await HomeLock.AcquireAsync(_home, HomeLockMode.Shared, "importing photos", TimeSpan.Zero, CancellationToken.None);
        Assert.Equal(HomeLockMode.Shared, shared.Mode);
    }

    [Fact]
    public async Task AWaitingAcquisition_GetsTheLock_WhenTheHolderReleasesIt()
    {
        var exclusive = await HomeLock.AcquireAsync(_home, HomeLockMode.Exclusive, "collecting garbage", TimeSpan.Zero, CancellationToken.None);
        var waiting = HomeLock.AcquireAsync(_home, HomeLockMode.Shared, "importing photos", TimeSpan.FromMinutes(5), CancellationToken.None);

        exclusive.Dispose();

        using var shared = await waiting;
        Assert.Equal(HomeLockMode.Shared, shared.Mode);
    }

    [Fact]
    public async Task TheLock_IsAnOsLock_SeenByAnotherProcess()
    {
        var path = HomeLock.LockPath(_home);
        using (await HomeLock.AcquireAsync(_home, HomeLockMode.Shared, "serving", TimeSpan.Zero, CancellationToken.None))
        {
            Assert.Equal(0, await FlockAsync("-s", path));
            Assert.Equal(1, await FlockAsync("-x", path));
        }

        using (await HomeLock.AcquireAsync(_home, HomeLockMode.Exclusive, "collecting garbage", TimeSpan.Zero, CancellationToken.None))
        {
            Assert.Equal(1, await FlockAsync("-s", path));
        }

        Assert.Equal(0, await FlockAsync("-x", path));
    }

    [Fact]
    public async Task AnotherProcessHoldingItShared_AllowsShared_AndRefusesExclusive()
    {
        var path = HomeLock.LockPath(_home);
        Directory.CreateDirectory(_home.LocksPath);
        // The child takes the lock, says so, and holds it until its standard input closes.
        var start = new ProcessStartInfo("flock", ["-s", path, "-c", "echo held; read line"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        using var child = Process.Start(start)!;
        Assert.Equal("held", await child.StandardOutput.ReadLineAsync());

        using (await HomeLock.AcquireAsync(_home, HomeLockMode.Shared, "training", TimeSpan.Zero, CancellationToken.None))
        {
            var error = await Assert.ThrowsAsync<ConflictException>(() =>
                HomeLock.AcquireAsync(_home, HomeLockMode.Exclusive, "collecting garbage", TimeSpan.Zero, CancellationToken.None));
            Assert.StartsWith("busy:", error.Message, StringComparison.Ordinal);
        }

        child.StandardInput.Close();
        await child.WaitForExitAsync();
        using var exclusive = await HomeLock.AcquireAsync(_home, HomeLockMode.Exclusive, "collecting garbage", TimeSpan.Zero, CancellationToken.None);
    }

    [Fact]
    public async Task AHolderRecordOfADeadProcess_IsIgnored_AndRemoved()
    {
        using var exited = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await exited.WaitForExitAsync();
        var holders = Path.Combine(_home.LocksPath, "holders");
        Directory.CreateDirectory(holders);
        var stale = Path.Combine(holders, $"{exited.Id}-stale.json");
        File.WriteAllText(stale, $$"""{"process_id": {{exited.Id}}, "mode": "exclusive", "purpose": "removing dataset a@1", "command_line": "maas dataset rm a@1", "since": "2026-01-01T00:00:00+00:00"}""");

        Assert.Empty(HomeLock.Holders(_home));
        Assert.False(File.Exists(stale));
        using var exclusive = await HomeLock.AcquireAsync(_home, HomeLockMode.Exclusive, "collecting garbage", TimeSpan.Zero, CancellationToken.None);
    }

    private static async Task<int> FlockAsync(string mode, string path)
    {
        using var process = Process.Start(new ProcessStartInfo("flock", ["-n", mode, path, "true"]) { UseShellExecute = false })!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    public void Dispose() => _temp.Dispose();
}
