namespace Maas.Training.Tests;

/// <summary>
/// Records progress reports on the reporting thread, in order. (Progress&lt;T&gt; posts them to the thread pool,
/// which would make counts racy.) An optional callback can act on a report, for example to cancel.
/// </summary>
internal sealed class RecordingProgress(Action<TrainingProgress>? onReport = null) : IProgress<TrainingProgress>
{
    private readonly List<TrainingProgress> _reports = [];

    public IReadOnlyList<TrainingProgress> Reports
    {
        get
        {
            lock (_reports)
            {
                return [.. _reports];
            }
        }
    }

    public void Report(TrainingProgress value)
    {
        lock (_reports)
        {
            _reports.Add(value);
        }

        onReport?.Invoke(value);
    }
}
