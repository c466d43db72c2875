using Maas.Datasets.Archives;

namespace Maas.Datasets.Tests;

public sealed class ArchiveEntryReadingTests
{
    [Fact]
    public async Task ReadEntry_DataLongerThanDeclared_StopsReadingPastTheLimit()
    {
        // .NET's zip reader already cuts an entry at its declared size; this is the guard for any stream that does not.
        var endless = new EndlessStream();
        var entry = new ArchiveEntry(0, "cat/bomb.png", ArchiveEntryKind.File, 1000, null, null, "file");

        var (bytes, error) = await ArchiveSource.ReadEntryAsync(endless, entry, 1 << 20, CancellationToken.None);

        Assert.Null(bytes);
        Assert.Equal("inflates past the limit of 1048576 bytes although its header declares 1000 bytes; reading stopped there", error);
        Assert.InRange(endless.Served, (1 << 20) + 1, (1 << 20) + (1 << 16) + 1);
    }

    [Fact]
    public async Task ReadEntry_DataShorterThanDeclared_IsRefused()
    {
        var entry = new ArchiveEntry(0, "cat/short.png", ArchiveEntryKind.File, 1000, null, null, "file");

        var (bytes, error) = await ArchiveSource.ReadEntryAsync(new MemoryStream(new byte[600]), entry, 1 << 20, CancellationToken.None);

        Assert.Null(bytes);
        Assert.Equal("the data ends after 600 of the 1000 bytes its header declares", error);
    }

    /// <summary>Zeros without end, counting how many it has handed out.</summary>
    private sealed class EndlessStream : Stream
    {
        public long Served { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Clear(buffer, offset, count);
            Served += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
