using Maas.Core.Errors;

namespace Maas.Cli.Plots;

/// <summary>A drawing of a fixed size, written as SVG or PNG by the file name's extension.</summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Draw">Draws the chart onto a canvas of that size.</param>
internal sealed record Chart(int Width, int Height, Action<IChartCanvas> Draw)
{
    /// <summary>Writes the chart to <paramref name="path"/>: <c>.svg</c> as text, <c>.png</c> rasterized by SkiaSharp.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="option">The option that named the file, for the error message.</param>
    /// <exception cref="InvalidInputException">The extension is neither .svg nor .png.</exception>
    public void Write(string path, string option)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".svg" or ".png"))
        {
            throw new InvalidInputException($"{option} '{path}': give a file ending in .svg or .png.");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        if (extension == ".svg")
        {
            var svg = new SvgCanvas(Width, Height);
            Draw(svg);
            File.WriteAllText(path, svg.ToString());
        }
        else
        {
            File.WriteAllBytes(path, SkiaCanvas.Render(Width, Height, Draw));
        }
    }
}
