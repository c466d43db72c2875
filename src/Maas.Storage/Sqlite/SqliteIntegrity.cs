using Microsoft.Data.Sqlite;

namespace Maas.Storage.Sqlite;

/// <summary>SQLite's own consistency check of a database file (<c>PRAGMA integrity_check</c>).</summary>
public static class SqliteIntegrity
{
    /// <summary>The problems SQLite finds in the database at <paramref name="path"/>; empty when it is sound or absent.</summary>
    public static IReadOnlyList<string> Check(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            var lines = connection.Query("PRAGMA integrity_check", r => r.GetString(0));
            return lines is ["ok"] ? [] : lines;
        }
        catch (SqliteException e)
        {
            // A file so damaged that SQLite cannot open it is a finding, not a crash of the check.
            return [e.Message];
        }
    }
}
