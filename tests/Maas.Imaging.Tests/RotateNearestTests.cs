using Maas.Core.Pipelines;

namespace Maas.Imaging.Tests;

public class RotateNearestTests
{
    [Theory]
    [InlineData(1, 17, 17, 12.5, false)]
    [InlineData(3, 31, 20, -14.999, false)]
    [InlineData(3, 24, 24, 7.25, true)]
    [InlineData(2, 9, 13, 135, true)]
    [InlineData(3, 40, 25, -3.5, false)]
    public void Nearest_rotation_picks_the_source_pixel_the_rotation_formula_gives(int channels, int width, int height, double degrees, bool expand)
    {
        var random = new Random(width + height);
        var pixels = new byte[width * height * channels];
        random.NextBytes(pixels);
        byte[] fill = [7, 8, 9];
        var image = Raster.CopyOf(pixels, width, height, channels);

        var rotated = PixelGeometry.Rotate(image, degrees, expand, Interpolation.Nearest, fill.AsSpan(0, channels));

        // The inverse of a counter-clockwise turn about the centre, written out per pixel as RotateOp documents it.
        var (sin, cos) = RotateOp.SinCos(degrees);
        var size = expand ? RotateOp.ExpandedSize(new ImageSize(width, height), degrees) : new ImageSize(width, height);
        var expected = new byte[size.Width * size.Height * channels];
        for (var y = 0; y < size.Height; y++)
        {
            for (var x = 0; x < size.Width; x++)
            {
                double rx = x + 0.5 - (size.Width / 2.0), ry = y + 0.5 - (size.Height / 2.0);
                var sx = (rx * cos) - (ry * sin) + (width / 2.0) - 0.5;
                var sy = (rx * sin) + (ry * cos) + (height / 2.0) - 0.5;
                int ix = (int)Math.Floor(sx + 0.5), iy = (int)Math.Floor(sy + 0.5);
                for (var c = 0; c < channels; c++)
                {
                    expected[(((y * size.Width) + x) * channels) + c] = ix >= 0 && ix < width && iy >= 0 && iy < height
                        ? pixels[(((iy * width) + ix) * channels) + c]
                        : fill[c];
                }
            }
        }

        Assert.Equal((size.Width, size.Height), (rotated.Width, rotated.Height));
        Assert.Equal(expected, rotated.Pixels.ToArray());
        rotated.Return();
        image.Return();
    }
}
