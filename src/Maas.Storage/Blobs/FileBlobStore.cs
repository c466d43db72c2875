using Maas.Core;
using Maas.Core.Errors;

namespace Maas.Storage.Blobs;

/// <summary>
/// Blobs as files under <c>blobs/ab/cd/&lt;hash&gt;</c>; two levels of fan-out keep folders small at millions of
/// blobs. Writes go to a temporary file and are renamed into place, so a crash never leaves a torn blob.
/// </summary>
/// <param name="root">The blob folder.</param>
public sealed class FileBlobStore(string root) : IBlobStore, IBlobMaintenance
{
    /// <inheritdoc />
    public async Task<string> PutAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var hash = ContentHash.Of(data.Span);
        var path = PathOf(hash);
        if (!File.Exists(path))
        {
            await AtomicFile.WriteAllBytesAsync(path, data, cancellationToken, flushToDisk: false);
        }

        return hash;
    }

    /// <inheritdoc />
    public bool Contains(string hash) => ContentHash.IsValid(hash) && File.Exists(PathOf(hash));

    /// <inheritdoc />
    public async Task<byte[]> GetAsync(string hash, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(CheckedPathOf(hash), cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NotFoundException($"blob {hash} is missing from {root}.");
        }
    }

    /// <inheritdoc />
    public byte[] Get(string hash)
    {
        try
        {
            return File.ReadAllBytes(CheckedPathOf(hash));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NotFoundException($"blob {hash} is missing from {root}.");
        }
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string hash, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = CheckedPathOf(hash);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        // The fan-out folders stay: removing one could race with a concurrent PutAsync writing into it.
        File.Delete(path);
        return Task.FromResult(true);
    }

    /// <inheritdoc />
    /// <remarks>A deleted file's space is freed at once, so there is nothing to compact.</remarks>
    public Task<long> CompactAsync(CancellationToken cancellationToken) => Task.FromResult(0L);

    /// <inheritdoc />
    public Task FlushAsync(CancellationToken cancellationToken) => Task.Run(AtomicFile.SyncFileSystems, cancellationToken);

    /// <inheritdoc />
    public IReadOnlyList<string> ListHashes() => [.. Files().Select(Path.GetFileName).OfType<string>()];

    /// <inheritdoc />
    public Task<BlobSweep> SweepAsync(IReadOnlySet<string> keep, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var deleted = 0;
        long bytes = 0;
        foreach (var path in Files().Where(p => !keep.Contains(Path.GetFileName(p))))
        {
            cancellationToken.ThrowIfCancellationRequested();
            deleted++;
            bytes += new FileInfo(path).Length;
            if (!dryRun)
            {
                File.Delete(path);
            }
        }

        return Task.FromResult(new BlobSweep(deleted, 0, bytes));
    }

    /// <inheritdoc />
    /// <remarks>Each blob is its own file, so there is never a container without a live blob.</remarks>
    public IReadOnlyList<string> OrphanContainers() => [];

    /// <inheritdoc />
    public IReadOnlyList<BlobDamage> Verify(CancellationToken cancellationToken)
    {
        var damage = new List<BlobDamage>();
        foreach (var path in Files())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var hash = Path.GetFileName(path);
            if (ContentHash.Of(File.ReadAllBytes(path)) != hash)
            {
                damage.Add(new BlobDamage($"blob {hash}", $"{path}: its bytes do not hash to its name."));
            }
        }

        return damage;
    }

    /// <summary>Every blob file under the two levels of fan-out folders.</summary>
    internal IEnumerable<string> Files() =>
        !Directory.Exists(root)
            ? []
            : Directory.EnumerateDirectories(root).Where(d => IsFanOut(Path.GetFileName(d)))
                .SelectMany(d => Directory.EnumerateDirectories(d).Where(e => IsFanOut(Path.GetFileName(e))))
                .SelectMany(Directory.EnumerateFiles)
                .Where(f => ContentHash.IsValid(Path.GetFileName(f)));

    private static bool IsFanOut(string name) => name is { Length: 2 } && name.All(char.IsAsciiHexDigitLower);

    private string CheckedPathOf(string hash) =>
        ContentHash.IsValid(hash) ? PathOf(hash) : throw new InvalidInputException($"'{hash}' is not a SHA-256 content address.");

    private string PathOf(string hash) => Path.Combine(root, hash[..2], hash[2..4], hash);
}
