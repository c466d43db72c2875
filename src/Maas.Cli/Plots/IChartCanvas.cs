namespace Maas.Cli.Plots;

/// <summary>
/// The few drawing calls a chart needs, in pixels from the top left, colours as <c>#rrggbb</c>: one chart's layout
/// code draws both its SVG and its PNG, so the two cannot disagree.
/// </summary>
internal interface IChartCanvas
{
    void Rectangle(double x, double y, double width, double height, string fill);

    void Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, bool dashed = false);

    void Polyline(IReadOnlyList<(double X, double Y)> points, string stroke, double width, bool dashed);

    void Text(double x, double y, string text, double size, string fill, TextAnchor anchor = TextAnchor.Start);
}
