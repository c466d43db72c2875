namespace Maas.Imaging;

/// <summary>Decoded 8-bit pixels, interleaved (HWC).</summary>
/// <param name="Pixels">Height x Width x Channels bytes.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Channels">1 (gray) or 3 (RGB).</param>
public sealed record DecodedImage(byte[] Pixels, int Width, int Height, int Channels);
