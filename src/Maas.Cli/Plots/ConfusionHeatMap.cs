using System.Globalization;

namespace Maas.Cli.Plots;

/// <summary>A confusion matrix as a heat map: rows are true classes, columns predicted ones, shaded by the row's share.</summary>
internal static class ConfusionHeatMap
{
    private const int Cell = 44;
    private const int Left = 170;
    private const int Top = 70;

    public static Chart Create(IReadOnlyList<string> classNames, int[][] matrix, string title)
    {
        int k = classNames.Count;
        return new Chart(Left + (k * Cell) + 20, Top + (k * Cell) + 40, canvas =>
        {
            canvas.Rectangle(0, 0, Left + (k * Cell) + 20, Top + (k * Cell) + 40, "#ffffff");
            canvas.Text(Left, 24, title, 15, "#000000");
            canvas.Text(Left + (k * Cell / 2.0), Top - 28, "predicted", 12, "#444444", TextAnchor.Middle);
            for (int t = 0; t < k; t++)
            {
                int support = matrix[t].Sum();
                canvas.Text(Left - 8, Top + (t * Cell) + (Cell / 2.0) + 4, $"{t} {classNames[t]}", 12, "#000000", TextAnchor.End);
                canvas.Text(Left + (t * Cell) + (Cell / 2.0), Top - 8, t.ToString(CultureInfo.InvariantCulture), 12, "#000000", TextAnchor.Middle);
                for (int p = 0; p < k; p++)
                {
                    // Shaded by the row's share, so a rare class's mistakes are as visible as a common one's.
                    double share = support == 0 ? 0 : (double)matrix[t][p] / support;
                    canvas.Rectangle(Left + (p * Cell), Top + (t * Cell), Cell - 1, Cell - 1, Shade(share));
                    canvas.Text(Left + (p * Cell) + (Cell / 2.0), Top + (t * Cell) + (Cell / 2.0) + 4, matrix[t][p].ToString(CultureInfo.InvariantCulture),
                        11, share > 0.5 ? "#ffffff" : "#000000", TextAnchor.Middle);
                }
            }

            canvas.Text(Left - 8, Top + (k * Cell) + 24, "true class (rows)", 12, "#444444", TextAnchor.End);
        });
    }

    // White at 0 to dark blue (#08306b) at 1.
    private static string Shade(double share)
    {
        static int Mix(int from, int to, double t) => (int)Math.Round(from + ((to - from) * t));
        var t = Math.Clamp(share, 0, 1);
        return string.Create(CultureInfo.InvariantCulture, $"#{Mix(255, 8, t):x2}{Mix(255, 48, t):x2}{Mix(255, 107, t):x2}");
    }
}
