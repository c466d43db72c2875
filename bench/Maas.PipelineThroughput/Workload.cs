namespace Maas.PipelineThroughput;

/// <summary>One of issue 4's workloads, with its inputs prepared.</summary>
/// <param name="Key">The name the children understand: <c>photos</c>, <c>photos-draft</c>, <c>photos-cached</c> or <c>fashion</c>.</param>
/// <param name="Title">How the tables name it.</param>
/// <param name="ListFile">A file listing the input images, one path a line.</param>
/// <param name="Files">How many files the list holds.</param>
/// <param name="Passes">How many times each file is processed; each pass is a fresh epoch.</param>
/// <param name="Warmup">Images processed before the clock starts, so that code is compiled and loaded.</param>
internal sealed record Workload(string Key, string Title, string ListFile, int Files, int Passes, int Warmup)
{
    public const string Photos = "photos";

    /// <summary>The photos with a reduced (DCT-scaled) JPEG decode on every side: <c>draft</c> for Maas.</summary>
    public const string PhotosDraft = "photos-draft";

    /// <summary>
    /// The photos in the epochs after the first: the deterministic prefix (decode, resize, centre crop) read from a
    /// cache built before the clock starts, as training reads <c>maas preprocess</c>'s shard cache, then the random ops.
    /// </summary>
    public const string PhotosCached = "photos-cached";

    public const string Fashion = "fashion";

    /// <summary>Whether the workload is one of the photo workloads (JPEGs, training augmentation, one image at a time).</summary>
    public static bool IsPhotos(string key) => key is Photos or PhotosDraft or PhotosCached;

    /// <summary>Images processed in one timed measurement.</summary>
    public int Images => Files * Passes;

    /// <summary>The arguments every child takes after its implementation: workload, list, passes, workers, warm-up.</summary>
    public string[] ChildArguments(int workers) =>
        [Key, ListFile, Invariant(Passes), Invariant(workers), Invariant(Warmup)];

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
