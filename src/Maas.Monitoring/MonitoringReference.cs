namespace Maas.Monitoring;

/// <summary>
/// What a model version's served traffic is compared against: held-out data the model was not trained on, measured
/// exactly as served images are.
/// </summary>
/// <param name="Samples">The held-out reference samples.</param>
/// <param name="Temperature">The calibration temperature fitted for the model version, or null when uncalibrated.</param>
public sealed record MonitoringReference(IReadOnlyList<MonitoringSample> Samples, double? Temperature = null)
{
    /// <summary>The embedding comes from the model's own <c>embedding</c> output (its penultimate layer).</summary>
    public const string ModelEmbedding = "model";

    /// <summary>The embedding comes from the pretrained ImageNet ResNet-18 featurizer, for models without an embedding output.</summary>
    public const string FeaturizerEmbedding = "resnet18-imagenet";

    /// <summary>Where the samples' embeddings come from (<see cref="ModelEmbedding"/> or <see cref="FeaturizerEmbedding"/>), or null when they have none.</summary>
    public string? EmbeddingSource { get; init; }

    /// <summary>The data the reference was measured on, as <c>NAME@V:SPLIT</c>, or null when unknown.</summary>
    public string? Data { get; init; }
}
