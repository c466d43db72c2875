namespace Maas.Imaging;

/// <summary>Bounds that keep a hostile or broken file from exhausting memory.</summary>
/// <param name="MaxBytes">Largest encoded size accepted. The default is 64 MiB.</param>
/// <param name="MaxPixels">Largest width times height accepted, checked from the header before any pixel buffer is allocated. The default is 40 megapixels.</param>
public sealed record DecodeLimits(long MaxBytes = 64L << 20, long MaxPixels = 40_000_000)
{
    /// <summary>The defaults.</summary>
    public static DecodeLimits Default { get; } = new();
}
