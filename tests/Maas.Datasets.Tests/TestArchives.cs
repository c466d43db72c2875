using System.Buffers.Binary;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Maas.Datasets.Tests;

/// <summary>The archive kinds an import reads.</summary>
public enum ArchiveKind
{
    Zip,
    Tar,
    TarGz,
}

/// <summary>Writes zip and tar archives for tests with the BCL writers, plus the odd entries they refuse to write.</summary>
internal static class TestArchives
{
    /// <summary>Writes <paramref name="entries"/> (name, bytes) as an archive of <paramref name="kind"/> at <paramref name="path"/>.</summary>
    public static string Write(string path, ArchiveKind kind, IEnumerable<(string Name, byte[] Bytes)> entries)
    {
        if (kind == ArchiveKind.Zip)
        {
            using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
            foreach (var (name, bytes) in entries)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                stream.Write(bytes);
            }
        }
        else
        {
            using var file = File.Create(path);
            using var stream = kind == ArchiveKind.TarGz ? new GZipStream(file, CompressionLevel.Fastest) : (Stream)file;
            using var tar = new TarWriter(stream, TarEntryFormat.Pax);
            foreach (var (name, bytes) in entries)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(bytes) });
            }
        }

        return path;
    }

    /// <summary>The file name extension of <paramref name="kind"/>.</summary>
    public static string Extension(ArchiveKind kind) => kind switch
    {
        ArchiveKind.Zip => ".zip",
        ArchiveKind.Tar => ".tar",
        _ => ".tar.gz",
    };

    /// <summary>
    /// A ustar header for a regular file whose name is the raw bytes <paramref name="name"/> — System.Formats.Tar
    /// writes names as UTF-8 only, so a Latin-1 name has to be written by hand — followed by the data, padded.
    /// </summary>
    public static byte[] RawTarFile(byte[] name, byte[] data)
    {
        var header = new byte[512];
        name.CopyTo(header, 0);
        Octal(header.AsSpan(100, 8), 0b110_100_100);
        Octal(header.AsSpan(108, 8), 0);
        Octal(header.AsSpan(116, 8), 0);
        Octal(header.AsSpan(124, 12), data.Length);
        Octal(header.AsSpan(136, 12), 1_700_000_000);
        header[156] = (byte)'0';
        "ustar\0"u8.CopyTo(header.AsSpan(257));
        "00"u8.CopyTo(header.AsSpan(263));
        // The checksum is the byte sum of the header with its own field read as spaces.
        header.AsSpan(148, 8).Fill((byte)' ');
        var sum = header.Sum(b => b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
        var padded = new byte[(data.Length + 511) / 512 * 512];
        data.CopyTo(padded, 0);
        return [.. header, .. padded];
    }

    /// <summary>The two zero blocks that end a tar.</summary>
    public static byte[] TarEnd => new byte[1024];

    /// <summary>
    /// Rewrites the uncompressed size a zip declares for <paramref name="entryName"/>, in its local header and its
    /// central directory record, as a zip bomb would.
    /// </summary>
    public static void FalsifyZipSize(string path, string entryName, int declared)
    {
        var bytes = File.ReadAllBytes(path);
        var name = Encoding.UTF8.GetBytes(entryName);
        for (var i = 0; i + 46 < bytes.Length; i++)
        {
            if (bytes.AsSpan(i, 4).SequenceEqual("PK\x03\x04"u8) && bytes.AsSpan(i + 30).StartsWith(name))
            {
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i + 22), declared);
            }
            else if (bytes.AsSpan(i, 4).SequenceEqual("PK\x01\x02"u8) && bytes.AsSpan(i + 46).StartsWith(name))
            {
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i + 24), declared);
            }
        }

        File.WriteAllBytes(path, bytes);
    }

    /// <summary>
    /// Replaces the name <paramref name="asciiName"/> with the raw bytes <paramref name="rawName"/> (same length) in a
    /// zip's local header and central directory, leaving the UTF-8 flag unset: a name made by a tool in a legacy code page.
    /// </summary>
    public static void SetRawZipName(string path, string asciiName, byte[] rawName)
    {
        var bytes = File.ReadAllBytes(path);
        var name = Encoding.ASCII.GetBytes(asciiName);
        for (var i = 0; i + 46 < bytes.Length; i++)
        {
            var at = bytes.AsSpan(i, 4).SequenceEqual("PK\x03\x04"u8) ? i + 30 : bytes.AsSpan(i, 4).SequenceEqual("PK\x01\x02"u8) ? i + 46 : -1;
            if (at >= 0 && bytes.AsSpan(at).StartsWith(name))
            {
                rawName.CopyTo(bytes, at);
            }
        }

        File.WriteAllBytes(path, bytes);
    }

    private static void Octal(Span<byte> field, long value)
    {
        var text = Convert.ToString(value, 8).PadLeft(field.Length - 1, '0');
        Encoding.ASCII.GetBytes(text).CopyTo(field);
        field[^1] = 0;
    }
}
