using Maas.Core.Errors;
using Maas.Core.Runs;
using Maas.Storage.Sqlite;
using Maas.Testing;

namespace Maas.Storage.Tests;

/// <summary>The run store on SQLite: what <c>maas runs list|show|compare</c> reads back.</summary>
public sealed class SqliteRunStoreTests : IDisposable
{
    private readonly TempFolder _home = new();

    private SqliteRunStore NewStore() => new(new SqliteDatabase(_home.Combine("maas.db")));

    private static Run NewRun(string id, DateTimeOffset created) =>
        new(id, "fashion@1", new Dictionary<string, string> { ["architecture"] = "tiny-cnn", ["seed"] = "42" }, RunStatus.Running,
            new Dictionary<string, double>(), created, null, Path.Combine("runs", id));

    [Fact]
    public async Task List_GivesEveryRunNewestFirst_WithItsFinalStatusAndMetrics()
    {
        var store = NewStore();
        var start = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await store.CreateAsync(NewRun("run_old", start), CancellationToken.None);
        await store.CreateAsync(NewRun("run_new", start.AddMinutes(5)), CancellationToken.None);
        await store.FinishAsync("run_old", RunStatus.Completed, new Dictionary<string, double> { ["test_accuracy"] = 0.8 }, CancellationToken.None);

        var runs = await store.ListAsync(CancellationToken.None);
        var old = await store.GetAsync("run_old", CancellationToken.None);

        Assert.Equal(["run_new", "run_old"], runs.Select(r => r.Id));
        Assert.Equal((RunStatus.Completed, 0.8, "tiny-cnn"), (old.Status, old.Metrics["test_accuracy"], old.Parameters["architecture"]));
        Assert.NotNull(old.FinishedAt);
        Assert.Equal(start, old.CreatedAt);
    }

    [Fact]
    public async Task GetEpochs_GivesThemInOrder_WithTheLastRecordOfAnEpochKept()
    {
        var store = NewStore();
        await store.CreateAsync(NewRun("run_a", DateTimeOffset.UtcNow), CancellationToken.None);
        await store.RecordEpochAsync("run_a", new EpochMetrics(2, 0.5, 0.8, 0.6, 0.75, 1e-3, 900, 0.1), CancellationToken.None);
        await store.RecordEpochAsync("run_a", new EpochMetrics(1, 1.0, 0.6, 0.9, 0.65, 1e-3, 800), CancellationToken.None);
        await store.RecordEpochAsync("run_a", new EpochMetrics(2, 0.4, 0.85, 0.5, 0.8, 5e-4, 950, 0.2), CancellationToken.None);

        var epochs = await store.GetEpochsAsync("run_a", CancellationToken.None);

        Assert.Equal([1, 2], epochs.Select(e => e.Epoch));
        Assert.Equal(new EpochMetrics(2, 0.4, 0.85, 0.5, 0.8, 5e-4, 950, 0.2), epochs[1]);
    }

    [Fact]
    public async Task Get_AnUnknownRun_ThrowsNotFoundNamingIt()
    {
        var error = await Assert.ThrowsAsync<NotFoundException>(() => NewStore().GetAsync("run_nope", CancellationToken.None));

        Assert.Contains("run_nope", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _home.Dispose();
}
