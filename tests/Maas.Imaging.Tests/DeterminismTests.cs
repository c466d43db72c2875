using Maas.Core.Pipelines;
using Maas.Testing;

namespace Maas.Imaging.Tests;

public class DeterminismTests
{
    private static readonly PipelineSpec s_augmented = new(
    [
        new DecodeOp(),
        new ResizeOp(40, 32),
        new RandomResizedCropOp(16, 16),
        new RotateOp(Range: [-30, 30], Interpolation: Interpolation.Bilinear),
        new HorizontalFlipOp(),
        new ColorJitterOp([0.4], [0.4], [0.4]),
        new NormalizeOp([0.5f, 0.5f, 0.5f], [0.25f, 0.25f, 0.25f]),
        new RandomErasingOp(),
    ]);

    private static readonly byte[] s_image = TestImages.GradientRgbPng(15, 12, 77);

    private static float[] Run(PipelineExecutor executor, SampleContext context)
    {
        var tensor = new float[executor.Shape.Length];
        executor.Run(s_image, tensor, "gradient.png", context);
        return tensor;
    }

    [Fact]
    public void SameSeedSampleAndEpoch_GiveTheSameTensor_EvenFromAnotherExecutor()
    {
        var context = SampleContext.Training(42, "ds_fashion@3/000123", 4);

        Assert.Equal(Run(new PipelineExecutor(s_augmented), context), Run(new PipelineExecutor(s_augmented), context));
    }

    [Fact]
    public void AnotherEpoch_AnotherSampleOrAnotherSeed_AugmentsDifferently()
    {
        var executor = new PipelineExecutor(s_augmented);
        var first = Run(executor, SampleContext.Training(42, 7, 0));

        Assert.NotEqual(first, Run(executor, SampleContext.Training(42, 7, 1)));
        Assert.NotEqual(first, Run(executor, SampleContext.Training(42, 8, 0)));
        Assert.NotEqual(first, Run(executor, SampleContext.Training(43, 7, 0)));
    }

    [Fact]
    public void Evaluation_IgnoresSeedSampleAndEpoch_AndIsWhatPlainRunGives()
    {
        var executor = new PipelineExecutor(s_augmented);
        var plain = executor.Run(s_image, "gradient.png");

        Assert.Equal(plain, Run(executor, new SampleContext(1, 2, 3, PipelineMode.Evaluation)));
        Assert.Equal(plain, Run(executor, new SampleContext(9, 8, 7, PipelineMode.Evaluation)));
        Assert.Equal(plain, new PipelineExecutor(s_augmented.ForEvaluation()).Run(s_image, "gradient.png"));
    }

    [Fact]
    public void RunMany_InParallel_MatchesOneByOneWhateverTheScheduling()
    {
        var executor = new PipelineExecutor(s_augmented);
        var images = Enumerable.Range(0, 24).Select(i => TestImages.GradientRgbPng(12 + i, 14, (byte)i)).ToArray();
        var batch = new float[images.Length * executor.Shape.Length];

        executor.RunMany(images.Length, i => (images[i], $"img{i}"), i => SampleContext.Training(5, (ulong)i, 2), batch, null, CancellationToken.None);

        for (var i = images.Length - 1; i >= 0; i--)
        {
            var one = new float[executor.Shape.Length];
            executor.Run(images[i], one, "x", SampleContext.Training(5, (ulong)i, 2));
            Assert.Equal(one, batch.AsSpan(i * one.Length, one.Length).ToArray());
        }
    }

    [Fact]
    public void FlipWithHalfProbability_FlipsAboutHalfTheSamples()
    {
        var executor = PipelineRuns.Executor(1, new ResizeOp(2, 1), new HorizontalFlipOp(), new ToTensorOp(TensorDType.Uint8));
        var png = ImageEncoder.EncodePng([0, 255], 2, 1, 1);
        var flipped = 0;
        var output = new byte[2];
        for (var sample = 0UL; sample < 400; sample++)
        {
            executor.Run(png, output, "pair.png", SampleContext.Training(99, sample, 0));
            flipped += output[0] == 255 ? 1 : 0;
        }

        Assert.InRange(flipped, 150, 250);
    }

    [Fact]
    public void SampleKey_OfAnId_IsStableAcrossProcesses()
    {
        // FNV-1a 64 of "a": a published test vector, so the key cannot silently become process-specific.
        Assert.Equal(0xaf63dc4c8601ec8cUL, SampleContext.KeyOf("a"));
    }
}
