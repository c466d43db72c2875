using Maas.Core.Errors;
using Maas.Training.Networks;
using static TorchSharp.torch;

namespace Maas.Training.Tests;

[Collection(TorchCollection.Name)]
public sealed class NetworkTests
{
    [Theory]
    [InlineData("small-cnn", 1, 28, 28, 10)]
    [InlineData("small-cnn", 3, 32, 32, 5)]
    [InlineData("tiny-cnn", 3, 20, 36, 7)]
    [InlineData("mlp", 1, 28, 28, 3)]
    [InlineData("resnet18", 1, 16, 16, 10)]
    [InlineData("resnet34", 3, 12, 20, 4)]
    [InlineData("resnet18", 3, 80, 72, 5)]
    public void Forward_AnyArchitecture_GivesOneLogitPerClass(string name, int channels, int height, int width, int classes)
    {
        using var network = new Network(Architectures.Create(name, channels, height, width, classes));
        using var scope = NewDisposeScope();

        var logits = network.call(rand(4, channels, height, width));

        Assert.Equal([4L, classes], logits.shape);
    }

    [Fact]
    public void Construct_FromInconsistentSpec_ThrowsInvalidInput()
    {
        var spec = new NetworkSpec(1, 28, 28, 10, [new FlattenLayer(), new LinearLayer(100, 10)]);

        Assert.Throws<InvalidInputException>(() => new Network(spec));
    }

    [Fact]
    public void Parameters_AreNamedAfterLayerPositions()
    {
        using var network = new Network(Architectures.Create("small-cnn", 1, 28, 28, 10));

        var names = network.state_dict().Keys.ToHashSet();

        Assert.Contains("layers.0.weight", names);
        Assert.Contains("layers.1.running_mean", names);
        Assert.Contains("layers.12.bias", names);
    }

    [Fact]
    public void Parameters_CountMatchesTheSpec()
    {
        using var network = new Network(Architectures.Create("small-cnn", 1, 28, 28, 10));

        long count = network.parameters().Sum(p => p.numel());

        // conv 1->32, bn 32, conv 32->64, bn 64, linear 3136->128, linear 128->10, each with its bias.
        long expected = (32 * 9 + 32) + (2 * 32) + (64 * 32 * 9 + 64) + (2 * 64) + (3136 * 128 + 128) + (128 * 10 + 10);
        Assert.Equal(expected, count);
    }

    [Fact]
    public void Parameters_ResNet18_CountMatchesTorchvision()
    {
        using var network = new Network(Architectures.Create("resnet18", 3, 224, 224, 1000));

        // torchvision.models.resnet18() has 11,689,512 parameters.
        Assert.Equal(11_689_512, network.parameters().Sum(p => p.numel()));
        Assert.Contains("layers.6.downsample.0.weight", network.state_dict().Keys);
    }
}
