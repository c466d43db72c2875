namespace Maas.Analysis;

/// <summary>A progress report of an analysis: the stage, and items done of the stage's total.</summary>
/// <param name="Stage">What is running (<c>measuring images</c>, <c>embedding images</c>, ...).</param>
/// <param name="Done">Items done.</param>
/// <param name="Total">Items in the stage.</param>
public sealed record AnalysisProgress(string Stage, long Done, long Total);
