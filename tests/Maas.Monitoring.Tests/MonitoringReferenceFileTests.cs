using Maas.Core.Errors;

namespace Maas.Monitoring.Tests;

public sealed class MonitoringReferenceFileTests
{
    [Fact]
    public void Serialize_ThenDeserialize_GivesTheSameReference_WithUnmeasuredSamplesKept()
    {
        var drawn = new SyntheticTraffic(3).Draw(40, labelled: true);
        drawn[5] = drawn[5] with { Properties = null };
        drawn[7] = drawn[7] with { Embedding = null, TrueLabel = null };
        var reference = new MonitoringReference(drawn, 1.7) { Data = "fashion@1:test", EmbeddingSource = MonitoringReference.ModelEmbedding };

        var read = MonitoringReferenceFile.Deserialize(MonitoringReferenceFile.Serialize(reference), "ref.bin");

        Assert.Equal(1.7, read.Temperature);
        Assert.Equal("fashion@1:test", read.Data);
        Assert.Equal(MonitoringReference.ModelEmbedding, read.EmbeddingSource);
        Assert.Equal(drawn.Length, read.Samples.Count);
        for (var i = 0; i < drawn.Length; i++)
        {
            Assert.Equal(drawn[i].Properties, read.Samples[i].Properties);
            Assert.Equal(drawn[i].Probabilities, read.Samples[i].Probabilities);
            Assert.Equal(drawn[i].Embedding, read.Samples[i].Embedding);
            Assert.Equal(drawn[i].TrueLabel, read.Samples[i].TrueLabel);
        }
    }

    [Fact]
    public void Deserialize_TruncatedOrForeignBytes_IsRefusedNamingTheSource()
    {
        var bytes = MonitoringReferenceFile.Serialize(new MonitoringReference(new SyntheticTraffic(4).Draw(10)));

        var truncated = Assert.Throws<InvalidInputException>(() => MonitoringReferenceFile.Deserialize(bytes[..(bytes.Length - 9)], "m/ref.bin"));
        var foreign = Assert.Throws<InvalidInputException>(() => MonitoringReferenceFile.Deserialize("not a reference at all"u8.ToArray(), "m/ref.bin"));

        Assert.Contains("m/ref.bin", truncated.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);
        Assert.Contains("not a Maas monitoring reference", foreign.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detectors_OnAWindowWhereOnlySomeSamplesWereMeasured_UseTheMeasuredOnes()
    {
        var reference = new MonitoringReference(new SyntheticTraffic(5).Draw(600));
        var window = new SyntheticTraffic(6) { BrightnessFactor = 0.6 }.Draw(300)
            .Select((s, i) => i % 3 == 0 ? s : s with { Properties = null, Embedding = null }).ToArray();

        var report = new DriftMonitor().Evaluate(reference, window, CancellationToken.None);

        Assert.True(report.Detectors.Single(d => d.Name == "property_ks").Detected);
        Assert.Equal(DetectorStatus.Ok, report.Detectors.Single(d => d.Name == "bbsd_ks").Status);
    }
}
