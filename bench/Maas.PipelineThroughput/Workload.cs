namespace Maas.PipelineThroughput;

/// <summary>One of issue 4's two workloads, with its inputs prepared.</summary>
/// <param name="Key">The name the children understand: <c>photos</c> or <c>fashion</c>.</param>
/// <param name="Title">How the tables name it.</param>
/// <param name="ListFile">A file listing the input images, one path a line.</param>
/// <param name="Files">How many files the list holds.</param>
/// <param name="Passes">How many times each file is processed; each pass is a fresh epoch.</param>
/// <param name="Warmup">Images processed before the clock starts, so that code is compiled and loaded.</param>
internal sealed record Workload(string Key, string Title, string ListFile, int Files, int Passes, int Warmup)
{
    public const string Photos = "photos";
    public const string Fashion = "fashion";

    /// <summary>Images processed in one timed measurement.</summary>
    public int Images => Files * Passes;

    /// <summary>The arguments every child takes after its implementation: workload, list, passes, workers, warm-up.</summary>
    public string[] ChildArguments(int workers) =>
        [Key, ListFile, Invariant(Passes), Invariant(workers), Invariant(Warmup)];

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
