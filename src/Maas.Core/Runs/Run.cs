namespace Maas.Core.Runs;

/// <summary>One training of a model on a dataset version, with what it was given and what it measured.</summary>
/// <param name="Id">Printable id, e.g. <c>run_20261129_1a2b3c</c>.</param>
/// <param name="Dataset">The dataset version trained on, e.g. <c>fashion@1</c>.</param>
/// <param name="Parameters">Architecture, hyperparameters, seed and device, as strings.</param>
/// <param name="Status">Where the run stands.</param>
/// <param name="Metrics">Final metrics (test accuracy, loss, images per second).</param>
/// <param name="CreatedAt">When the run started.</param>
/// <param name="FinishedAt">When the run ended, if it has.</param>
/// <param name="ArtifactDir">The run's folder under the artifact store, relative to it.</param>
public sealed record Run(
    string Id,
    string Dataset,
    IReadOnlyDictionary<string, string> Parameters,
    RunStatus Status,
    IReadOnlyDictionary<string, double> Metrics,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    string ArtifactDir);
