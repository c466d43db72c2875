namespace Maas.Workflows;

/// <summary>Progress of a long use case: the stage under way, items done, and items in the stage.</summary>
/// <param name="Stage">What is being done, e.g. "exporting"; a display shows one bar per stage.</param>
/// <param name="Done">Items of the stage done so far.</param>
/// <param name="Total">Items in the stage.</param>
public sealed record StageProgress(string Stage, long Done, long Total);
