namespace Maas.Monitoring.Statistics;

/// <summary>The area under the ROC curve as the Mann–Whitney statistic, with its normal-approximation p-value.</summary>
public static class RankAuc
{
    /// <summary>
    /// AUC = U / (n_pos n_neg): the chance a random positive scores above a random negative, ties counting half; and
    /// the one-sided p-value of AUC ≥ observed when scores do not depend on the class, from U's normal approximation
    /// with the tie-corrected variance (SciPy's <c>mannwhitneyu(..., alternative="greater", use_continuity=False,
    /// method="asymptotic")</c>).
    /// </summary>
    public static (double Auc, double PValue) Compute(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive)
    {
        if (scores.Length != positive.Length)
        {
            throw new ArgumentException("One class flag per score.", nameof(positive));
        }

        var n = scores.Length;
        var order = Enumerable.Range(0, n).ToArray();
        var copy = scores.ToArray();
        Array.Sort(copy, order);
        var ranks = new double[n];
        double tieTerm = 0;
        for (var i = 0; i < n;)
        {
            var j = i;
            while (j + 1 < n && copy[j + 1] == copy[i])
            {
                j++;
            }

            var rank = (i + j + 2) / 2.0;
            for (var t = i; t <= j; t++)
            {
                ranks[order[t]] = rank;
            }

            double size = j - i + 1;
            tieTerm += (size * size * size) - size;
            i = j + 1;
        }

        double nPos = 0, rankSum = 0;
        for (var i = 0; i < n; i++)
        {
            if (positive[i])
            {
                nPos++;
                rankSum += ranks[i];
            }
        }

        var nNeg = n - nPos;
        if (nPos == 0 || nNeg == 0)
        {
            return (0.5, 1);
        }

        var u = rankSum - (nPos * (nPos + 1) / 2);
        var variance = nPos * nNeg / 12.0 * (n + 1 - (tieTerm / (n * (n - 1.0))));
        var p = variance <= 0 ? 1 : Normal.Survival((u - (nPos * nNeg / 2)) / Math.Sqrt(variance));
        return (u / (nPos * nNeg), p);
    }
}
