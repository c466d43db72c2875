using System.Diagnostics;
using Maas.Datasets;

namespace Maas.ImportBenchmark;

/// <summary>
/// Records when each import stage is first reported, synchronously on the reporting thread (<see cref="Progress{T}"/>
/// would post to the thread pool and blur the times), so the benchmark can say where an import's wall time goes.
/// </summary>
internal sealed class PhaseClock : IProgress<ImportProgress>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Stage, double Start)> _starts = [];
    private readonly Lock _gate = new();

    public void Report(ImportProgress value)
    {
        lock (_gate)
        {
            if (_starts.Count == 0 || _starts[^1].Stage != value.Stage)
            {
                _starts.Add((value.Stage, _clock.Elapsed.TotalSeconds));
            }
        }
    }

    /// <summary>Each stage with the seconds from its start to the next stage's start, or to now for the last.</summary>
    public IReadOnlyList<(string Stage, double Seconds)> Durations()
    {
        var end = _clock.Elapsed.TotalSeconds;
        return _starts.Select((s, i) => (s.Stage, (i + 1 < _starts.Count ? _starts[i + 1].Start : end) - s.Start)).ToArray();
    }
}
