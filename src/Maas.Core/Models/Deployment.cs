namespace Maas.Core.Models;

/// <summary>What a server has loaded for one model, as it reports it.</summary>
/// <param name="Model">The model name.</param>
/// <param name="Selector">What was asked for: <c>fashion-cnn</c> (its production alias, else the latest version), <c>fashion-cnn@staging</c> or <c>fashion-cnn@3</c>.</param>
/// <param name="Alias">The alias the deployment follows, or null when it is pinned to a version number.</param>
/// <param name="Version">The version loaded, or null while none has loaded.</param>
/// <param name="Ready">Whether it answers requests: loaded and warmed up.</param>
/// <param name="Error">Why it could not be loaded, when it could not.</param>
/// <param name="Instances">ONNX Runtime sessions serving it, each with its own batching worker.</param>
/// <param name="MaxBatchSize">The most images batched into one run.</param>
/// <param name="CanaryVersion">The second version that gets a share of the traffic, or null without a canary.</param>
/// <param name="CanaryPercent">The percentage of requests sent to <paramref name="CanaryVersion"/>.</param>
public sealed record Deployment(string Model, string Selector, string? Alias, int? Version, bool Ready, string? Error,
    int Instances = 1, int MaxBatchSize = 0, int? CanaryVersion = null, int? CanaryPercent = null);
