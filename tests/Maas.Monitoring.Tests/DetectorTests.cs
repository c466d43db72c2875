using Maas.Core.Errors;
using Maas.Monitoring.Detectors;

namespace Maas.Monitoring.Tests;

/// <summary>Each detector on seeded synthetic traffic: quiet on unshifted windows, alarmed by the shift it watches for.</summary>
public class DetectorTests
{
    private const int ReferenceSize = 600;
    private const int WindowSize = 150;

    private static readonly MonitoringReference s_reference = new(new SyntheticTraffic(1).Draw(ReferenceSize, labelled: true));

    [Fact]
    public void Windows_drawn_like_the_reference_rarely_alarm_any_detector()
    {
        // 50 windows from the reference's distribution. Each detector holds a false-alarm rate of at most about 0.05,
        // so its alarm count is about Binomial(50, 0.05): mean 2.5, and above 7 with probability 0.003.
        const int windows = 50;
        var monitor = new DriftMonitor();
        var alarms = DriftMonitor.DefaultDetectors().ToDictionary(d => d.Name, _ => 0);
        for (var w = 0; w < windows; w++)
        {
            var report = monitor.Evaluate(s_reference, new SyntheticTraffic(1000 + w).Draw(WindowSize), CancellationToken.None);
            foreach (var result in report.Detectors)
            {
                Assert.NotEqual(DetectorStatus.InsufficientData, result.Status);
                alarms[result.Name] += result.Detected ? 1 : 0;
            }
        }

        var summary = string.Join(", ", alarms.Select(a => $"{a.Key}={a.Value}"));
        Assert.All(alarms, a => Assert.True(a.Value <= 7, $"false alarms out of {windows}: {summary}"));
    }

    [Fact]
    public void A_darker_window_is_detected_on_brightness()
    {
        var window = new SyntheticTraffic(7) { BrightnessFactor = 0.7 }.Draw(WindowSize);
        var result = new PropertyDriftDetector().Evaluate(s_reference, window, CancellationToken.None);
        Assert.Equal(DetectorStatus.Detected, result.Status);
        var brightness = Assert.Single(result.Components, c => c.Name == "brightness");
        Assert.True(brightness.Detected);
        Assert.True(brightness.Psi > PropertyDriftDetector.PsiThreshold, $"PSI {brightness.Psi}");
        Assert.DoesNotContain(result.Components, c => c.Name != "brightness" && c.Detected);
    }

    [Fact]
    public void A_shifted_embedding_cluster_is_detected_by_mmd_and_the_domain_classifier()
    {
        var window = new SyntheticTraffic(8) { EmbeddingOffset = 0.8 }.Draw(WindowSize);
        Assert.True(new EmbeddingMmdDetector().Evaluate(s_reference, window, CancellationToken.None).Detected);
        var domain = new DomainClassifierDetector().Evaluate(s_reference, window, CancellationToken.None);
        Assert.True(domain.Detected, $"AUC {domain.Statistic}, p {domain.PValue}");
        Assert.True(domain.Statistic > DomainClassifierDetector.AucThreshold);
    }

    [Fact]
    public void Images_from_a_far_cluster_raise_the_out_of_distribution_rate()
    {
        var window = new SyntheticTraffic(9) { FarShare = 0.1 }.Draw(WindowSize);
        var result = new OutOfDistributionDetector().Evaluate(s_reference, window, CancellationToken.None);
        Assert.True(result.Detected, $"rate {result.Statistic}, p {result.PValue}");
        Assert.True(result.Statistic >= 0.08, $"rate {result.Statistic}");
    }

    [Fact]
    public void A_label_shifted_class_mix_is_detected_by_the_chi_square_test_and_bbsd()
    {
        var window = new SyntheticTraffic(10) { ClassShares = [0.55, 0.15, 0.15, 0.15] }.Draw(WindowSize);
        var labelShift = new LabelShiftDetector().Evaluate(s_reference, window, CancellationToken.None);
        Assert.True(labelShift.Detected, $"chi2 {labelShift.Statistic}, p {labelShift.PValue}");
        Assert.True(new PredictionDriftDetector().Evaluate(s_reference, window, CancellationToken.None).Detected);
        // Nothing about the images changed.
        Assert.False(new PropertyDriftDetector().Evaluate(s_reference, window, CancellationToken.None).Detected);
    }

