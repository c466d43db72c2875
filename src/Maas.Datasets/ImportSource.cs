namespace Maas.Datasets;

/// <summary>What a source holds: its classes and its images, not yet validated.</summary>
/// <param name="Kind">The detected format (<c>idx</c>, <c>folder</c>).</param>
/// <param name="Classes">Class names in label order.</param>
/// <param name="Candidates">The images.</param>
/// <param name="Rejections">Entries refused while listing (unreadable files, unknown splits).</param>
public sealed record ImportSource(string Kind, IReadOnlyList<string> Classes, IReadOnlyList<ImportCandidate> Candidates, IReadOnlyList<ImportRejection> Rejections);
