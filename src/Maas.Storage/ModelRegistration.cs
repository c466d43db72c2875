namespace Maas.Storage;

/// <summary>What <see cref="IModelRegistry.RegisterAsync(ModelRegistration, CancellationToken)"/> commits as one version.</summary>
/// <param name="Model">The model name; the version is its next number.</param>
/// <param name="StagedDirectory">The folder holding the version's files; the registry moves it into the artifact store.</param>
/// <param name="Labels">Class names in output order.</param>
public sealed record ModelRegistration(string Model, string StagedDirectory, IReadOnlyList<string> Labels)
{
    /// <summary>The run that produced the model, if any.</summary>
    public string? RunId { get; init; }

    /// <summary>The dataset version it was trained on, if known.</summary>
    public string? Dataset { get; init; }

    /// <summary>Evaluation metrics at registration.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Aliases pointed at the new version in the same transaction that records it (e.g. <c>production</c>).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Why the aliases move, recorded in their history.</summary>
    public string AliasReason { get; init; } = "registered";

    /// <summary>Who moves the aliases, recorded in their history (see <see cref="Maas.Core.Models.AliasMove"/>).</summary>
    public string AliasMovedBy { get; init; } = Maas.Core.Models.AliasMove.Cli;
}
