using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Maas.Imaging.Png;

/// <summary>
/// A zlib (RFC 1950) / deflate (RFC 1951) decoder into an output of known size, for the image data of small PNGs.
/// <c>ZLibStream</c> costs about 3 µs per stream in setup alone (native state and window allocation), more than decoding
/// a whole 28x28 image; this decoder allocates nothing. It only ever answers "this is exactly the expected bytes" or "I
/// cannot tell": any irregularity, truncation included, returns false and the caller hands the file to the full codec,
/// which gives the authoritative verdict and error message.
/// </summary>
internal static class ZlibInflater
{
    /// <summary>Zero bytes the caller keeps after the data, so the bit reader can load 8 bytes at a time.</summary>
    public const int Padding = 8;

    private static ReadOnlySpan<ushort> LengthBase =>
        [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];

    private static ReadOnlySpan<byte> LengthExtra =>
        [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];

    private static ReadOnlySpan<ushort> DistanceBase =>
    [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
        6145, 8193, 12289, 16385, 24577,
    ];

    private static ReadOnlySpan<byte> DistanceExtra =>
        [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

    // RFC 1951 §3.2.7: the order in which code length code lengths are sent.
    private static ReadOnlySpan<byte> CodeLengthOrder => [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

    /// <summary>
    /// Decodes the zlib stream in <paramref name="input"/>[..<paramref name="length"/>] into exactly
    /// <paramref name="output"/>, checking the header and the Adler-32 trailer. <paramref name="input"/> must hold at
    /// least <see cref="Padding"/> bytes after <paramref name="length"/>. Bytes after the stream's end are ignored, as
    /// libpng ignores them.
    /// </summary>
    [SkipLocalsInit]
    public static bool TryInflate(ReadOnlySpan<byte> input, int length, Span<byte> output)
    {
        if (length < 6 || input.Length < length + Padding)
        {
            return false;
        }

        // CM 8 (deflate), window at most 32 KiB, header checksum, and no preset dictionary (PNG never uses one).
        int cmf = input[0], flg = input[1];
        if ((cmf & 0x0F) != 8 || (cmf >> 4) > 7 || ((cmf << 8) | flg) % 31 != 0 || (flg & 0x20) != 0)
        {
            return false;
        }

        var reader = new BitReader(2, length);
        var written = 0;
        Span<ushort> literalFast = stackalloc ushort[HuffmanCode.FastSize];
        Span<int> literalCanonical = stackalloc int[HuffmanCode.CanonicalSize];
        Span<short> literalSymbols = stackalloc short[288];
        Span<ushort> distanceFast = stackalloc ushort[HuffmanCode.FastSize];
        Span<int> distanceCanonical = stackalloc int[HuffmanCode.CanonicalSize];
        Span<short> distanceSymbols = stackalloc short[32];
        var literals = new HuffmanCode(literalFast, literalCanonical, literalSymbols);
        var distances = new HuffmanCode(distanceFast, distanceCanonical, distanceSymbols);
        bool last;
        do
        {
            reader.Refill(input);
            last = reader.Take(1) == 1;
            var type = (int)reader.Take(2);
            var ok = type switch
            {
                0 => Stored(input, ref reader, output, ref written),
                1 => FixedCodes(ref literals, ref distances) && Compressed(input, ref reader, ref literals, ref distances, output, ref written),
                2 => DynamicCodes(input, ref reader, ref literals, ref distances) && Compressed(input, ref reader, ref literals, ref distances, output, ref written),
                _ => false,
            };
            if (!ok || reader.Overrun)
            {
                return false;
            }
        }
        while (!last);

        if (written != output.Length)
        {
            return false;
        }

        var position = reader.AlignedPosition();
        return position + 4 <= length && BinaryPrimitives.ReadUInt32BigEndian(input[position..]) == Adler32.HashToUInt32(output);
    }

    private static bool Stored(ReadOnlySpan<byte> input, ref BitReader reader, Span<byte> output, ref int written)
    {
        var position = reader.AlignedPosition();
        if (position + 4 > reader.Length)
        {
            return false;
        }

        int size = BinaryPrimitives.ReadUInt16LittleEndian(input[position..]);
        if ((size ^ BinaryPrimitives.ReadUInt16LittleEndian(input[(position + 2)..])) != 0xFFFF)
        {
            return false;
        }

        position += 4;
        if (position + size > reader.Length || written + size > output.Length)
        {
            return false;
        }

        input.Slice(position, size).CopyTo(output[written..]);
        written += size;
        reader = new BitReader(position + size, reader.Length);
        return true;
    }

    [SkipLocalsInit]
    private static bool FixedCodes(ref HuffmanCode literals, ref HuffmanCode distances)
    {
        // RFC 1951 §3.2.6. Building them costs less than caching them across threads would.
        Span<byte> lengths = stackalloc byte[288];
        lengths[..144].Fill(8);
        lengths[144..256].Fill(9);
        lengths[256..280].Fill(7);
        lengths[280..].Fill(8);
        Span<byte> distanceLengths = stackalloc byte[30];
        distanceLengths.Fill(5);
        return literals.Build(lengths) && distances.Build(distanceLengths);
    }

    [SkipLocalsInit]
    private static bool DynamicCodes(ReadOnlySpan<byte> input, ref BitReader reader, ref HuffmanCode literals, ref HuffmanCode distances)
    {
        reader.Refill(input);
        var literalCount = (int)reader.Take(5) + 257;
        var distanceCount = (int)reader.Take(5) + 1;
        var codeLengthCount = (int)reader.Take(4) + 4;
        if (literalCount > 286 || distanceCount > 30)
        {
            return false;
        }

        Span<byte> codeLengthLengths = stackalloc byte[19];
        codeLengthLengths.Clear();
        for (var i = 0; i < codeLengthCount; i++)
        {
            reader.Refill(input);
            codeLengthLengths[CodeLengthOrder[i]] = (byte)reader.Take(3);
        }

        Span<ushort> fast = stackalloc ushort[HuffmanCode.FastSize];
        Span<int> canonical = stackalloc int[HuffmanCode.CanonicalSize];
        Span<short> symbols = stackalloc short[19];
        var codeLengths = new HuffmanCode(fast, canonical, symbols);
        if (!codeLengths.Build(codeLengthLengths))
        {
            return false;
        }

        // The code lengths are not stored: each used symbol goes straight into the group of its length, in increasing
        // order, which is the canonical order the codes are built from. That replaces two passes over all 286 + 30
        // lengths per block (tally, then sort) with an append per used symbol, which matters when a small image's whole
        // block is only a few hundred symbols. Literal/length symbols and distance symbols share the groups (a repeat can
        // run across the boundary); a distance symbol is its index past the literal count.
        const int GroupStride = 286 + 30;
        Span<short> groups = stackalloc short[(HuffmanCode.MaxBits + 1) * GroupStride];
        Span<int> ends = stackalloc int[HuffmanCode.MaxBits + 1];
        ends.Clear();
        ref var group = ref MemoryMarshal.GetReference(groups);
        ref var table = ref MemoryMarshal.GetReference(codeLengths.Table);
        nint mask = codeLengths.Mask;
        var bits = reader.Bits;
        var count = reader.Count;
        var position = reader.Position;
        var total = literalCount + distanceCount;
        var index = 0;
        var previous = -1;
        while (index < total)
        {
            if (count < 56 && position + 8 <= input.Length)
            {
                bits |= BinaryPrimitives.ReadUInt64LittleEndian(input[position..]) << count;
                position += (63 - count) >> 3;
                count |= 56;
            }

            // Code length codes are at most 7 bits, within the table; an empty slot is a pattern no code has.
            var entry = Unsafe.Add(ref table, (nint)bits & mask);
            if (entry == 0)
            {
                return false;
            }

            int symbol = entry >> 4, codeLength = entry & 15;
            bits >>= codeLength;
            count -= codeLength;
            int value, repeat;
            if (symbol < 16)
            {
                (value, repeat) = (symbol, 1);
            }
            else if (symbol == 16)
            {
                if (previous < 0)
                {
                    return false;
                }

                (value, repeat) = (previous, 3 + (int)(bits & 3));
                bits >>= 2;
                count -= 2;
            }
            else if (symbol == 17)
            {
                (value, repeat) = (0, 3 + (int)(bits & 7));
                bits >>= 3;
                count -= 3;
            }
            else
            {
                (value, repeat) = (0, 11 + (int)(bits & 127));
                bits >>= 7;
                count -= 7;
            }

            if (repeat > total - index)
            {
                return false;
            }

            if (value != 0)
            {
                // value < 16 and ends[value] + repeat <= total <= GroupStride: the unchecked stores stay in the group.
                ref var end = ref ends[value];
                ref var slot = ref Unsafe.Add(ref group, (value * GroupStride) + end);
                for (var i = 0; i < repeat; i++)
                {
                    Unsafe.Add(ref slot, i) = (short)(index + i);
                }

                end += repeat;
            }

            // The end-of-block symbol needs a code, or the block could never end.
            if (index <= 256 && index + repeat > 256 && value == 0)
            {
                return false;
            }

            previous = value;
            index += repeat;
        }

        reader = new BitReader(bits, count, position, reader.Length);
        if (reader.Overrun)
        {
            return false;
        }

        // Each group holds literal/length symbols first, then distance symbols; the split is where the indices pass the
        // literal count, found from the end since there are at most 30 distance symbols in all.
        Span<int> starts = stackalloc int[HuffmanCode.MaxBits + 1];
        Span<int> splits = stackalloc int[HuffmanCode.MaxBits + 1];
        starts.Clear();
        for (var length = 1; length <= HuffmanCode.MaxBits; length++)
        {
            var split = ends[length];
            while (split > 0 && groups[(length * GroupStride) + split - 1] >= literalCount)
            {
                split--;
            }

            splits[length] = split;
        }

        return literals.BuildFromGroups(groups, GroupStride, starts, splits, 0)
            && distances.BuildFromGroups(groups, GroupStride, splits, ends, literalCount);
    }


    private static bool Compressed(
        ReadOnlySpan<byte> input, ref BitReader reader, ref HuffmanCode literals, ref HuffmanCode distances, Span<byte> output, ref int written)
    {
        // The hot loop of small images: the bit buffer lives in locals, and the loop needs no overrun check, since every
        // turn writes output or ends the block, and TryInflate checks for an overrun once the block is done.
        var bits = reader.Bits;
        var count = reader.Count;
        var position = reader.Position;
        var at = written;
        var done = false;

        // The tables by reference in locals: read through the code structs, the loop would reload each span from memory
        // after every output store. The masks are below the tables' sizes, so the unchecked lookups stay in bounds.
        ref var literalTable = ref MemoryMarshal.GetReference(literals.Table);
        ref var distanceTable = ref MemoryMarshal.GetReference(distances.Table);
        nint literalMask = literals.Mask, distanceMask = distances.Mask;
        while (true)
        {
            if (count < 56 && position + 8 <= input.Length)
            {
                bits |= BinaryPrimitives.ReadUInt64LittleEndian(input[position..]) << count;
                position += (63 - count) >> 3;
                count |= 56;
            }

            int entry = Unsafe.Add(ref literalTable, (nint)bits & literalMask);
            if (entry == 0 && (entry = literals.LongEntry(bits)) == 0)
            {
                break;
            }

            int symbol = entry >> 4, codeLength = entry & 15;
            bits >>= codeLength;
            count -= codeLength;
            if ((uint)symbol < 256)
            {
                if ((uint)at >= (uint)output.Length)
                {
                    break;
                }

                output[at++] = (byte)symbol;
                continue;
            }

            if (symbol == 256)
            {
                done = true;
                break;
            }

            symbol -= 257;
            if ((uint)symbol >= (uint)LengthBase.Length)
            {
                break;
            }

            // A refill holds at least 56 bits: 15 for the length code already taken leaves 41, enough for the length's
            // 5 extra bits, the distance code's 15 and its 13 extra bits.
            int extra = LengthExtra[symbol];
            var length = LengthBase[symbol] + (int)(bits & ((1UL << extra) - 1));
            bits >>= extra;
            count -= extra;
            entry = Unsafe.Add(ref distanceTable, (nint)bits & distanceMask);
            if (entry == 0 && (entry = distances.LongEntry(bits)) == 0)
            {
                break;
            }

            int distanceSymbol = entry >> 4;
            codeLength = entry & 15;
            if ((uint)distanceSymbol >= (uint)DistanceBase.Length)
            {
                break;
            }

            bits >>= codeLength;
            count -= codeLength;
            extra = DistanceExtra[distanceSymbol];
            var distance = DistanceBase[distanceSymbol] + (int)(bits & ((1UL << extra) - 1));
            bits >>= extra;
            count -= extra;
            if (distance > at || length > output.Length - at)
            {
                break;
            }

            var from = at - distance;
            if (distance >= length)
            {
                output.Slice(from, length).CopyTo(output[at..]);
            }
            else
            {
                // Overlapping copies repeat the last `distance` bytes; byte by byte is what the format means.
                for (var i = 0; i < length; i++)
                {
                    output[at + i] = output[from + i];
                }
            }

            at += length;
        }

        reader = new BitReader(bits, count, position, reader.Length);
        written = at;
        return done;
    }

    /// <summary>
    /// Deflate's LSB-first bit stream. Loads 8 bytes at a time, reading into the caller's zero padding at the end; a
    /// decode that consumed bits past the real data is caught by <see cref="Overrun"/>, whose count can go negative.
    /// </summary>
    private struct BitReader
    {
        private ulong _bits;
        private int _count;
        private int _position;

        public BitReader(int position, int length)
            : this(0, 0, position, length)
        {
        }

        public BitReader(ulong bits, int count, int position, int length)
        {
            Length = length;
            _position = position;
            _bits = bits;
            _count = count;
        }

        public readonly ulong Bits => _bits;

        public readonly int Count => _count;

        public readonly int Position => _position;

        public int Length { get; }

        /// <summary>More bits were consumed than the data holds.</summary>
        public readonly bool Overrun => ((long)_position * 8) - _count > (long)Length * 8;

        public void Refill(ReadOnlySpan<byte> input)
        {
            if (_count >= 56)
            {
                return;
            }

            if (_position + 8 > input.Length)
            {
                // Every real byte is loaded already (the padding guarantees it); what follows reads as zeros, and
                // Overrun tells when a decode went past the data.
                return;
            }

            _bits |= BinaryPrimitives.ReadUInt64LittleEndian(input[_position..]) << _count;
            _position += (63 - _count) >> 3;
            _count |= 56;
        }

        public uint Take(int count)
        {
            var value = (uint)(_bits & ((1UL << count) - 1));
            Skip(count);
            return value;
        }

        public void Skip(int count)
        {
            _bits >>= count;
            _count -= count;
        }

        /// <summary>Drops the bits up to the next byte boundary and returns the position of that byte.</summary>
        public int AlignedPosition() => _position - (_count >> 3);
    }
}
