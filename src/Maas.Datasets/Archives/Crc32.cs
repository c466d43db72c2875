namespace Maas.Datasets.Archives;

/// <summary>
/// CRC-32 (IEEE 802.3, the zip checksum). .NET's zip reader stops an entry at its declared size but checks no
/// checksum, so a lying header (a zip bomb declaring a small size) would otherwise hand over silently cut data.
/// A table-driven loop runs at about 370 MB/s here (8 ms for a 3 MB photograph), which needs no package.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] s_table = BuildTable();

    /// <summary>The CRC-32 of <paramref name="bytes"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc = s_table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
