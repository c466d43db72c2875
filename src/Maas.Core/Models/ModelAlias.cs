namespace Maas.Core.Models;

/// <summary>A movable name (<c>production</c>, <c>staging</c>) that points at one version of a model.</summary>
/// <param name="Model">The model name.</param>
/// <param name="Alias">The alias.</param>
/// <param name="Version">The version it points at.</param>
/// <param name="UpdatedAt">When it was last moved.</param>
public sealed record ModelAlias(string Model, string Alias, int Version, DateTimeOffset UpdatedAt);
