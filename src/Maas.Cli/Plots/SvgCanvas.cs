using System.Globalization;
using System.Security;
using System.Text;

namespace Maas.Cli.Plots;

/// <summary>Draws into an SVG document; <see cref="ToString"/> gives the finished document.</summary>
internal sealed class SvgCanvas : IChartCanvas
{
    private readonly StringBuilder _body = new();
    private readonly int _width;
    private readonly int _height;

    public SvgCanvas(int width, int height)
    {
        _width = width;
        _height = height;
    }

    public void Rectangle(double x, double y, double width, double height, string fill) =>
        _body.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.##}\" y=\"{y:0.##}\" width=\"{width:0.##}\" height=\"{height:0.##}\" fill=\"{fill}\"/>\n");

    public void Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, bool dashed = false) =>
        _body.Append(CultureInfo.InvariantCulture,
            $"<line x1=\"{x1:0.##}\" y1=\"{y1:0.##}\" x2=\"{x2:0.##}\" y2=\"{y2:0.##}\" stroke=\"{stroke}\" stroke-width=\"{width:0.##}\"{Dash(dashed)}/>\n");

    public void Polyline(IReadOnlyList<(double X, double Y)> points, string stroke, double width, bool dashed)
    {
        var coordinates = string.Join(' ', points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.X:0.##},{p.Y:0.##}")));
        _body.Append(CultureInfo.InvariantCulture,
            $"<polyline points=\"{coordinates}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{width:0.##}\"{Dash(dashed)}/>\n");
    }

    public void Text(double x, double y, string text, double size, string fill, TextAnchor anchor = TextAnchor.Start)
    {
        var name = anchor switch { TextAnchor.Middle => "middle", TextAnchor.End => "end", _ => "start" };
        _body.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{x:0.##}\" y=\"{y:0.##}\" font-size=\"{size:0.##}\" fill=\"{fill}\" text-anchor=\"{name}\">{SecurityElement.Escape(text)}</text>\n");
    }

    public override string ToString() =>
        $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{_width}\" height=\"{_height}\" viewBox=\"0 0 {_width} {_height}\" font-family=\"sans-serif\">\n{_body}</svg>\n";

    private static string Dash(bool dashed) => dashed ? " stroke-dasharray=\"6,4\"" : "";
}
