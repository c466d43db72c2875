using System.Collections.Concurrent;
using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Datasets.Folders;
using Maas.Datasets.Idx;
using Maas.Imaging;
using Maas.Storage;
using Maas.Storage.Blobs;

namespace Maas.Datasets;

/// <summary>
/// Imports a source into a new dataset version: detects the layout, validates every image by decoding it, stores
/// each distinct image once in the blob store, drops exact duplicates, assigns splits where the source has none,
/// and commits the manifest in one transaction at the end, so a cancelled import leaves no version behind.
/// </summary>
/// <param name="datasets">Where versions are committed.</param>
/// <param name="blobs">Where image bytes are stored.</param>
public sealed class DatasetImporter(IDatasetStore datasets, IBlobStore blobs)
{
    /// <summary>Imports <paramref name="path"/> as the next version of <paramref name="name"/>.</summary>
    /// <exception cref="NotFoundException">The path does not exist.</exception>
    /// <exception cref="InvalidInputException">The source is malformed or holds no valid image.</exception>
    public async Task<ImportResult> ImportAsync(string path, string name, ImportOptions? options,
        IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new ImportOptions();
        VersionedName.ValidateName(name, "dataset name");
        var fractions = CheckFractions(options.SplitFractions ?? ImportOptions.DefaultSplitFractions);
        var source = await ReadSourceAsync(path, options, cancellationToken);

        var total = source.Candidates.Count;
        var stored = new Sample?[total];
        var rejections = new ConcurrentBag<ImportRejection>(source.Rejections);
        var done = 0;
        progress?.Report(new ImportProgress("validating and storing", 0, total));
        await Parallel.ForEachAsync(Enumerable.Range(0, total),
            new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
            async (i, ct) =>
            {
                var candidate = source.Candidates[i];
                try
                {
                    var bytes = await candidate.Load(ct);
                    var info = ImageDecoder.ReadInfo(bytes, candidate.OriginalPath);
                    // A full decode catches truncated and corrupt data that a readable header hides.
                    ImageDecoder.Decode(bytes, Core.Pipelines.ColorMode.Rgb, null, candidate.OriginalPath);
                    var hash = await blobs.PutAsync(bytes, ct);
                    stored[i] = new Sample(candidate.SampleId, hash, candidate.Label, candidate.Split ?? Split.Train,
                        candidate.OriginalPath, info.Width, info.Height, info.Channels, info.Format.ToName());
                }
                catch (UnsupportedImageException e)
                {
                    rejections.Add(new ImportRejection(candidate.OriginalPath, StripSource(e.Message, candidate.OriginalPath)));
                }
                catch (IOException e)
                {
                    rejections.Add(new ImportRejection(candidate.OriginalPath, $"unreadable: {e.Message}"));
                }

                var now = Interlocked.Increment(ref done);
                if (now % 512 == 0 || now == total)
                {
                    progress?.Report(new ImportProgress("validating and storing", now, total));
                }
            });

        var (samples, duplicates) = DropDuplicates(stored, source.Candidates, rejections);
        if (samples.Count == 0)
        {
            throw new InvalidInputException($"{path}: none of the {total} files is a valid image ({rejections.Count} rejected).");
        }

        if (source.Candidates.All(c => c.Split is null))
        {
            var splits = StratifiedSplit.Assign(samples.Select(s => (s.SampleId, s.Label)).ToArray(), fractions, options.Seed);
            samples = samples.Select((s, i) => s with { Split = splits[i] }).ToList();
        }

        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new ImportProgress("committing", 0, samples.Count));
        await blobs.FlushAsync(cancellationToken);
        var version = await datasets.CommitVersionAsync(name, source.Classes, samples, Path.GetFullPath(path), cancellationToken);
        progress?.Report(new ImportProgress("committing", samples.Count, samples.Count));
        var ordered = rejections.OrderBy(r => r.Path, StringComparer.Ordinal).ToArray();
        return new ImportResult(version, SplitCounts.Of(source.Classes, samples), ordered, duplicates);
    }

    private static async Task<ImportSource> ReadSourceAsync(string path, ImportOptions options, CancellationToken cancellationToken)
    {
        if (File.Exists(path))
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            return IdxSource.Detect(folder) && Path.GetFileName(path).Contains("idx", StringComparison.Ordinal)
                ? await IdxSource.ReadAsync(folder, options.ClassNames, cancellationToken)
                : throw new InvalidInputException($"{path}: a single file can be imported only as part of an IDX set; give the folder of a class-per-folder tree or of the IDX files.");
        }

        if (!Directory.Exists(path))
        {
            throw new NotFoundException($"{path}: no such file or folder.");
        }

        return IdxSource.Detect(path)
            ? await IdxSource.ReadAsync(path, options.ClassNames, cancellationToken)
            : FolderSource.Read(path, options.ClassNames);
    }

    private static (List<Sample> Samples, int Duplicates) DropDuplicates(Sample?[] stored, IReadOnlyList<ImportCandidate> candidates,
        ConcurrentBag<ImportRejection> rejections)
    {
        var firstByHash = new Dictionary<string, Sample>(StringComparer.Ordinal);
        var samples = new List<Sample>(stored.Length);
        var duplicates = 0;
        for (var i = 0; i < stored.Length; i++)
        {
            if (stored[i] is not { } sample)
            {
                continue;
            }

            if (firstByHash.TryGetValue(sample.BlobHash, out var first))
            {
                duplicates++;
                if (first.Label != sample.Label)
                {
                    rejections.Add(new ImportRejection(candidates[i].OriginalPath,
                        $"label conflict: the same bytes as {first.OriginalPath}, which has another label"));
                }

                continue;
            }

            firstByHash[sample.BlobHash] = sample;
            samples.Add(sample);
        }

        return (samples, duplicates);
    }

    private static IReadOnlyList<double> CheckFractions(IReadOnlyList<double> fractions)
    {
        if (fractions.Count != 3 || fractions.Any(f => f < 0 || !double.IsFinite(f)) || Math.Abs(fractions.Sum() - 1) > 1e-6)
        {
            throw new InvalidInputException($"--split {string.Join(',', fractions)}: give three non-negative fractions (train, validation, test) that add up to 1.");
        }

        return fractions;
    }

    private static string StripSource(string message, string source) =>
        message.StartsWith(source + ": ", StringComparison.Ordinal) ? message[(source.Length + 2)..] : message;
}
