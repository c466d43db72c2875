using Maas.Core.Pipelines;
using Maas.Testing;

namespace Maas.Imaging.Tests;

/// <summary>The contact sheet: its layout, and that its cells show what the pipeline produced, normalization undone.</summary>
public sealed class PipelinePreviewTests
{
    [Fact]
    public void Sheet_HasARowPerImage_AndTheServingViewThenAugmentations()
    {
        var spec = PipelineSpec.FromJson("""
            {"ops": [{"op": "decode", "color": "rgb"}, {"op": "resize", "width": 16, "height": 16},
                     {"op": "horizontal_flip", "p": 1.0}, {"op": "normalize", "mean": [0.5, 0.4, 0.3], "std": [0.2, 0.25, 0.3]}]}
            """);
        var executor = new PipelineExecutor(spec);
        var images = new[] { (TestImages.GradientRgbPng(16, 16, 1), "a"), (TestImages.GradientRgbPng(16, 16, 2), "b") };

        var png = PipelinePreview.RenderPng(executor, images, variants: 2, seed: 1, cellSize: 32);

        // Cells of 32x32 (16 px enlarged twice), 3 columns and 2 rows, with 4 px gaps.
        var sheet = ImageDecoder.Decode(png, ColorMode.Rgb, null, "sheet");
        Assert.Equal((4 + (3 * 36), 4 + (2 * 36)), (sheet.Width, sheet.Height));
        var original = ImageDecoder.Decode(images[1].Item1, ColorMode.Rgb, null, "b");
        // Row 2, column 1 is the serving view (no flip); column 2 is flipped (p = 1). Pixel (x=3, y=5) of each:
        Assert.Equal(Pixel(original, 3, 5, 16), Pixel(sheet, 4 + 6, 4 + 36 + 10, sheet.Width));
        Assert.Equal(Pixel(original, 16 - 1 - 3, 5, 16), Pixel(sheet, 4 + 36 + 6, 4 + 36 + 10, sheet.Width));
    }

    private static (byte, byte, byte) Pixel(DecodedImage image, int x, int y, int width)
    {
        var i = ((y * width) + x) * 3;
        return (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]);
    }
}
