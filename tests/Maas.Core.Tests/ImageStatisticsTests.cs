using Maas.Core.Datasets;

namespace Maas.Core.Tests;

public sealed class ImageStatisticsTests
{
    private static Sample SampleOf(int width, int height, int channels, string format) =>
        new("id", new string('a', 64), 0, Split.Train, "x", width, height, channels, format);

    [Fact]
    public void Of_MixedImages_SummarizesSizesChannelsAndFormats()
    {
        var stats = ImageStatistics.Of([SampleOf(10, 100, 3, "jpeg"), SampleOf(30, 50, 1, "png"), SampleOf(20, 70, 3, "jpeg")]);

        Assert.Equal(3, stats.Count);
        Assert.Equal(new ValueSummary(10, 20, 30), stats.Width);
        Assert.Equal(new ValueSummary(50, 70, 100), stats.Height);
        Assert.Equal([KeyValuePair.Create(1, 1), KeyValuePair.Create(3, 2)], stats.Channels);
        Assert.Equal([KeyValuePair.Create("jpeg", 2), KeyValuePair.Create("png", 1)], stats.Formats);
    }

    [Fact]
    public void ValueSummary_EvenCount_MedianIsTheMeanOfTheMiddleTwo()
    {
        Assert.Equal(new ValueSummary(1, 2.5, 9), ValueSummary.Of([9, 1, 2, 3]));
    }

    [Fact]
    public void Of_NoSamples_IsAllZero()
    {
        var stats = ImageStatistics.Of([]);

        Assert.Equal((0, new ValueSummary(0, 0, 0)), (stats.Count, stats.Width));
        Assert.Empty(stats.Formats);
    }
}
