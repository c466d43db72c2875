namespace Maas.Analysis.Anomalies;

/// <summary>
/// Label-issue detection by confident learning (Northcutt, Jiang and Chuang, 2021; cleanlab's
/// <c>find_label_issues</c>): the threshold of class j is the mean predicted probability of j over samples labelled
/// j (the class's average self-confidence). A sample is a likely label error when some other class k reaches its
/// own threshold and is more probable than the given label; the suggested label is the most probable such class.
/// </summary>
public static class ConfidentLearning
{
    /// <summary>Finds the label issues among out-of-sample <paramref name="probabilities"/>, least self-confident first.</summary>
    public static IReadOnlyList<LabelIssue> Find(IReadOnlyList<int> labels, IReadOnlyList<float[]> probabilities, int classes)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(probabilities);
        var thresholds = Thresholds(labels, probabilities, classes);
        var issues = new List<LabelIssue>();
        for (var i = 0; i < labels.Count; i++)
        {
            var p = probabilities[i];
            var given = labels[i];
            var suggested = -1;
            for (var k = 0; k < classes; k++)
            {
                if (k != given && p[k] >= thresholds[k] && p[k] > p[given] && (suggested < 0 || p[k] > p[suggested]))
                {
                    suggested = k;
                }
            }

            if (suggested >= 0)
            {
                issues.Add(new LabelIssue(i, given, suggested, p[given], p[suggested]));
            }
        }

        return issues.OrderBy(x => x.SelfConfidence).ThenBy(x => x.Index).ToList();
    }

    /// <summary>Per class, the mean probability of that class over the samples labelled with it (1 for an empty class, so it never triggers).</summary>
    public static double[] Thresholds(IReadOnlyList<int> labels, IReadOnlyList<float[]> probabilities, int classes)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(probabilities);
        var sums = new double[classes];
        var counts = new int[classes];
        for (var i = 0; i < labels.Count; i++)
        {
            sums[labels[i]] += probabilities[i][labels[i]];
            counts[labels[i]]++;
        }

        return sums.Select((s, k) => counts[k] > 0 ? s / counts[k] : 1.0).ToArray();
    }
}
