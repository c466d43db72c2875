using Maas.Core;
using Maas.Core.Runs;
using Maas.Storage.Locking;
using Maas.Testing;

namespace Maas.Storage.Tests;

public sealed class RunLockTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task ARunningRun_WhoseLockNoProcessHolds_IsReportedInterrupted()
    {
        using var stores = MaasStores.Open(new MaasHome(_temp.Combine("home")));
        var run = new Run("run_a", "fashion@1", new Dictionary<string, string>(), RunStatus.Running, new Dictionary<string, double>(),
            DateTimeOffset.UtcNow, null, "runs/run_a");
        var folder = Path.Combine(stores.Home.ArtifactsPath, run.ArtifactDir);

        using (RunLock.Acquire(folder, run.Id))
        {
            await stores.Runs.CreateAsync(run, CancellationToken.None);
            Assert.Equal(RunStatus.Running, (await stores.Runs.GetAsync(run.Id, CancellationToken.None)).Status);
            Assert.True(RunLock.IsHeld(folder));
        }

        // The process "died": the kernel released the lock, and the row still says running.
        Assert.False(RunLock.IsHeld(folder));
        Assert.Equal(RunStatus.Interrupted, (await stores.Runs.GetAsync(run.Id, CancellationToken.None)).Status);
        Assert.Equal(RunStatus.Interrupted, Assert.Single(await stores.Runs.ListAsync(CancellationToken.None)).Status);
    }

    [Fact]
    public void ASecondTrainer_IsRefused_WhileTheFirstHoldsTheRun()
    {
        var folder = _temp.Combine("runs", "run_b");
        using var first = RunLock.Acquire(folder, "run_b");

        var error = Assert.Throws<Maas.Core.Errors.ConflictException>(() => RunLock.Acquire(folder, "run_b"));

        Assert.Contains("run 'run_b' is being trained by another process", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
