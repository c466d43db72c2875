using System.Globalization;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Models;
using Microsoft.Data.Sqlite;

namespace Maas.Storage.Sqlite;

/// <summary>
/// The model registry in SQLite, with version folders under <c>artifacts/models/&lt;model&gt;/&lt;version&gt;</c>.
/// </summary>
/// <param name="database">The metadata database.</param>
/// <param name="artifactsRoot">The artifact store's folder.</param>
public sealed class SqliteModelRegistry(SqliteDatabase database, string artifactsRoot) : IModelRegistry
{
    private static readonly string[] s_requiredFiles = [ModelVersion.OnnxFileName, ModelVersion.PipelineFileName, ModelVersion.LabelsFileName];

    /// <inheritdoc />
    public Task<ModelVersion> RegisterAsync(string model, string stagedDirectory, string? runId, string? dataset,
        IReadOnlyList<string> labels, IReadOnlyDictionary<string, double> metrics, CancellationToken cancellationToken) =>
        RegisterAsync(new ModelRegistration(model, stagedDirectory, labels) { RunId = runId, Dataset = dataset, Metrics = metrics }, cancellationToken);

    /// <inheritdoc />
    public Task<ModelVersion> RegisterAsync(ModelRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var (model, stagedDirectory) = (registration.Model, registration.StagedDirectory);
        VersionedName.ValidateName(model, "model name");
        foreach (var alias in registration.Aliases)
        {
            ValidateAlias(alias);
        }

        foreach (var file in s_requiredFiles)
        {
            if (!File.Exists(Path.Combine(stagedDirectory, file)))
            {
                throw new InvalidInputException($"model files in '{stagedDirectory}': {file} is missing.");
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        var now = DateTimeOffset.UtcNow;
        connection.Execute(transaction, "INSERT OR IGNORE INTO models (name, created_at) VALUES ($name, $at)", ("$name", model), ("$at", StoredJson.Time(now)));
        var version = 1 + Convert.ToInt32(connection.Scalar(transaction,
            "SELECT MAX(last_version, (SELECT COALESCE(MAX(version), 0) FROM model_versions WHERE model = $model)) FROM models WHERE name = $model",
            ("$model", model)), CultureInfo.InvariantCulture);
        connection.Execute(transaction, "UPDATE models SET last_version = $version WHERE name = $model", ("$model", model), ("$version", version));
        var relative = Path.Combine("models", model, version.ToString(CultureInfo.InvariantCulture));
        var target = Path.Combine(artifactsRoot, relative);
        var entry = new ModelVersion(model, version, registration.RunId, registration.Dataset, relative, registration.Labels.ToArray(),
            new Dictionary<string, double>(registration.Metrics), now);
        connection.Execute(transaction, """
            INSERT INTO model_versions (model, version, run_id, dataset, artifact_dir, labels, metrics, created_at)
            VALUES ($model, $version, $run, $dataset, $dir, $labels, $metrics, $at)
            """,
            ("$model", model), ("$version", version), ("$run", registration.RunId), ("$dataset", registration.Dataset), ("$dir", relative),
            ("$labels", StoredJson.Write(registration.Labels)), ("$metrics", StoredJson.Write(registration.Metrics)), ("$at", StoredJson.Time(now)));
        foreach (var alias in registration.Aliases)
        {
            MoveAlias(connection, transaction, model, alias, version, registration.AliasReason, registration.AliasMovedBy, now);
        }

        // A folder left by an earlier crash between the move and the commit belongs to no row; replace it.
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        // Durable before it is referenced: the files and the staged folder's entries first, then (after the move)
        // the folders whose entries the move and any new model folder changed. Only then is the row committed.
        foreach (var file in Directory.EnumerateFiles(stagedDirectory))
        {
            Fsync.File(file);
        }

        Fsync.Directory(stagedDirectory);
        var modelFolder = Path.GetDirectoryName(target)!;
        var createdModelFolder = !Directory.Exists(modelFolder);
        Directory.CreateDirectory(modelFolder);
        Directory.Move(stagedDirectory, target);
        try
        {
            Fsync.Directory(target);
            Fsync.Directory(modelFolder);
            if (createdModelFolder)
            {
                Fsync.Directory(Path.GetDirectoryName(modelFolder)!);
            }

            transaction.Commit();
        }
        catch
        {
            Directory.Move(target, stagedDirectory);
            throw;
        }

        return Task.FromResult(entry);
    }

    /// <inheritdoc />
    public Task<ModelVersion> ResolveAsync(VersionedName reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        using var connection = database.Open();
        RequireModel(connection, reference.Name);
        int? version = reference.Version;
        if (version is null)
        {
            var alias = reference.Alias ?? WellKnownAliases.Production;
            var aliased = connection.Scalar(null, "SELECT version FROM model_aliases WHERE model = $model AND alias = $alias",
                ("$model", reference.Name), ("$alias", alias));
            if (aliased is null && reference.Alias is not null)
            {
                throw new NotFoundException($"model '{reference}': alias '{reference.Alias}' is not set.");
            }

            var latest = aliased ?? connection.Scalar(null, "SELECT MAX(version) FROM model_versions WHERE model = $model", ("$model", reference.Name));
            version = latest is null or DBNull
                ? throw new NotFoundException($"model '{reference.Name}' has no versions left.")
                : Convert.ToInt32(latest, CultureInfo.InvariantCulture);
        }

        using var command = connection.Command(null, "SELECT * FROM model_versions WHERE model = $model AND version = $version",
            ("$model", reference.Name), ("$version", version));
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? Task.FromResult(Read(reader))
            : throw new NotFoundException($"model '{reference}': version {version} does not exist.");
    }

    /// <inheritdoc />
    public Task<ModelAlias> SetAliasAsync(string model, string alias, int version, string reason, string movedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentException.ThrowIfNullOrEmpty(movedBy);
        ValidateAlias(alias);
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        if (Convert.ToInt64(connection.Scalar(transaction, "SELECT COUNT(*) FROM model_versions WHERE model = $model AND version = $version",
                ("$model", model), ("$version", version)), CultureInfo.InvariantCulture) == 0)
        {
            throw new NotFoundException($"model '{model}@{version}' does not exist.");
        }

        var now = DateTimeOffset.UtcNow;
        MoveAlias(connection, transaction, model, alias, version, reason, movedBy, now);
        transaction.Commit();
        return Task.FromResult(new ModelAlias(model, alias, version, now));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AliasMove>> GetAliasHistoryAsync(string model, CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        RequireModel(connection, model);
        return Task.FromResult<IReadOnlyList<AliasMove>>(connection.Query(
            "SELECT model, alias, from_version, to_version, moved_at, moved_by, reason FROM alias_history WHERE model = $model ORDER BY rowid",
            reader => new AliasMove(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt32(2), reader.GetInt32(3),
                StoredJson.Time(reader.GetString(4)), reader.GetString(5), reader.GetString(6)),
            ("$model", model)));
    }

    /// <inheritdoc />
    public Task<ModelVersion> RemoveVersionAsync(string model, int version, CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        ModelVersion removed;
        using (var command = connection.Command(transaction, "SELECT * FROM model_versions WHERE model = $model AND version = $version",
                   ("$model", model), ("$version", version)))
        using (var reader = command.ExecuteReader())
        {
            removed = reader.Read() ? Read(reader) : throw new NotFoundException($"model '{model}@{version}' does not exist.");
        }

        using (var aliases = connection.Command(transaction, "SELECT alias FROM model_aliases WHERE model = $model AND version = $version ORDER BY alias",
                   ("$model", model), ("$version", version)))
        using (var reader = aliases.ExecuteReader())
        {
            var names = new List<string>();
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }

            if (names.Count > 0)
            {
                var list = string.Join(", ", names.Select(a => $"{model}@{a}"));
                throw new ConflictException($"model '{removed.Reference}' is what {list} point{(names.Count == 1 ? "s" : "")} at; move the alias first (maas models alias {model} {names[0]} VERSION --reason ...).");
            }
        }

        connection.Execute(transaction, "DELETE FROM model_versions WHERE model = $model AND version = $version", ("$model", model), ("$version", version));
        transaction.Commit();

        // Only after the commit: a crash before this line leaves an orphan folder (harmless, replaced on reuse of
        // the path, which never happens since numbers are not reused), never a row whose files are gone.
        var folder = ArtifactPath(removed);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        return Task.FromResult(removed);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        return Task.FromResult<IReadOnlyList<ModelVersion>>(connection.Query("SELECT * FROM model_versions ORDER BY model, version", Read));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ModelAlias>> ListAliasesAsync(CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        return Task.FromResult<IReadOnlyList<ModelAlias>>(connection.Query("SELECT model, alias, version, updated_at FROM model_aliases ORDER BY model, alias",
            reader => new ModelAlias(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), StoredJson.Time(reader.GetString(3)))));
    }

    /// <inheritdoc />
    public string ArtifactPath(ModelVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return Path.Combine(artifactsRoot, version.ArtifactDir);
    }

    private static void ValidateAlias(string alias)
    {
        VersionedName.ValidateName(alias, "alias");
        if (char.IsDigit(alias[0]))
        {
            throw new InvalidInputException($"alias '{alias}' must start with a letter, so it cannot be mistaken for a version number.");
        }
    }

    private static void MoveAlias(SqliteConnection connection, SqliteTransaction transaction, string model, string alias, int version, string reason,
        string movedBy, DateTimeOffset now)
    {
        var previous = connection.Scalar(transaction, "SELECT version FROM model_aliases WHERE model = $model AND alias = $alias", ("$model", model), ("$alias", alias));
        connection.Execute(transaction, "INSERT OR REPLACE INTO model_aliases (model, alias, version, updated_at) VALUES ($model, $alias, $version, $at)",
            ("$model", model), ("$alias", alias), ("$version", version), ("$at", StoredJson.Time(now)));
        connection.Execute(transaction, """
            INSERT INTO alias_history (model, alias, from_version, to_version, moved_at, reason, moved_by)
            VALUES ($model, $alias, $from, $to, $at, $reason, $by)
            """,
            ("$model", model), ("$alias", alias), ("$from", previous), ("$to", version), ("$at", StoredJson.Time(now)), ("$reason", reason), ("$by", movedBy));
    }

    private static void RequireModel(SqliteConnection connection, string model)
    {
        if (Convert.ToInt64(connection.Scalar(null, "SELECT COUNT(*) FROM models WHERE name = $name", ("$name", model)), CultureInfo.InvariantCulture) == 0)
        {
            var known = string.Join(", ", ModelNames(connection));
            throw new NotFoundException($"model '{model}' does not exist{(known.Length > 0 ? $" (known: {known})" : " (no models registered yet)")}.");
        }
    }

    private static List<string> ModelNames(SqliteConnection connection) =>
        connection.Query("SELECT name FROM models ORDER BY name", reader => reader.GetString(0));

    private static ModelVersion Read(SqliteDataReader reader)
    {
        var run = reader.GetOrdinal("run_id");
        var dataset = reader.GetOrdinal("dataset");
        return new ModelVersion(
            reader.GetString(reader.GetOrdinal("model")),
            reader.GetInt32(reader.GetOrdinal("version")),
            reader.IsDBNull(run) ? null : reader.GetString(run),
            reader.IsDBNull(dataset) ? null : reader.GetString(dataset),
            reader.GetString(reader.GetOrdinal("artifact_dir")),
            StoredJson.Read<string[]>(reader.GetString(reader.GetOrdinal("labels"))),
            StoredJson.Read<Dictionary<string, double>>(reader.GetString(reader.GetOrdinal("metrics"))),
            StoredJson.Time(reader.GetString(reader.GetOrdinal("created_at"))));
    }
}
