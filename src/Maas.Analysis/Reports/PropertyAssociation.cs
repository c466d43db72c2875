namespace Maas.Analysis.Reports;

/// <summary>How strongly one image property goes with the label.</summary>
/// <param name="Property">The property name.</param>
/// <param name="F">The one-way ANOVA F statistic across classes.</param>
/// <param name="MutualInformationBits">Mutual information in bits between the property (10 quantile bins) and the label.</param>
public sealed record PropertyAssociation(string Property, double F, double MutualInformationBits);
