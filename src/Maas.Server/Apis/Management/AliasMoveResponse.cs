using Maas.Core.Models;

namespace Maas.Server.Apis.Management;

/// <summary>The answer to an alias move: the alias as now set, and what this server serves for the model since.</summary>
/// <param name="Alias">The alias after the move.</param>
/// <param name="MovedBy">The API key id recorded as the mover.</param>
/// <param name="Deployment">The model's deployment on this server after the swap, or null when it is not deployed here.</param>
public sealed record AliasMoveResponse(ModelAlias Alias, string MovedBy, Deployment? Deployment);
