using Maas.Analysis.Reports;
using Maas.Core.Datasets;

namespace Maas.Analysis.Anomalies;

/// <summary>
/// Groups exact duplicates (equal decoded pixels) and near duplicates (perceptual hashes within a Hamming radius,
/// or embeddings above a cosine similarity, either confirmed by matching 16x16 miniatures), and records their issues.
/// In each group one sample is kept: the first one in the most evaluative split (test, then validation, then train),
/// so that removing the others leaves the evaluation sets as they were while train loses the copies that leaked into
/// them.
/// </summary>
internal sealed class DuplicateFinder(IReadOnlyList<Sample> samples, ImageFeatures[] features, IssueCollector findings)
{
    private readonly Dictionary<int, int> _exactGroupOf = [];

    public List<DuplicateGroup> Exact()
    {
        var groups = Enumerable.Range(0, samples.Count).GroupBy(i => features[i].PixelHash, StringComparer.Ordinal)
            .Where(g => g.Count() > 1).Select(g => g.ToArray()).OrderBy(g => g[0]).ToList();
        var result = new List<DuplicateGroup>();
        foreach (var members in groups)
        {
            foreach (var m in members)
            {
                _exactGroupOf[m] = members[0];
            }

            result.Add(Record(members, IssueKind.ExactDuplicate, members.ToDictionary(m => m, _ => 1.0), "same pixels as"));
        }

        return result;
    }

    public List<DuplicateGroup> Near(int radius, IReadOnlyList<(int A, int B, float Similarity)>? embeddingPairs, CancellationToken cancellationToken)
    {
        // Flat images all hash alike whatever their level; exact duplicates among them are found above.
        var hashed = Enumerable.Range(0, samples.Count).Where(i => !features[i].IsFlat).ToArray();
        var index = new HammingIndex(hashed.Select(i => features[i].PerceptualHash).ToArray(), radius);
        var sets = new DisjointSets(samples.Count);
        var score = new Dictionary<int, double>();
        void Link(int a, int b, double s)
        {
            if (_exactGroupOf.TryGetValue(a, out var ga) && _exactGroupOf.TryGetValue(b, out var gb) && ga == gb)
            {
                return;
            }

            sets.Union(a, b);
            score[a] = Math.Max(score.GetValueOrDefault(a), s);
            score[b] = Math.Max(score.GetValueOrDefault(b), s);
        }

        // Both kinds of candidates must also match pixel for pixel at 16x16: hashes and embeddings of small images
        // both put distinct look-alikes together (see Miniature).
        bool Close(int a, int b) => Miniature.MeanDifference(features[a].Miniature, features[b].Miniature) <= Miniature.MaxMeanDifference;
        foreach (var (a, b, distance) in index.Pairs(cancellationToken))
        {
            if (Close(hashed[a], hashed[b]))
            {
                Link(hashed[a], hashed[b], Math.Round(1 - (distance / 64.0), 6));
            }
        }

        foreach (var (a, b, similarity) in embeddingPairs ?? [])
        {
            if (Close(a, b))
            {
                Link(a, b, Math.Round(similarity, 6));
            }
        }

        return sets.Groups().Select(members => Record(members, IssueKind.NearDuplicate, score, "near copy of")).ToList();
    }

    private DuplicateGroup Record(int[] members, IssueKind kind, IReadOnlyDictionary<int, double> scores, string relation)
    {
        var keep = members.OrderByDescending(m => samples[m].Split).ThenBy(m => m).First();
        var crosses = members.Select(m => samples[m].Split).Distinct().Count() > 1;
        foreach (var m in members)
        {
            var otherSplit = samples[m].Split != samples[keep].Split;
            var issue = crosses && otherSplit ? IssueKind.Leakage : kind;
            // Exact copies are redundant, and leak when they cross splits: the proposal removes them. Near copies are only
            // flagged (kept) even when they cross splits: perceptual hashes of small images also match distinct images.
            var action = m != keep && kind == IssueKind.ExactDuplicate ? "remove" : "keep";
            var detail = m == keep
                ? $"kept of {members.Length} {(kind == IssueKind.ExactDuplicate ? "exact" : "near")} duplicates"
                : $"{relation} {samples[keep].SampleId} ({samples[keep].Split.ToName()})";
            findings.Add(m, issue, scores.GetValueOrDefault(m, 1.0), action, detail);
        }

        return new DuplicateGroup(kind, members.Select(m => samples[m].SampleId).ToArray(), members.Select(m => samples[m].Split.ToName()).ToArray(), crosses);
    }
}
