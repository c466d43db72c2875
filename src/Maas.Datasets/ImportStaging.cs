using System.Globalization;
using Maas.Core.Datasets;
using Microsoft.Data.Sqlite;

namespace Maas.Datasets;

/// <summary>
/// The manifest of an import in progress, kept in a throw-away SQLite file rather than in memory, so an import's
/// memory does not grow with the number of images. Duplicates, the class list and splits are worked out by queries
/// over it, and the samples stream from it into the commit. The file is deleted when the import ends; one left by a
/// killed import is deleted by the next import that finds its lock free.
/// </summary>
internal sealed class ImportStaging : IDisposable
{
    private const int RowsPerTransaction = 4096;

    private readonly string _path;
    private readonly FileStream _lock;
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private SqliteTransaction? _transaction;
    private int _rowsInTransaction;

    public ImportStaging(string folder)
    {
        Directory.CreateDirectory(folder);
        DeleteAbandoned(folder);
        var stem = Path.Combine(folder, $"import-{Guid.NewGuid():N}");
        _path = stem + ".db";
        // Held while the import runs; the kernel releases it when the process dies, which marks the file abandoned.
        _lock = new FileStream(stem + ".lock", FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString());
        _connection.Open();
        Execute("""
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA cache_size = -8192;
            PRAGMA temp_store = FILE;
            CREATE TABLE drafts (
                ordinal INTEGER PRIMARY KEY,
                sample_id TEXT NOT NULL,
                blob_hash TEXT NOT NULL,
                class TEXT NOT NULL,
                split INTEGER,
                split_key INTEGER NOT NULL,
                path TEXT NOT NULL,
                width INTEGER NOT NULL,
                height INTEGER NOT NULL,
                channels INTEGER NOT NULL,
                format TEXT NOT NULL
            );
            """);
        _insert = _connection.CreateCommand();
        _insert.CommandText = """
            INSERT INTO drafts (ordinal, sample_id, blob_hash, class, split, split_key, path, width, height, channels, format)
            VALUES ($ordinal, $id, $blob, $class, $split, $key, $path, $w, $h, $c, $format)
            """;
        foreach (var name in new[] { "$ordinal", "$id", "$blob", "$class", "$split", "$key", "$path", "$w", "$h", "$c", "$format" })
        {
            _insert.Parameters.Add(name, SqliteType.Text);
        }
    }

    /// <summary>Adds one validated sample; <paramref name="ordinal"/> is its place in the source's order.</summary>
    public void Add(long ordinal, ImportDraft draft, int seed)
    {
        if (_transaction is null)
        {
            _transaction = _connection.BeginTransaction();
            _insert.Transaction = _transaction;
        }

        object?[] values =
        [
            ordinal, draft.SampleId, draft.BlobHash, draft.ClassName, draft.Split is { } s ? (int)s : null,
            StratifiedSplit.Key(seed, draft.SampleId), draft.OriginalPath, draft.Width, draft.Height, draft.Channels, draft.Format,
        ];
        for (var i = 0; i < values.Length; i++)
        {
            _insert.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        _insert.ExecuteNonQuery();
        if (++_rowsInTransaction >= RowsPerTransaction)
        {
            Commit();
        }
    }

    /// <summary>Commits the rows added so far.</summary>
    public void Commit()
    {
        _transaction?.Commit();
        _transaction?.Dispose();
        _transaction = null;
        _insert.Transaction = null;
        _rowsInTransaction = 0;
    }

    /// <summary>
    /// Keeps the first of every set of samples with the same bytes; tells <paramref name="conflict"/> about each
    /// dropped sample labelled differently from the kept one. Returns how many were dropped.
    /// </summary>
    public int DropDuplicates(Action<ImportRejection> conflict)
    {
        Commit();
        Execute("""
            CREATE INDEX drafts_blob ON drafts(blob_hash, ordinal);
            CREATE TEMP TABLE firsts AS SELECT blob_hash, MIN(ordinal) AS ordinal FROM drafts GROUP BY blob_hash HAVING COUNT(*) > 1;
            """);
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = """
                SELECT d.path, d.class, k.path, k.class
                FROM firsts f JOIN drafts d ON d.blob_hash = f.blob_hash AND d.ordinal <> f.ordinal JOIN drafts k ON k.ordinal = f.ordinal
                WHERE d.class <> k.class
                ORDER BY d.ordinal
                """;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                conflict(new ImportRejection(reader.GetString(0),
                    $"label conflict: the same bytes as {reader.GetString(2)}, which is labelled '{reader.GetString(3)}', not '{reader.GetString(1)}'"));
            }
        }

