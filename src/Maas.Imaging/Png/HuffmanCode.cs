namespace Maas.Imaging.Png;

/// <summary>
/// A canonical Huffman code of deflate (RFC 1951 §3.2.2) over caller-provided buffers, so building one per block
/// allocates nothing. Codes up to <see cref="FastBits"/> long decode with one table lookup; longer ones, rare in
/// practice, walk the code lengths one bit at a time. The lookup table is only as wide as the longest code needs:
/// building it is most of the cost of a small image's block, and a code-length or distance code rarely needs 10 bits.
/// </summary>
internal ref struct HuffmanCode
{
    /// <summary>The most bits resolved by one lookup (a table of 2 KiB).</summary>
    public const int FastBits = 10;

    /// <summary>Entries the caller provides for the lookup table.</summary>
    public const int FastSize = 1 << FastBits;

    /// <summary>The longest code deflate allows.</summary>
    public const int MaxBits = 15;

    private readonly Span<ushort> _fast;
    private readonly Span<short> _counts;
    private readonly Span<short> _symbols;
    private int _mask;

    /// <summary>Wraps the buffers: <paramref name="fast"/> of <see cref="FastSize"/>, <paramref name="counts"/> of
    /// <see cref="MaxBits"/> + 1, <paramref name="symbols"/> at least as long as the alphabet.</summary>
    public HuffmanCode(Span<ushort> fast, Span<short> counts, Span<short> symbols)
    {
        _fast = fast;
        _counts = counts;
        _symbols = symbols;
        _mask = 0;
    }

    /// <summary>
    /// Decodes the symbol at the start of <paramref name="bits"/> (LSB first, at least <see cref="MaxBits"/> valid) and
    /// sets <paramref name="length"/> to its code length; -1 when no code matches.
    /// </summary>
    public readonly int Decode(ulong bits, out int length)
    {
        // Entries hold the symbol in the high 12 bits and the code length in the low 4; 0 for longer or unused codes.
        var entry = _fast[(int)bits & _mask];
        if (entry != 0)
        {
            length = entry & 15;
            return entry >> 4;
        }

        return DecodeSlow(bits, out length);
    }

    /// <summary>
    /// Builds the code from the code length of each symbol (0 = unused). Returns false when the lengths over-subscribe
    /// the code space, which no valid stream does. Incomplete codes are accepted, as zlib accepts them for the
    /// one-distance-code case; a bit pattern without a symbol then fails in <see cref="DecodeSlow"/>.
    /// </summary>
    public bool Build(scoped ReadOnlySpan<byte> lengths)
    {
        _counts.Clear();
        foreach (var length in lengths)
        {
            _counts[length]++;
        }

        var left = 1;
        var longest = 1;
        for (var bits = 1; bits <= MaxBits; bits++)
        {
            left = (left << 1) - _counts[bits];
            if (left < 0)
            {
                return false;
            }

            longest = _counts[bits] > 0 ? bits : longest;
        }

        // Sort the symbols by code length, then by value: the canonical order in which codes are handed out. Unused
        // symbols (length 0) sort into a block of their own before the rest, so the loop needs no branch.
        Span<short> offsets = stackalloc short[MaxBits + 2];
        offsets[0] = 0;
        for (var bits = 0; bits <= MaxBits; bits++)
        {
            offsets[bits + 1] = (short)(offsets[bits] + _counts[bits]);
        }

        Span<short> order = stackalloc short[lengths.Length];
        for (var symbol = 0; symbol < lengths.Length; symbol++)
        {
            order[offsets[lengths[symbol]]++] = (short)symbol;
        }

        order[_counts[0]..].CopyTo(_symbols);
        _counts[0] = 0;

        var tableBits = Math.Min(longest, FastBits);
        var tableSize = 1 << tableBits;
        _mask = tableSize - 1;
        _fast[..tableSize].Clear();

        // Codes of one length are consecutive numbers, each filling tableSize >> length entries of the table: grouping
        // by length keeps the loops' branches predictable, which is most of the cost of a small image's tables.
        var code = 0;
        var index = 0;
        for (var length = 1; length <= tableBits; length++)
        {
            int count = _counts[length];
            var step = 1 << length;
            for (var i = 0; i < count; i++, code++)
            {
                var reversed = (ReversedBytes[code & 0xFF] << 8 | ReversedBytes[code >> 8]) >> (16 - length);
                var entry = (ushort)((_symbols[index + i] << 4) | length);
                for (var slot = reversed; slot < tableSize; slot += step)
                {
                    _fast[slot] = entry;
                }
            }

            index += count;
            code <<= 1;
        }

        return true;
    }

    private readonly int DecodeSlow(ulong bits, out int length)
    {
        int code = 0, first = 0, index = 0;
        for (length = 1; length <= MaxBits; length++)
        {
            code |= (int)(bits & 1);
            bits >>= 1;
            int count = _counts[length];
            if (code - first < count)
            {
                return _symbols[index + code - first];
            }

            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }

        return -1;
    }

    private static readonly byte[] s_reversedBytes = ReverseEveryByte();

    private static ReadOnlySpan<byte> ReversedBytes => s_reversedBytes;

    private static byte[] ReverseEveryByte()
    {
        var table = new byte[256];
        for (var value = 0; value < 256; value++)
        {
            var reversed = 0;
            for (var bit = 0; bit < 8; bit++)
            {
                reversed |= ((value >> bit) & 1) << (7 - bit);
            }

            table[value] = (byte)reversed;
        }

        return table;
    }
}
