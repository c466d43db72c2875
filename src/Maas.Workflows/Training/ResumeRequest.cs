
namespace Maas.Workflows.Training;

/// <summary>How to resume a run: by default to its last epoch, then finished as it asked when it started.</summary>
/// <param name="RunId">The run.</param>
public sealed record ResumeRequest(string RunId)
{
    /// <summary>As <see cref="TrainingRequest.StopAfterEpoch"/>. The default is null: train every remaining epoch.</summary>
    public int? StopAfterEpoch { get; init; }

    /// <summary>As <see cref="TrainingRequest.Pause"/>. The default is false.</summary>
    public bool Pause { get; init; }

    /// <summary>A model name to register the result under, instead of the one the run recorded. The default is null: the recorded one.</summary>
    public string? RegisterAs { get; init; }
}
