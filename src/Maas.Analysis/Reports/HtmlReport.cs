using System.Globalization;
using System.Net;
using System.Text;
using Maas.Analysis.Statistics;

namespace Maas.Analysis.Reports;

/// <summary>
/// Renders a report as one self-contained HTML page: inline CSS, inline SVG charts, thumbnails as <c>data:</c> URIs.
/// It makes no network request, so it opens offline and can be mailed as one file.
/// </summary>
public static class HtmlReport
{
    private const int ThumbnailsPerIssue = 12;

    /// <summary>The page for <paramref name="result"/>.</summary>
    public static string Render(AnalysisResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var r = result.Report;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Analysis of ").Append(E(r.Dataset)).Append("</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.5em 0}")
            .Append("td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}th{background:#f4f4f4}td.l,th.l{text-align:left}")
            .Append(".thumbs{display:flex;flex-wrap:wrap;gap:8px}.thumbs figure{margin:0;font-size:11px;width:110px}")
            .Append(".thumbs img{width:96px;height:96px;object-fit:contain;image-rendering:pixelated;border:1px solid #ccc}")
            .Append("</style></head><body>");
        html.Append(CultureInfo.InvariantCulture, $"<h1>Analysis of {E(r.Dataset)}</h1><p>{r.SampleCount:N0} samples, {r.Classes.Count} classes, analyzed in {r.ElapsedSeconds:0.0} s on {r.CreatedAt:u}.</p>");

        var d = r.Descriptive;
        html.Append("<h2>Classes</h2>").Append(BarChart(r.Classes, d.ClassTotals.Select(t => (double)t).ToArray()));
        html.Append(CultureInfo.InvariantCulture, $"<p>Imbalance ratio (largest / smallest class): {d.ImbalanceRatio:0.00}</p>");
        html.Append("<table><tr><th class=l>class</th>");
        foreach (var split in d.ClassCounts.Keys)
        {
            html.Append("<th>").Append(E(split)).Append("</th>");
        }

        html.Append("</tr>");
        for (var c = 0; c < r.Classes.Count; c++)
        {
            html.Append("<tr><td class=l>").Append(E(r.Classes[c])).Append("</td>");
            foreach (var counts in d.ClassCounts.Values)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td>{counts[c]:N0}</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</table><h2>Images</h2><table><tr><th class=l></th><th>min</th><th>q1</th><th>median</th><th>q3</th><th>max</th></tr>");
        foreach (var (name, s) in new[] { ("width", d.Width), ("height", d.Height), ("aspect ratio", d.AspectRatio) })
        {
            html.Append(Row(name, s));
        }

        html.Append("</table>");
        html.Append(CultureInfo.InvariantCulture, $"<p>Channels: {E(string.Join(", ", d.Channels.Select(kv => $"{kv.Key}: {kv.Value:N0}")))}; formats: {E(string.Join(", ", d.Formats.Select(kv => $"{kv.Key}: {kv.Value:N0}")))}; grayscale: {d.GrayscaleCount:N0}.</p>");
        html.Append(CultureInfo.InvariantCulture, $"<p>Train pixel statistics in [0, 1]: mean {F(d.TrainChannelStatistics.Mean)}, std {F(d.TrainChannelStatistics.Std)}.</p>");
        html.Append("<h2>Image properties by class</h2>");
        foreach (var (property, perClass) in d.PropertiesByClass)
        {
            html.Append("<h3>").Append(E(property)).Append("</h3>").Append(BarChart(perClass.Keys.ToArray(), perClass.Values.Select(s => s.Mean).ToArray()));
            html.Append("<table><tr><th class=l>class</th><th>mean</th><th>std</th><th>q1</th><th>median</th><th>q3</th></tr>");
            foreach (var (cls, s) in perClass)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td class=l>{E(cls)}</td><td>{s.Mean:0.####}</td><td>{s.Std:0.####}</td><td>{s.Q1:0.####}</td><td>{s.Median:0.####}</td><td>{s.Q3:0.####}</td></tr>");
            }

            html.Append("</table>");
        }

        var rel = r.Relations;
        html.Append("<h2>Relations</h2><h3>Correlation between properties (Pearson r)</h3>").Append(Heatmap(rel.PropertyNames, rel.Correlation, -1));
        html.Append("<h3>Association with the label</h3><table><tr><th class=l>property</th><th>ANOVA F</th><th>mutual information (bits)</th></tr>");
        foreach (var a in rel.LabelAssociation)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td class=l>{E(a.Property)}</td><td>{a.F:0.##}</td><td>{a.MutualInformationBits:0.####}</td></tr>");
        }

        html.Append("</table>");
        if (rel.ClassSimilarity is { } similarity)
        {
            html.Append("<h3>Class similarity (cosine of embedding centroids)</h3>").Append(Heatmap(r.Classes, similarity, -1));
        }

        if (rel.ShiftSplit is { } against)
        {
            html.Append("<h3>Train versus ").Append(E(against)).Append("</h3><table><tr><th class=l>property</th><th>KS D</th><th>KS p</th><th>PSI</th></tr>");
            foreach (var s in rel.Shift)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td class=l>{E(s.Property)}</td><td>{s.KsStatistic:0.####}</td><td>{s.KsPValue:0.####}</td><td>{s.Psi:0.####}</td></tr>");
            }

            html.Append("</table>");
            if (rel.EmbeddingShift is { } mmd)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p>Embedding shift: MMD² {mmd.Mmd2:0.######} (RBF σ {mmd.Bandwidth:0.###}, {mmd.CountA} vs {mmd.CountB} samples), permutation p = {mmd.PValue:0.###} ({mmd.Permutations} permutations).</p>");
            }
        }

        var an = r.Anomalies;
        html.Append("<h2>Issues</h2><table><tr><th class=l>issue</th><th>samples</th></tr>");
        foreach (var (kind, count) in an.Counts)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td class=l>{E(Name(kind))}{(an.Suppressed.Contains(kind) ? " (too common to list)" : "")}</td><td>{count:N0}</td></tr>");
        }

