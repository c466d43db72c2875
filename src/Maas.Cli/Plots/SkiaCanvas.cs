using SkiaSharp;

namespace Maas.Cli.Plots;

/// <summary>Draws onto a SkiaSharp raster surface, for PNG output.</summary>
internal sealed class SkiaCanvas : IChartCanvas
{
    private readonly SKCanvas _canvas;

    private SkiaCanvas(SKCanvas canvas) => _canvas = canvas;

    /// <summary>Draws a white <paramref name="width"/> x <paramref name="height"/> image with <paramref name="draw"/> and encodes it as PNG.</summary>
    public static byte[] Render(int width, int height, Action<IChartCanvas> draw)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        surface.Canvas.Clear(SKColors.White);
        draw(new SkiaCanvas(surface.Canvas));
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    public void Rectangle(double x, double y, double width, double height, string fill)
    {
        using var paint = new SKPaint { Color = SKColor.Parse(fill), Style = SKPaintStyle.Fill };
        _canvas.DrawRect((float)x, (float)y, (float)width, (float)height, paint);
    }

    public void Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, bool dashed = false)
    {
        using var paint = Stroke(stroke, width, dashed);
        _canvas.DrawLine((float)x1, (float)y1, (float)x2, (float)y2, paint);
    }

    public void Polyline(IReadOnlyList<(double X, double Y)> points, string stroke, double width, bool dashed)
    {
        if (points.Count == 0)
        {
            return;
        }

        using var paint = Stroke(stroke, width, dashed);
        using var path = new SKPath();
        path.MoveTo((float)points[0].X, (float)points[0].Y);
        foreach (var (x, y) in points.Skip(1))
        {
            path.LineTo((float)x, (float)y);
        }

        _canvas.DrawPath(path, paint);
    }

    public void Text(double x, double y, string text, double size, string fill, TextAnchor anchor = TextAnchor.Start)
    {
        using var font = new SKFont(SKTypeface.Default, (float)size);
        using var paint = new SKPaint { Color = SKColor.Parse(fill), IsAntialias = true };
        var align = anchor switch { TextAnchor.Middle => SKTextAlign.Center, TextAnchor.End => SKTextAlign.Right, _ => SKTextAlign.Left };
        _canvas.DrawText(text, (float)x, (float)y, align, font, paint);
    }

    private static SKPaint Stroke(string colour, double width, bool dashed) => new()
    {
        Color = SKColor.Parse(colour),
        Style = SKPaintStyle.Stroke,
        StrokeWidth = (float)width,
        IsAntialias = true,
        PathEffect = dashed ? SKPathEffect.CreateDash([6, 4], 0) : null,
    };
}
