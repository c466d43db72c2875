namespace Maas.Monitoring;

/// <summary>One part of a detector that tests several things at once (a property, a class's probability).</summary>
/// <param name="Name">What was tested, e.g. <c>brightness</c> or <c>p[3]</c>.</param>
/// <param name="Statistic">The test statistic for this part.</param>
/// <param name="PValue">Its unadjusted p-value.</param>
/// <param name="Detected">Whether this part alone crossed its (multiple-testing corrected) threshold.</param>
/// <param name="Psi">The population stability index for property parts (reported, threshold 0.2), else null.</param>
public sealed record DetectorComponent(string Name, double Statistic, double? PValue, bool Detected, double? Psi = null);
