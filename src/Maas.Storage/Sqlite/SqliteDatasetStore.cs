using System.Globalization;
using System.Security.Cryptography;
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
    public Task<DatasetVersion> CommitVersionAsync(string name, IReadOnlyList<string> classes, IEnumerable<Sample> samples,
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
        // The row goes in first, for the samples' foreign key; the hash and count are known once they are all in.
        connection.Execute(transaction, """
            INSERT INTO dataset_versions (name, version, classes, manifest_hash, sample_count, source, created_at)
            VALUES ($name, $version, $classes, '', 0, $source, $at)
            """,
            ("$name", name), ("$version", version), ("$classes", StoredJson.Write(classes)), ("$source", source), ("$at", StoredJson.Time(now)));

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO samples (name, version, ordinal, sample_id, blob_hash, label, split, original_path, width, height, channels, format)
            VALUES ($name, $version, $ordinal, $id, $blob, $label, $split, $path, $w, $h, $c, $format)
            """;
        var parameters = new[] { "$name", "$version", "$ordinal", "$id", "$blob", "$label", "$split", "$path", "$w", "$h", "$c", "$format" }
            .Select(p => insert.Parameters.Add(p, SqliteType.Text)).ToArray();
        insert.Prepare();
        var count = 0;
        foreach (var s in samples)
        {
            var i = count++;
            if (i % 4096 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

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

        var manifestHash = ManifestHash(connection, transaction, name, version, classes);
        connection.Execute(transaction, "UPDATE dataset_versions SET manifest_hash = $hash, sample_count = $count WHERE name = $name AND version = $version",
            ("$hash", manifestHash), ("$count", count), ("$name", name), ("$version", version));
        transaction.Commit();
        return Task.FromResult(new DatasetVersion(name, version, classes.ToArray(), manifestHash, count, now, source));
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

    private static string ManifestHash(SqliteConnection connection, SqliteTransaction transaction, string name, int version, IReadOnlyList<string> classes)
    {
        // Sorted by sample id, so the same content imported in another order has the same hash; the database sorts,
        // so a manifest of any size hashes in bounded memory.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(string.Join('\u001f', classes) + "\n"));
        using var command = connection.Command(transaction,
            "SELECT sample_id, blob_hash, label, split FROM samples WHERE name = $name AND version = $version ORDER BY sample_id",
            ("$name", name), ("$version", version));
        using var reader = command.ExecuteReader();
        var line = new StringBuilder();
        while (reader.Read())
        {
            line.Clear().Append(CultureInfo.InvariantCulture, $"{reader.GetString(0)}\t{reader.GetString(1)}\t{reader.GetInt64(2)}\t{reader.GetString(3)}\n");
            hash.AppendData(Encoding.UTF8.GetBytes(line.ToString()));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
