namespace Maas.Inference;

/// <summary>One encoded image (PNG, JPEG, ...) to classify, as it arrived.</summary>
/// <param name="Bytes">The encoded image.</param>
/// <param name="Source">Where it came from (<c>request body</c>, <c>images[2]</c>, a file name), named in error messages.</param>
public sealed record EncodedImage(byte[] Bytes, string Source);
