using Maas.Datasets;

namespace Maas.Workflows.Datasets;

/// <summary>What to import: a source folder, the dataset name it becomes the next version of, and how to read and split it.</summary>
/// <param name="Source">A folder of MNIST-family IDX files, or a class-per-folder tree.</param>
/// <param name="Name">The dataset name; an existing name gets its next version.</param>
/// <param name="Options">Class names, split fractions, seed and source format.</param>
public sealed record ImportDatasetRequest(string Source, string Name, ImportOptions Options);
