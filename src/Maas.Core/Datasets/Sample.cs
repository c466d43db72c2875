namespace Maas.Core.Datasets;

/// <summary>One image of a dataset version: where its bytes live, what it shows, and which split it is in.</summary>
/// <param name="SampleId">Stable within the dataset version (for IDX sources, <c>train/00042</c>).</param>
/// <param name="BlobHash">SHA-256 of the stored image bytes, their address in the blob store.</param>
/// <param name="Label">Index into the version's class list.</param>
/// <param name="Split">The split the sample belongs to.</param>
/// <param name="OriginalPath">Where the image came from, relative to the import source.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Channels">1 for grayscale, 3 for colour, 4 with alpha.</param>
/// <param name="Format">The encoded format of the stored bytes (<c>png</c>, <c>jpeg</c>, ...).</param>
public sealed record Sample(
    string SampleId,
    string BlobHash,
    int Label,
    Split Split,
    string OriginalPath,
    int Width,
    int Height,
    int Channels,
    string Format);
