namespace Maas.Analysis;

/// <summary>What an analysis computes and how sensitive its checks are.</summary>
/// <param name="Embeddings">
/// Whether to compute ResNet-18 embeddings, which the embedding near-duplicate, outlier, label-issue, class
/// similarity and embedding-shift checks need. The default is true; false is several times faster.
/// </param>
/// <param name="Thresholds">The image-quality thresholds; CleanVision's defaults when null.</param>
/// <param name="HammingRadius">
/// Perceptual hashes at most this many bits apart are near-duplicate candidates, kept only when their 16x16
/// miniatures also match (see <see cref="Anomalies.Miniature"/>). The default is 4 (of 64 bits): measured on 300
/// Fashion-MNIST test images, JPEG re-encodings (quality 85) resized 1.5-2x stayed within 4 bits of their originals
/// (60 of 60); small gray silhouettes hash alike, so among all 70,000 images 189,466 pairs are within 4 bits, of which
/// the miniature check keeps 1,018.
/// </param>
/// <param name="NearDuplicateCosine">Embeddings at least this cosine-similar are near duplicates. The default is 0.98.</param>
/// <param name="NeighbourDimensions">
/// The embedding neighbour searches (near duplicates, outliers) compare vectors in this many leading principal
/// directions instead of all 512, since each search is quadratic in the sample count. The default is 64.
/// </param>
/// <param name="OutlierNeighbours">k of the mean k-nearest-neighbour distance that scores outliers. The default is 10.</param>
/// <param name="OutlierPercentile">The top fraction of outlier scores flagged, in percent. The default is 1.</param>
/// <param name="Folds">
/// Cross-validation folds for the out-of-fold probabilities of label-issue detection. The default is 3: each fold trains
/// a model, and on 2 cores five CNNs on 70,000 images do not fit the analysis's 10-minute goal.
/// </param>
/// <param name="LabelModel">
/// The classifier whose out-of-fold probabilities label-issue detection uses: <c>embedding-regression</c> (a softmax
/// regression on the embeddings, which needs <paramref name="Embeddings"/>), or the name of the
/// <see cref="LabelIssues.IOutOfFoldClassifier"/> given to the analyzer (the CLI gives the trainer's, e.g.
/// <c>small-cnn-3ep</c>). The default is <c>embedding-regression</c>.
/// </param>
/// <param name="LabelFilter">Which of cleanlab's filters flags label issues (see <see cref="LabelIssues.LabelIssueFilter"/>). The default is <c>LowSelfConfidence</c>.</param>
/// <param name="RegressionIterations">Gradient-descent iterations of the softmax regression. The default is 300.</param>
/// <param name="RegressionL2">The L2 penalty of the softmax regression. The default is 0.01.</param>
/// <param name="ShiftSampleCap">At most this many embeddings per side enter the MMD test. The default is 500.</param>
/// <param name="Permutations">Permutations of the MMD p-value. The default is 200.</param>
/// <param name="Seed">Seeds every random choice (subsamples, folds, permutations). The default is 42.</param>
/// <param name="Parallelism">Worker threads; all cores when 0. The default is 0.</param>
/// <param name="EmbeddingBatch">Images per embedding run. The default is 16.</param>
/// <param name="EmbeddingSide">
/// The ResNet-18 input side in pixels, a multiple of 32 up to 224; 0 picks it from the images: their median longer
/// side rounded up to a multiple of 32, at most 224 (32 for 28x28 images, 224 for photographs). Blowing small images
/// up gains nothing: 1-nearest-neighbour label agreement of 1,000 Fashion-MNIST test images was 0.746 at 32, 0.770 at
/// 64 and 0.735 at 96, at 410, 104 and 46 images/s. The default is 0.
/// </param>
/// <param name="MaxPrevalence">
/// A quality issue found in more than this fraction of samples is counted but not listed sample by sample
/// (CleanVision's report applies such a cap too). The default is 0.5.
/// </param>
public sealed record AnalysisOptions(
    bool Embeddings = true,
    IssueThresholds? Thresholds = null,
    int HammingRadius = 4,
    double NearDuplicateCosine = 0.98,
    int NeighbourDimensions = 64,
    int OutlierNeighbours = 10,
    double OutlierPercentile = 1.0,
    int Folds = 3,
    string LabelModel = LabelIssues.EmbeddingRegression.ModelName,
    LabelIssues.LabelIssueFilter LabelFilter = LabelIssues.LabelIssueFilter.LowSelfConfidence,
    int RegressionIterations = 300,
    double RegressionL2 = 0.01,
    int ShiftSampleCap = 500,
    int Permutations = 200,
    int Seed = 42,
    int Parallelism = 0,
    int EmbeddingBatch = 16,
    int EmbeddingSide = 0,
    double MaxPrevalence = 0.5)
{
    /// <summary>The largest embedding input side: the side the pretrained network was trained at.</summary>
    public const int MaxEmbeddingSide = 224;

    /// <summary>The thresholds in effect.</summary>
    public IssueThresholds EffectiveThresholds => Thresholds ?? IssueThresholds.Default;

    /// <summary>The embedding input side in effect for images whose median longer side is <paramref name="medianSide"/>.</summary>
    public int EffectiveEmbeddingSide(int medianSide) =>
        EmbeddingSide > 0 ? EmbeddingSide : Math.Clamp(((medianSide + 31) / 32) * 32, 32, MaxEmbeddingSide);

    /// <summary>The worker count in effect.</summary>
    public int EffectiveParallelism => Parallelism > 0 ? Parallelism : Environment.ProcessorCount;
}
