using Maas.Core.Pipelines;
using Maas.Testing;

namespace Maas.Imaging.Tests;

public class PrefixTests
{
    private static readonly PipelineSpec s_spec = new(
    [
        new DecodeOp(),
        ResizeOp.ToShorterSide(20, Interpolation.Area),
        new PadOp(1, 1, 1, 1, Mode: PadMode.Reflect),
        new RandomResizedCropOp(12, 12),
        new HorizontalFlipOp(),
        new ColorJitterOp(Brightness: [0.3]),
        new NormalizeOp([0.4f, 0.5f, 0.6f], [0.2f, 0.2f, 0.2f]),
    ]);

    [Fact]
    public void RunFromPrefix_GivesTheSameTensorAsTheWholePipeline_InBothModes()
    {
        var executor = new PipelineExecutor(s_spec);
        var png = TestImages.GradientRgbPng(30, 25, 9);
        var prefix = executor.RunPrefix(png, "photo.png");

        foreach (var context in new[] { SampleContext.Training(3, "s1", 0), SampleContext.Training(3, "s1", 1), SampleContext.Evaluation })
        {
            var whole = new float[executor.Shape.Length];
            var fromPrefix = new float[executor.Shape.Length];
            executor.Run(png, whole, "photo.png", context);

            executor.RunFromPrefix(prefix.Pixels, prefix.Width, prefix.Height, prefix.Channels, fromPrefix, context);

            Assert.Equal(whole, fromPrefix);
        }
    }

    [Fact]
    public void RunPrefix_StopsBeforeTheFirstRandomOp()
    {
        var executor = new PipelineExecutor(s_spec);

        var prefix = executor.RunPrefix(TestImages.GradientRgbPng(30, 25, 9), "photo.png");

        // 30x25 to shorter side 20 is 24x20, padded by one pixel all round.
        Assert.Equal((26, 22, 3), (prefix.Width, prefix.Height, prefix.Channels));
        Assert.Equal(3, s_spec.DeterministicPrefixLength);
        Assert.Equal(3, executor.PrefixChannels);
    }

    [Fact]
    public void RunFromPrefix_WithTheWrongChannels_IsRefused()
    {
        var executor = new PipelineExecutor(s_spec);

        Assert.Throws<ArgumentException>(() => executor.RunFromPrefix(new byte[16], 4, 4, 1, new float[executor.Shape.Length], SampleContext.Evaluation));
    }
}
