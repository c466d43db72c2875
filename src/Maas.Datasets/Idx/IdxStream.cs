using System.Buffers.Binary;
using System.IO.Compression;
using Maas.Core.Errors;

namespace Maas.Datasets.Idx;

/// <summary>
/// An IDX file opened for streaming: the header is read and checked, and the body is then read record by record,
/// so a 47 MB image file never sits in memory whole. Gzip is told apart from plain by its magic bytes.
/// </summary>
public sealed class IdxStream : IDisposable
{
    private readonly Stream _file;
    private readonly Stream _body;

    private IdxStream(string path, Stream file, Stream body, int[] dimensions)
    {
        Path = path;
        _file = file;
        _body = body;
        Dimensions = dimensions;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The size of each dimension, outermost first.</summary>
    public IReadOnlyList<int> Dimensions { get; }

    /// <summary>Bytes in one record (the product of every dimension after the first).</summary>
    public int RecordLength => Dimensions.Skip(1).Aggregate(1, (a, b) => checked(a * b));

    /// <summary>Opens <paramref name="path"/> and reads its header.</summary>
    /// <exception cref="NotFoundException">No such file.</exception>
    /// <exception cref="InvalidInputException">Not an unsigned-byte IDX file.</exception>
    public static IdxStream Open(string path)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            throw new NotFoundException($"{path}: no such file.");
        }

        return Open(file, path, leaveOpen: false);
    }

    /// <summary>
    /// Reads the header of an IDX file from <paramref name="stream"/>, which need not seek (an archive entry):
    /// gzip is told apart by its first two bytes, which are then read again as part of the data.
    /// </summary>
    /// <param name="stream">The file's bytes, gzip-compressed or plain.</param>
    /// <param name="name">Names the file in error messages.</param>
    /// <param name="leaveOpen">Whether disposing the result leaves <paramref name="stream"/> open.</param>
    /// <exception cref="InvalidInputException">Not an unsigned-byte IDX file.</exception>
    public static IdxStream Open(Stream stream, string name, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Stream? body = null;
        try
        {
            var magic = new byte[2];
            var gzip = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
            Stream whole = new PrefixedStream(magic, stream);
            body = gzip ? new BufferedStream(new GZipStream(whole, CompressionMode.Decompress), 1 << 16) : whole;
            Span<byte> head = stackalloc byte[4];
            ReadExactly(body, head, name);
            if (head[0] != 0 || head[1] != 0)
            {
                throw new InvalidInputException($"{name}: not an IDX file (the first two bytes must be zero).");
            }

            if (head[2] != 0x08)
            {
                throw new InvalidInputException($"{name}: IDX element type 0x{head[2]:x2} is not supported (only unsigned bytes, 0x08).");
            }

            int rank = head[3];
            if (rank is < 1 or > 4)
            {
                throw new InvalidInputException($"{name}: the IDX header declares {rank} dimensions.");
            }

            var dims = new int[rank];
            Span<byte> word = stackalloc byte[4];
            for (var i = 0; i < rank; i++)
            {
                ReadExactly(body, word, name);
                dims[i] = BinaryPrimitives.ReadInt32BigEndian(word);
                if (dims[i] < 0)
                {
                    throw new InvalidInputException($"{name}: dimension {i} is negative.");
                }
            }

            return new IdxStream(name, leaveOpen ? Stream.Null : stream, body, dims);
        }
        catch (InvalidDataException e)
        {
            Close();
            throw new InvalidInputException($"{name}: the gzip stream is corrupt ({e.Message}).", e);
        }
        catch
        {
            Close();
            throw;
        }

        void Close()
        {
            // The prefixed stream and gzip stream leave the inner stream open; it is closed here unless the caller keeps it.
            body?.Dispose();
            if (!leaveOpen)
            {
                stream.Dispose();
            }
        }
    }

    /// <summary>Reads the next record into <paramref name="record"/>.</summary>
    /// <exception cref="InvalidInputException">The file ends before the header says it should.</exception>
    public async ValueTask ReadRecordAsync(Memory<byte> record, CancellationToken cancellationToken)
    {
        try
        {
            var read = await _body.ReadAtLeastAsync(record, record.Length, throwOnEndOfStream: false, cancellationToken);
            if (read < record.Length)
            {
                throw new InvalidInputException($"{Path}: the file ends before the {Dimensions[0]} records its header declares.");
            }
        }
        catch (InvalidDataException e)
        {
            throw new InvalidInputException($"{Path}: the gzip stream is corrupt ({e.Message}).", e);
        }
    }

    /// <summary>Reads every remaining record (for small files such as labels).</summary>
    public async Task<byte[]> ReadAllAsync(CancellationToken cancellationToken)
    {
        var all = new byte[checked(Dimensions[0] * RecordLength)];
        await ReadRecordAsync(all, cancellationToken);
        return all;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _body.Dispose();
        _file.Dispose();
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string path)
    {
        if (stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) < buffer.Length)
        {
            throw new InvalidInputException($"{path}: the IDX header is truncated.");
        }
    }

    /// <summary>Bytes already read from a stream, then the rest of it; never closes the stream it wraps.</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream rest) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position < prefix.Length && !buffer.IsEmpty)
            {
                var n = Math.Min(buffer.Length, prefix.Length - _position);
                prefix.AsSpan(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }

            return rest.Read(buffer);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _position < prefix.Length && !buffer.IsEmpty ? ValueTask.FromResult(Read(buffer.Span)) : rest.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
