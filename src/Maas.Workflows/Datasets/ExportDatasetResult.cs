using Maas.Core.Datasets;

namespace Maas.Workflows.Datasets;

/// <summary>An exported class-per-folder tree.</summary>
/// <param name="Dataset">The version exported, NAME@VERSION.</param>
/// <param name="Folder">The full path of the tree written.</param>
/// <param name="Files">Image files written.</param>
/// <param name="Classes">The class folders in label order, with the class name each holds (as classes.json maps them).</param>
/// <param name="Splits">The split folders written, in split order.</param>
public sealed record ExportDatasetResult(string Dataset, string Folder, int Files, IReadOnlyList<ClassFolder> Classes, IReadOnlyList<Split> Splits);
