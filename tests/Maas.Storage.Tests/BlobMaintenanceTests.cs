using Maas.Storage.Blobs;
using Maas.Testing;

namespace Maas.Storage.Tests;

/// <summary>What gc and doctor ask of the pack store: sweeping unreferenced blobs and dead packs, and verifying every byte.</summary>
public sealed class BlobMaintenanceTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private string Root => _temp.Combine("blobs");

    private string Packs => Path.Combine(Root, "packs");

    [Fact]
    public async Task Sweep_DeletesUnreferencedBlobs_AndAnOrphanPack_AfterADryRunThatChangesNothing()
    {
        string kept;
        string dropped;
        using (var store = new PackedBlobStore(Root))
        {
            kept = await store.PutAsync(Payload(1, 1000), CancellationToken.None);
            dropped = await store.PutAsync(Payload(2, 5000), CancellationToken.None);
        }

        var orphan = PlantOrphanPack();
        var packsBefore = Directory.GetFiles(Packs, "*.pack").Order().ToArray();
        using var sweeper = new PackedBlobStore(Root);
        var keep = new HashSet<string> { kept };

        var dry = await sweeper.SweepAsync(keep, dryRun: true, CancellationToken.None);

        Assert.Equal(1, dry.BlobsDeleted);
        // The orphan pack goes whole; the other is left mostly dead, so its live blob moves to a new pack and it goes too
        // (all but that blob: its magic and the dropped record).
        Assert.Equal(2, dry.PacksRemoved);
        Assert.Equal(new FileInfo(orphan).Length + 8 + 5000 + 40, dry.BytesFreed);
        Assert.Equal(packsBefore, Directory.GetFiles(Packs, "*.pack").Order().ToArray());
        Assert.True(sweeper.Contains(dropped));

        var swept = await sweeper.SweepAsync(keep, dryRun: false, CancellationToken.None);

        Assert.Equal(dry, swept);
        Assert.False(File.Exists(orphan));
        Assert.False(sweeper.Contains(dropped));
        Assert.Equal(Payload(1, 1000), sweeper.Get(kept));
        Assert.Equal([kept], sweeper.ListHashes());
        Assert.Empty(sweeper.Verify(CancellationToken.None));
    }

    [Fact]
    public async Task Verify_NamesABlobWithAFlippedByte_AndAPackWithoutItsMagic()
    {
        string damaged;
        string healthy;
        using (var store = new PackedBlobStore(Root))
        {
            healthy = await store.PutAsync(Payload(3, 3000), CancellationToken.None);
            damaged = await store.PutAsync(Payload(4, 3000), CancellationToken.None);
        }

        var pack = Assert.Single(Directory.GetFiles(Packs, "*.pack"));
        FlipByteInside(pack, Payload(4, 3000));
        var orphan = PlantOrphanPack();
        using (var stream = new FileStream(orphan, FileMode.Open, FileAccess.Write))
        {
            stream.WriteByte((byte)'X');
        }

        using var checker = new PackedBlobStore(Root);
        var damage = checker.Verify(CancellationToken.None);

        Assert.Equal(2, damage.Count);
        Assert.Contains(damage, d => d.Object == $"blob {damaged}" && d.Problem.Contains("do not hash", StringComparison.Ordinal));
        Assert.Contains(damage, d => d.Object == $"pack {Path.GetFileName(orphan)}" && d.Problem.Contains("magic", StringComparison.Ordinal));
        Assert.DoesNotContain(damage, d => d.Object.Contains(healthy, StringComparison.Ordinal));
    }

    /// <summary>A pack another store wrote, copied in under a new name: records no index row points at.</summary>
    private string PlantOrphanPack()
    {
        var elsewhere = _temp.Combine("elsewhere");
        using (var other = new PackedBlobStore(elsewhere))
        {
            other.PutAsync(Payload(9, 7000), CancellationToken.None).GetAwaiter().GetResult();
        }

        var target = Path.Combine(Packs, "20200101000000-orphan.pack");
        File.Copy(Assert.Single(Directory.GetFiles(Path.Combine(elsewhere, "packs"), "*.pack")), target);
        return target;
    }

    internal static void FlipByteInside(string file, byte[] content)
    {
        var bytes = File.ReadAllBytes(file);
        var at = bytes.AsSpan().IndexOf(content);
        Assert.True(at > 0);
        bytes[at + (content.Length / 2)] ^= 0x55;
        File.WriteAllBytes(file, bytes);
    }

    private static byte[] Payload(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public void Dispose() => _temp.Dispose();
}
