using Maas.Core.Datasets;

namespace Maas.Analysis.Review;

/// <summary>The outcome of applying a review file.</summary>
/// <param name="From">The version the file was made from.</param>
/// <param name="Version">The new version.</param>
/// <param name="Removed">Samples left out.</param>
/// <param name="Relabelled">Samples whose label changed.</param>
public sealed record FixResult(string From, DatasetVersion Version, int Removed, int Relabelled);
