using Maas.Core.Pipelines;
using Maas.Imaging;
using Maas.Testing;

namespace Maas.Inference.Tests;

public sealed class ResNetEmbedderTests
{
    [Fact]
    public void Preparation_MatchesThePackagedPreprocessingModel()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, ResNetEmbedder.ModelFolder);
        using var embedder = new ResNetEmbedder(folder);
        var image = ImageDecoder.Decode(TestImages.Photo("/usr/share/backgrounds/mate/nature/LadyBird.jpg", 300), ColorMode.Rgb, null, "photo");
        var prepared = new float[3 * 224 * 224];
        embedder.Prepare(image, prepared);

        // The same resize, then the package's own preprocessing model.
        var resized = new float[224 * 224 * 3];
        BilinearResize.Resize(image.Pixels, image.Width, image.Height, 3, resized, 224, 224);
        var chw = new float[resized.Length];
        for (var p = 0; p < 224 * 224; p++)
        {
            for (var c = 0; c < 3; c++)
            {
                chw[(c * 224 * 224) + p] = resized[(p * 3) + c];
            }
        }

        var expected = ResNetEmbedder.RunPreprocessModel(folder, chw, 224, 224);
        for (var i = 0; i < expected.Length; i += 97)
        {
            Assert.Equal(expected[i], prepared[i], 2);
        }

        Assert.Equal(512, embedder.Dimensions);
    }
}
