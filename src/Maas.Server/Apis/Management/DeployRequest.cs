using Maas.Server.Deployments;

namespace Maas.Server.Apis.Management;

/// <summary>The body of <c>POST /v1/deployments</c>; every field but <paramref name="Model"/> is optional.</summary>
/// <param name="Model"><c>NAME</c> (its production alias, else the latest version), <c>NAME@ALIAS</c> (followed as it moves) or <c>NAME@VERSION</c> (pinned).</param>
/// <param name="Version">Pins a version number; the same as <c>NAME@VERSION</c>.</param>
/// <param name="Canary">A second version and the percentage of requests it answers.</param>
/// <param name="MaxBatchSize">Overrides the server's maximum batch size for this deployment.</param>
/// <param name="MaxQueueDelayMs">Overrides the server's maximum queue delay.</param>
/// <param name="QueueCapacity">Overrides the server's queue capacity.</param>
/// <param name="RequestTimeoutMs">Overrides the server's request timeout.</param>
/// <param name="Instances">Overrides the server's number of ONNX Runtime sessions.</param>
public sealed record DeployRequest(string Model, int? Version = null, CanarySplit? Canary = null, int? MaxBatchSize = null, int? MaxQueueDelayMs = null,
    int? QueueCapacity = null, int? RequestTimeoutMs = null, int? Instances = null);
