using Maas.Core.Errors;
using Maas.Core.Runs;
using Maas.Storage.Locking;
using Microsoft.Data.Sqlite;

namespace Maas.Storage.Sqlite;

/// <summary>Runs and their epochs in SQLite.</summary>
/// <param name="database">The metadata database.</param>
/// <param name="artifactsRoot">
/// The artifact store's folder: when given, a run recorded as running whose <see cref="RunLock"/> no process holds is
/// reported <see cref="RunStatus.Interrupted"/>.
/// </param>
public sealed class SqliteRunStore(SqliteDatabase database, string? artifactsRoot = null) : IRunStore
{
    /// <inheritdoc />
    public Task CreateAsync(Run run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var connection = database.Open();
        connection.Execute(null, """
            INSERT INTO runs (id, dataset, parameters, status, metrics, created_at, finished_at, artifact_dir)
            VALUES ($id, $dataset, $parameters, $status, $metrics, $created, $finished, $dir)
            """,
            ("$id", run.Id), ("$dataset", run.Dataset), ("$parameters", StoredJson.Write(run.Parameters)),
            ("$status", run.Status.ToString()), ("$metrics", StoredJson.Write(run.Metrics)),
            ("$created", StoredJson.Time(run.CreatedAt)), ("$finished", run.FinishedAt is { } f ? StoredJson.Time(f) : null),
            ("$dir", run.ArtifactDir));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RecordEpochAsync(string runId, EpochMetrics metrics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        using var connection = database.Open();
        connection.Execute(null, "INSERT OR REPLACE INTO run_epochs (run_id, epoch, metrics) VALUES ($id, $epoch, $metrics)",
            ("$id", runId), ("$epoch", metrics.Epoch), ("$metrics", StoredJson.Write(metrics)));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task FinishAsync(string runId, RunStatus status, IReadOnlyDictionary<string, double> metrics, CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        var changed = connection.Execute(null, "UPDATE runs SET status = $status, metrics = $metrics, finished_at = $at WHERE id = $id",
            ("$id", runId), ("$status", status.ToString()), ("$metrics", StoredJson.Write(metrics)), ("$at", StoredJson.Time(DateTimeOffset.UtcNow)));
        return changed == 0 ? throw new NotFoundException($"run '{runId}' does not exist.") : Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ReopenAsync(string runId, CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        var changed = connection.Execute(null, "UPDATE runs SET status = $status, finished_at = NULL WHERE id = $id",
            ("$id", runId), ("$status", nameof(RunStatus.Running)));
        return changed == 0 ? throw new NotFoundException($"run '{runId}' does not exist.") : Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<Run> GetAsync(string runId, CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        using var command = connection.Command(null, "SELECT * FROM runs WHERE id = $id", ("$id", runId));
        using var reader = command.ExecuteReader();
        return reader.Read() ? Task.FromResult(Read(reader)) : throw new NotFoundException($"run '{runId}' does not exist.");
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<EpochMetrics>> GetEpochsAsync(string runId, CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        return Task.FromResult<IReadOnlyList<EpochMetrics>>(connection.Query("SELECT metrics FROM run_epochs WHERE run_id = $id ORDER BY epoch",
            reader => StoredJson.Read<EpochMetrics>(reader.GetString(0)), ("$id", runId)));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Run>> ListAsync(CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        return Task.FromResult<IReadOnlyList<Run>>(connection.Query("SELECT * FROM runs ORDER BY created_at DESC", Read));
    }

    private Run Read(SqliteDataReader reader)
    {
        var finished = reader.GetOrdinal("finished_at");
        var run = new Run(
            reader.GetString(reader.GetOrdinal("id")),
            reader.GetString(reader.GetOrdinal("dataset")),
            StoredJson.Read<Dictionary<string, string>>(reader.GetString(reader.GetOrdinal("parameters"))),
            Enum.Parse<RunStatus>(reader.GetString(reader.GetOrdinal("status"))),
            StoredJson.Read<Dictionary<string, double>>(reader.GetString(reader.GetOrdinal("metrics"))),
            StoredJson.Time(reader.GetString(reader.GetOrdinal("created_at"))),
            reader.IsDBNull(finished) ? null : StoredJson.Time(reader.GetString(finished)),
            reader.GetString(reader.GetOrdinal("artifact_dir")));
        // The status a dead process left behind is only what it last wrote; the lock says whether anyone still trains.
        return run.Status == RunStatus.Running && artifactsRoot is not null && !RunLock.IsHeld(Path.Combine(artifactsRoot, run.ArtifactDir))
            ? run with { Status = RunStatus.Interrupted }
            : run;
    }
}
