namespace Maas.Storage.Blobs;

/// <summary>Stores byte blobs once each, addressed by their SHA-256.</summary>
public interface IBlobStore
{
    /// <summary>Stores <paramref name="data"/> unless a blob with the same hash exists; returns the hash.</summary>
    Task<string> PutAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Whether the blob is stored.</summary>
    bool Contains(string hash);

    /// <summary>The blob's bytes.</summary>
    /// <exception cref="Maas.Core.Errors.NotFoundException">No such blob.</exception>
    Task<byte[]> GetAsync(string hash, CancellationToken cancellationToken);

    /// <summary>The blob's bytes, read synchronously for parallel CPU-bound loops.</summary>
    /// <exception cref="Maas.Core.Errors.NotFoundException">No such blob.</exception>
    byte[] Get(string hash);

    /// <summary>
    /// Deletes the blob; returns whether it was there. Only for blobs no committed metadata refers to: a caller
    /// removes the metadata first, commits, then deletes the blobs it no longer finds referenced.
    /// </summary>
    /// <exception cref="Maas.Core.Errors.InvalidInputException"><paramref name="hash"/> is not a SHA-256 content address.</exception>
    Task<bool> DeleteAsync(string hash, CancellationToken cancellationToken);

    /// <summary>
    /// Reclaims the space of deleted blobs and of bytes a crashed writer left unindexed; returns the bytes freed.
    /// Safe to run while other processes read and write the store.
    /// </summary>
    Task<long> CompactAsync(CancellationToken cancellationToken);

    /// <summary>Makes every blob stored so far durable; call before committing metadata that refers to them.</summary>
    Task FlushAsync(CancellationToken cancellationToken);
}
