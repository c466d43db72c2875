namespace Maas.Imaging;

/// <summary>
/// Turns decoded images into fixed-length vectors (a network's pooled features). Analysis and monitoring measure
/// with it; the inference engine implements it, so neither needs to know how a network is run.
/// </summary>
public interface IImageEmbedder : IDisposable
{
    /// <summary>The length of every embedding.</summary>
    int Dimensions { get; }

    /// <summary>One embedding of <see cref="Dimensions"/> floats per image, in order; safe to call from several threads.</summary>
    float[][] Embed(IReadOnlyList<DecodedImage> images, CancellationToken cancellationToken);
}
