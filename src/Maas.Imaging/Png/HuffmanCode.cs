using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Maas.Imaging.Png;

/// <summary>
/// A canonical Huffman code of deflate (RFC 1951 §3.2.2) over caller-provided buffers, so building one per block
/// allocates nothing. Codes up to <see cref="FastBits"/> long decode with one table lookup; longer ones compare the
/// next bits against the first code of each longer length. For a small image, building the tables of a block costs
/// about as much as decoding it; filled by doubling, the table's size costs little, and on Fashion-MNIST tables of 10, 11
/// or 12 bits decoded no faster than this one.
/// </summary>
internal ref struct HuffmanCode
{
    /// <summary>The most bits resolved by one lookup.</summary>
    public const int FastBits = 9;

    /// <summary>Entries the caller provides for the lookup table.</summary>
    public const int FastSize = 1 << FastBits;

    /// <summary>The longest code deflate allows.</summary>
    public const int MaxBits = 15;

    /// <summary>Integers the caller provides for the per-length bookkeeping.</summary>
    public const int CanonicalSize = 3 * (MaxBits + 1);

    private readonly Span<ushort> _fast;
    private readonly Span<short> _symbols;

    // Per code length: how many codes, the first code (MSB-first), and where its symbols start in _symbols.
    private readonly Span<int> _counts;
    private readonly Span<int> _firstCodes;
    private readonly Span<int> _firstIndices;
    private int _mask;
    private int _tableBits;

    /// <summary>Wraps the buffers: <paramref name="fast"/> of <see cref="FastSize"/>, <paramref name="canonical"/> of
    /// <see cref="CanonicalSize"/>, <paramref name="symbols"/> at least as long as the alphabet.</summary>
    public HuffmanCode(Span<ushort> fast, Span<int> canonical, Span<short> symbols)
    {
        _fast = fast;
        _symbols = symbols;
        _counts = canonical[..(MaxBits + 1)];
        _firstCodes = canonical.Slice(MaxBits + 1, MaxBits + 1);
        _firstIndices = canonical.Slice(2 * (MaxBits + 1), MaxBits + 1);
        _mask = 0;
        _tableBits = 0;
    }

    /// <summary>
    /// Builds the code from the code length of each symbol (0 = unused). Returns false when the lengths over-subscribe
    /// the code space, which no valid stream does. Incomplete codes are accepted, as zlib accepts them for the
    /// one-distance-code case; a bit pattern without a symbol then decodes to -1.
    /// </summary>
    [SkipLocalsInit]
    public bool Build(scoped ReadOnlySpan<byte> lengths)
    {
        // Four tallies side by side: runs of equal lengths (common) would otherwise make every increment wait for the
        // previous one's store. Lengths are below 16 by construction; the mask keeps the unchecked index in bounds anyway.
        Span<int> tallies = stackalloc int[4 * (MaxBits + 1)];
        tallies.Clear();
        ref var tally = ref MemoryMarshal.GetReference(tallies);
        ref var firstLength = ref MemoryMarshal.GetReference(lengths);
        var symbol = 0;
        for (; symbol + 4 <= lengths.Length; symbol += 4)
        {
            Unsafe.Add(ref tally, Unsafe.Add(ref firstLength, symbol) & MaxBits)++;
            Unsafe.Add(ref tally, 16 + (Unsafe.Add(ref firstLength, symbol + 1) & MaxBits))++;
            Unsafe.Add(ref tally, 32 + (Unsafe.Add(ref firstLength, symbol + 2) & MaxBits))++;
            Unsafe.Add(ref tally, 48 + (Unsafe.Add(ref firstLength, symbol + 3) & MaxBits))++;
        }

        for (; symbol < lengths.Length; symbol++)
        {
            Unsafe.Add(ref tally, Unsafe.Add(ref firstLength, symbol) & MaxBits)++;
        }

        for (var bits = 0; bits <= MaxBits; bits++)
        {
            _counts[bits] = tallies[bits] + tallies[16 + bits] + tallies[32 + bits] + tallies[48 + bits];
        }

        // Sort the used symbols by code length, then by value: the canonical order in which codes are handed out.
        Span<int> offsets = stackalloc int[MaxBits + 1];
        offsets[1] = 0;
        for (var bits = 1; bits < MaxBits; bits++)
        {
            offsets[bits + 1] = offsets[bits] + _counts[bits];
        }

        for (symbol = 0; symbol < lengths.Length; symbol++)
        {
            var length = lengths[symbol];
            if (length != 0)
            {
                _symbols[offsets[length]++] = (short)symbol;
            }
        }

        return Assign();
    }

    /// <summary>
    /// Builds the code from symbols already grouped by code length, as a decoder of code lengths can collect them:
    /// group L (1 to 15) is <paramref name="groups"/>[L * <paramref name="stride"/> ..], and its entries from
    /// <paramref name="starts"/>[L] to <paramref name="ends"/>[L] are this code's symbols of length L in increasing
    /// order, each plus <paramref name="symbolBase"/>. Returns false as <see cref="Build"/> does.
    /// </summary>
    public bool BuildFromGroups(
        scoped ReadOnlySpan<short> groups, int stride, scoped ReadOnlySpan<int> starts, scoped ReadOnlySpan<int> ends, int symbolBase)
    {
        _counts[0] = 0;
        var index = 0;
        for (var bits = 1; bits <= MaxBits; bits++)
        {
            var group = groups.Slice((bits * stride) + starts[bits], ends[bits] - starts[bits]);
            _counts[bits] = group.Length;
            if (symbolBase == 0)
            {
                group.CopyTo(_symbols[index..]);
            }
            else
            {
                for (var i = 0; i < group.Length; i++)
                {
                    _symbols[index + i] = (short)(group[i] - symbolBase);
                }
            }

            index += group.Length;
        }

        return Assign();
    }

    // From the per-length counts and the symbols in canonical order: the code's bookkeeping and its lookup table.
    private bool Assign()
    {
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

        _counts[0] = 0;
        var code = 0;
        var index = 0;
        for (var bits = 1; bits <= MaxBits; bits++)
        {
            code = (code + _counts[bits - 1]) << 1;
            _firstCodes[bits] = code;
            _firstIndices[bits] = index;
            index += _counts[bits];
        }

        _tableBits = Math.Min(longest, FastBits);
        var tableSize = 1 << _tableBits;
        _mask = tableSize - 1;

        // The table is indexed by the code reversed (the stream sends codes most significant bit first into an
        // LSB-first bit buffer), so a code of length L owns every slot whose low L bits are its reversed code. Filled
        // length by length over a table that doubles each step: at length L the table is 2^L slots, each code of that
        // length writes its one slot, and copying the table onto its upper half replicates every shorter code into the
        // next length's slots. That is one vectorized copy per length instead of a strided store per slot; slots no code
        // reaches keep the zeros the first two slots start with, and mean "longer than the table" to Decode.
        _fast[0] = 0;
        _fast[1] = 0;
        var size = 2;
        for (var length = 1; length <= _tableBits; length++)
        {
            int count = _counts[length], first = _firstCodes[length], start = _firstIndices[length];
            for (var i = 0; i < count; i++)
            {
                var reversed = Reverse16(first + i) >> (16 - length);
                _fast[reversed] = (ushort)((_symbols[start + i] << 4) | length);
            }

            if (length < _tableBits)
            {
                _fast[..size].CopyTo(_fast[size..]);
                size <<= 1;
            }
        }

        return true;
    }

    /// <summary>
    /// The lookup table: indexed by the next <see cref="Mask"/> bits of the stream (LSB first), each entry holds the
    /// symbol in its high 12 bits and the code length in its low 4; 0 for codes longer than the table resolves, which
    /// <see cref="LongEntry"/> decodes. Decoding loops read it directly so it stays in a register.
    /// </summary>
    public readonly ReadOnlySpan<ushort> Table => _fast;

    /// <summary>The mask of the bits that index <see cref="Table"/>; below <see cref="FastSize"/>.</summary>
    public readonly int Mask => _mask;

    /// <summary>
    /// The entry, as in <see cref="Table"/>, of a code longer than the table resolves, from the next
    /// <see cref="MaxBits"/> bits of <paramref name="bits"/>; 0 when no code matches. Kept out of line: it is rare, and
    /// inlined it would crowd the decoding loops' registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public readonly int LongEntry(ulong bits)
    {
        // The next 15 bits as a number read most significant bit first, the order codes are compared in.
        var next = Reverse16((int)(bits & 0x7FFF)) >> 1;
        for (var length = _tableBits + 1; length <= MaxBits; length++)
        {
            var offset = (next >> (MaxBits - length)) - _firstCodes[length];
            if ((uint)offset < (uint)_counts[length])
            {
                return (_symbols[_firstIndices[length] + offset] << 4) | length;
            }
        }

        return 0;
    }

    private static int Reverse16(int value) => (ReversedBytes[value & 0xFF] << 8) | ReversedBytes[(value >> 8) & 0xFF];

    private static ReadOnlySpan<byte> ReversedBytes => s_reversedBytes;

    private static readonly byte[] s_reversedBytes = ReverseEveryByte();

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
