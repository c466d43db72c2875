using System.Globalization;
using Maas.Training;

namespace Maas.Workflows.Tuning;

/// <summary>The values one hyperparameter may take in a <see cref="SearchSpace"/>.</summary>
/// <param name="Name">The hyperparameter, as the space file spells it (<c>learning_rate</c>).</param>
/// <param name="Kind">How values are drawn: <c>choice</c>, <c>uniform</c> or <c>log_uniform</c>.</param>
/// <param name="Choices">For <c>choice</c>: the values, as text.</param>
/// <param name="Min">For a range: the lower bound.</param>
/// <param name="Max">For a range: the upper bound.</param>
public sealed record ParameterDomain(string Name, string Kind, IReadOnlyList<string> Choices, double Min, double Max)
{
    /// <summary>Draws a value, as text that <see cref="TrainingOptions"/> parsing accepts.</summary>
    public string Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Kind switch
        {
            "choice" => Choices[random.Next(Choices.Count)],
            "log_uniform" => Math.Exp(Math.Log(Min) + (random.NextDouble() * (Math.Log(Max) - Math.Log(Min)))).ToString("G6", CultureInfo.InvariantCulture),
            _ => (Min + (random.NextDouble() * (Max - Min))).ToString("G6", CultureInfo.InvariantCulture),
        };
    }
}
