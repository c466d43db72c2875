using System.Buffers.Binary;
using System.IO.Compression;
using Maas.Core.Errors;

namespace Maas.Datasets.Idx;

/// <summary>
/// An unsigned-byte array from an IDX file (the MNIST family's format: a big-endian magic <c>0x0000 08 nd</c>, then
/// <c>nd</c> big-endian dimension sizes, then the data), read from plain or gzip-compressed files.
/// </summary>
/// <param name="Dimensions">The size of each dimension, outermost first.</param>
/// <param name="Data">The values, row-major.</param>
public sealed record IdxArray(IReadOnlyList<int> Dimensions, byte[] Data)
{
    private const byte UnsignedByte = 0x08;

    /// <summary>Reads an IDX file, gzip-compressed or plain (told apart by the gzip magic, not the name).</summary>
    /// <exception cref="InvalidInputException">The file is not a well-formed unsigned-byte IDX file.</exception>
    public static async Task<IdxArray> ReadAsync(string path, CancellationToken cancellationToken)
    {
        byte[] raw;
        try
        {
            raw = await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            throw new NotFoundException($"{path}: no such file.");
        }

        if (raw.Length >= 2 && raw[0] == 0x1f && raw[1] == 0x8b)
        {
            try
            {
                using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
                using var plain = new MemoryStream();
                await gzip.CopyToAsync(plain, cancellationToken);
                raw = plain.ToArray();
            }
            catch (InvalidDataException e)
            {
                throw new InvalidInputException($"{path}: the gzip stream is corrupt ({e.Message}).", e);
            }
        }

        return Parse(raw, path);
    }

    /// <summary>Parses the bytes of an uncompressed IDX file; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidInputException">The bytes are not a well-formed unsigned-byte IDX file.</exception>
    public static IdxArray Parse(byte[] raw, string source)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (raw.Length < 4 || raw[0] != 0 || raw[1] != 0)
        {
            throw new InvalidInputException($"{source}: not an IDX file (the first two bytes must be zero).");
        }

        if (raw[2] != UnsignedByte)
        {
            throw new InvalidInputException($"{source}: IDX element type 0x{raw[2]:x2} is not supported (only unsigned bytes, 0x08).");
        }

        int rank = raw[3];
        if (rank is < 1 or > 4 || raw.Length < 4 + (4 * rank))
        {
            throw new InvalidInputException($"{source}: the IDX header declares {rank} dimensions but is truncated or out of range.");
        }

        var dims = new int[rank];
        long expected = 1;
        for (var i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(raw.AsSpan(4 + (4 * i)));
            if (dims[i] < 0)
            {
                throw new InvalidInputException($"{source}: dimension {i} is negative.");
            }

            expected *= dims[i];
        }

        var offset = 4 + (4 * rank);
        if (raw.Length - offset != expected)
        {
            throw new InvalidInputException(
                $"{source}: the header declares {string.Join('x', dims)} = {expected} values but the file holds {raw.Length - offset}.");
        }

        return new IdxArray(dims, raw[offset..]);
    }
}
