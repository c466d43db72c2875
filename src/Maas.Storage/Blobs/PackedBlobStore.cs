using System.Collections.Concurrent;
using System.Security.Cryptography;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Storage.Sqlite;
using Microsoft.Win32.SafeHandles;

namespace Maas.Storage.Blobs;

/// <summary>
/// Blobs appended to pack files under <c>blobs/packs/</c>, found through an index (<c>blobs/index.db</c>). One file
/// per image made the kernel's file creation the largest cost of an import (70,000 small images: 5 s of kernel time
/// on 2 cores); appending to a pack costs a buffered write.
/// </summary>
/// <remarks>
/// <para>Each store instance writes its own pack, so processes never append to the same file; a lock file beside the
/// pack says it is being written. Appended blobs become visible in batches: the pack is flushed to disk, then the
/// batch's index rows are committed. A crash therefore leaves at most unindexed bytes at the end of a pack, never an
/// index row that points at missing bytes; <see cref="CompactAsync"/> reclaims them.</para>
/// <para>Blobs that an earlier layout stored one file each (<c>blobs/ab/cd/&lt;hash&gt;</c>) are still found and
/// deleted; new blobs always go to packs.</para>
/// </remarks>
public sealed class PackedBlobStore : IBlobStore, IBlobMaintenance, IDisposable
{
    private const int BatchCount = 4096;
    private const long BatchBytes = 64L << 20;
    private const long BatchMilliseconds = 2000;
    private const long MaxPackBytes = 1L << 30;
    private const string PackExtension = ".pack";
    private const string LockExtension = ".lock";

    private readonly string _packs;
    private readonly string _indexPath;
    private readonly BlobIndex _index;
    private readonly FileBlobStore? _loose;
    private readonly Lock _writeLock = new();
    private readonly ConcurrentDictionary<string, BlobLocation> _pending = new(StringComparer.Ordinal);
    private readonly List<(byte[] Hash, BlobLocation Location)> _batch = [];
    private readonly ConcurrentDictionary<string, SafeFileHandle> _readers = new(StringComparer.Ordinal);
    private long _batchBytes;
    private long _batchStarted;
    private FileStream? _writer;
    private FileStream? _writerLock;
    private string? _writerPack;
    private Task _committing = Task.CompletedTask;
    private bool _disposed;

    /// <summary>Opens (creating when missing) the blob store in <paramref name="root"/>.</summary>
    public PackedBlobStore(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        _packs = Path.Combine(root, "packs");
        Directory.CreateDirectory(_packs);
        _indexPath = Path.Combine(root, "index.db");
        _index = new BlobIndex(_indexPath);
        // Looking for loose blobs costs a failed stat per miss; only homes that have them pay it.
        _loose = Directory.EnumerateDirectories(root).Any(d => Path.GetFileName(d) is { Length: 2 } n && n.All(char.IsAsciiHexDigitLower))
            ? new FileBlobStore(root)
            : null;
    }

    /// <inheritdoc />
    public Task<string> PutAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (data.Length > PackFormat.MaxBlobLength)
        {
            throw new InvalidInputException($"a blob of {data.Length} bytes is over the limit of {PackFormat.MaxBlobLength} bytes.");
        }

        var hash = SHA256.HashData(data.Span);
        var hex = Convert.ToHexStringLower(hash);
        if (_pending.ContainsKey(hex) || _index.TryFind(hash, out _) || _loose?.Contains(hex) == true)
        {
            return Task.FromResult(hex);
        }

        lock (_writeLock)
        {
            // A batch that failed to commit in the background (a full disk) fails the writes that follow it.
            if (_committing.IsFaulted)
            {
                _committing.GetAwaiter().GetResult();
            }

            if (!_pending.ContainsKey(hex))
            {
                var location = AppendLocked(hash, data.Span);
                _pending[hex] = location;
                if (_batch.Count == 0)
                {
                    _batchStarted = Environment.TickCount64;
                }

                _batch.Add((hash, location));
                _batchBytes += data.Length;
                // Bounded by count, bytes and time, so a crash loses little work and memory stays flat.
                if (_batch.Count >= BatchCount || _batchBytes >= BatchBytes || Environment.TickCount64 - _batchStarted >= BatchMilliseconds)
                {
                    CommitBatchInBackgroundLocked();
                }
            }
        }

