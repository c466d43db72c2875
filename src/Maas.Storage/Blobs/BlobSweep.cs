namespace Maas.Storage.Blobs;

/// <summary>What a sweep of the blob store freed (or, as a dry run, would free).</summary>
/// <param name="BlobsDeleted">Blobs no manifest refers to, deleted.</param>
/// <param name="PacksRemoved">Pack files deleted, their live blobs (if any) copied into a new pack first.</param>
/// <param name="BytesFreed">Disk space given back.</param>
public sealed record BlobSweep(int BlobsDeleted, int PacksRemoved, long BytesFreed);
