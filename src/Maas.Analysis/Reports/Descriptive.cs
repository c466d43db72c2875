using Maas.Analysis.Statistics;

using Maas.Imaging;

namespace Maas.Analysis.Reports;

/// <summary>What the dataset holds.</summary>
/// <param name="ClassCounts">Per split name, the count of each class in class order.</param>
/// <param name="ClassTotals">Per class, the count over all splits.</param>
/// <param name="ImbalanceRatio">The largest class count over the smallest non-empty one (1 when balanced).</param>
/// <param name="Width">Widths in pixels.</param>
/// <param name="Height">Heights in pixels.</param>
/// <param name="AspectRatio">min(w/h, h/w).</param>
/// <param name="Channels">Per stored channel count (1, 3, 4), how many samples.</param>
/// <param name="Formats">Per encoded format, how many samples.</param>
/// <param name="GrayscaleCount">Samples whose pixels have R = G = B.</param>
/// <param name="TrainChannelStatistics">Mean and standard deviation of pixel values in [0, 1] over the train split; one channel when every image is grayscale.</param>
/// <param name="Properties">Per image property, its summary over all samples.</param>
/// <param name="PropertiesByClass">Per image property, per class name, its summary.</param>
public sealed record Descriptive(
    IReadOnlyDictionary<string, int[]> ClassCounts,
    int[] ClassTotals,
    double ImbalanceRatio,
    Summary Width,
    Summary Height,
    Summary AspectRatio,
    IReadOnlyDictionary<int, int> Channels,
    IReadOnlyDictionary<string, int> Formats,
    int GrayscaleCount,
    ChannelStatistics TrainChannelStatistics,
    IReadOnlyDictionary<string, Summary> Properties,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, Summary>> PropertiesByClass);
