using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Models;
using Maas.Storage;

namespace Maas.Workflows.Models;

/// <summary>
/// Points a model's alias at a version, recording who moved it and why: what <c>maas models alias</c> and the
/// server's alias route both do. Whatever serves the alias (a server's deployment) follows it separately.
/// </summary>
/// <param name="registry">The model registry.</param>
public sealed class MoveAlias(IModelRegistry registry)
{
    /// <summary>Validates the request, then moves the alias and records the move in one transaction.</summary>
    /// <returns>The alias as now set.</returns>
    /// <exception cref="InvalidInputException">The model or alias name is malformed, or the reason or mover is missing.</exception>
    /// <exception cref="NotFoundException">No such model version.</exception>
    public Task<ModelAlias> RunAsync(MoveAliasRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        VersionedName.ValidateName(request.Model, "model name");
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            throw new InvalidInputException("alias move: 'reason' is required; it is kept in the alias history.");
        }

        if (string.IsNullOrWhiteSpace(request.MovedBy))
        {
            throw new InvalidInputException("alias move: who moves the alias is required; it is kept in the alias history.");
        }

        return registry.SetAliasAsync(request.Model, request.Alias, request.Version, request.Reason, request.MovedBy, cancellationToken);
    }
}
