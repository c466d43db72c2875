using Maas.Core.Pipelines;

namespace Maas.Imaging.Tests;

public class ResizeCropFusionTests
{
    public static TheoryData<Interpolation, int, int, int, int> Cases()
    {
        var data = new TheoryData<Interpolation, int, int, int, int>();
        foreach (var interpolation in Enum.GetValues<Interpolation>())
        {
            foreach (var channels in new[] { 1, 3 })
            {
                // Downscale of a landscape image (the photo pipeline's shape), an upscale, a 1:1 size, and a draft-like
                // source standing for twice its size.
                data.Add(interpolation, channels, 97, 61, 1);
                data.Add(interpolation, channels, 23, 41, 1);
                data.Add(interpolation, channels, 40, 30, 1);
                data.Add(interpolation, channels, 53, 37, 2);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Resize_and_centre_crop_in_one_pass_give_the_bytes_of_the_two_ops(
        Interpolation interpolation, int channels, int width, int height, int denominator)
    {
        var random = new Random(width * height * channels);
        var pixels = new byte[width * height * channels];
        random.NextBytes(pixels);
        var from = new ImageSize(width * denominator, height * denominator);
        foreach (var resize in new[] { ResizeOp.ToShorterSide(30, interpolation), new ResizeOp(33, 30, interpolation) })
        {
            foreach (var crop in new[] { new CenterCropOp(24, 24), new CenterCropOp(30, 21), new CenterCropOp(33, 30) })
            {
                var image = Raster.CopyOf(pixels, width, height, channels);
                var resized = PixelStage.Resize(resize, image, from, denominator, "test");
                var none = default(OpRandom);
                var expected = PixelStage.Apply(crop, resized, ref none, "test");
                var fused = PixelStage.ResizeCentreCropped(resize, crop, image, from, denominator, "test");

                var size = resize.SizeFor(from);
                if (crop.Width > size.Width || crop.Height > size.Height)
                {
                    Assert.Null(fused);
                }
                else
                {
                    Assert.NotNull(fused);
                    Assert.Equal((expected.Width, expected.Height), (fused.Value.Width, fused.Value.Height));
                    Assert.Equal(expected.Pixels.ToArray(), fused.Value.Pixels.ToArray());
                    fused.Value.Return();
                }

                if (!resized.Same(image) && !resized.Same(expected))
                {
                    resized.Return();
                }

                expected.Return();

                image.Return();
            }
        }
    }
}
