using System.Globalization;
using Maas.Analysis;
using Maas.Analysis.LabelIssues;

namespace Maas.AnalysisBenchmark;

/// <summary>
/// Passes through to the real classifier and writes its out-of-fold probabilities to a CSV (sample id, given label,
/// one column per class), so the label-issue filter can be studied without training again.
/// </summary>
internal sealed class RecordingClassifier(IOutOfFoldClassifier inner, string path) : IOutOfFoldClassifier
{
    public string Name => inner.Name;

    public async Task<OutOfFoldPredictions> PredictAsync(OutOfFoldRequest request, IProgress<AnalysisProgress>? progress, CancellationToken cancellationToken)
    {
        var predictions = await inner.PredictAsync(request, progress, cancellationToken);
        await File.WriteAllLinesAsync(path, request.Samples.Select((s, i) => string.Join(',',
            new[] { s.SampleId, s.Label.ToString(CultureInfo.InvariantCulture) }
                .Concat(predictions.Probabilities[i].Select(p => p.ToString("R", CultureInfo.InvariantCulture))))), cancellationToken);
        return predictions;
    }
}
