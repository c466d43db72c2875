namespace Maas.Inference;

/// <summary>One run of the batching scheduler, as its observer sees it.</summary>
/// <param name="Instance">Which session (0-based) ran it.</param>
/// <param name="Size">Images in the run.</param>
/// <param name="Requests">Requests whose images it held.</param>
/// <param name="RunTime">Time spent in the runner.</param>
/// <param name="QueueWaits">How long each request waited in the queue before the run began.</param>
public sealed record BatchRun(int Instance, int Size, int Requests, TimeSpan RunTime, IReadOnlyList<TimeSpan> QueueWaits);
