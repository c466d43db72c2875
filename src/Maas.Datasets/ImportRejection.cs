namespace Maas.Datasets;

/// <summary>A file the import skipped, and why.</summary>
/// <param name="Path">The file, relative to the import source.</param>
/// <param name="Reason">What is wrong with it.</param>
public sealed record ImportRejection(string Path, string Reason);
