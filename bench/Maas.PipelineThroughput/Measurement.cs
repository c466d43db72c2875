namespace Maas.PipelineThroughput;

/// <summary>One measured child process.</summary>
/// <param name="Workload">The workload's title.</param>
/// <param name="Files">Distinct input files (the count the memory table compares).</param>
/// <param name="Implementation">Who did the work.</param>
/// <param name="Workers">Threads (Maas) or processes (Python) sharing the images.</param>
/// <param name="Report">What the child measured.</param>
internal sealed record Measurement(string Workload, int Files, string Implementation, int Workers, ChildReport Report);
