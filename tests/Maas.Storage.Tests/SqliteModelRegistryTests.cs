using Maas.Storage.Sqlite;

namespace Maas.Storage.Tests;

/// <summary>The model registry contract on SQLite, one fresh database per test.</summary>
public sealed class SqliteModelRegistryTests : ModelRegistryContract
{
    protected override IModelRegistry CreateRegistry() =>
        new SqliteModelRegistry(new SqliteDatabase(Home.Combine("maas.db")), Home.Combine("artifacts"));
}