        return Task.FromResult(hex);
    }

    /// <inheritdoc />
    public bool Contains(string hash) =>
        ContentHash.IsValid(hash)
        && (_pending.ContainsKey(hash) || _index.TryFind(Convert.FromHexString(hash), out _) || _loose?.Contains(hash) == true);

    /// <inheritdoc />
    public Task<byte[]> GetAsync(string hash, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Get(hash));
    }

    /// <inheritdoc />
    public byte[] Get(string hash)
    {
        var raw = RawHash(hash);
        for (var attempt = 0; ; attempt++)
        {
            if (_pending.TryGetValue(hash, out var pending))
            {
                lock (_writeLock)
                {
                    // The bytes may still sit in the writer's buffer.
                    _writer?.Flush(flushToDisk: false);
                }

                return Read(raw, pending);
            }

            if (!_index.TryFind(raw, out var location))
            {
                return _loose is not null ? _loose.Get(hash) : throw Missing(hash);
            }

            try
            {
                return Read(raw, location);
            }
            catch (FileNotFoundException) when (attempt == 0)
            {
                // Another process compacted the pack away after the lookup; the index now points elsewhere.
            }
        }
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string hash, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var raw = RawHash(hash);
        var deleted = false;
        lock (_writeLock)
        {
            if (_pending.TryRemove(hash, out _))
            {
                _batch.RemoveAll(e => e.Hash.AsSpan().SequenceEqual(raw));
                deleted = true;
            }
        }

        deleted |= _index.Remove(raw);
        if (_loose is not null)
        {
            deleted |= _loose.DeleteAsync(hash, cancellationToken).GetAwaiter().GetResult();
        }

        return Task.FromResult(deleted);
    }

    /// <inheritdoc />
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            CommitBatchLocked();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>
    /// A pack whose live blobs fill less than half of it has them copied to this store's pack, the index moved, and is
    /// deleted. Packs another store is writing (their lock file is held) are left alone.
    /// </remarks>
    public async Task<long> CompactAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        var live = _index.LiveBytesByPack();
        long reclaimed = 0;
        foreach (var path in Directory.EnumerateFiles(_packs, "*" + PackExtension))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pack = Path.GetFileName(path);
            var size = new FileInfo(path).Length;
            var liveBytes = live.GetValueOrDefault(pack);
            // A pack with no live blob goes whatever its size (even one that holds only its magic).
            if (pack == _writerPack || (liveBytes > 0 && liveBytes * 2 >= size - PackFormat.FileMagic.Length) || !TryClaim(path, out var claim))
            {
                continue;
            }

            using (claim)
            {
                CloseReader(pack);
                var moved = new List<(byte[] Hash, BlobLocation Location)>();
                using (var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None))
                {
                    foreach (var (hash, location) in _index.EntriesIn(pack))
                    {
                        var bytes = Read(source.SafeFileHandle, hash, location);
                        lock (_writeLock)
                        {
                            moved.Add((hash, AppendLocked(hash, bytes)));
                        }
                    }
                }

                lock (_writeLock)
                {
                    _writer?.Flush(flushToDisk: true);
                }

                _index.Move(pack, moved);
                if (!_index.References(pack))
                {
                    File.Delete(path);
                    reclaimed += size - liveBytes;
                }
            }

            File.Delete(path + LockExtension);
        }

        return reclaimed;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ListHashes()
    {
        lock (_writeLock)
        {
            CommitBatchLocked();
        }

        return [.. _index.AllEntries().Select(e => Convert.ToHexStringLower(e.Hash)).Concat(_loose?.ListHashes() ?? [])];
    }

    /// <inheritdoc />
    public async Task<BlobSweep> SweepAsync(IReadOnlySet<string> keep, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keep);
        await FlushAsync(cancellationToken);
        var dead = _index.AllEntries().Where(e => !keep.Contains(Convert.ToHexStringLower(e.Hash))).ToList();
        var loose = _loose is null ? new BlobSweep(0, 0, 0) : await _loose.SweepAsync(keep, dryRun, cancellationToken);
        if (dryRun)
        {
            // What CompactAsync would do once the dead blobs are gone: remove packs left with no live blob, and
            // compact those left less than half live.
            var live = _index.LiveBytesByPack();
            foreach (var (_, location) in dead)
            {
                live[location.Pack] -= location.Length + PackFormat.RecordHeaderSize;
            }

            var packs = 0;
            long bytes = 0;
            foreach (var path in Directory.EnumerateFiles(_packs, "*" + PackExtension))
            {
                var pack = Path.GetFileName(path);
                var size = new FileInfo(path).Length;
                var liveBytes = live.GetValueOrDefault(pack);
                if (pack == _writerPack || (liveBytes > 0 && liveBytes * 2 >= size - PackFormat.FileMagic.Length) || IsBeingWritten(path))
                {
                    continue;
                }

                packs++;
                bytes += size - liveBytes;
            }

            return new BlobSweep(dead.Count + loose.BlobsDeleted, packs, bytes + loose.BytesFreed);
        }

        foreach (var (hash, _) in dead)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _index.Remove(hash);
        }

        var before = Directory.EnumerateFiles(_packs, "*" + PackExtension).ToHashSet(StringComparer.Ordinal);
        var reclaimed = await CompactAsync(cancellationToken);
        var removed = before.Count(p => !File.Exists(p));
        return new BlobSweep(dead.Count + loose.BlobsDeleted, removed, reclaimed + loose.BytesFreed);
    }

    /// <inheritdoc />
    public IReadOnlyList<string> OrphanContainers()
    {
        var live = _index.LiveBytesByPack();
        return [.. Directory.EnumerateFiles(_packs, "*" + PackExtension).Order(StringComparer.Ordinal)
            .Where(p => Path.GetFileName(p) != _writerPack && !live.ContainsKey(Path.GetFileName(p)) && !IsBeingWritten(p))
            .Select(p => $"pack {Path.GetFileName(p)}")];
    }

    /// <inheritdoc />
    /// <remarks>
    /// Checks the index file, every indexed blob (its record header and the SHA-256 of its bytes), and every pack's
    /// magic and record chain up to its last indexed blob: bytes past it that do not form records are what a crashed
    /// writer left, which compaction reclaims, not damage.
    /// </remarks>
    public IReadOnlyList<BlobDamage> Verify(CancellationToken cancellationToken)
    {
        var damage = SqliteIntegrity.Check(_indexPath).Select(p => new BlobDamage("blob index", p)).ToList();
        var entries = _index.AllEntries();
        var ends = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var group in entries.GroupBy(e => e.Location.Pack, StringComparer.Ordinal))
        {
            var path = Path.Combine(_packs, group.Key);
            ends[group.Key] = group.Max(e => e.Location.Offset + e.Location.Length);
            if (!File.Exists(path))
            {
                damage.AddRange(group.Select(e => new BlobDamage($"blob {Convert.ToHexStringLower(e.Hash)}", $"its pack {group.Key} is missing.")));
                continue;
            }

            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            foreach (var (hash, location) in group)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var name = $"blob {Convert.ToHexStringLower(hash)}";
                try
                {
                    if (!SHA256.HashData(Read(handle, hash, location)).AsSpan().SequenceEqual(hash))
                    {
                        damage.Add(new BlobDamage(name, $"pack {group.Key} offset {location.Offset}: its bytes do not hash to it."));
                    }
                }
                catch (IOException)
                {
                    damage.Add(new BlobDamage(name, $"pack {group.Key} offset {location.Offset}: no whole record of it there."));
                }
            }
        }

        foreach (var path in Directory.EnumerateFiles(_packs, "*" + PackExtension).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pack = Path.GetFileName(path);
            if (CheckPack(path, ends.GetValueOrDefault(pack)) is { } problem)
            {
                damage.Add(new BlobDamage($"pack {pack}", problem));
            }
        }

        damage.AddRange(_loose?.Verify(cancellationToken) ?? []);
        return damage;
    }

    /// <summary>Commits what is pending and closes the pack.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        lock (_writeLock)
        {
            try
            {
                // What was appended is whole: indexing it lets a rerun of a cancelled import reuse it.
                CommitBatchLocked();
            }
            finally
            {
                CloseWriterLocked();
            }
        }

        foreach (var pack in _readers.Keys)
        {
            CloseReader(pack);
        }

        _index.Dispose();
    }

    private BlobLocation AppendLocked(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_writer is null || _writer.Length + data.Length > MaxPackBytes)
        {
            CommitBatchLocked();
            CloseWriterLocked();
            OpenWriterLocked();
        }

        Span<byte> header = stackalloc byte[PackFormat.RecordHeaderSize];
        PackFormat.WriteRecordHeader(header, hash, data.Length);
        _writer!.Write(header);
        var offset = _writer.Position;
        _writer.Write(data);
        return new BlobLocation(_writerPack!, offset, data.Length);
    }

    /// <summary>
    /// Hands the batch to a background commit (pack fsync, then index rows) so that writers keep appending while the
    /// disk syncs: committing under the write lock held every import worker for each fsync. Commits run one after
    /// another in batch order; a failure fails every later commit and write.
    /// </summary>
    private void CommitBatchInBackgroundLocked()
    {
        // The buffered bytes go to the kernel now, under the lock; the fsync that makes them durable can wait.
        _writer!.Flush(flushToDisk: false);
        var handle = _writer.SafeFileHandle;
        var ready = _batch.ToArray();
        _batch.Clear();
        _batchBytes = 0;
        var previous = _committing;
        _committing = Task.Run(async () =>
        {
            await previous.ConfigureAwait(false);
            // The writer is closed only after the commits in flight are done (CommitBatchLocked waits), so the handle is open.
            RandomAccess.FlushToDisk(handle);
            IndexCommitted(ready);
        });
    }

    private void IndexCommitted(IReadOnlyList<(byte[] Hash, BlobLocation Location)> batch)
    {
        _index.Add(batch);
        foreach (var (hash, _) in batch)
        {
            _pending.TryRemove(Convert.ToHexStringLower(hash), out _);
        }
    }

    private void CommitBatchLocked()
    {
        // Batches handed to the background commit first, in order; their failure is this call's failure.
        _committing.GetAwaiter().GetResult();
        if (_batch.Count == 0)
        {
            return;
        }

        _writer!.Flush(flushToDisk: true);
        IndexCommitted(_batch);
        _batch.Clear();
        _batchBytes = 0;
    }

    private void OpenWriterLocked()
    {
        var pack = $"{DateTimeOffset.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid():N}{PackExtension}";
        var path = Path.Combine(_packs, pack);
        // The lock file is held (FileShare.None takes an exclusive advisory lock) while this store writes the pack,
        // and the kernel drops it if the process dies: compaction skips packs whose lock it cannot take.
        _writerLock = new FileStream(path + LockExtension, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        _writer = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, 1 << 20, FileOptions.None);
        _writer.Write(PackFormat.FileMagic);
        _writerPack = pack;
    }

    private void CloseWriterLocked()
    {
        if (_writer is null)
        {
            return;
        }

        var path = _writer.Name;
        var empty = _writer.Length <= PackFormat.FileMagic.Length;
        _writer.Dispose();
        _writer = null;
        _writerPack = null;
        if (empty)
        {
            File.Delete(path);
        }

        _writerLock!.Dispose();
        _writerLock = null;
        File.Delete(path + LockExtension);
    }

    private byte[] Read(byte[] hash, BlobLocation location)
    {
        var handle = _readers.GetOrAdd(location.Pack, pack =>
            File.OpenHandle(Path.Combine(_packs, pack), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        return Read(handle, hash, location);
    }

    private static byte[] Read(SafeFileHandle handle, byte[] hash, BlobLocation location)
    {
        Span<byte> header = stackalloc byte[PackFormat.RecordHeaderSize];
        var data = new byte[location.Length];
        if (RandomAccess.Read(handle, header, location.Offset - PackFormat.RecordHeaderSize) != header.Length
            || !PackFormat.IsRecordHeaderFor(header, hash, location.Length)
            || ReadFully(handle, data, location.Offset) != data.Length)
        {
            throw new IOException($"blob {Convert.ToHexStringLower(hash)}: pack {location.Pack} does not hold it at offset {location.Offset}; the blob store is damaged.");
        }

        return data;
    }

    private static int ReadFully(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = RandomAccess.Read(handle, buffer[total..], offset + total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private void CloseReader(string pack)
    {
        if (_readers.TryRemove(pack, out var handle))
        {
            handle.Dispose();
        }
    }

    /// <summary>What is wrong with the pack's structure up to <paramref name="indexedEnd"/>, or null.</summary>
    private static string? CheckPack(string path, long indexedEnd)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var size = RandomAccess.GetLength(handle);
        Span<byte> magic = stackalloc byte[8];
        if (ReadFully(handle, magic, 0) != magic.Length || !magic.SequenceEqual(PackFormat.FileMagic))
        {
            return "it does not start with the pack magic.";
        }

        Span<byte> header = stackalloc byte[PackFormat.RecordHeaderSize];
        long offset = magic.Length;
        while (offset + header.Length <= size && ReadFully(handle, header, offset) == header.Length && header[..4].SequenceEqual(PackFormat.RecordMagic))
        {
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(header[36..]);
            if (length < 0 || offset + header.Length + length > size)
            {
                break;
            }

            offset += header.Length + length;
        }

        return offset < indexedEnd ? $"the record at offset {offset} has no valid header, before blobs the index places further on." : null;
    }

    private static bool IsBeingWritten(string packPath)
    {
        try
        {
            using var probe = new FileStream(packPath + LockExtension, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static bool TryClaim(string packPath, out FileStream claim)
    {
        try
        {
            claim = new FileStream(packPath + LockExtension, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return true;
        }
        catch (IOException)
        {
            claim = null!;
            return false;
        }
    }

    private static byte[] RawHash(string hash) =>
        ContentHash.IsValid(hash) ? Convert.FromHexString(hash) : throw new InvalidInputException($"'{hash}' is not a SHA-256 content address.");

    private NotFoundException Missing(string hash) => new($"blob {hash} is missing from {Path.GetDirectoryName(_packs)}.");
}