        // Keeping one copy is what keeps an image from sitting in both train and test.
        return Execute("DELETE FROM drafts WHERE ordinal IN (SELECT d.ordinal FROM firsts f JOIN drafts d ON d.blob_hash = f.blob_hash AND d.ordinal <> f.ordinal)");
    }

    /// <summary>How many samples are kept.</summary>
    public int Count() => Convert.ToInt32(Scalar("SELECT COUNT(*) FROM drafts"), CultureInfo.InvariantCulture);

    /// <summary>The distinct class names of the kept samples.</summary>
    public HashSet<string> ClassNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT class FROM drafts";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>Gives every sample without a split one, by <see cref="StratifiedSplit"/>'s rule within its class.</summary>
    public void AssignSplits(IReadOnlyList<double> fractions)
    {
        var counts = new List<(string Class, int Count)>();
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "SELECT class, COUNT(*) FROM drafts WHERE split IS NULL GROUP BY class";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                counts.Add((reader.GetString(0), reader.GetInt32(1)));
            }
        }

        if (counts.Count == 0)
        {
            return;
        }

        using var transaction = _connection.BeginTransaction();
        Execute("CREATE TEMP TABLE sizes (class TEXT PRIMARY KEY, train INTEGER NOT NULL, validation INTEGER NOT NULL)", transaction);
        foreach (var (name, count) in counts)
        {
            var (train, validation) = StratifiedSplit.Sizes(count, fractions);
            Execute("INSERT INTO sizes VALUES ($class, $train, $validation)", transaction, ("$class", name), ("$train", train), ("$validation", validation));
        }

        // The same rule as StratifiedSplit.Assign: rank by the seeded key, ties by id, within each class.
        Execute("""
            UPDATE drafts SET split = CASE WHEN r.rank < s.train THEN $train WHEN r.rank < s.train + s.validation THEN $validation ELSE $test END
            FROM (SELECT ordinal, class, ROW_NUMBER() OVER (PARTITION BY class ORDER BY split_key, sample_id) - 1 AS rank FROM drafts WHERE split IS NULL) AS r
            JOIN sizes s ON s.class = r.class
            WHERE drafts.ordinal = r.ordinal
            """, transaction, ("$train", (int)Split.Train), ("$validation", (int)Split.Validation), ("$test", (int)Split.Test));
        transaction.Commit();
    }

    /// <summary>The kept samples in source order, labelled by <paramref name="labels"/>; read lazily.</summary>
    public IEnumerable<Sample> Samples(IReadOnlyDictionary<string, int> labels)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT sample_id, blob_hash, class, split, path, width, height, channels, format FROM drafts ORDER BY ordinal";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return new Sample(reader.GetString(0), reader.GetString(1), labels[reader.GetString(2)], (Split)reader.GetInt32(3),
                reader.GetString(4), reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetString(8));
        }
    }

    /// <summary>
    /// Samples per split and class, counted by the database: the same answer as <see cref="SplitCounts.Of"/> over
    /// <see cref="Samples"/>, without reading every row back a second time.
    /// </summary>
    public SplitCounts Counts(IReadOnlyList<string> classes, IReadOnlyDictionary<string, int> labels) =>
        SplitCounts.Sum(classes, Groups(labels));

    private IEnumerable<(Split Split, int Label, int Count)> Groups(IReadOnlyDictionary<string, int> labels)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT split, class, COUNT(*) FROM drafts GROUP BY split, class";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return ((Split)reader.GetInt32(0), labels[reader.GetString(1)], reader.GetInt32(2));
        }
    }

    public void Dispose()
    {
        _transaction?.Dispose();
        _insert.Dispose();
        _connection.Dispose();
        File.Delete(_path);
        _lock.Dispose();
        File.Delete(Path.ChangeExtension(_path, ".lock"));
    }

    private int Execute(string sql, SqliteTransaction? transaction = null, params (string Name, object Value)[] parameters)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void DeleteAbandoned(string folder)
    {
        foreach (var lockPath in Directory.EnumerateFiles(folder, "import-*.lock"))
        {
            try
            {
                using (new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                    File.Delete(Path.ChangeExtension(lockPath, ".db"));
                }

                File.Delete(lockPath);
            }
            catch (IOException)
            {
                // Another import holds it: still running.
            }
        }
    }
}
