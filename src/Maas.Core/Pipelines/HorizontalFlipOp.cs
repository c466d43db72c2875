namespace Maas.Core.Pipelines;

/// <summary>Mirrors the image left to right with probability <paramref name="P"/> in training; skipped in evaluation.</summary>
/// <param name="P">The probability of a flip, 0 to 1. The default is 0.5.</param>
public sealed record HorizontalFlipOp(double P = 0.5) : PipelineOp
{
    /// <inheritdoc />
    protected override bool DrawsRandomNumbers => true;

    /// <inheritdoc />
    public override string? Validate() => OpChecks.Probability(P);
}
