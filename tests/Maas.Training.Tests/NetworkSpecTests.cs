using System.Text.Json;
using Maas.Core.Errors;
using Maas.Training.Networks;

namespace Maas.Training.Tests;

/// <summary>Specs and architectures are plain data: these tests need no libtorch.</summary>
public sealed class NetworkSpecTests
{
    [Fact]
    public void Create_UnknownArchitecture_ThrowsInvalidInputListingKnownNames()
    {
        var error = Assert.Throws<InvalidInputException>(() => Architectures.Create("vgg-42", 1, 28, 28, 10));

        Assert.Contains("'vgg-42'", error.Message, StringComparison.Ordinal);
        Assert.All(Architectures.Names, name => Assert.Contains(name, error.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Create_SmallCnnFor28x28_FlattensTo3136Features()
    {
        var spec = Architectures.Create(Architectures.Default, 1, 28, 28, 10);

        Assert.Equal("small-cnn", Architectures.Default);
        Assert.Equal(new LinearLayer(64 * 7 * 7, 128), spec.Layers.OfType<LinearLayer>().First());
        Assert.Equal(2, spec.Layers.OfType<Conv2dLayer>().Count());
        Assert.Equal(2, spec.Layers.OfType<BatchNorm2dLayer>().Count());
    }

    [Theory]
    [InlineData("small-cnn", 3, 32, 32, 5)]
    [InlineData("small-cnn", 1, 30, 17, 2)]
    [InlineData("tiny-cnn", 3, 64, 48, 7)]
    [InlineData("mlp", 1, 28, 28, 10)]
    public void Create_AnyInputSizeAndClassCount_GivesAValidSpecEndingInClassCount(string name, int channels, int height, int width, int classes)
    {
        var spec = Architectures.Create(name, channels, height, width, classes);

        spec.Validate();
        Assert.Equal((channels, height, width, classes), (spec.InputChannels, spec.InputHeight, spec.InputWidth, spec.ClassCount));
        Assert.Equal(classes, Assert.IsType<LinearLayer>(spec.Layers[^1]).OutFeatures);
        Assert.Equal(channels, spec.Layers.OfType<Conv2dLayer>().FirstOrDefault()?.InChannels ?? channels);
    }

    [Fact]
    public void Create_InputTooSmallForSmallCnn_ThrowsInvalidInputNamingTheArchitecture()
    {
        var error = Assert.Throws<InvalidInputException>(() => Architectures.Create("small-cnn", 1, 3, 3, 10));

        Assert.Contains("small-cnn", error.Message, StringComparison.Ordinal);
        Assert.Contains("1x3x3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LinearInFeaturesMismatch_NamesLayerAndSizes()
    {
        var spec = new NetworkSpec(1, 28, 28, 10,
        [
            new Conv2dLayer(1, 8, 3, Padding: 1),
            new MaxPool2dLayer(2),
            new FlattenLayer(),
            new LinearLayer(999, 10),
        ]);

        var error = Assert.Throws<InvalidInputException>(spec.Validate);

        Assert.Contains("layer 4", error.Message, StringComparison.Ordinal);
        Assert.Contains("999", error.Message, StringComparison.Ordinal);
        Assert.Contains("1568", error.Message, StringComparison.Ordinal); // 8 x 14 x 14
    }

    [Fact]
    public void Validate_LinearOnFeatureMap_AsksForFlatten()
    {
        var spec = new NetworkSpec(1, 4, 4, 2, [new LinearLayer(16, 2)]);

        var error = Assert.Throws<InvalidInputException>(spec.Validate);
        Assert.Contains("Flatten", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ConvChannelsMismatch_Throws()
    {
        var spec = new NetworkSpec(3, 8, 8, 2, [new Conv2dLayer(1, 4, 3), new GlobalAveragePoolLayer(), new FlattenLayer(), new LinearLayer(4, 2)]);

        var error = Assert.Throws<InvalidInputException>(spec.Validate);
        Assert.Contains("layer 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BatchNormChannelsMismatch_Throws()
    {
        var spec = new NetworkSpec(1, 8, 8, 2, [new Conv2dLayer(1, 4, 3), new BatchNorm2dLayer(5), new FlattenLayer(), new LinearLayer(144, 2)]);

        var error = Assert.Throws<InvalidInputException>(spec.Validate);
        Assert.Contains("layer 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LastLayerNotClassCountWide_Throws()
    {
        var spec = new NetworkSpec(1, 4, 4, 3, [new FlattenLayer(), new LinearLayer(16, 2)]);

        var error = Assert.Throws<InvalidInputException>(spec.Validate);
        Assert.Contains("3 features", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Validate_DropoutProbabilityOutOfRange_Throws(double probability)
    {
        var spec = new NetworkSpec(1, 4, 4, 2, [new FlattenLayer(), new DropoutLayer(probability), new LinearLayer(16, 2)]);

        var error = Assert.Throws<InvalidInputException>(spec.Validate);
        Assert.Contains("Probability", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PoolWindowLargerThanInput_Throws()
    {
        var spec = new NetworkSpec(1, 2, 2, 2, [new MaxPool2dLayer(3, 1), new FlattenLayer(), new LinearLayer(1, 2)]);

        Assert.Throws<InvalidInputException>(spec.Validate);
    }

    [Fact]
    public void Validate_NoLayers_Throws()
    {
        Assert.Throws<InvalidInputException>(new NetworkSpec(1, 4, 4, 2, []).Validate);
    }

    [Fact]
    public void Equals_SameLayersInAnotherList_IsEqual()
    {
        var first = Architectures.Create("small-cnn", 1, 28, 28, 10);
        var second = first with { Layers = [.. first.Layers] };

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, first with { ClassCount = 11 });
        Assert.NotEqual(first, first with { Layers = [.. first.Layers.Take(first.Layers.Count - 1), new LinearLayer(128, 11)] });
    }

    [Fact]
    public void Serialize_ThroughJson_RoundTripsWithLayerKinds()
    {
        // Every layer kind: small-cnn's first eight layers, then pooling, flattening, dropout and a linear head.
        var spec = Architectures.Create("small-cnn", 1, 28, 28, 10);
        spec = spec with { Layers = [.. spec.Layers.Take(8), new GlobalAveragePoolLayer(), new FlattenLayer(), new DropoutLayer(0.1), new LinearLayer(64, 10)] };

        string json = JsonSerializer.Serialize(spec);
        var back = JsonSerializer.Deserialize<NetworkSpec>(json);

        Assert.Contains("\"type\":\"conv2d\"", json, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"global-average-pool\"", json, StringComparison.Ordinal);
        Assert.Equal(spec, back);
    }

    [Theory]
    [InlineData("resnet18", 8)]
    [InlineData("resnet34", 16)]
    public void Create_ResNet_HasBasicBlocksInFourStagesAndAPooledHead(string name, int blocks)
    {
        var spec = Architectures.Create(name, 3, 32, 32, 7);

        var residual = spec.Layers.OfType<ResidualBlockLayer>().ToList();
        Assert.Equal(blocks, residual.Count);
        Assert.Equal([64, 128, 256, 512], residual.Select(b => b.OutChannels).Distinct());
        Assert.Equal(3, residual.Count(b => b.HasProjection));
        Assert.Equal(new LinearLayer(512, 7), spec.Layers[^1]);
        Assert.IsType<GlobalAveragePoolLayer>(spec.Layers[^3]);
    }

    [Theory]
    [InlineData(28, 28, false)]
    [InlineData(64, 64, false)]
    [InlineData(65, 40, true)]
    [InlineData(224, 224, true)]
    public void Create_ResNet_UsesTheSmallImageStemUpTo64Pixels(int height, int width, bool imageNetStem)
    {
        var spec = Architectures.Create("resnet18", 1, height, width, 10);

        var stem = Assert.IsType<Conv2dLayer>(spec.Layers[0]);
        Assert.Equal(imageNetStem ? (7, 2, 3) : (3, 1, 1), (stem.Kernel, stem.Stride, stem.Padding));
        Assert.False(stem.Bias);
        Assert.Equal(imageNetStem, spec.Layers.OfType<MaxPool2dLayer>().Any(p => p is { Kernel: 3, Stride: 2, Padding: 1 }));
    }

    [Fact]
    public void Validate_ResidualBlockChannelsMismatch_NamesTheLayer()
    {
        var spec = new NetworkSpec(3, 8, 8, 2, [new ResidualBlockLayer(4, 8, 2), new GlobalAveragePoolLayer(), new FlattenLayer(), new LinearLayer(8, 2)]);

        var error = Assert.Throws<InvalidInputException>(spec.Validate);
        Assert.Contains("layer 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ChannelAffineWithWrongChannelCount_Throws()
    {
        var spec = new NetworkSpec(3, 4, 4, 2, [new ChannelAffineLayer([1f], [0f]), new FlattenLayer(), new LinearLayer(48, 2)]);

        Assert.Throws<InvalidInputException>(spec.Validate);
    }

    [Fact]
    public void Serialize_ResNetWithInputAffine_RoundTrips()
    {
        var spec = Architectures.Create("resnet18", 3, 96, 96, 4);
        spec = spec with { Layers = [new ChannelAffineLayer([255f, 255f, 255f], [-123f, -116f, -103f]), .. spec.Layers] };

        string json = JsonSerializer.Serialize(spec);
        var back = JsonSerializer.Deserialize<NetworkSpec>(json);

        Assert.Contains("\"type\":\"residual-block\"", json, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"channel-affine\"", json, StringComparison.Ordinal);
        Assert.Equal(spec, back);
        Assert.Equal(spec.GetHashCode(), back!.GetHashCode());
    }
}
