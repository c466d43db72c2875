namespace Maas.Storage.Blobs;

/// <summary>Where a blob's bytes lie: in which pack, at which offset (of the bytes, past the record header), how many.</summary>
/// <param name="Pack">The pack file's name, without folder.</param>
/// <param name="Offset">The offset of the first byte of the blob in the pack.</param>
/// <param name="Length">The blob's length in bytes.</param>
internal readonly record struct BlobLocation(string Pack, long Offset, int Length);
