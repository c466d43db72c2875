using Maas.Storage.Locking;
using Maas.Testing;

namespace Maas.Storage.Tests;

public sealed class StagingAreaTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void APieceWhoseLockIsFree_IsRemovedByTheNextReservation_AndAHeldOneIsKept()
    {
        var area = new StagingArea(_temp.Combine("staging"));
        var held = area.Reserve("model");
        Directory.CreateDirectory(held.Path);
        File.WriteAllText(Path.Combine(held.Path, "model.onnx"), "in use");
        // What a killed writer leaves: its folder and its lock file, which nothing holds any more.
        var killed = Path.Combine(area.Root, "model-0badc0de");
        Directory.CreateDirectory(killed);
        File.WriteAllText(Path.Combine(killed, "model.onnx"), "left behind");
        var killedLock = killed + ".lock";
        File.WriteAllBytes(killedLock, []);

        using var next = area.Reserve("model");

        Assert.False(Directory.Exists(killed));
        Assert.False(File.Exists(killedLock));
        Assert.True(File.Exists(Path.Combine(held.Path, "model.onnx")));
        held.Dispose();
        Assert.False(Directory.Exists(held.Path));
    }

    [Fact]
    public void ADryRun_MeasuresAbandonedPieces_WithoutRemovingThem()
    {
        var root = _temp.Combine("tmp");
        Directory.CreateDirectory(root);
        // What ImportStaging leaves when its process is killed: the manifest and its (free) lock.
        File.WriteAllBytes(Path.Combine(root, "import-0123.db"), new byte[1000]);
        File.WriteAllBytes(Path.Combine(root, "import-0123.lock"), []);

        var measured = new StagingArea(root).RemoveAbandoned(dryRun: true);

        Assert.Equal((1, 1000L), measured);
        Assert.True(File.Exists(Path.Combine(root, "import-0123.db")));
        Assert.Equal((1, 1000L), new StagingArea(root).RemoveAbandoned(dryRun: false));
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }

    public void Dispose() => _temp.Dispose();
}
