using Maas.Storage.Sqlite;
using Maas.Testing;

namespace Maas.Storage.Tests;

/// <summary>The dataset store contract on SQLite, one fresh database per test.</summary>
public sealed class SqliteDatasetStoreTests : DatasetStoreContract, IDisposable
{
    private readonly TempFolder _home = new();

    protected override IDatasetStore CreateStore() => new SqliteDatasetStore(new SqliteDatabase(_home.Combine("maas.db")));

    public void Dispose() => _home.Dispose();
}
