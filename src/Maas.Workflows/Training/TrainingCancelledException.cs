namespace Maas.Workflows.Training;

/// <summary>Training was cancelled; the run is marked so and keeps its checkpoints, so it can be resumed.</summary>
public sealed class TrainingCancelledException : OperationCanceledException
{
    /// <summary>Wraps the cancellation that stopped <paramref name="runId"/>.</summary>
    public TrainingCancelledException(string runId, OperationCanceledException cancellation)
        : base($"run {runId} was cancelled; resume with: maas train --resume {runId}", cancellation, cancellation?.CancellationToken ?? default)
    {
        RunId = runId;
    }

    /// <summary>The cancelled run.</summary>
    public string RunId { get; }

    /// <summary>The command that continues the run from its last checkpoint.</summary>
    public string ResumeHint => $"resume with: maas train --resume {RunId}";
}
