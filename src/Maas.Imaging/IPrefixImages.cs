namespace Maas.Imaging;

/// <summary>
/// Images after a pipeline's deterministic prefix, read by index: what training augments each epoch. The shard cache
/// implements it; the trainer sees only this, so it needs no storage.
/// </summary>
public interface IPrefixImages
{
    /// <summary>How many images.</summary>
    int Count { get; }

    /// <summary>The size of image <paramref name="index"/>.</summary>
    (int Width, int Height, int Channels) SizeOf(int index);

    /// <summary>Reads image <paramref name="index"/>'s HWC bytes into <paramref name="destination"/>, which must hold exactly them.</summary>
    void Read(int index, Span<byte> destination);
}
