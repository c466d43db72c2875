namespace Maas.Workflows.Models;

/// <summary>
/// What to register as the next version of <paramref name="Model"/>: either the model a completed run exported
/// (<see cref="RunId"/>) or files made elsewhere (<see cref="Files"/>).
/// </summary>
/// <param name="Model">The model name; registering into an existing name makes its next version.</param>
public sealed record RegistrationRequest(string Model)
{
    /// <summary>The completed run whose exported model to register.</summary>
    public string? RunId { get; init; }

    /// <summary>The external classifier to register.</summary>
    public ExternalModelFiles? Files { get; init; }

    /// <summary>Aliases to point at the new version, in the same transaction that records it.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
}
