namespace Maas.Imaging;

/// <summary>What an image's header says, read without decoding pixels.</summary>
/// <param name="Format">The sniffed format.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Channels">1 for grayscale sources, 4 with alpha, 3 otherwise.</param>
public sealed record ImageInfo(ImageFormat Format, int Width, int Height, int Channels);
