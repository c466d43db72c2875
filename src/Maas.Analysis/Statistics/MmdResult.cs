namespace Maas.Analysis.Statistics;

/// <summary>The outcome of a maximum mean discrepancy test.</summary>
/// <param name="Mmd2">The unbiased squared MMD (can be slightly negative when the samples agree).</param>
/// <param name="PValue">The permutation p-value.</param>
/// <param name="Bandwidth">The RBF kernel's σ, from the median heuristic.</param>
/// <param name="CountA">Vectors in the first sample.</param>
/// <param name="CountB">Vectors in the second sample.</param>
/// <param name="Permutations">How many permutations the p-value rests on.</param>
public sealed record MmdResult(double Mmd2, double PValue, double Bandwidth, int CountA, int CountB, int Permutations);