    [Fact]
    public void Less_separable_inputs_lower_the_estimated_accuracy_and_the_labels_confirm_it()
    {
        var window = new SyntheticTraffic(11) { SeparationFactor = 0.6 }.Draw(WindowSize, labelled: true);
        var drop = new ConfidenceDropDetector().Evaluate(s_reference, window, CancellationToken.None);
        Assert.True(drop.Detected, $"estimated {drop.Statistic}, p {drop.PValue}");

        var accuracy = AccuracyEstimator.Estimate(s_reference, window);
        var before = AccuracyEstimator.Estimate(s_reference, s_reference.Samples);
        Assert.Equal(WindowSize, accuracy.Labelled);
        Assert.True(accuracy.Estimated < accuracy.ReferenceEstimated - 0.05);
        Assert.True(accuracy.Realized < before.Realized - 0.05, $"realized {accuracy.Realized} vs {before.Realized}");
        // The synthetic model is calibrated on the reference: its estimate is its accuracy there.
        Assert.Equal(before.Realized!.Value, before.Estimated, 0.04);
    }

    [Fact]
    public void Realized_accuracy_counts_only_labelled_samples()
    {
        var labelled = new SyntheticTraffic(12).Draw(40, labelled: true);
        var unlabelled = new SyntheticTraffic(13).Draw(60);
        var accuracy = AccuracyEstimator.Estimate(s_reference, [.. labelled, .. unlabelled]);
        Assert.Equal(40, accuracy.Labelled);
        Assert.Equal(labelled.Count(s => s.PredictedClass == s.TrueLabel) / 40.0, accuracy.Realized!.Value, 1e-12);
        Assert.Null(AccuracyEstimator.Estimate(s_reference, unlabelled).Realized);
    }

    [Fact]
    public void A_temperature_above_one_lowers_the_estimated_accuracy()
    {
        var window = new SyntheticTraffic(14).Draw(50);
        var raw = AccuracyEstimator.Estimate(s_reference, window).Estimated;
        var softened = AccuracyEstimator.Estimate(s_reference with { Temperature = 2 }, window).Estimated;
        Assert.True(softened < raw - 0.05, $"{softened} vs {raw}");
    }

    [Fact]
    public void A_tiny_window_is_insufficient_data_for_every_detector_never_an_alarm()
    {
        // Three badly shifted samples: too few for any detector to claim anything.
        var window = new SyntheticTraffic(15) { BrightnessFactor = 0.2, FarShare = 1 }.Draw(3);
        var report = new DriftMonitor().Evaluate(s_reference, window, CancellationToken.None);
        Assert.All(report.Detectors, r =>
        {
            Assert.Equal(DetectorStatus.InsufficientData, r.Status);
            Assert.False(r.Detected);
            Assert.Null(r.PValue);
        });
        Assert.False(report.DriftDetected);
    }

    [Fact]
    public void A_drift_report_is_detected_when_any_detector_is()
    {
        var window = new SyntheticTraffic(16) { BrightnessFactor = 0.6 }.Draw(WindowSize);
        var report = new DriftMonitor().Evaluate(s_reference, window, CancellationToken.None);
        Assert.True(report.DriftDetected);
        Assert.Equal(WindowSize, report.WindowSize);
        Assert.Equal(ReferenceSize, report.ReferenceSize);
        Assert.Equal(7, report.Detectors.Count);
    }

    [Fact]
    public void A_window_from_another_model_is_rejected_naming_the_sample()
    {
        var window = new SyntheticTraffic(17).Draw(30).ToList();
        window[4] = window[4] with { Probabilities = [0.5f, 0.5f] };
        var error = Assert.Throws<InvalidInputException>(() => new DriftMonitor().Evaluate(s_reference, window, CancellationToken.None));
        Assert.Contains("window sample 4", error.Message, StringComparison.Ordinal);
        Assert.Contains("2 class probabilities", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_positive_temperature_is_rejected()
    {
        var error = Assert.Throws<InvalidInputException>(() => AccuracyEstimator.CalibratedConfidence([0.6f, 0.4f], 0));
        Assert.Contains("temperature", error.Message, StringComparison.Ordinal);
    }
}
