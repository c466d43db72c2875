using System.Diagnostics;
using System.Numerics.Tensors;
using Maas.Analysis.Anomalies;
using Maas.Analysis.Embeddings;
using Maas.Analysis.LabelIssues;
using Maas.Analysis.Reports;
using Maas.Analysis.Statistics;
using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Pipelines;
using Maas.Imaging;
using Maas.Storage;
using Maas.Storage.Blobs;
using Maas.Storage.Locking;

namespace Maas.Analysis;

/// <summary>
/// Analyzes a dataset version: one parallel pass decodes every image once and keeps only its
/// <see cref="ImageFeatures"/>; an optional second pass embeds the images with ResNet-18 (512 floats each); the
/// statistics, relations and anomaly checks then run on those, never on pixels.
/// </summary>
/// <param name="datasets">Where versions and manifests are read.</param>
/// <param name="blobs">Where image bytes are read.</param>
/// <param name="classifier">
/// Gives the out-of-fold probabilities of label-issue detection when <see cref="AnalysisOptions.LabelModel"/> names it
/// (the CLI passes the trainer's K-fold CNN); null for only the analysis's own <see cref="EmbeddingRegression"/>.
/// </param>
/// <param name="embedders">Makes the embedding network when the options ask for embeddings (the inference engine's pretrained ResNet-18).</param>
/// <param name="home">The home the stores belong to, whose lock an analysis holds shared while it reads blobs; null for stores outside a home.</param>
public sealed class DatasetAnalyzer(IDatasetStore datasets, IBlobStore blobs, IOutOfFoldClassifier? classifier = null,
    ImageEmbedderFactory? embedders = null, MaasHome? home = null)
{
    /// <summary>Analyzes the datasets of a home's stores, holding the home lock shared while it reads.</summary>
    public DatasetAnalyzer(MaasStores stores, IOutOfFoldClassifier? classifier = null, ImageEmbedderFactory? embedders = null)
        : this(stores?.Datasets!, stores!.Blobs, classifier, embedders, stores.Home)
    {
    }

    /// <summary>The image properties the report summarizes, correlates and compares across splits.</summary>
    public static readonly IReadOnlyList<string> PropertyNames = ["brightness", "contrast", "sharpness", "entropy"];

    private const int ThumbnailsPerIssue = 12;
    private const int ThumbnailSide = 96;

    /// <summary>Analyzes the version <paramref name="reference"/> names.</summary>
    /// <exception cref="Maas.Core.Errors.NotFoundException">No such dataset or version.</exception>
    public async Task<AnalysisResult> AnalyzeAsync(VersionedName reference, AnalysisOptions options, IProgress<AnalysisProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var version = await datasets.GetVersionAsync(reference, cancellationToken);
        var samples = await datasets.GetSamplesAsync(version.Name, version.Version, cancellationToken);
        return await AnalyzeAsync(version, samples, options, progress, cancellationToken);
    }

    /// <summary>Analyzes <paramref name="samples"/>, the manifest of <paramref name="version"/>.</summary>
    public async Task<AnalysisResult> AnalyzeAsync(DatasetVersion version, IReadOnlyList<Sample> samples, AnalysisOptions options,
        IProgress<AnalysisProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(options);
        // Shared: a dataset removal (exclusive) would delete blobs mid-read.
        using var homeLock = home is null ? null : await HomeLock.AcquireSharedAsync(home, $"analyzing {version.Reference}", cancellationToken);
        var clock = Stopwatch.StartNew();
        var features = await MeasureAsync(samples, options, progress, cancellationToken);
        var embeddings = options.Embeddings && samples.Count > 0 ? await EmbedAsync(samples, options, progress, cancellationToken) : null;
        var labels = samples.Select(s => s.Label).ToArray();
        var properties = PropertyValues(features);
        var descriptive = Describe(version, samples, features, properties);
        var relations = Relate(version, samples, labels, properties, embeddings, options, cancellationToken);
        var anomalies = FindAnomalies(version, samples, features, embeddings, options, progress, cancellationToken);
        anomalies = await FindLabelIssuesAsync(version, samples, embeddings, options, anomalies, progress, cancellationToken);
        var thumbnails = Thumbnails(samples, anomalies, cancellationToken);
        var report = new AnalysisReport(version.Reference, version.Classes, samples.Count, DateTimeOffset.UtcNow,
            Math.Round(clock.Elapsed.TotalSeconds, 2), options, descriptive, relations, anomalies);
        return new AnalysisResult(report, thumbnails);
    }

    private async Task<ImageFeatures[]> MeasureAsync(IReadOnlyList<Sample> samples, AnalysisOptions options, IProgress<AnalysisProgress>? progress,
        CancellationToken cancellationToken)
    {
        const string Stage = "measuring images";
        var features = new ImageFeatures[samples.Count];
        var done = 0;
        var thresholds = options.EffectiveThresholds;
        progress?.Report(new AnalysisProgress(Stage, 0, samples.Count));
        await Parallel.ForEachAsync(Enumerable.Range(0, samples.Count), Workers(options, cancellationToken), (i, _) =>
        {
            features[i] = ImageMeasurement.Measure(Decode(samples[i]), thresholds);
            var now = Interlocked.Increment(ref done);
            if (now % 64 == 0 || now == samples.Count)
            {
                progress?.Report(new AnalysisProgress(Stage, now, samples.Count));
            }

            return ValueTask.CompletedTask;
        });
        return features;
    }

    private async Task<float[][]> EmbedAsync(IReadOnlyList<Sample> samples, AnalysisOptions options, IProgress<AnalysisProgress>? progress,
        CancellationToken cancellationToken)
    {
        const string Stage = "embedding images";
        progress?.Report(new AnalysisProgress(Stage, 0, samples.Count));
        var sides = samples.Select(s => Math.Max(s.Width, s.Height)).Order().ToArray();
        if (embedders is null)
        {
            throw new Maas.Core.Errors.UnavailableException("This analysis asks for embeddings, but no embedding network was given; analyze with --no-embeddings.");
        }

        using var embedder = embedders(options.EffectiveEmbeddingSide(sides[sides.Length / 2]), Math.Max(1, options.EmbeddingBatch));
        var embeddings = new float[samples.Count][];
        var done = 0;
        var chunk = Math.Max(1, options.EmbeddingBatch);
        var chunks = Enumerable.Range(0, (samples.Count + chunk - 1) / chunk);
        // One batch per worker and one ONNX thread per run: intra-op threads gained nothing over a run on every core.
        await Parallel.ForEachAsync(chunks, Workers(options, cancellationToken), (c, token) =>
        {
            var start = c * chunk;
            var count = Math.Min(chunk, samples.Count - start);
            var images = Enumerable.Range(start, count).Select(i => Decode(samples[i])).ToArray();
            var vectors = embedder.Embed(images, token);
            for (var i = 0; i < count; i++)
            {
                embeddings[start + i] = vectors[i];
            }

            progress?.Report(new AnalysisProgress(Stage, Interlocked.Add(ref done, count), samples.Count));
            return ValueTask.CompletedTask;
        });
        return embeddings;
    }

    private DecodedImage Decode(Sample sample) => ImageDecoder.Decode(blobs.Get(sample.BlobHash), ColorMode.Rgb, null, sample.SampleId);

    private static ParallelOptions Workers(AnalysisOptions options, CancellationToken cancellationToken) =>
        new() { CancellationToken = cancellationToken, MaxDegreeOfParallelism = options.EffectiveParallelism };

    private static double[][] PropertyValues(ImageFeatures[] features) =>
    [
        features.Select(f => f.Brightness).ToArray(),
        features.Select(f => f.Contrast).ToArray(),
        features.Select(f => f.Sharpness).ToArray(),
        features.Select(f => f.Entropy).ToArray(),
    ];

    private static Descriptive Describe(DatasetVersion version, IReadOnlyList<Sample> samples, ImageFeatures[] features, double[][] properties)
    {
        var classes = version.Classes;
        var counts = SplitCounts.Of(classes, samples);
        var totals = new int[classes.Count];
        foreach (var s in samples)
        {
            totals[s.Label]++;
        }

        var nonEmpty = totals.Where(t => t > 0).ToArray();
        var imbalance = nonEmpty.Length == 0 ? 1 : (double)nonEmpty.Max() / nonEmpty.Min();

        // Train statistics are what normalize: auto needs; without a train split, every sample stands in.
        var train = Enumerable.Range(0, samples.Count).Where(i => samples[i].Split == Split.Train).ToArray();
        if (train.Length == 0)
        {
            train = Enumerable.Range(0, samples.Count).ToArray();
        }

        var gray = train.All(i => features[i].IsGrayscale);
        var moments = new ChannelMoments(gray ? 1 : 3);
        foreach (var i in train)
        {
            var f = features[i];
            var pixels = (long)f.Width * f.Height;
            moments.Add(gray ? f.ChannelSum.AsSpan(0, 1) : f.ChannelSum, gray ? f.ChannelSumOfSquares.AsSpan(0, 1) : f.ChannelSumOfSquares, pixels);
        }

        var overall = new Dictionary<string, Summary>();
        var byClass = new Dictionary<string, IReadOnlyDictionary<string, Summary>>();
        for (var p = 0; p < PropertyNames.Count; p++)
        {
            var values = properties[p];
            overall[PropertyNames[p]] = Summary.Of(values);
            var perClass = new Dictionary<string, Summary>();
            for (var c = 0; c < classes.Count; c++)
            {
                perClass[classes[c]] = Summary.Of(Enumerable.Range(0, samples.Count).Where(i => samples[i].Label == c).Select(i => values[i]));
            }

            byClass[PropertyNames[p]] = perClass;
        }

        return new Descriptive(
            counts.Counts.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key.ToName(), kv => kv.Value),
            totals,
            imbalance,
            Summary.Of(features.Select(f => (double)f.Width)),
            Summary.Of(features.Select(f => (double)f.Height)),
            Summary.Of(features.Select(f => f.AspectRatio)),
            samples.GroupBy(s => s.Channels).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
            samples.GroupBy(s => s.Format).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count()),
            features.Count(f => f.IsGrayscale),
            moments.ToStatistics(),
            overall,
            byClass);
    }

    private static Relations Relate(DatasetVersion version, IReadOnlyList<Sample> samples, int[] labels, double[][] properties,
        float[][]? embeddings, AnalysisOptions options, CancellationToken cancellationToken)
    {
        var correlation = Pearson.Matrix(properties);
        var association = PropertyNames.Select((name, p) => new PropertyAssociation(name,
            OneWayAnova.F(properties[p], labels, version.Classes.Count), MutualInformation.Binned(properties[p], labels, version.Classes.Count))).ToArray();

        var train = Enumerable.Range(0, samples.Count).Where(i => samples[i].Split == Split.Train).ToArray();
        var against = samples.Any(s => s.Split == Split.Test) ? Split.Test : samples.Any(s => s.Split == Split.Validation) ? Split.Validation : (Split?)null;
        var other = against is { } a ? Enumerable.Range(0, samples.Count).Where(i => samples[i].Split == a).ToArray() : [];
        var shift = new List<PropertyShift>();
        MmdResult? mmd = null;
        if (against is not null && train.Length > 0 && other.Length > 0)
        {
            for (var p = 0; p < PropertyNames.Count; p++)
            {
                var x = train.Select(i => properties[p][i]).ToArray();
                var y = other.Select(i => properties[p][i]).ToArray();
                var (d, pValue) = KolmogorovSmirnov.TwoSample(x, y);
                shift.Add(new PropertyShift(PropertyNames[p], d, pValue, PopulationStability.Index(x, y)));
            }

            if (embeddings is not null)
            {
                var random = new Random(options.Seed);
                float[][] Pick(int[] indices)
                {
                    var chosen = indices.ToArray();
                    random.Shuffle(chosen);
                    return NearestNeighbours.Normalize(chosen.Take(options.ShiftSampleCap).Select(i => embeddings[i]).ToArray());
                }

                mmd = MaximumMeanDiscrepancy.Test(Pick(train), Pick(other), options.Permutations, options.Seed, cancellationToken);
            }
        }

        return new Relations(PropertyNames, correlation, association, embeddings is null ? null : ClassSimilarity(version, labels, embeddings),
            against?.ToName(), shift, mmd);
    }

    /// <summary>Cosine similarity of class centroids, with embeddings centred on the dataset mean first: ResNet's
    /// features are non-negative, so uncentred centroids all look alike (cosines near 0.9).</summary>
    private static double[][] ClassSimilarity(DatasetVersion version, int[] labels, float[][] embeddings)
    {
        var scaling = FeatureScaling.Fit(embeddings);
        var k = version.Classes.Count;
        var d = embeddings[0].Length;
        var centroids = Enumerable.Range(0, k).Select(_ => new float[d]).ToArray();
        for (var i = 0; i < embeddings.Length; i++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(centroids[labels[i]], scaling.Apply(embeddings[i]), centroids[labels[i]]);
        }

        var unit = NearestNeighbours.Normalize(centroids);
        return Enumerable.Range(0, k).Select(a => Enumerable.Range(0, k)
            .Select(b => Math.Round((double)System.Numerics.Tensors.TensorPrimitives.Dot(unit[a], unit[b]), 6)).ToArray()).ToArray();
    }

    private static Reports.Anomalies FindAnomalies(DatasetVersion version, IReadOnlyList<Sample> samples, ImageFeatures[] features,
        float[][]? embeddings, AnalysisOptions options, IProgress<AnalysisProgress>? progress, CancellationToken cancellationToken)
    {
        var findings = new IssueCollector(version, samples);
        var counts = new Dictionary<IssueKind, int>();
        var suppressed = new List<IssueKind>();
        var skipped = new List<string>();
        foreach (var (kind, flagged) in ImageQualityChecks.Run(features, options.EffectiveThresholds))
        {
            counts[kind] = flagged.Count;
            if (flagged.Count > options.MaxPrevalence * samples.Count)
            {
                suppressed.Add(kind);
                continue;
            }

            foreach (var (index, score) in flagged)
            {
                // Flat images (one gray level) carry nothing to learn from; the rest is for a person to judge: small
                // sparse images such as Fashion-MNIST sandals fall under 3 bits of entropy and are fine.
                findings.Add(index, kind, score, kind == IssueKind.LowInformation && features[index].IsFlat ? "remove" : "keep", null);
            }
        }

        var duplicates = new DuplicateFinder(samples, features, findings);
        var exact = duplicates.Exact();
        NeighbourSearch? neighbours = null;
        NeighbourSearch? raw = null;
        if (embeddings is not null)
        {
            progress?.Report(new AnalysisProgress("comparing embeddings", 0, 2));
            // Near duplicates are sought among embeddings centred on the dataset mean, where only truly similar
            // images stay close; outliers among the raw unit embeddings, where in-domain images all crowd together
            // (non-negative ResNet features) and a foreign image stands far off. Centred, every vector is nearly
            // orthogonal to every other and outlier scores barely differ (measured: photos planted among
            // Fashion-MNIST scored 0.72 against 0.70-0.75 for the garments).
            // Both searches run in the leading principal directions (see PrincipalComponents).
            var scaling = FeatureScaling.Fit(embeddings);
            var centred = PrincipalComponents.Project(embeddings.Select(scaling.Apply).ToArray(), options.NeighbourDimensions, options.Seed);
            neighbours = NearestNeighbours.Search(NearestNeighbours.Normalize(centred), 1, options.NearDuplicateCosine, options.EffectiveParallelism,
                cancellationToken);
            progress?.Report(new AnalysisProgress("comparing embeddings", 1, 2));
            var uncentred = PrincipalComponents.Project(NearestNeighbours.Normalize(embeddings), options.NeighbourDimensions, options.Seed);
            raw = NearestNeighbours.Search(NearestNeighbours.Normalize(uncentred), options.OutlierNeighbours, 2, options.EffectiveParallelism,
                cancellationToken);
            progress?.Report(new AnalysisProgress("comparing embeddings", 2, 2));
        }
        else
        {
            skipped.Add("embedding near duplicates, outliers, class similarity and embedding shift: embeddings were turned off (--no-embeddings)");
        }

        var near = duplicates.Near(options.HammingRadius, neighbours?.Pairs, cancellationToken);
        counts[IssueKind.ExactDuplicate] = findings.Count(IssueKind.ExactDuplicate);
        counts[IssueKind.NearDuplicate] = findings.Count(IssueKind.NearDuplicate);
        counts[IssueKind.Leakage] = findings.Count(IssueKind.Leakage);

        if (raw is not null)
        {
            var scores = Enumerable.Range(0, samples.Count).Select(raw.MeanDistance).ToArray();
            var flag = (int)Math.Ceiling(samples.Count * options.OutlierPercentile / 100);
            foreach (var i in Enumerable.Range(0, samples.Count).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(flag))
            {
                findings.Add(i, IssueKind.Outlier, Math.Round(scores[i], 6), "remove",
                    $"mean cosine distance {scores[i]:0.000} to its {options.OutlierNeighbours} nearest neighbours");
            }

            counts[IssueKind.Outlier] = flag;
        }

        return new Reports.Anomalies(counts.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key, kv => kv.Value), findings.Ordered(), suppressed,
            exact, near, skipped);
    }

    /// <summary>
    /// Adds the label issues to <paramref name="anomalies"/>: confident learning on the out-of-fold probabilities of the
    /// classifier that <see cref="AnalysisOptions.LabelModel"/> names.
    /// </summary>
    private async Task<Reports.Anomalies> FindLabelIssuesAsync(DatasetVersion version, IReadOnlyList<Sample> samples, float[][]? embeddings,
        AnalysisOptions options, Reports.Anomalies anomalies, IProgress<AnalysisProgress>? progress, CancellationToken cancellationToken)
    {
        IOutOfFoldClassifier? model = options.LabelModel == EmbeddingRegression.ModelName
            ? embeddings is null ? null : new EmbeddingRegression(options.RegressionL2, options.RegressionIterations, options.EffectiveParallelism)
            : classifier is not null && classifier.Name == options.LabelModel ? classifier
            : throw new InvalidOperationException($"Label model '{options.LabelModel}' was asked for but the analyzer was given {classifier?.Name ?? "none"}.");
        var labels = samples.Select(s => s.Label).ToArray();
        var classes = labels.Distinct().Count();
        string? why = model is null ? "label issues: the embedding regression needs embeddings, which were turned off (--no-embeddings)"
            : classes < 2 ? "label issues: the samples have fewer than two classes"
            : samples.Count < options.Folds * 2 ? $"label issues: {samples.Count} samples are too few for {options.Folds}-fold cross-validation"
            : null;
        if (why is not null)
        {
            return anomalies with { Skipped = [.. anomalies.Skipped, why] };
        }

        var request = new OutOfFoldRequest(samples, version.Classes.Count, StratifiedFolds.Assign(labels, options.Folds, options.Seed), options.Folds,
            options.Seed, embeddings);
        progress?.Report(new AnalysisProgress("cross-validating", 0, options.Folds));
        var predictions = await model!.PredictAsync(request, progress, cancellationToken);
        var issues = ConfidentLearning.Find(labels, predictions.Probabilities, version.Classes.Count, options.LabelFilter);
        var findings = new IssueCollector(version, samples);
        foreach (var issue in issues)
        {
            var suggested = version.Classes[issue.SuggestedLabel];
            findings.Add(issue.Index, IssueKind.LabelIssue, Math.Round(issue.SelfConfidence, 6), $"relabel:{suggested}",
                $"given {version.Classes[issue.GivenLabel]} ({issue.SelfConfidence:0.000}), model prefers {suggested} ({issue.SuggestedConfidence:0.000})");
        }

        var accuracy = (double)Enumerable.Range(0, labels.Length).Count(i => TensorPrimitives.IndexOfMax(predictions.Probabilities[i]) == labels[i]) / labels.Length;
        var counts = new Dictionary<IssueKind, int>(anomalies.Counts) { [IssueKind.LabelIssue] = issues.Count };
        return anomalies with
        {
            Counts = counts.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key, kv => kv.Value),
            Issues = [.. anomalies.Issues, .. findings.Ordered()],
            LabelModel = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{predictions.Description}; out-of-fold accuracy against the given labels {accuracy:0.0000}"),
        };
    }

    private Dictionary<string, byte[]> Thumbnails(IReadOnlyList<Sample> samples, Reports.Anomalies anomalies, CancellationToken cancellationToken)
    {
        var byId = samples.ToDictionary(s => s.SampleId, StringComparer.Ordinal);
        var wanted = anomalies.Issues.GroupBy(i => i.Issue).SelectMany(g => g.Take(ThumbnailsPerIssue)).Select(i => i.SampleId).Distinct().ToArray();
        var thumbnails = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var id in wanted)
        {
            cancellationToken.ThrowIfCancellationRequested();
            thumbnails[id] = Thumbnail(Decode(byId[id]));
        }

        return thumbnails;
    }

    private static byte[] Thumbnail(DecodedImage image)
    {
        var scale = Math.Min(1.0, (double)ThumbnailSide / Math.Max(image.Width, image.Height));
        int w = Math.Max(1, (int)Math.Round(image.Width * scale)), h = Math.Max(1, (int)Math.Round(image.Height * scale));
        var resized = new float[w * h * 3];
        BilinearResize.Resize(image.Pixels, image.Width, image.Height, 3, resized, w, h);
        var pixels = new byte[resized.Length];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)Math.Clamp(MathF.Round(resized[i]), 0, 255);
        }

        return ImageEncoder.EncodePng(pixels, w, h, 3);
    }
}
