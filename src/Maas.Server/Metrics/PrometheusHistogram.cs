using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Maas.Server.Metrics;

/// <summary>A Prometheus histogram with labels (of seconds unless other bucket bounds are given), written in the text exposition format.</summary>
/// <param name="name">The metric name, ending in its unit (<c>_seconds</c>).</param>
/// <param name="help">The HELP line.</param>
/// <param name="labels">The label names, in the order values are given.</param>
public sealed class PrometheusHistogram(string name, string help, params string[] labels)
{
    // From 0.5 ms to 10 s: a small CNN preprocesses and runs in a few milliseconds, a ResNet in tens to hundreds.
    private static readonly double[] s_bounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);
    private readonly double[] _bounds = s_bounds;

    /// <summary>A histogram with the given upper bucket bounds, in increasing order.</summary>
    /// <param name="name">The metric name.</param>
    /// <param name="help">The HELP line.</param>
    /// <param name="bounds">The upper bounds of the buckets, smallest first; +Inf is added.</param>
    /// <param name="labels">The label names, in the order values are given.</param>
    public PrometheusHistogram(string name, string help, double[] bounds, params string[] labels) : this(name, help, labels) => _bounds = bounds;

    private sealed class Series
    {
        public Series(int buckets) => Buckets = new long[buckets];

        public long[] Buckets { get; }

        public long Count;

        public double Sum;
    }

    /// <summary>Records one observation of <paramref name="seconds"/> in the series with these label values.</summary>
    public void Observe(double seconds, params string[] values)
    {
        var series = _series.GetOrAdd(PrometheusText.Labels(labels, values), _ => new Series(_bounds.Length));
        lock (series)
        {
            for (var i = 0; i < _bounds.Length; i++)
            {
                if (seconds <= _bounds[i])
                {
                    series.Buckets[i]++;
                }
            }

            series.Count++;
            series.Sum += seconds;
        }
    }

    /// <summary>Appends the metric's HELP, TYPE and bucket, sum and count lines.</summary>
    public void WriteTo(StringBuilder text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} histogram\n");
        foreach (var (key, series) in _series.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            // The label set with "le" added: "{a="1"}" becomes "{a="1",le="0.5"}".
            var prefix = key.Length == 0 ? "{" : key[..^1] + ",";
            lock (series)
            {
                for (var i = 0; i < _bounds.Length; i++)
                {
                    text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{prefix}le=\"{_bounds[i]}\"}} {series.Buckets[i]}\n");
                }

                text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{prefix}le=\"+Inf\"}} {series.Count}\n");
                text.Append(CultureInfo.InvariantCulture, $"{name}_sum{key} {series.Sum}\n");
                text.Append(CultureInfo.InvariantCulture, $"{name}_count{key} {series.Count}\n");
            }
        }
    }
}
