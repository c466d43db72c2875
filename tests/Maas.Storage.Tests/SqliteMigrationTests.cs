using Maas.Core.Datasets;
using Maas.Storage.Sqlite;
using Maas.Testing;
using Microsoft.Data.Sqlite;

namespace Maas.Storage.Tests;

public sealed class SqliteMigrationTests : IDisposable
{
    private readonly TempFolder _home = new();

    [Fact]
    public async Task Migrations_OnADatabaseFromSchemaOne_KeepItsDatasetsAndContinueTheirNumbering()
    {
        var path = _home.Combine("maas.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                CREATE TABLE schema_migrations (number INTEGER PRIMARY KEY, note TEXT NOT NULL, applied_at TEXT NOT NULL);
                {Migrations.All[0].Sql}
                INSERT INTO schema_migrations VALUES (1, 'one', '2026-01-01T00:00:00Z');
                INSERT INTO datasets VALUES ('pets', '2026-01-01T00:00:00Z');
                INSERT INTO dataset_versions VALUES ('pets', 1, '["cat"]', 'h', 0, '/src', '2026-01-01T00:00:00.0000000+00:00');
                INSERT INTO dataset_versions VALUES ('pets', 2, '["cat"]', 'h', 0, '/src', '2026-01-01T00:00:00.0000000+00:00');
                """;
            command.ExecuteNonQuery();
        }

        var store = new SqliteDatasetStore(new SqliteDatabase(path));
        await store.RemoveVersionAsync("pets", 2, CancellationToken.None);
        var next = await store.CommitVersionAsync("pets", ["cat"], [new Sample("a", new string('a', 64), 0, Split.Train, "a.png", 1, 1, 1, "png")], "/src", CancellationToken.None);

        Assert.Equal("pets@3", next.Reference);
    }

    [Fact]
    public async Task Migrations_OnADatabaseWithAliasHistory_AttributeOldMovesToTheCliAndContinueVersionNumbers()
    {
        var path = _home.Combine("maas.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                CREATE TABLE schema_migrations (number INTEGER PRIMARY KEY, note TEXT NOT NULL, applied_at TEXT NOT NULL);
                {Migrations.All[0].Sql}
                {Migrations.All[1].Sql}
                INSERT INTO schema_migrations VALUES (1, 'one', '2026-01-01T00:00:00Z');
                INSERT INTO schema_migrations VALUES (2, 'two', '2026-01-01T00:00:00Z');
                INSERT INTO models VALUES ('cnn', '2026-01-01T00:00:00Z');
                INSERT INTO model_versions VALUES ('cnn', 1, NULL, NULL, 'models/cnn/1', '[]', '{"{}"}', '2026-01-01T00:00:00.0000000+00:00');
                INSERT INTO model_versions VALUES ('cnn', 2, NULL, NULL, 'models/cnn/2', '[]', '{"{}"}', '2026-01-01T00:00:00.0000000+00:00');
                INSERT INTO alias_history VALUES ('cnn', 'production', NULL, 1, '2026-01-01T00:00:00.0000000+00:00', 'old');
                """;
            command.ExecuteNonQuery();
        }

        var registry = new SqliteModelRegistry(new SqliteDatabase(path), _home.Combine("artifacts"));
        await registry.RemoveVersionAsync("cnn", 2, CancellationToken.None);
        var staged = _home.Combine("staged");
        Directory.CreateDirectory(staged);
        foreach (var file in new[] { "model.onnx", "pipeline.json", "labels.json" })
        {
            File.WriteAllText(Path.Combine(staged, file), "x");
        }

        var next = await registry.RegisterAsync("cnn", staged, null, null, [], new Dictionary<string, double>(), CancellationToken.None);

        Assert.Equal("cnn@3", next.Reference);
        var move = Assert.Single(await registry.GetAliasHistoryAsync("cnn", CancellationToken.None));
        Assert.Equal(("cli", "old"), (move.MovedBy, move.Reason));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _home.Dispose();
    }
}
