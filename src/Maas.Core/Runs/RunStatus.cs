namespace Maas.Core.Runs;

/// <summary>Where a training run stands.</summary>
public enum RunStatus
{
    /// <summary>Training is in progress.</summary>
    Running,

    /// <summary>Training, evaluation and export finished.</summary>
    Completed,

    /// <summary>The run stopped on an error.</summary>
    Failed,

    /// <summary>The user cancelled the run.</summary>
    Cancelled,

    /// <summary>Training stopped on purpose after a checkpoint (a tuning trial waiting for promotion); it can be resumed.</summary>
    Paused,

    /// <summary>
    /// Recorded as running, but no process holds the run's lock: the process training it was killed or crashed. Never
    /// stored; the run store reports it in place of <see cref="Running"/>. It can be resumed.
    /// </summary>
    Interrupted,
}
