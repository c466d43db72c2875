using System.Numerics.Tensors;

namespace Maas.Analysis.LabelIssues;

/// <summary>
/// Label-issue detection by confident learning (Northcutt, Jiang and Chuang, 2021), with the definitions of
/// cleanlab's <c>find_label_issues</c> at its defaults (<c>filter_by="prune_by_noise_rate"</c>, ranked by
/// self-confidence):
/// <list type="number">
/// <item>The threshold of class j is the mean predicted probability of j over the samples labelled j (its average self-confidence).</item>
/// <item>The confident joint counts, per given label i, the samples whose "true" class is j: the one class whose
/// probability reaches its threshold, or the most probable class when several do; samples where none does are not counted.</item>
/// <item>It is calibrated so that each row sums to the number of samples given that label.</item>
/// <item>For each given label i and other class j, the calibrated count C[i][j] of samples labelled i with the
/// largest margin p(j) − p(i) are flagged (prune by noise rate); samples whose most probable class is their given
/// label are then unflagged.</item>
/// </list>
/// With <see cref="LabelIssueFilter.Both"/>, a sample must also be among the (n_i − C[i][i]) least self-confident
/// samples of its given label (prune by class), as cleanlab's <c>filter_by="both"</c>.
/// With <see cref="LabelIssueFilter.LowSelfConfidence"/> (cleanlab's <c>filter_by="low_self_confidence"</c>), the
/// samples flagged are instead the least self-confident ones, as many as the uncalibrated joint's off-diagonal count.
/// Flagged samples are ranked by self-confidence, the probability of their given label, lowest first; the suggested
/// label is the most probable class.
/// </summary>
public static class ConfidentLearning
{
    // cleanlab compares probabilities with thresholds less a hair, so a sample exactly at its class's mean counts.
    private const double Tolerance = 1e-6;

    /// <summary>Finds the label issues among out-of-sample <paramref name="probabilities"/>, least self-confident first.</summary>
    /// <param name="labels">The given labels.</param>
    /// <param name="probabilities">Out-of-sample class probabilities, one row per sample.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="filter">Which of cleanlab's filters flags samples. The default is cleanlab's, prune by noise rate.</param>
    public static IReadOnlyList<LabelIssue> Find(IReadOnlyList<int> labels, IReadOnlyList<float[]> probabilities, int classes,
        LabelIssueFilter filter = LabelIssueFilter.PruneByNoiseRate)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(probabilities);
        var raw = ConfidentJoint(labels, probabilities, classes);
        if (filter == LabelIssueFilter.LowSelfConfidence)
        {
            var offDiagonal = Enumerable.Range(0, classes).Sum(i => Enumerable.Range(0, classes).Where(j => j != i).Sum(j => raw[i, j]));
            return Enumerable.Range(0, labels.Count).OrderBy(i => probabilities[i][labels[i]]).ThenBy(i => i).Take(offDiagonal)
                .Select(i => Issue(i, labels[i], probabilities[i])).ToList();
        }

        var joint = Calibrate(raw, LabelCounts(labels, classes));
        var flagged = new bool[labels.Count];
        var byLabel = Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).ToDictionary(g => g.Key, g => g.ToArray());
        // Prune by class: of the samples given label k, the (count − C[k][k]) least confident in k.
        var lowest = new bool[labels.Count];
        foreach (var (given, members) in byLabel)
        {
            foreach (var i in members.OrderBy(i => probabilities[i][given]).ThenBy(i => i).Take(members.Length - joint[given, given]))
            {
                lowest[i] = true;
            }
        }

        foreach (var (given, members) in byLabel)
        {
            for (var truth = 0; truth < classes; truth++)
            {
                var prune = truth == given ? 0 : joint[given, truth];
                if (prune <= 0)
                {
                    continue;
                }

                // The samples labelled `given` that look most like `truth`: the largest p(truth) − p(given) first.
                var ordered = members.OrderByDescending(i => (double)probabilities[i][truth] - probabilities[i][given]).ThenBy(i => i);
                foreach (var i in ordered.Take(prune))
                {
                    flagged[i] = true;
                }
            }
        }

        var issues = new List<LabelIssue>();
        for (var i = 0; i < labels.Count; i++)
        {
            var p = probabilities[i];
            var predicted = TensorPrimitives.IndexOfMax(p);
            if (flagged[i] && (filter == LabelIssueFilter.PruneByNoiseRate || lowest[i]) && predicted != labels[i])
            {
                issues.Add(new LabelIssue(i, labels[i], predicted, p[labels[i]], p[predicted]));
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

    /// <summary>
    /// The confident joint: [given label, true label] counts of the samples confidently counted as some class, that is
    /// whose probability of some class reaches that class's threshold (the most probable class when several do).
    /// </summary>
    public static int[,] ConfidentJoint(IReadOnlyList<int> labels, IReadOnlyList<float[]> probabilities, int classes)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(probabilities);
        var thresholds = Thresholds(labels, probabilities, classes);
        var joint = new int[classes, classes];
        for (var i = 0; i < labels.Count; i++)
        {
            var p = probabilities[i];
            int confident = 0, only = -1;
            for (var k = 0; k < classes; k++)
            {
                if (p[k] >= thresholds[k] - Tolerance)
                {
                    confident++;
                    only = k;
                }
            }

            if (confident > 0)
            {
                joint[labels[i], confident == 1 ? only : TensorPrimitives.IndexOfMax(p)]++;
            }
        }

        return joint;
    }

    /// <summary>
    /// Scales each row of <paramref name="joint"/> to the number of samples given that label, rounding so that each
    /// row's integer counts still sum to it (largest remainders first). A row with no confident sample keeps them all on
    /// the diagonal.
    /// </summary>
    public static int[,] Calibrate(int[,] joint, IReadOnlyList<int> labelCounts)
    {
        ArgumentNullException.ThrowIfNull(joint);
        ArgumentNullException.ThrowIfNull(labelCounts);
        var classes = labelCounts.Count;
        var calibrated = new int[classes, classes];
        for (var i = 0; i < classes; i++)
        {
            var row = Enumerable.Range(0, classes).Sum(j => joint[i, j]);
            if (row == 0)
            {
                calibrated[i, i] = labelCounts[i];
                continue;
            }

            var exact = Enumerable.Range(0, classes).Select(j => (double)joint[i, j] * labelCounts[i] / row).ToArray();
            var floors = exact.Select(Math.Floor).ToArray();
            var missing = labelCounts[i] - (int)floors.Sum();
            foreach (var j in Enumerable.Range(0, classes).OrderByDescending(j => exact[j] - floors[j]).ThenBy(j => j).Take(missing))
            {
                floors[j]++;
            }

            for (var j = 0; j < classes; j++)
            {
                calibrated[i, j] = (int)floors[j];
            }
        }

        return calibrated;
    }

    /// <summary>The issue of sample <paramref name="index"/>, suggesting the most probable class other than its label.</summary>
    private static LabelIssue Issue(int index, int given, float[] p)
    {
        var suggested = given == 0 ? 1 : 0;
        for (var k = 0; k < p.Length; k++)
        {
            if (k != given && p[k] > p[suggested])
            {
                suggested = k;
            }
        }

        return new LabelIssue(index, given, suggested, p[given], p[suggested]);
    }

    private static int[] LabelCounts(IReadOnlyList<int> labels, int classes)
    {
        var counts = new int[classes];
        foreach (var l in labels)
        {
            counts[l]++;
        }

        return counts;
    }
}
