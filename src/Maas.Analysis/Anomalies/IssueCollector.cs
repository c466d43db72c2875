using Maas.Analysis.Reports;
using Maas.Core.Datasets;

namespace Maas.Analysis.Anomalies;

/// <summary>Collects sample issues, at most one per sample and kind, and orders them for the report.</summary>
internal sealed class IssueCollector(DatasetVersion version, IReadOnlyList<Sample> samples)
{
    private readonly Dictionary<(int, IssueKind), SampleIssue> _issues = [];

    public void Add(int index, IssueKind kind, double score, string action, string? detail)
    {
        var s = samples[index];
        _issues.TryAdd((index, kind), new SampleIssue(s.SampleId, s.OriginalPath, s.Split.ToName(), version.Classes[s.Label], kind, score, action, detail));
    }

    public bool Has(int index, IssueKind kind) => _issues.ContainsKey((index, kind));

    public int Count(IssueKind kind) => _issues.Keys.Count(k => k.Item2 == kind);

    /// <summary>By kind; within a kind, most severe first (lowest score, except outliers and duplicates, where higher is worse).</summary>
    public List<SampleIssue> Ordered() =>
        _issues.OrderBy(kv => kv.Key.Item2)
            .ThenBy(kv => kv.Key.Item2 is IssueKind.Outlier or IssueKind.NearDuplicate or IssueKind.ExactDuplicate or IssueKind.Leakage
                ? -kv.Value.Score : kv.Value.Score)
            .ThenBy(kv => kv.Key.Item1)
            .Select(kv => kv.Value).ToList();
}
