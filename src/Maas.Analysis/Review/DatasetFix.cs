using Maas.Core;
using Maas.Core.Errors;
using Maas.Storage;
using Maas.Storage.Locking;

namespace Maas.Analysis.Review;

/// <summary>
/// Applies a reviewed file: a new version of the dataset without the samples marked <c>remove</c> and with the
/// <c>relabel:&lt;class&gt;</c> changes; every other sample is carried over unchanged (same blobs, ids and splits).
/// When a sample has several rows, <c>remove</c> wins over <c>relabel</c>, which wins over <c>keep</c>.
/// </summary>
public static class DatasetFix
{
    /// <summary>
    /// As <see cref="ApplyAsync(IDatasetStore, IReadOnlyList{ReviewRow}, string, CancellationToken)"/> on a home's stores,
    /// holding its lock shared: the new version refers to the old one's blobs, which a removal (exclusive) would delete.
    /// </summary>
    public static async Task<FixResult> ApplyAsync(MaasStores stores, IReadOnlyList<ReviewRow> rows, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stores);
        using var homeLock = await HomeLock.AcquireSharedAsync(stores.Home, $"applying the review {source}", cancellationToken);
        return await ApplyAsync(stores.Datasets, rows, source, cancellationToken);
    }

    /// <summary>Commits the fixed version; returns it with the counts of removed and relabelled samples.</summary>
    /// <exception cref="InvalidInputException">The rows name several versions, unknown samples, unknown classes, unknown
    /// actions, or conflicting relabellings.</exception>
    /// <exception cref="NotFoundException">The version they name does not exist.</exception>
    public static async Task<FixResult> ApplyAsync(IDatasetStore datasets, IReadOnlyList<ReviewRow> rows, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        ArgumentNullException.ThrowIfNull(rows);
        var references = rows.Select(r => r.Dataset).Distinct(StringComparer.Ordinal).ToArray();
        if (references.Length != 1)
        {
            throw new InvalidInputException(references.Length == 0
                ? $"{source}: no rows to apply."
                : $"{source}: rows name {references.Length} dataset versions ({string.Join(", ", references)}); a review file fixes one.");
        }

        var version = await datasets.GetVersionAsync(VersionedName.Parse(references[0], "dataset"), cancellationToken);
        var samples = await datasets.GetSamplesAsync(version.Name, version.Version, cancellationToken);
        var ids = samples.Select(s => s.SampleId).ToHashSet(StringComparer.Ordinal);
        var remove = new HashSet<string>(StringComparer.Ordinal);
        var relabel = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!ids.Contains(row.SampleId))
            {
                throw new InvalidInputException($"{source}: sample {row.SampleId} is not in {version.Reference}.");
            }

            var action = row.Action.Trim();
            if (action.Equals("remove", StringComparison.OrdinalIgnoreCase))
            {
                remove.Add(row.SampleId);
            }
            else if (action.StartsWith("relabel:", StringComparison.OrdinalIgnoreCase))
            {
                var name = action["relabel:".Length..].Trim();
                var label = version.Classes.ToList().IndexOf(name);
                if (label < 0)
                {
                    throw new InvalidInputException($"{source}: sample {row.SampleId}: '{name}' is not a class of {version.Reference} ({string.Join(", ", version.Classes)}).");
                }

                if (relabel.TryGetValue(row.SampleId, out var earlier) && earlier != label)
                {
                    throw new InvalidInputException($"{source}: sample {row.SampleId} is relabelled both to {version.Classes[earlier]} and to {name}.");
                }

                relabel[row.SampleId] = label;
            }
            else if (!action.Equals("keep", StringComparison.OrdinalIgnoreCase) && action.Length > 0)
            {
                throw new InvalidInputException($"{source}: sample {row.SampleId}: action '{row.Action}' is not remove, relabel:<class> or keep.");
            }
        }

        var relabelled = relabel.Count(kv => !remove.Contains(kv.Key) && samples.First(s => s.SampleId == kv.Key).Label != kv.Value);
        var kept = samples.Where(s => !remove.Contains(s.SampleId))
            .Select(s => relabel.TryGetValue(s.SampleId, out var label) ? s with { Label = label } : s);
        var committed = await datasets.CommitVersionAsync(version.Name, version.Classes, kept, $"fix of {version.Reference} from {source}", cancellationToken);
        return new FixResult(version.Reference, committed, remove.Count, relabelled);
    }
}
