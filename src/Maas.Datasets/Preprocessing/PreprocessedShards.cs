using System.Buffers.Binary;
using Maas.Imaging;
using Microsoft.Win32.SafeHandles;

namespace Maas.Datasets.Preprocessing;

/// <summary>
/// A dataset version's images after a pipeline's deterministic prefix, as stored by <see cref="ShardCache"/>: 8-bit
/// HWC images in shard files, found through a fixed-size index, read with positioned reads so any number of threads
/// can read at once and nothing is held in memory.
/// </summary>
public sealed class PreprocessedShards : IPrefixImages, IDisposable
{
    internal const int IndexEntrySize = 4 + 8 + 4 + 4 + 4;

    private readonly byte[] _index;
    private readonly SafeFileHandle[] _shards;

    internal PreprocessedShards(string folder, ShardCacheManifest manifest, bool reused)
    {
        Folder = folder;
        Manifest = manifest;
        Reused = reused;
        _index = File.ReadAllBytes(Path.Combine(folder, ShardCache.IndexFileName));
        if (_index.Length != (long)manifest.SampleCount * IndexEntrySize)
        {
            throw new InvalidDataException($"{folder}: the index holds {_index.Length / IndexEntrySize} entries, the manifest says {manifest.SampleCount}.");
        }

        _shards = Enumerable.Range(0, manifest.ShardCount)
            .Select(i => File.OpenHandle(Path.Combine(folder, ShardCache.ShardFileName(i)), FileMode.Open, FileAccess.Read, FileShare.Read))
            .ToArray();
    }

    /// <summary>The cache folder.</summary>
    public string Folder { get; }

    /// <summary>What the cache holds and for which dataset version and pipeline prefix.</summary>
    public ShardCacheManifest Manifest { get; }

    /// <summary>Whether an existing cache was reused rather than built.</summary>
    public bool Reused { get; }

    /// <summary>How many images; image i is sample i of the version's manifest.</summary>
    public int Count => Manifest.SampleCount;

    /// <summary>The size of image <paramref name="index"/>.</summary>
    public (int Width, int Height, int Channels) SizeOf(int index)
    {
        var entry = Entry(index);
        return (BinaryPrimitives.ReadInt32LittleEndian(entry[12..]), BinaryPrimitives.ReadInt32LittleEndian(entry[16..]),
            BinaryPrimitives.ReadInt32LittleEndian(entry[20..]));
    }

    /// <summary>Reads image <paramref name="index"/>'s HWC bytes into <paramref name="destination"/>, which must hold exactly them.</summary>
    public void Read(int index, Span<byte> destination)
    {
        var entry = Entry(index);
        var shard = BinaryPrimitives.ReadInt32LittleEndian(entry);
        var offset = BinaryPrimitives.ReadInt64LittleEndian(entry[4..]);
        var (width, height, channels) = SizeOf(index);
        if (destination.Length != width * height * channels)
        {
            throw new ArgumentException($"image {index} is {width}x{height}x{channels}; the destination holds {destination.Length} bytes.", nameof(destination));
        }

        var total = 0;
        while (total < destination.Length)
        {
            var read = RandomAccess.Read(_shards[shard], destination[total..], offset + total);
            if (read == 0)
            {
                throw new InvalidDataException($"{Folder}: shard {shard} ends before image {index}; the cache is damaged (rebuild it with maas preprocess --force).");
            }

            total += read;
        }
    }

    /// <summary>Closes the shard files.</summary>
    public void Dispose()
    {
        foreach (var shard in _shards)
        {
            shard.Dispose();
        }
    }

    private ReadOnlySpan<byte> Entry(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _index.AsSpan(index * IndexEntrySize, IndexEntrySize);
    }
}
