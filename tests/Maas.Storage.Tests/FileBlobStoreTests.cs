using Maas.Storage.Blobs;
using Maas.Testing;

namespace Maas.Storage.Tests;

/// <summary>The blob store contract on the file system.</summary>
public sealed class FileBlobStoreTests : BlobStoreContract, IDisposable
{
    private readonly TempFolder _root = new();

    protected override IBlobStore CreateStore() => new FileBlobStore(_root.Combine("blobs"));

    public void Dispose() => _root.Dispose();
}
