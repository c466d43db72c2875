using Maas.Analysis.Review;
using Maas.Core.Errors;
using Maas.Storage;

namespace Maas.Workflows.Analysis;

/// <summary>Commits a reviewed CSV's removals and relabellings as a new dataset version.</summary>
/// <param name="stores">The stores the reviewed version is read from and the new one committed to.</param>
public sealed class ApplyReview(MaasStores stores)
{
    /// <summary>Reads the review file, checks it reviews <see cref="ApplyReviewRequest.Dataset"/> if given, and commits the new version.</summary>
    /// <param name="request">The review file and the expected dataset.</param>
    /// <param name="cancellationToken">Cancels before the commit.</param>
    /// <returns>The version reviewed, the new version, and how many samples were removed and relabelled.</returns>
    /// <exception cref="InvalidInputException">The file reviews another dataset, or names unknown samples, classes or actions.</exception>
    public async Task<FixResult> RunAsync(ApplyReviewRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var csv = request.ReviewPath;
        var rows = await ReviewFile.ReadAsync(csv, cancellationToken);
        if (request.Dataset is { } named && rows.Any(r => r.Dataset != named.ToString()))
        {
            throw new InvalidInputException($"{csv} reviews {string.Join(", ", rows.Select(r => r.Dataset).Distinct())}, not {named}.");
        }

        return await DatasetFix.ApplyAsync(stores, rows, Path.GetFileName(csv), cancellationToken);
    }
}
