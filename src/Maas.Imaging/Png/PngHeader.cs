namespace Maas.Imaging.Png;

/// <summary>The IHDR fields a plain 8-bit PNG needs: size and samples per pixel as stored.</summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Channels">Samples per pixel: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA.</param>
internal readonly record struct PngHeader(int Width, int Height, int Channels)
{
    /// <summary>The header as the full codec reports it: gray+alpha counts as a colour image with alpha.</summary>
    public ImageInfo Info => new(ImageFormat.Png, Width, Height, Channels == 2 ? 4 : Channels);
}