        html.Append("</table>");
        foreach (var skipped in an.Skipped)
        {
            html.Append("<p><i>Skipped: ").Append(E(skipped)).Append("</i></p>");
        }

        if (an.LabelModel is { } labelModel)
        {
            html.Append("<p>Label issues: confident learning on out-of-fold probabilities of ").Append(E(labelModel)).Append(".</p>");
        }

        foreach (var group in an.Issues.GroupBy(i => i.Issue))
        {
            html.Append(CultureInfo.InvariantCulture, $"<h3>{E(Name(group.Key))} ({group.Count():N0})</h3><div class=thumbs>");
            foreach (var issue in group.Take(ThumbnailsPerIssue))
            {
                html.Append("<figure>");
                if (result.Thumbnails.TryGetValue(issue.SampleId, out var png))
                {
                    html.Append("<img alt=\"\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(png)).Append("\">");
                }

                html.Append(CultureInfo.InvariantCulture, $"<figcaption>{E(issue.SampleId)} ({E(issue.Label)}, {E(issue.Split)})<br>score {issue.Score:0.###}<br>{E(issue.Action)}</figcaption></figure>");
            }

            html.Append("</div>");
        }

        html.Append("</body></html>");
        return html.ToString();
    }

    private static string Name(IssueKind kind) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());

    private static string Row(string name, Summary s) =>
        string.Create(CultureInfo.InvariantCulture, $"<tr><td class=l>{E(name)}</td><td>{s.Min:0.###}</td><td>{s.Q1:0.###}</td><td>{s.Median:0.###}</td><td>{s.Q3:0.###}</td><td>{s.Max:0.###}</td></tr>");

    private static string F(IReadOnlyList<double> values) => string.Join(", ", values.Select(v => v.ToString("0.####", CultureInfo.InvariantCulture)));

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string BarChart(IReadOnlyList<string> labels, double[] values)
    {
        const int BarHeight = 18, LabelWidth = 160, Width = 420;
        var max = values.Length == 0 ? 1 : Math.Max(values.Max(), 1e-12);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg width=\"{LabelWidth + Width + 80}\" height=\"{(labels.Count * BarHeight) + 4}\" font-size=\"12\">");
        for (var i = 0; i < labels.Count; i++)
        {
            var w = Math.Max(0, values[i]) / max * Width;
            var y = i * BarHeight;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 4}\" y=\"{y + 13}\" text-anchor=\"end\">{E(labels[i])}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{y + 2}\" width=\"{w:0.#}\" height=\"{BarHeight - 4}\" fill=\"#4a7fb5\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + w + 4:0.#}\" y=\"{y + 13}\">{values[i]:0.###}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static string Heatmap(IReadOnlyList<string> labels, double[][] matrix, double low)
    {
        const int Cell = 36, LabelWidth = 160;
        var n = labels.Count;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg width=\"{LabelWidth + (n * Cell) + 4}\" height=\"{LabelWidth + (n * Cell) + 4}\" font-size=\"11\">");
        for (var i = 0; i < n; i++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 4}\" y=\"{LabelWidth + (i * Cell) + 22}\" text-anchor=\"end\">{E(labels[i])}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate({LabelWidth + (i * Cell) + 22},{LabelWidth - 4}) rotate(-60)\">{E(labels[i])}</text>");
            for (var j = 0; j < n; j++)
            {
                var v = matrix[i][j];
                // Blue for negative, red for positive, white at zero.
                var t = Math.Clamp(v < 0 ? v / -low : v, -1, 1);
                var fade = (int)(255 * (1 - Math.Abs(t)));
                var color = t >= 0 ? $"rgb(255,{fade},{fade})" : $"rgb({fade},{fade},255)";
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth + (j * Cell)}\" y=\"{LabelWidth + (i * Cell)}\" width=\"{Cell}\" height=\"{Cell}\" fill=\"{color}\"><title>{v:0.###}</title></rect>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + (j * Cell) + 4}\" y=\"{LabelWidth + (i * Cell) + 22}\">{v:0.00}</text>");
            }
        }

        return svg.Append("</svg>").ToString();
    }
}
