using Maas.Analysis.Reports;
using Maas.Analysis.Review;
using Maas.Core.Errors;

namespace Maas.Workflows.Analysis;

/// <summary>Turns an analysis report's flagged samples into a review CSV whose action column a person edits.</summary>
public sealed class WriteReview
{
    /// <summary>Reads the report, checks it is about <see cref="WriteReviewRequest.Dataset"/> if given, and writes one row per flagged issue.</summary>
    /// <param name="request">The report, the review file and the expected dataset.</param>
    /// <param name="cancellationToken">Cancels the reads and the write.</param>
    /// <returns>The review file and how many rows and samples it lists.</returns>
    /// <exception cref="NotFoundException">The report does not exist.</exception>
    /// <exception cref="InvalidInputException">The report is not a report, or is about another dataset.</exception>
    public async Task<WriteReviewResult> RunAsync(WriteReviewRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reportPath = request.ReportPath;
        if (!File.Exists(reportPath))
        {
            throw new NotFoundException($"{reportPath}: no such report.");
        }

        var report = ReportJson.Deserialize(await File.ReadAllTextAsync(reportPath, cancellationToken), reportPath);
        if (request.Dataset is { } named && named.ToString() != report.Dataset && named.Name != report.Dataset.Split('@')[0])
        {
            throw new InvalidInputException($"{reportPath} is the report of {report.Dataset}, not of {named}.");
        }

        var rows = ReviewFile.RowsOf(report);
        await ReviewFile.WriteAsync(request.ReviewPath, rows, cancellationToken);
        return new WriteReviewResult(report.Dataset, Path.GetFullPath(request.ReviewPath), rows.Count, rows.Select(r => r.SampleId).Distinct().Count());
    }
}
