namespace Maas.Workflows.Maintenance;

/// <summary>How far a maintenance pass over the home is.</summary>
/// <param name="Stage">What is being done, e.g. <c>checking blobs</c>.</param>
/// <param name="Done">Items done in the stage.</param>
/// <param name="Total">Items in the stage.</param>
public sealed record MaintenanceProgress(string Stage, int Done, int Total);
