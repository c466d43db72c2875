namespace Maas.Workflows.Models;

/// <summary>An alias to point at a version of a model.</summary>
/// <param name="Model">The model name.</param>
/// <param name="Alias">The alias to move, e.g. <c>production</c>.</param>
/// <param name="Version">The version it should point at.</param>
/// <param name="Reason">Why it moves; kept in the alias history.</param>
/// <param name="MovedBy">Who moves it, kept in the history: an API key's id, or <see cref="Maas.Core.Models.AliasMove.Cli"/>.</param>
public sealed record MoveAliasRequest(string Model, string Alias, int Version, string Reason, string MovedBy);
