namespace Maas.Datasets;

/// <summary>
/// A source of images in one layout (IDX files, a class-per-folder tree, a manifest, an archive of any of these),
/// read as a stream of entries so that memory does not grow with the size of the source.
/// </summary>
public interface IImportSource
{
    /// <summary>The layout, as <c>--format</c> names it (<c>idx</c>, <c>folder</c>, <c>csv</c>, ...).</summary>
    string Kind { get; }

    /// <summary>Class names in the order the source defines (IDX label order), or null to order them by name.</summary>
    IReadOnlyList<string>? ClassOrder { get; }

    /// <summary>How many entries the source holds, when it knows before reading them all (for progress).</summary>
    int? Count { get; }

    /// <summary>The entries, in a deterministic order.</summary>
    IAsyncEnumerable<ImportCandidate> ReadAsync(CancellationToken cancellationToken);
}
