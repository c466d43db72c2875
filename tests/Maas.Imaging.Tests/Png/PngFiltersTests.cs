using Maas.Imaging.Png;

namespace Maas.Imaging.Tests.Png;

public class PngFiltersTests
{
    [Fact]
    public void Threshold_form_of_the_Paeth_predictor_agrees_with_the_spec_for_every_byte_triple()
    {
        // PNG spec §9.4, written out as the spec gives it, independent of the decoder's form.
        static int Spec(int a, int b, int c)
        {
            var p = a + b - c;
            int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
            return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }

        var mismatches = 0;
        for (var left = 0; left < 256; left++)
        {
            for (var up = 0; up < 256; up++)
            {
                for (var upLeft = 0; upLeft < 256; upLeft++)
                {
                    var expected = Spec(left, up, upLeft);
                    if (PngFilters.PaethFromThresholds(left, up, upLeft) != expected)
                    {
                        mismatches++;
                    }
                }
            }
        }

        Assert.Equal(0, mismatches);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Reversing_every_filter_restores_rows_filtered_as_the_spec_defines(int bytesPerPixel)
    {
        const int width = 37, height = 5;
        var stride = width * bytesPerPixel;
        var random = new Random(bytesPerPixel);
        var pixels = new byte[height * stride];
        random.NextBytes(pixels);

        // Row r uses filter r (None, Sub, Up, Average, Paeth), each computed from the unfiltered pixels.
        var data = new byte[height * (stride + 1)];
        for (var row = 0; row < height; row++)
        {
            data[row * (stride + 1)] = (byte)row;
            for (var i = 0; i < stride; i++)
            {
                int x = pixels[(row * stride) + i];
                var a = i >= bytesPerPixel ? pixels[(row * stride) + i - bytesPerPixel] : 0;
                var b = row > 0 ? pixels[((row - 1) * stride) + i] : 0;
                var c = row > 0 && i >= bytesPerPixel ? pixels[((row - 1) * stride) + i - bytesPerPixel] : 0;
                var p = a + b - c;
                int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                var paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                var predictor = row switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) >> 1, _ => paeth };
                data[(row * (stride + 1)) + 1 + i] = (byte)(x - predictor);
            }
        }

        Assert.True(PngFilters.Reverse(data, stride, height, bytesPerPixel));
        for (var row = 0; row < height; row++)
        {
            Assert.Equal(pixels.AsSpan(row * stride, stride).ToArray(), data.AsSpan((row * (stride + 1)) + 1, stride).ToArray());
        }
    }
}
