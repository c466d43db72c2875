using Maas.Training.Evaluation;

namespace Maas.Training.Tests;

public sealed class TemperatureScalingTests
{
    private const int Classes = 5;

    // Labels drawn from softmax(z), so z is calibrated by construction; the model reports 3z, overconfident threefold.
    private static (float[] Logits, int[] Labels) Overconfident(int count, double factor, int seed)
    {
        var random = new Random(seed);
        var logits = new float[count * Classes];
        var labels = new int[count];
        var p = new double[Classes];
        for (int i = 0; i < count; i++)
        {
            double total = 0;
            for (int c = 0; c < Classes; c++)
            {
                // Box-Muller: a normal with standard deviation 1.5.
                double z = 1.5 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                logits[(i * Classes) + c] = (float)(factor * z);
                p[c] = Math.Exp(z);
                total += p[c];
            }

            double u = random.NextDouble() * total;
            int label = 0;
            while (label < Classes - 1 && (u -= p[label]) > 0)
            {
                label++;
            }

            labels[i] = label;
        }

        return (logits, labels);
    }

    [Fact]
    public void Fit_OnLogitsMadeOverconfidentByThree_RecoversTemperatureThree()
    {
        var (logits, labels) = Overconfident(20_000, 3, seed: 7);

        var t = TemperatureScaling.Fit(logits, labels, Classes);

        Assert.InRange(t, 2.85, 3.15);
    }

    [Fact]
    public void Fit_MinimizesTheNegativeLogLikelihood_AndLowersTheCalibrationError()
    {
        var (logits, labels) = Overconfident(5_000, 2, seed: 11);

        var t = TemperatureScaling.Fit(logits, labels, Classes);
        var before = ProbabilityScoring.Score(TemperatureScaling.Apply(logits, Classes, 1), labels, ["a", "b", "c", "d", "e"]);
        var after = ProbabilityScoring.Score(TemperatureScaling.Apply(logits, Classes, t), labels, ["a", "b", "c", "d", "e"]);

        double nll = TemperatureScaling.NegativeLogLikelihood(logits, labels, Classes, t);
        Assert.True(nll <= TemperatureScaling.NegativeLogLikelihood(logits, labels, Classes, t * 1.05));
        Assert.True(nll <= TemperatureScaling.NegativeLogLikelihood(logits, labels, Classes, t / 1.05));
        Assert.True(after.ExpectedCalibrationError < before.ExpectedCalibrationError / 2,
            $"ECE {before.ExpectedCalibrationError:0.0000} before, {after.ExpectedCalibrationError:0.0000} after");
        Assert.Equal(before.Report.Accuracy, after.Report.Accuracy, 12);
    }

    [Fact]
    public void LogitsOf_Probabilities_GiveTheSameTemperatureAsTheRawLogits()
    {
        var (logits, labels) = Overconfident(2_000, 3, seed: 3);

        var fromProbabilities = TemperatureScaling.Fit(TemperatureScaling.LogitsOf(TemperatureScaling.Apply(logits, Classes, 1)), labels, Classes);

        Assert.Equal(TemperatureScaling.Fit(logits, labels, Classes), fromProbabilities, 3);
    }
}
