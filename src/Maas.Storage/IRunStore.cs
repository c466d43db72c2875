using Maas.Core.Runs;

namespace Maas.Storage;

/// <summary>Training runs, their per-epoch metrics and their outcome.</summary>
public interface IRunStore
{
    /// <summary>Records a new run in <see cref="RunStatus.Running"/>.</summary>
    Task CreateAsync(Run run, CancellationToken cancellationToken);

    /// <summary>Records one epoch's metrics (replacing an earlier record of the same epoch).</summary>
    Task RecordEpochAsync(string runId, EpochMetrics metrics, CancellationToken cancellationToken);

    /// <summary>Sets the run's final status and metrics.</summary>
    Task FinishAsync(string runId, RunStatus status, IReadOnlyDictionary<string, double> metrics, CancellationToken cancellationToken);

    /// <summary>Puts a stopped run back in <see cref="RunStatus.Running"/>, with no end time, to resume it from its checkpoint.</summary>
    /// <exception cref="Maas.Core.Errors.NotFoundException">No such run.</exception>
    Task ReopenAsync(string runId, CancellationToken cancellationToken);

    /// <summary>The run with <paramref name="runId"/>.</summary>
    /// <exception cref="Maas.Core.Errors.NotFoundException">No such run.</exception>
    Task<Run> GetAsync(string runId, CancellationToken cancellationToken);

    /// <summary>The epochs recorded for a run, in order.</summary>
    Task<IReadOnlyList<EpochMetrics>> GetEpochsAsync(string runId, CancellationToken cancellationToken);

    /// <summary>All runs, newest first.</summary>
    Task<IReadOnlyList<Run>> ListAsync(CancellationToken cancellationToken);
}
