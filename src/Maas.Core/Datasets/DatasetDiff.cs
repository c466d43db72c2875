using Maas.Core.Errors;

namespace Maas.Core.Datasets;

/// <summary>
/// What changed from one dataset version to another, matching samples by <see cref="Sample.SampleId"/>. Labels are
/// compared by class name, not by index, so two versions with different class lists compare correctly. A sample
/// can appear in several of <see cref="Relabelled"/>, <see cref="Changed"/> and <see cref="Moved"/>.
/// </summary>
/// <param name="From">The reference of the older side, e.g. <c>fashion@1</c>.</param>
/// <param name="To">The reference of the newer side, e.g. <c>fashion@2</c>.</param>
/// <param name="Added">Samples only in <paramref name="To"/>, ordered by sample id.</param>
/// <param name="Removed">Samples only in <paramref name="From"/>, ordered by sample id.</param>
/// <param name="Relabelled">Samples in both whose class name differs, ordered by sample id.</param>
/// <param name="Changed">Samples in both whose image bytes (blob hash) differ, ordered by sample id.</param>
/// <param name="Moved">Samples in both whose split differs, ordered by sample id.</param>
/// <param name="Unchanged">How many samples are in both with the same class, bytes and split.</param>
public sealed record DatasetDiff(
    string From,
    string To,
    IReadOnlyList<SampleDifference> Added,
    IReadOnlyList<SampleDifference> Removed,
    IReadOnlyList<SampleDifference> Relabelled,
    IReadOnlyList<SampleDifference> Changed,
    IReadOnlyList<SampleDifference> Moved,
    int Unchanged)
{
    /// <summary>Whether the two versions hold the same samples with the same classes, bytes and splits.</summary>
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Relabelled.Count == 0 && Changed.Count == 0 && Moved.Count == 0;

    /// <summary>Compares the manifest <paramref name="samplesA"/> of <paramref name="a"/> with <paramref name="samplesB"/> of <paramref name="b"/>.</summary>
    /// <exception cref="InvalidInputException">A manifest repeats a sample id or has a label outside its class list.</exception>
    public static DatasetDiff Compute(DatasetVersion a, IReadOnlyList<Sample> samplesA, DatasetVersion b, IReadOnlyList<Sample> samplesB)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(samplesA);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(samplesB);
        var before = Index(a, samplesA);
        var after = Index(b, samplesB);
        List<SampleDifference> added = [], removed = [], relabelled = [], changed = [], moved = [];
        var unchanged = 0;
        foreach (var (id, old) in before)
        {
            if (!after.TryGetValue(id, out var now))
            {
                removed.Add(new SampleDifference(id, old, null));
                continue;
            }

            var difference = new SampleDifference(id, old, now);
            var same = true;
            if (!string.Equals(old.ClassName, now.ClassName, StringComparison.Ordinal))
            {
                relabelled.Add(difference);
                same = false;
            }

            if (!string.Equals(old.BlobHash, now.BlobHash, StringComparison.Ordinal))
            {
                changed.Add(difference);
                same = false;
            }

            if (old.Split != now.Split)
            {
                moved.Add(difference);
                same = false;
            }

            unchanged += same ? 1 : 0;
        }

        foreach (var (id, now) in after)
        {
            if (!before.ContainsKey(id))
            {
                added.Add(new SampleDifference(id, null, now));
            }
        }

        return new DatasetDiff(a.Reference, b.Reference, added, removed, relabelled, changed, moved, unchanged);
    }

    private static SortedDictionary<string, SampleState> Index(DatasetVersion version, IReadOnlyList<Sample> samples)
    {
        var index = new SortedDictionary<string, SampleState>(StringComparer.Ordinal);
        foreach (var s in samples)
        {
            if (s.Label < 0 || s.Label >= version.Classes.Count)
            {
                throw new InvalidInputException($"{version.Reference}: sample {s.SampleId} has label {s.Label}, outside its {version.Classes.Count} classes.");
            }

            if (!index.TryAdd(s.SampleId, new SampleState(version.Classes[s.Label], s.Split, s.BlobHash, s.OriginalPath)))
            {
                throw new InvalidInputException($"{version.Reference}: sample id {s.SampleId} appears more than once, so samples cannot be matched by id.");
            }
        }

        return index;
    }
}

/// <summary>One sample as it is on each side of a <see cref="DatasetDiff"/>.</summary>
/// <param name="SampleId">The id that matched the two sides.</param>
/// <param name="Before">The sample in the older version; null when it was added.</param>
/// <param name="After">The sample in the newer version; null when it was removed.</param>
public sealed record SampleDifference(string SampleId, SampleState? Before, SampleState? After);

/// <summary>What a diff compares of a sample.</summary>
/// <param name="ClassName">The class name its label stands for.</param>
/// <param name="Split">Its split.</param>
/// <param name="BlobHash">SHA-256 of its image bytes.</param>
/// <param name="OriginalPath">Where it was imported from.</param>
public sealed record SampleState(string ClassName, Split Split, string BlobHash, string OriginalPath);
