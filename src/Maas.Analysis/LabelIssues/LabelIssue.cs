namespace Maas.Analysis.LabelIssues;

/// <summary>A sample whose given label confident learning doubts.</summary>
/// <param name="Index">The sample's position in the analyzed list.</param>
/// <param name="GivenLabel">Its label.</param>
/// <param name="SuggestedLabel">The class the model prefers, above that class's threshold.</param>
/// <param name="SelfConfidence">The out-of-fold probability of the given label; lower is more suspicious.</param>
/// <param name="SuggestedConfidence">The out-of-fold probability of the suggested label.</param>
public sealed record LabelIssue(int Index, int GivenLabel, int SuggestedLabel, double SelfConfidence, double SuggestedConfidence);
