using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Maas.Server.Metrics;

/// <summary>A Prometheus counter with labels, written in the text exposition format.</summary>
/// <param name="name">The metric name, ending in <c>_total</c>.</param>
/// <param name="help">The HELP line.</param>
/// <param name="labels">The label names, in the order values are given.</param>
public sealed class PrometheusCounter(string name, string help, params string[] labels)
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _values = new(StringComparer.Ordinal);

    /// <summary>Adds one to the series with these label values.</summary>
    public void Increment(params string[] values)
    {
        var box = _values.GetOrAdd(PrometheusText.Labels(labels, values), _ => new StrongBox<long>());
        Interlocked.Increment(ref box.Value);
    }

    /// <summary>Appends the metric's HELP, TYPE and series lines.</summary>
    public void WriteTo(StringBuilder text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n");
        foreach (var (series, box) in _values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"{name}{series} {Interlocked.Read(ref box.Value)}\n");
        }
    }
}
