using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Imaging;
using Maas.Storage;
using Maas.Storage.Blobs;
using Maas.Storage.Locking;

namespace Maas.Datasets;

/// <summary>
/// Imports a source into a new dataset version. Entries stream from the source through a bounded queue to one worker
/// per core, which decodes each image fully to validate it and stores it once in the blob store; the manifest goes to
/// a staging file, not to memory, so memory does not grow with the number of images. Exact duplicates are dropped, splits are assigned where the source
/// has none, and the manifest is committed in one transaction at the end: a cancelled or crashed import leaves no
/// version behind, and a rerun reuses every blob already stored.
/// </summary>
/// <param name="datasets">Where versions are committed.</param>
/// <param name="blobs">Where image bytes are stored.</param>
/// <param name="reportsFolder">Where rejection reports are written; the system temp folder when null.</param>
/// <param name="stagingFolder">Where an import keeps its manifest until the commit; the system temp folder when null.</param>
/// <param name="home">
/// The home the stores belong to: an import holds its lock shared, so that no dataset removal or gc (exclusive) deletes
/// a blob the import found already stored before its manifest refers to it. Null for stores outside a home.
/// </param>
public sealed class DatasetImporter(IDatasetStore datasets, IBlobStore blobs, string? reportsFolder = null, string? stagingFolder = null,
    MaasHome? home = null)
{
    private const int BatchCount = 32;
    private const long BatchBytes = 8L << 20;

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Creates an importer over a home's stores, writing reports under <c>reports/imports</c>.</summary>
    public DatasetImporter(MaasStores stores)
        : this(stores?.Datasets!, stores!.Blobs, Path.Combine(stores.Home.Root, "reports", "imports"), stores.Home.ImportStagingPath, stores.Home)
    {
    }

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
        using var homeLock = home is null ? null : await HomeLock.AcquireSharedAsync(home, $"importing {path} as {name}", cancellationToken);
        var previous = await LatestAsync(name, cancellationToken);
        var source = ImportSources.Open(path, options.Format, options, previous?.Classes);
        var limits = options.Limits ?? DecodeLimits.Default;

        var rejections = new ConcurrentBag<ImportRejection>();
        var total = source.Count ?? 0;
        var done = 0L;
        using var staging = new ImportStaging(stagingFolder ?? Path.Combine(Path.GetTempPath(), "maas-staging"));
        using var failure = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = failure.Token;
        // Small queues bound what is in flight (archives hand over bytes already read) whatever the source's size;
        // validated samples go on to the staging file, not to memory.
        // Entries travel in small batches: one hand-off per image made thread wake-ups a visible cost on two cores.
        var queue = Channel.CreateBounded<List<(long Ordinal, ImportCandidate Candidate)>>(
            new BoundedChannelOptions(2 * Environment.ProcessorCount) { SingleWriter = true });
        var stored = Channel.CreateBounded<List<(long Ordinal, ImportDraft Draft)>>(new BoundedChannelOptions(64) { SingleReader = true });
        progress?.Report(new ImportProgress("validating and storing", 0, total));

        var producer = Task.Run(async () =>
        {
            try
            {
                long ordinal = 0;
                var batch = new List<(long, ImportCandidate)>(BatchCount);
                long batchBytes = 0;
                await foreach (var candidate in source.ReadAsync(token))
                {
                    batch.Add((ordinal++, candidate));
                    batchBytes += candidate.Size ?? 0;
                    // Bounded by bytes too, so a batch of large photographs (or archive entries already read) stays small.
                    if (batch.Count == BatchCount || batchBytes >= BatchBytes)
                    {
                        await queue.Writer.WriteAsync(batch, token);
                        batch = new List<(long, ImportCandidate)>(BatchCount);
                        batchBytes = 0;
                    }
                }

                if (batch.Count > 0)
                {
                    await queue.Writer.WriteAsync(batch, token);
                }

                queue.Writer.Complete();
            }
            catch (Exception e)
            {
                queue.Writer.Complete(e);
                await failure.CancelAsync();
                throw;
            }
        }, CancellationToken.None);

        var workers = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Task.Run(async () =>
        {
            try
            {
                await foreach (var batch in queue.Reader.ReadAllAsync(token))
                {
                    var drafts = new List<(long, ImportDraft)>(batch.Count);
                    foreach (var (ordinal, candidate) in batch)
                    {
                        var (draft, rejection) = await StoreAsync(candidate, limits, token);
                        if (draft is not null)
                        {
                            drafts.Add((ordinal, draft));
                        }
                        else
                        {
                            rejections.Add(rejection!);
                        }
                    }

                    await stored.Writer.WriteAsync(drafts, token);
                    var before = Interlocked.Add(ref done, batch.Count) - batch.Count;
                    var now = before + batch.Count;
                    if (now / 512 != before / 512)
                    {
                        progress?.Report(new ImportProgress("validating and storing", (int)now, Math.Max(total, (int)now)));
                    }
                }
            }
            catch
            {
                // Stop the producer too: it may be waiting for room in the queue that no worker will make.
                await failure.CancelAsync();
                throw;
            }
        }, CancellationToken.None)).ToArray();

        var recorder = Task.Run(async () =>
        {
            try
            {
                await foreach (var drafts in stored.Reader.ReadAllAsync(token))
                {
                    foreach (var (ordinal, draft) in drafts)
                    {
                        staging.Add(ordinal, draft, options.Seed);
                    }
                }

                staging.Commit();
            }
            catch
            {
                await failure.CancelAsync();
                throw;
            }
        }, CancellationToken.None);

        try
        {
            try
            {
                await Task.WhenAll([producer, .. workers]);
            }
            finally
            {
                stored.Writer.Complete();
            }

            await recorder;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A task failed and cancelled the rest: report that failure, not the cancellation it caused.
            var cause = workers.Prepend(producer).Append(recorder).Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions)
                .FirstOrDefault(e => e is not OperationCanceledException);
            if (cause is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
            }

            throw;
        }

        progress?.Report(new ImportProgress("validating and storing", (int)done, (int)done));
        var duplicates = staging.DropDuplicates(rejections.Add);
        var report = rejections.OrderBy(r => r.Path, StringComparer.Ordinal).ToArray();
        var count = staging.Count();
        if (count == 0)
        {
            var failedReport = await WriteReportAsync($"{name}-failed-{DateTimeOffset.UtcNow:yyyyMMddHHmmss}", path, report);
            throw new InvalidInputException($"{path}: none of the {done} files is a valid image ({report.Length} rejected; see {failedReport}).");
        }

        var classes = ClassList(previous?.Classes, options.ClassNames ?? source.ClassOrder, staging.ClassNames(), options.ClassNames is not null);
        staging.AssignSplits(fractions);
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new ImportProgress("committing", 0, count));
        await blobs.FlushAsync(cancellationToken);
        var labels = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var version = await datasets.CommitVersionAsync(name, classes, staging.Samples(labels), Path.GetFullPath(path), cancellationToken);
        progress?.Report(new ImportProgress("committing", count, count));
        var reportPath = await WriteReportAsync(version.Reference, path, report);
        return new ImportResult(version, staging.Counts(classes, labels), report, duplicates, reportPath, source.Kind);
    }

    private async Task<DatasetVersion?> LatestAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await datasets.GetVersionAsync(new VersionedName(name, null, null), cancellationToken);
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    private async Task<(ImportDraft? Draft, ImportRejection? Rejection)> StoreAsync(ImportCandidate candidate, DecodeLimits limits, CancellationToken cancellationToken)
    {
        if (candidate.Rejection is { } refused || candidate.Load is null)
        {
            return (null, new ImportRejection(candidate.OriginalPath, candidate.Rejection ?? "refused by the source"));
        }

        if (candidate.Size is { } size && size > limits.MaxBytes)
        {
            return (null, new ImportRejection(candidate.OriginalPath, $"{size} bytes is over the limit of {limits.MaxBytes} bytes."));
        }

        try
        {
            var bytes = await candidate.Load(cancellationToken);
            var hash = ContentHash.Of(bytes);
            // Only validated images are ever stored, so bytes already in the blob store need only their header read:
            // this is what makes re-running an import fast.
            ImageInfo info;
            if (blobs.Contains(hash))
            {
                info = ImageDecoder.ReadInfo(bytes, candidate.OriginalPath);
            }
            else
            {
                info = ImageDecoder.Validate(bytes, limits, candidate.OriginalPath);
                await blobs.PutAsync(bytes, cancellationToken);
            }
            return (new ImportDraft(candidate.SampleId, hash, candidate.ClassName, candidate.Split, candidate.OriginalPath, info.Width, info.Height,
                info.Channels, info.Format.ToName()), null);
        }
        catch (UnsupportedImageException e)
        {
            return (null, new ImportRejection(candidate.OriginalPath, StripSource(e.Message, candidate.OriginalPath)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, new ImportRejection(candidate.OriginalPath, $"unreadable: {e.Message}"));
        }
    }

    /// <summary>
    /// The version's class list: the previous version's classes keep their places, then classes in the order given
    /// (<c>--classes</c> or the source's own), then any others by name.
    /// </summary>
    private static List<string> ClassList(IReadOnlyList<string>? previous, IReadOnlyList<string>? order, HashSet<string> used, bool namedByUser)
    {
        if (namedByUser)
        {
            var unnamed = used.Where(c => !order!.Contains(c)).Order(StringComparer.Ordinal).ToArray();
            if (unnamed.Length > 0)
            {
                throw new InvalidInputException($"--classes: the classes {string.Join(", ", unnamed)} found in the source are not named.");
            }
        }

        var classes = new List<string>(previous ?? []);
        foreach (var name in (order ?? []).Concat(used.Order(StringComparer.Ordinal)))
        {
            if (!classes.Contains(name))
            {
                classes.Add(name);
            }
        }

        return classes;
    }

    private async Task<string> WriteReportAsync(string stem, string source, IReadOnlyList<ImportRejection> rejections)
    {
        var folder = reportsFolder ?? Path.Combine(Path.GetTempPath(), "maas-reports");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, stem.Replace('@', '-') + ".rejections.json");
        var document = new { source = Path.GetFullPath(source), rejected = rejections.Count, rejections };
        await AtomicFile.WriteAllTextAsync(path, JsonSerializer.Serialize(document, s_json), CancellationToken.None);
        return path;
    }

    private static IReadOnlyList<double> CheckFractions(IReadOnlyList<double> fractions)
    {
        if (fractions.Count != 3 || fractions.Any(f => f < 0 || !double.IsFinite(f)) || Math.Abs(fractions.Sum() - 1) > 1e-6)
        {
            throw new InvalidInputException($"--split {string.Join(',', fractions.Select(f => f.ToString(CultureInfo.InvariantCulture)))}: give three non-negative fractions (train, validation, test) that add up to 1.");
        }

        return fractions;
    }

    private static string StripSource(string message, string source) =>
        message.StartsWith(source + ": ", StringComparison.Ordinal) ? message[(source.Length + 2)..] : message;

}
