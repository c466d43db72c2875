using Maas.Core;
using Maas.Storage.Blobs;
using Maas.Testing;

namespace Maas.Storage.Tests;

/// <summary>The blob store contract on packs, and what packs add: batching, crash safety, compaction, old homes.</summary>
public sealed class PackedBlobStoreTests : BlobStoreContract, IDisposable
{
    private readonly TempFolder _root = new();
    private readonly List<PackedBlobStore> _stores = [];

    private string Root => _root.Combine("blobs");

    protected override IBlobStore CreateStore() => Open();

    [Fact]
    public async Task Blobs_AreVisibleToAnotherStore_OnlyAfterFlush()
    {
        var writer = Open();
        var hash = await writer.PutAsync("later"u8.ToArray(), CancellationToken.None);
        var reader = Open();

        Assert.True(writer.Contains(hash));
        Assert.Equal("later"u8.ToArray(), writer.Get(hash));
        Assert.False(reader.Contains(hash));

        await writer.FlushAsync(CancellationToken.None);

        Assert.True(reader.Contains(hash));
        Assert.Equal("later"u8.ToArray(), reader.Get(hash));
    }

    [Fact]
    public async Task ManyBlobs_GoToOnePack_AndReadBackAfterReopening()
    {
        var store = Open();
        var hashes = new List<string>();
        for (var i = 0; i < 5000; i++)
        {
            hashes.Add(await store.PutAsync(Payload(i), CancellationToken.None));
        }

        store.Dispose();

        Assert.Single(Directory.GetFiles(Path.Combine(Root, "packs"), "*.pack"));
        var reopened = Open();
        for (var i = 0; i < hashes.Count; i += 97)
        {
            Assert.Equal(Payload(i), reopened.Get(hashes[i]));
        }
    }

    [Fact]
    public async Task Writers_OnSeveralThreads_ReadEveryBlobBack_WhileBatchesCommitInTheBackground()
    {
        // 12,000 blobs are three batches committed in the background while four writers keep appending; every blob
        // reads back at every moment (from the pack before its batch is indexed, through the index after), and
        // another store sees them all once the writer has flushed.
        var store = Open();
        var hashes = new string[12_000];
        await Parallel.ForAsync(0, hashes.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes($"blob number {i}");
            hashes[i] = await store.PutAsync(bytes, ct);
            Assert.Equal(bytes, store.Get(hashes[i]));
        });

        Assert.All(hashes, (h, i) => Assert.Equal($"blob number {i}", System.Text.Encoding.UTF8.GetString(store.Get(h))));
        await store.FlushAsync(CancellationToken.None);
        var reader = Open();
        Assert.All(hashes, (h, i) => Assert.Equal($"blob number {i}", System.Text.Encoding.UTF8.GetString(reader.Get(h))));
    }

    [Fact]
    public async Task Put_OfStoredBytes_WritesNothing()
    {
        var first = Open();
        await first.PutAsync("once"u8.ToArray(), CancellationToken.None);
        first.Dispose();
        var pack = Assert.Single(Directory.GetFiles(Path.Combine(Root, "packs"), "*.pack"));

        var second = Open();
        await second.PutAsync("once"u8.ToArray(), CancellationToken.None);
        second.Dispose();

        Assert.Equal(pack, Assert.Single(Directory.GetFiles(Path.Combine(Root, "packs"), "*.pack")));
    }

    [Fact]
    public async Task UnindexedBytes_FromAWriterThatDied_AreIgnored_AndCompactedAway()
    {
        var store = Open();
        var kept = await store.PutAsync(Payload(1), CancellationToken.None);
        await store.FlushAsync(CancellationToken.None);
        // A writer that dies after appending: bytes in its pack that no index row points at, and a stale lock file.
        var packs = Path.Combine(Root, "packs");
        var dead = Path.Combine(packs, "19990101000000-dead.pack");
        await File.WriteAllBytesAsync(dead, [.. "MAASPAK1"u8, .. new byte[4096]]);
        await File.WriteAllBytesAsync(dead + ".lock", []);
        store.Dispose();

        var reopened = Open();
        Assert.False(reopened.Contains(ContentHash.Of(new byte[4096])));
        var reclaimed = await reopened.CompactAsync(CancellationToken.None);

        Assert.True(reclaimed >= 4096, $"reclaimed {reclaimed} bytes");
        Assert.False(File.Exists(dead));
        Assert.False(File.Exists(dead + ".lock"));
        Assert.Equal(Payload(1), reopened.Get(kept));
    }

    [Fact]
    public async Task Compact_MovesLiveBlobsOutOfMostlyDeletedPacks_AndFreesTheSpace()
    {
        var store = Open();
        var hashes = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            hashes.Add(await store.PutAsync(Payload(i, 1000), CancellationToken.None));
        }

        store.Dispose();
        var old = Assert.Single(Directory.GetFiles(Path.Combine(Root, "packs"), "*.pack"));
        var compactor = Open();
        for (var i = 0; i < 90; i++)
        {
            Assert.True(await compactor.DeleteAsync(hashes[i], CancellationToken.None));
        }

        var reclaimed = await compactor.CompactAsync(CancellationToken.None);
        compactor.Dispose();

        Assert.False(File.Exists(old));
        Assert.InRange(reclaimed, 90 * 1000, 91 * 1100);
        var reader = Open();
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(i >= 90, reader.Contains(hashes[i]));
        }

        Assert.Equal(Payload(95, 1000), reader.Get(hashes[95]));
    }

    [Fact]
    public async Task Compact_LeavesAPackAnotherStoreIsWriting()
    {
        var writer = Open();
        var hash = await writer.PutAsync(Payload(7, 1000), CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None);
        var pack = Assert.Single(Directory.GetFiles(Path.Combine(Root, "packs"), "*.pack"));
        var compactor = Open();
        await compactor.DeleteAsync(hash, CancellationToken.None);

        await compactor.CompactAsync(CancellationToken.None);

        Assert.True(File.Exists(pack), "the pack was removed while its writer still had it open");
        var next = await writer.PutAsync(Payload(8, 1000), CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None);
        Assert.Equal(Payload(8, 1000), compactor.Get(next));
    }

    [Fact]
    public async Task BlobsOfTheOneFilePerBlobLayout_AreStillFoundAndDeleted()
    {
        var legacy = new FileBlobStore(Root);
        var hash = await legacy.PutAsync("old home"u8.ToArray(), CancellationToken.None);

        var store = Open();

        Assert.True(store.Contains(hash));
        Assert.Equal("old home"u8.ToArray(), store.Get(hash));
        Assert.True(await store.DeleteAsync(hash, CancellationToken.None));
        Assert.False(store.Contains(hash));
    }

    [Fact]
    public async Task Get_OfABlobWhosePackWasDamaged_SaysSo()
    {
        var store = Open();
        var hash = await store.PutAsync(Payload(3, 64), CancellationToken.None);
        store.Dispose();
        var pack = Assert.Single(Directory.GetFiles(Path.Combine(Root, "packs"), "*.pack"));
        var bytes = await File.ReadAllBytesAsync(pack);
        bytes[8 + 4] ^= 0xff; // inside the record's copy of the hash
        await File.WriteAllBytesAsync(pack, bytes);

        var error = Assert.Throws<IOException>(() => Open().Get(hash));

        Assert.Contains("damaged", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        _root.Dispose();
    }

    private PackedBlobStore Open()
    {
        var store = new PackedBlobStore(Root);
        _stores.Add(store);
        return store;
    }

    private static byte[] Payload(int seed, int length = 300)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
