using System.Buffers.Binary;

namespace Maas.Storage.Blobs;

/// <summary>
/// The layout of a pack file: an 8-byte magic, then records of a 4-byte record magic, the blob's 32-byte SHA-256, its
/// length (4 bytes, little-endian) and its bytes. Each record names its own hash, so the index can be rebuilt and a
/// read checked against the location it was sent to.
/// </summary>
internal static class PackFormat
{
    /// <summary>The bytes every pack starts with.</summary>
    public static ReadOnlySpan<byte> FileMagic => "MAASPAK1"u8;

    /// <summary>The bytes every record starts with.</summary>
    public static ReadOnlySpan<byte> RecordMagic => "BLB1"u8;

    /// <summary>The size of a record's header: magic, hash and length.</summary>
    public const int RecordHeaderSize = 4 + 32 + 4;

    /// <summary>The largest blob a record can hold.</summary>
    public const int MaxBlobLength = int.MaxValue - RecordHeaderSize;

    /// <summary>Writes the header of a record for <paramref name="length"/> bytes hashed to <paramref name="hash"/>.</summary>
    public static void WriteRecordHeader(Span<byte> header, ReadOnlySpan<byte> hash, int length)
    {
        RecordMagic.CopyTo(header);
        hash.CopyTo(header[4..36]);
        BinaryPrimitives.WriteInt32LittleEndian(header[36..40], length);
    }

    /// <summary>Whether <paramref name="header"/> is a record header for <paramref name="hash"/> and <paramref name="length"/> bytes.</summary>
    public static bool IsRecordHeaderFor(ReadOnlySpan<byte> header, ReadOnlySpan<byte> hash, int length) =>
        header.Length == RecordHeaderSize
        && header[..4].SequenceEqual(RecordMagic)
        && header[4..36].SequenceEqual(hash)
        && BinaryPrimitives.ReadInt32LittleEndian(header[36..40]) == length;
}
