using System.Buffers;

namespace Maas.Imaging;

/// <summary>
/// 8-bit interleaved (HWC) pixels in a buffer rented from <see cref="ArrayPool{T}.Shared"/>, the form every pixel op
/// reads and writes. Whoever holds the raster returns it once; ops hand back a new raster and leave the old one to the
/// caller, so a skipped op can hand back its input unchanged.
/// </summary>
internal readonly struct Raster
{
    private Raster(byte[] buffer, int width, int height, int channels)
    {
        Buffer = buffer;
        Width = width;
        Height = height;
        Channels = channels;
    }

    public byte[] Buffer { get; }

    public int Width { get; }

    public int Height { get; }

    public int Channels { get; }

    public int Length => Width * Height * Channels;

    public int Stride => Width * Channels;

    public Span<byte> Pixels => Buffer.AsSpan(0, Length);

    public static Raster Rent(int width, int height, int channels) =>
        new(ArrayPool<byte>.Shared.Rent(checked(width * height * channels)), width, height, channels);

    public static Raster CopyOf(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        var raster = Rent(width, height, channels);
        pixels[..raster.Length].CopyTo(raster.Pixels);
        return raster;
    }

    public void Return() => ArrayPool<byte>.Shared.Return(Buffer);

    public bool Same(in Raster other) => ReferenceEquals(Buffer, other.Buffer);

    /// <summary>Rounds half up and clamps to 0..255, the quantization every op applies to its result.</summary>
    public static byte Quantize(float value) => (byte)Math.Clamp((int)(value + 0.5f), 0, 255);
}
