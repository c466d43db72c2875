namespace Maas.Monitoring;

/// <summary>One part of a detector that tests several things at once (a property, a class's probability).</summary>
/// <param name="Name">What was tested, e.g. <c>brightness</c> or <c>p[3]</c>.</param>
/// <param name="Statistic">This part's statistic: a KS distance for a property or a class probability; for label shift, the class's share of the window.</param>
/// <param name="PValue">Its unadjusted p-value, or null where the part has none (label shift tests all classes at once).</param>
/// <param name="Detected">Whether this part alone crossed its (multiple-testing corrected) threshold.</param>
/// <param name="Psi">The population stability index for property parts (reported, threshold 0.2), else null.</param>
public sealed record DetectorComponent(string Name, double Statistic, double? PValue, bool Detected, double? Psi = null);
