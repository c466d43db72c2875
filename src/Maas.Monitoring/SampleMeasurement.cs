using Maas.Analysis;
using Maas.Core.Pipelines;
using Maas.Imaging;

namespace Maas.Monitoring;

/// <summary>
/// Turns one classified image into a <see cref="MonitoringSample"/>: its properties measured from the bytes as
/// uploaded, its probabilities as served, and its embedding from the model's own <c>embedding</c> output or, for a
/// model without one, from <paramref name="featurizer"/>. The reference and the server both measure through here,
/// so what is compared was measured the same way.
/// </summary>
/// <param name="featurizer">Embeds images for models without an embedding output; null to leave those without embeddings.</param>
/// <param name="limits">Size bounds for the decode; <see cref="DecodeLimits.Default"/> when null.</param>
public sealed class SampleMeasurement(IImageEmbedder? featurizer = null, DecodeLimits? limits = null)
{
    /// <summary>Whether embeddings come from the featurizer rather than from the model.</summary>
    public bool UsesFeaturizer => featurizer is not null;

    /// <summary>Measures one image.</summary>
    /// <param name="encoded">The image file's bytes.</param>
    /// <param name="source">Names the image in error messages.</param>
    /// <param name="probabilities">The model's probabilities for it.</param>
    /// <param name="modelEmbedding">The model's embedding output for it, or null.</param>
    /// <param name="trueLabel">Its true class index when known.</param>
    /// <param name="cancellationToken">Stops the featurizer.</param>
    /// <exception cref="Maas.Core.Errors.UnsupportedImageException">The bytes are not a decodable image.</exception>
    public MonitoringSample Measure(ReadOnlySpan<byte> encoded, string source, float[] probabilities, float[]? modelEmbedding, int? trueLabel,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        var info = ImageDecoder.ReadInfo(encoded, source);
        var image = ImageDecoder.Decode(encoded, ColorMode.Rgb, limits, source);
        var properties = ImageProperties.From(ImageMeasurement.Measure(image, IssueThresholds.Default), info.Channels);
        var embedding = modelEmbedding;
        if (embedding is null && featurizer is not null)
        {
            embedding = featurizer.Embed([image], cancellationToken)[0];
        }

        return new MonitoringSample(properties, probabilities, embedding, trueLabel);
    }
}
