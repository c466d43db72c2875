using System.Globalization;
using Maas.Core.Runs;

namespace Maas.Cli.Plots;

/// <summary>Loss and accuracy per epoch of several runs side by side: training solid, validation dashed, one colour per run.</summary>
internal static class LearningCurveChart
{
    private const int PanelWidth = 420;
    private const int PanelHeight = 300;
    private const int Margin = 56;
    private const int LegendHeight = 24;
    private static readonly string[] s_colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

    public static Chart Create(IReadOnlyList<(string RunId, IReadOnlyList<EpochMetrics> Epochs)> runs)
    {
        int legendRows = runs.Count + 1;
        int width = (2 * (PanelWidth + Margin)) + Margin;
        int height = Margin + PanelHeight + Margin + (legendRows * LegendHeight);
        return new Chart(width, height, canvas =>
        {
            canvas.Rectangle(0, 0, width, height, "#ffffff");
            Panel(canvas, runs, Margin, "loss", e => e.TrainLoss, e => e.ValidationLoss);
            Panel(canvas, runs, (2 * Margin) + PanelWidth, "accuracy", e => e.TrainAccuracy, e => e.ValidationAccuracy);
            double y = Margin + PanelHeight + Margin;
            for (int r = 0; r < runs.Count; r++, y += LegendHeight)
            {
                canvas.Line(Margin, y - 4, Margin + 30, y - 4, Colour(r), 2.5);
                canvas.Text(Margin + 38, y, runs[r].RunId, 12, "#000000");
            }

            canvas.Line(Margin, y - 4, Margin + 30, y - 4, "#555555", 2);
            canvas.Line(Margin + 200, y - 4, Margin + 230, y - 4, "#555555", 2, dashed: true);
            canvas.Text(Margin + 38, y, "train", 12, "#000000");
            canvas.Text(Margin + 238, y, "validation", 12, "#000000");
        });
    }

    private static string Colour(int run) => s_colours[run % s_colours.Length];

    private static void Panel(IChartCanvas canvas, IReadOnlyList<(string RunId, IReadOnlyList<EpochMetrics> Epochs)> runs, double left, string title,
        Func<EpochMetrics, double> train, Func<EpochMetrics, double?> validation)
    {
        double top = Margin;
        var values = runs.SelectMany(r => r.Epochs.SelectMany(e => new[] { train(e), validation(e) ?? double.NaN })).Where(double.IsFinite).ToList();
        double low = values.Count == 0 ? 0 : values.Min();
        double high = values.Count == 0 ? 1 : values.Max();
        if (high - low < 1e-9)
        {
            // A flat series still needs a y range to be drawn in.
            low -= 0.5;
            high += 0.5;
        }

        int lastEpoch = Math.Max(2, runs.SelectMany(r => r.Epochs).Select(e => e.Epoch).DefaultIfEmpty(1).Max());
        double X(double epoch) => left + ((epoch - 1) / (lastEpoch - 1) * PanelWidth);
        double Y(double value) => top + PanelHeight - ((value - low) / (high - low) * PanelHeight);

        canvas.Text(left + (PanelWidth / 2.0), top - 16, title, 14, "#000000", TextAnchor.Middle);
        for (int i = 0; i <= 4; i++)
        {
            double value = low + ((high - low) * i / 4);
            canvas.Line(left, Y(value), left + PanelWidth, Y(value), "#e5e5e5");
            canvas.Text(left - 6, Y(value) + 4, value.ToString("0.###", CultureInfo.InvariantCulture), 11, "#444444", TextAnchor.End);
        }

        foreach (int epoch in EpochTicks(lastEpoch))
        {
            canvas.Line(X(epoch), top + PanelHeight, X(epoch), top + PanelHeight + 5, "#000000");
            canvas.Text(X(epoch), top + PanelHeight + 18, epoch.ToString(CultureInfo.InvariantCulture), 11, "#444444", TextAnchor.Middle);
        }

        canvas.Line(left, top, left, top + PanelHeight, "#000000");
        canvas.Line(left, top + PanelHeight, left + PanelWidth, top + PanelHeight, "#000000");
        canvas.Text(left + (PanelWidth / 2.0), top + PanelHeight + 36, "epoch", 12, "#444444", TextAnchor.Middle);
        for (int r = 0; r < runs.Count; r++)
        {
            var epochs = runs[r].Epochs;
            canvas.Polyline(epochs.Select(e => (X(e.Epoch), Y(train(e)))).ToList(), Colour(r), 2.5, dashed: false);
            canvas.Polyline(epochs.Where(e => validation(e) is not null).Select(e => (X(e.Epoch), Y(validation(e)!.Value))).ToList(), Colour(r), 2, dashed: true);
            // Markers, so a one-epoch run still shows its points.
            foreach (var e in epochs)
            {
                canvas.Rectangle(X(e.Epoch) - 3, Y(train(e)) - 3, 6, 6, Colour(r));
                if (validation(e) is { } v)
                {
                    canvas.Rectangle(X(e.Epoch) - 2, Y(v) - 2, 4, 4, Colour(r));
                }
            }
        }
    }

    // At most about ten labelled epochs, so long runs do not smear their axis.
    private static IEnumerable<int> EpochTicks(int lastEpoch)
    {
        int step = Math.Max(1, (int)Math.Ceiling(lastEpoch / 10.0));
        for (int epoch = 1; epoch <= lastEpoch; epoch += step)
        {
            yield return epoch;
        }
    }
}
