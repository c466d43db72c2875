using Maas.Core;
using Maas.Storage;
using Maas.Testing;

namespace Maas.Datasets.Tests;

/// <summary>What every import test starts from: a temp folder, a fresh home's stores, and an importer over them.</summary>
public abstract class ImportTestBase : IDisposable
{
    protected ImportTestBase()
    {
        Stores = MaasStores.Open(new MaasHome(Temp.Combine("home")));
        Importer = new DatasetImporter(Stores);
    }

    protected TempFolder Temp { get; } = new();

    protected MaasStores Stores { get; }

    protected DatasetImporter Importer { get; }

    public void Dispose()
    {
        Stores.Dispose();
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
