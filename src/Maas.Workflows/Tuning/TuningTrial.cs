using Maas.Training;

namespace Maas.Workflows.Tuning;

/// <summary>One configuration tried by a tuning study, and how far it got.</summary>
/// <param name="Number">1-based, in the order trials were drawn.</param>
/// <param name="RunId">The run that trains it.</param>
/// <param name="Options">Its hyperparameters.</param>
/// <param name="Epochs">Epochs trained so far (the last rung reached).</param>
/// <param name="Accuracy">Validation accuracy after <paramref name="Epochs"/> (test accuracy when the dataset has no validation split).</param>
/// <param name="Status">running, paused (waiting for promotion), completed, or failed.</param>
public sealed record TuningTrial(int Number, string RunId, TrainingOptions Options, int Epochs, double Accuracy, string Status);
