namespace Maas.Server;

/// <summary>The body of <c>POST /v1/deployments</c>.</summary>
/// <param name="Model"><c>NAME</c> (its production alias, else the latest version), <c>NAME@ALIAS</c> (followed as it moves) or <c>NAME@VERSION</c> (pinned).</param>
public sealed record DeployRequest(string Model);
