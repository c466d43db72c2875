namespace Maas.Core.Models;

/// <summary>One recorded move of an alias: the registry's audit trail of what served when, and why.</summary>
/// <param name="Model">The model name.</param>
/// <param name="Alias">The alias that moved.</param>
/// <param name="FromVersion">The version it pointed at before, or null when it was set for the first time.</param>
/// <param name="ToVersion">The version it points at since.</param>
/// <param name="MovedAt">When it moved.</param>
/// <param name="MovedBy">Who moved it: an API key id, or <see cref="Cli"/> for the command line and in-process jobs.</param>
/// <param name="Reason">Why, in the mover's words.</param>
public sealed record AliasMove(string Model, string Alias, int? FromVersion, int ToVersion, DateTimeOffset MovedAt, string MovedBy, string Reason)
{
    /// <summary>The mover recorded for the command line and for jobs running inside it.</summary>
    public const string Cli = "cli";
}
