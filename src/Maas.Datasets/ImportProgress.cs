namespace Maas.Datasets;

/// <summary>How far an import has come.</summary>
/// <param name="Stage">What it is doing (reading, storing, committing).</param>
/// <param name="Done">Files done so far in this stage.</param>
/// <param name="Total">Files in this stage.</param>
public readonly record struct ImportProgress(string Stage, int Done, int Total);
