using System.Globalization;
using System.Text;
using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Microsoft.Data.Sqlite;

namespace Maas.Storage.Sqlite;

/// <summary>Dataset versions in SQLite; a version and its whole manifest are committed in one transaction.</summary>
/// <param name="database">The metadata database.</param>
public sealed class SqliteDatasetStore(SqliteDatabase database) : IDatasetStore
{
    /// <inheritdoc />
    public Task<DatasetVersion> CommitVersionAsync(string name, IReadOnlyList<string> classes, IReadOnlyList<Sample> samples,
        string source, CancellationToken cancellationToken)
    {
        VersionedName.ValidateName(name, "dataset name");
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(samples);
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        var now = DateTimeOffset.UtcNow;
        connection.Execute(transaction, "INSERT OR IGNORE INTO datasets (name, created_at) VALUES ($name, $at)",
            ("$name", name), ("$at", StoredJson.Time(now)));
        var version = 1 + Convert.ToInt32(connection.Scalar(transaction, """
            SELECT MAX(last_version, COALESCE((SELECT MAX(version) FROM dataset_versions WHERE name = $name), 0))
            FROM datasets WHERE name = $name
            """, ("$name", name)), CultureInfo.InvariantCulture);
        connection.Execute(transaction, "UPDATE datasets SET last_version = $version WHERE name = $name", ("$name", name), ("$version", version));
        var manifestHash = ManifestHash(classes, samples);
        connection.Execute(transaction, """
            INSERT INTO dataset_versions (name, version, classes, manifest_hash, sample_count, source, created_at)
            VALUES ($name, $version, $classes, $hash, $count, $source, $at)
            """,
            ("$name", name), ("$version", version), ("$classes", StoredJson.Write(classes)), ("$hash", manifestHash),
            ("$count", samples.Count), ("$source", source), ("$at", StoredJson.Time(now)));

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO samples (name, version, ordinal, sample_id, blob_hash, label, split, original_path, width, height, channels, format)
            VALUES ($name, $version, $ordinal, $id, $blob, $label, $split, $path, $w, $h, $c, $format)
            """;
        var parameters = new[] { "$name", "$version", "$ordinal", "$id", "$blob", "$label", "$split", "$path", "$w", "$h", "$c", "$format" }
            .Select(p => insert.Parameters.Add(p, SqliteType.Text)).ToArray();
        insert.Prepare();
        for (var i = 0; i < samples.Count; i++)
        {
            if (i % 4096 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var s = samples[i];
            if (s.Label < 0 || s.Label >= classes.Count)
            {
                throw new InvalidInputException($"sample {s.SampleId}: label {s.Label} is outside the {classes.Count} classes.");
            }

            object[] values = [name, version, i, s.SampleId, s.BlobHash, s.Label, s.Split.ToName(), s.OriginalPath, s.Width, s.Height, s.Channels, s.Format];
            for (var p = 0; p < values.Length; p++)
            {
                parameters[p].Value = values[p];
            }

            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return Task.FromResult(new DatasetVersion(name, version, classes.ToArray(), manifestHash, samples.Count, now, source));
    }

    /// <inheritdoc />
    public Task<DatasetVersion> GetVersionAsync(VersionedName reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Alias is not null)
        {
            throw new InvalidInputException($"dataset '{reference}': datasets are selected by version number (name@3), not by alias.");
        }

        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = reference.Version is null
            ? "SELECT * FROM dataset_versions WHERE name = $name ORDER BY version DESC LIMIT 1"
            : "SELECT * FROM dataset_versions WHERE name = $name AND version = $version";
        command.Parameters.AddWithValue("$name", reference.Name);
        command.Parameters.AddWithValue("$version", reference.Version ?? 0);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw NotFound(connection, reference.ToString());
        }

        return Task.FromResult(ReadVersion(reader));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Sample>> GetSamplesAsync(string name, int version, CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        var samples = connection.Query(
            "SELECT sample_id, blob_hash, label, split, original_path, width, height, channels, format FROM samples WHERE name = $name AND version = $version ORDER BY ordinal",
            reader =>
            {
                SplitNames.TryParse(reader.GetString(3), out var split);
                return new Sample(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), split, reader.GetString(4),
                    reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetString(8));
            },
            ("$name", name), ("$version", version));
        return Task.FromResult<IReadOnlyList<Sample>>(samples);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DatasetVersion>> ListVersionsAsync(CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        return Task.FromResult(ListVersions(connection));
    }

    /// <inheritdoc />
    public Task<bool> RemoveVersionAsync(string name, int version, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        connection.Execute(transaction, "DELETE FROM samples WHERE name = $name AND version = $version", ("$name", name), ("$version", version));
        if (connection.Execute(transaction, "DELETE FROM dataset_versions WHERE name = $name AND version = $version", ("$name", name), ("$version", version)) == 0)
        {
            // Rolled back before the error lists the known versions: a command on this connection needs no open transaction.
            transaction.Rollback();
            throw NotFound(connection, $"{name}@{version.ToString(CultureInfo.InvariantCulture)}");
        }

        var remaining = Convert.ToInt64(connection.Scalar(transaction, "SELECT COUNT(*) FROM dataset_versions WHERE name = $name", ("$name", name)), CultureInfo.InvariantCulture);
        if (remaining == 0)
        {
            connection.Execute(transaction, "DELETE FROM datasets WHERE name = $name", ("$name", name));
        }

        transaction.Commit();
        return Task.FromResult(remaining == 0);
    }

    /// <inheritdoc />
    public Task<IReadOnlySet<string>> FindReferencedBlobsAsync(IReadOnlyCollection<string> blobHashes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blobHashes);
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        using var connection = database.Open();
        // One indexed IN query per chunk; SQLite's parameter limit (32,766) is far above the chunk size.
        foreach (var chunk in blobHashes.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var names = chunk.Select((_, i) => "$h" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
            referenced.UnionWith(connection.Query($"SELECT DISTINCT blob_hash FROM samples WHERE blob_hash IN ({string.Join(", ", names)})",
                reader => reader.GetString(0), names.Select((n, i) => (n, (object?)chunk[i])).ToArray()));
        }

        return Task.FromResult<IReadOnlySet<string>>(referenced);
    }

    private static NotFoundException NotFound(SqliteConnection connection, string reference)
    {
        var known = string.Join(", ", ListVersions(connection).Select(v => v.Reference));
        return new NotFoundException($"dataset '{reference}' does not exist{(known.Length > 0 ? $" (known: {known})" : " (no datasets imported yet)")}.");
    }

    private static IReadOnlyList<DatasetVersion> ListVersions(SqliteConnection connection) =>
        connection.Query("SELECT * FROM dataset_versions ORDER BY name, version", ReadVersion);

    private static DatasetVersion ReadVersion(SqliteDataReader reader) => new(
        reader.GetString(reader.GetOrdinal("name")),
        reader.GetInt32(reader.GetOrdinal("version")),
        StoredJson.Read<string[]>(reader.GetString(reader.GetOrdinal("classes"))),
        reader.GetString(reader.GetOrdinal("manifest_hash")),
        reader.GetInt32(reader.GetOrdinal("sample_count")),
        StoredJson.Time(reader.GetString(reader.GetOrdinal("created_at"))),
        reader.GetString(reader.GetOrdinal("source")));

    private static string ManifestHash(IReadOnlyList<string> classes, IReadOnlyList<Sample> samples)
    {
        // Sorted by sample id, so the same content imported in another order has the same hash.
        var text = new StringBuilder();
        text.AppendJoin('\u001f', classes).Append('\n');
        foreach (var s in samples.OrderBy(s => s.SampleId, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"{s.SampleId}\t{s.BlobHash}\t{s.Label}\t{s.Split.ToName()}\n");
        }

        return ContentHash.Of(Encoding.UTF8.GetBytes(text.ToString()));
    }
}
