using Maas.Core;
using Maas.Storage.Blobs;
using Maas.Storage.Sqlite;

namespace Maas.Storage;

/// <summary>The stores of one home folder, opened together: the factory that picks the backends.</summary>
/// <param name="Home">The home folder.</param>
/// <param name="Datasets">Dataset versions.</param>
/// <param name="Runs">Training runs.</param>
/// <param name="Models">The model registry.</param>
/// <param name="Blobs">Content-addressed image bytes.</param>
/// <param name="Keys">API keys.</param>
public sealed record MaasStores(MaasHome Home, IDatasetStore Datasets, IRunStore Runs, IModelRegistry Models, IBlobStore Blobs, IApiKeyStore Keys) : IDisposable
{
    /// <summary>Opens the SQLite and filesystem stores of <paramref name="home"/>, creating them when new.</summary>
    public static MaasStores Open(MaasHome home)
    {
        ArgumentNullException.ThrowIfNull(home);
        home.EnsureCreated();
        var database = new SqliteDatabase(home.DatabasePath);
        return new MaasStores(home, new SqliteDatasetStore(database), new SqliteRunStore(database, home.ArtifactsPath),
            new SqliteModelRegistry(database, home.ArtifactsPath), new PackedBlobStore(home.BlobsPath), new SqliteApiKeyStore(database));
    }

    /// <summary>Commits the blobs written so far and closes the stores' files.</summary>
    public void Dispose() => (Blobs as IDisposable)?.Dispose();
}
