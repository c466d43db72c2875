using System.Collections.Concurrent;
using Maas.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Maas.Storage.Blobs;

/// <summary>
/// Which pack holds each blob, in a SQLite file of its own beside the packs (WAL mode, so readers in other processes
/// never wait for an import). A blob is visible once its row is committed, and rows are committed only after the
/// pack bytes they point to are on disk.
/// </summary>
internal sealed class BlobIndex : IDisposable
{
    private readonly string _connectionString;
    private readonly ConcurrentBag<Lookup> _lookups = [];

    public BlobIndex(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        using var connection = Open();
        connection.Execute(null, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS blobs (
                hash BLOB PRIMARY KEY,
                pack TEXT NOT NULL,
                offset INTEGER NOT NULL,
                length INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS blobs_pack ON blobs(pack);
            """);
    }

    /// <summary>Where the blob lies, if the index has it.</summary>
    public bool TryFind(byte[] hash, out BlobLocation location)
    {
        // A prepared statement per connection, reused: a lookup per imported file is on the import's hot path.
        if (!_lookups.TryTake(out var lookup))
        {
            lookup = new Lookup(Open());
        }

        try
        {
            lookup.Hash.Value = hash;
            using var reader = lookup.Command.ExecuteReader();
            location = reader.Read() ? new BlobLocation(reader.GetString(0), reader.GetInt64(1), reader.GetInt32(2)) : default;
            return location.Pack is not null;
        }
        finally
        {
            _lookups.Add(lookup);
        }
    }

    /// <summary>Adds rows in one transaction; a hash already indexed keeps its first location.</summary>
    public void Add(IReadOnlyList<(byte[] Hash, BlobLocation Location)> entries) =>
        WriteRows("INSERT OR IGNORE INTO blobs (hash, pack, offset, length) VALUES ($hash, $pack, $offset, $length)", null, entries);

    /// <summary>Points rows at new locations in one transaction, for rows still pointing into <paramref name="fromPack"/>.</summary>
    public void Move(string fromPack, IReadOnlyList<(byte[] Hash, BlobLocation Location)> entries) =>
        WriteRows("UPDATE blobs SET pack = $pack, offset = $offset, length = $length WHERE hash = $hash AND pack = $from", fromPack, entries);

    /// <summary>Removes the row; returns whether there was one.</summary>
    public bool Remove(byte[] hash)
    {
        using var connection = Open();
        return connection.Execute(null, "DELETE FROM blobs WHERE hash = $hash", ("$hash", hash)) > 0;
    }

    /// <summary>Whether any row points into <paramref name="pack"/>.</summary>
    public bool References(string pack)
    {
        using var connection = Open();
        return connection.Scalar(null, "SELECT 1 FROM blobs WHERE pack = $pack LIMIT 1", ("$pack", pack)) is not null;
    }

    /// <summary>The bytes of live blobs in each pack that has any.</summary>
    public Dictionary<string, long> LiveBytesByPack()
    {
        using var connection = Open();
        return connection.Query("SELECT pack, SUM(length + $header) FROM blobs GROUP BY pack", r => (r.GetString(0), r.GetInt64(1)),
                ("$header", PackFormat.RecordHeaderSize))
            .ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);
    }

    /// <summary>The live blobs of <paramref name="pack"/>, in offset order.</summary>
    public List<(byte[] Hash, BlobLocation Location)> EntriesIn(string pack)
    {
        using var connection = Open();
        return connection.Query("SELECT hash, offset, length FROM blobs WHERE pack = $pack ORDER BY offset",
            r => ((byte[])r.GetValue(0), new BlobLocation(pack, r.GetInt64(1), r.GetInt32(2))), ("$pack", pack));
    }

    /// <summary>Every row, by pack and offset.</summary>
    public List<(byte[] Hash, BlobLocation Location)> AllEntries()
    {
        using var connection = Open();
        return connection.Query("SELECT hash, pack, offset, length FROM blobs ORDER BY pack, offset",
            r => ((byte[])r.GetValue(0), new BlobLocation(r.GetString(1), r.GetInt64(2), r.GetInt32(3))));
    }

    public void Dispose()
    {
        while (_lookups.TryTake(out var lookup))
        {
            lookup.Dispose();
        }
    }

    private void WriteRows(string sql, string? fromPack, IReadOnlyList<(byte[] Hash, BlobLocation Location)> entries)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.Command(transaction, sql);
        var hash = command.Parameters.Add("$hash", SqliteType.Blob);
        var pack = command.Parameters.Add("$pack", SqliteType.Text);
        var offset = command.Parameters.Add("$offset", SqliteType.Integer);
        var length = command.Parameters.Add("$length", SqliteType.Integer);
        if (fromPack is not null)
        {
            command.Parameters.AddWithValue("$from", fromPack);
        }

        command.Prepare();
        foreach (var (h, location) in entries)
        {
            hash.Value = h;
            pack.Value = location.Pack;
            offset.Value = location.Offset;
            length.Value = location.Length;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        connection.Execute(null, "PRAGMA busy_timeout = 30000;");
        return connection;
    }

    private sealed class Lookup : IDisposable
    {
        public Lookup(SqliteConnection connection)
        {
            Connection = connection;
            Command = connection.Command(null, "SELECT pack, offset, length FROM blobs WHERE hash = $hash");
            Hash = Command.Parameters.Add("$hash", SqliteType.Blob);
            Command.Prepare();
        }

        public SqliteConnection Connection { get; }

        public SqliteCommand Command { get; }

        public SqliteParameter Hash { get; }

        public void Dispose()
        {
            Command.Dispose();
            Connection.Dispose();
        }
    }
}
