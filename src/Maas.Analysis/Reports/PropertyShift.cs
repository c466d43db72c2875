namespace Maas.Analysis.Reports;

/// <summary>How one image property's distribution differs between train and an evaluation split.</summary>
/// <param name="Property">The property name.</param>
/// <param name="KsStatistic">The two-sample Kolmogorov–Smirnov D.</param>
/// <param name="KsPValue">Its asymptotic p-value.</param>
/// <param name="Psi">The population stability index on 10 quantile bins of train.</param>
public sealed record PropertyShift(string Property, double KsStatistic, double KsPValue, double Psi);
