using System.Text;
using Maas.Core.Errors;

namespace Maas.Monitoring;

/// <summary>
/// The monitoring reference as a file in a model bundle. Binary rather than JSON: a reference of 2,000 samples with
/// a 128-float embedding is about 1 MB here and several times that as JSON text, and the server reads it at every load.
/// </summary>
public static class MonitoringReferenceFile
{
    /// <summary>The reference's file name inside a model bundle.</summary>
    public const string FileName = "monitoring-reference.bin";

    private const string Magic = "MAASMREF";
    private const int Format = 1;
    private const byte HasProperties = 1;
    private const byte HasEmbedding = 2;
    private const byte HasLabel = 4;

    /// <summary>The reference's bytes.</summary>
    /// <exception cref="InvalidInputException">The samples' vectors differ in length.</exception>
    public static byte[] Serialize(MonitoringReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var (classes, dimensions) = SampleShapes.Check(reference, []);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Encoding.ASCII.GetBytes(Magic));
            writer.Write(Format);
            writer.Write(reference.Data ?? string.Empty);
            writer.Write(reference.EmbeddingSource ?? string.Empty);
            writer.Write(reference.Temperature.HasValue);
            writer.Write(reference.Temperature ?? 0);
            writer.Write(reference.Samples.Count);
            writer.Write(classes);
            writer.Write(dimensions);
            foreach (var sample in reference.Samples)
            {
                var flags = (byte)((sample.Properties is null ? 0 : HasProperties) | (sample.Embedding is null ? 0 : HasEmbedding)
                    | (sample.TrueLabel is null ? 0 : HasLabel));
                writer.Write(flags);
                if (sample.Properties is { } properties)
                {
                    foreach (var value in properties.Values())
                    {
                        writer.Write(value);
                    }
                }

                foreach (var p in sample.Probabilities)
                {
                    writer.Write(p);
                }

                if (sample.Embedding is { } embedding)
                {
                    foreach (var e in embedding)
                    {
                        writer.Write(e);
                    }
                }

                if (sample.TrueLabel is { } label)
                {
                    writer.Write(label);
                }
            }
        }

        return stream.ToArray();
    }

    /// <summary>Reads a reference written by <see cref="Serialize"/>.</summary>
    /// <param name="bytes">The file's bytes.</param>
    /// <param name="source">What the bytes are (a path), for error messages.</param>
    /// <exception cref="InvalidInputException">The bytes are not a reference this version of Maas reads.</exception>
    public static MonitoringReference Deserialize(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
            if (Encoding.ASCII.GetString(reader.ReadBytes(Magic.Length)) != Magic)
            {
                throw new InvalidInputException($"{source}: not a Maas monitoring reference.");
            }

            var format = reader.ReadInt32();
            if (format != Format)
            {
                throw new InvalidInputException($"{source}: monitoring reference format {format}; this Maas reads format {Format}.");
            }

            var data = reader.ReadString();
            var embeddingSource = reader.ReadString();
            var hasTemperature = reader.ReadBoolean();
            var temperature = reader.ReadDouble();
            int count = reader.ReadInt32(), classes = reader.ReadInt32(), dimensions = reader.ReadInt32();
            if (count < 0 || classes < 0 || dimensions < 0 || (long)count * (classes + 1) > bytes.Length)
            {
                throw new InvalidInputException($"{source}: the monitoring reference's header is damaged.");
            }

            var samples = new MonitoringSample[count];
            for (var i = 0; i < count; i++)
            {
                var flags = reader.ReadByte();
                ImageProperties? properties = null;
                if ((flags & HasProperties) != 0)
                {
                    properties = new ImageProperties(reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(),
                        (int)reader.ReadDouble(), (int)reader.ReadDouble(), reader.ReadDouble(), (int)reader.ReadDouble());
                }

                var probabilities = ReadFloats(reader, classes);
                var embedding = (flags & HasEmbedding) != 0 ? ReadFloats(reader, dimensions) : null;
                int? label = (flags & HasLabel) != 0 ? reader.ReadInt32() : null;
                samples[i] = new MonitoringSample(properties, probabilities, embedding, label);
            }

            return new MonitoringReference(samples, hasTemperature ? temperature : null)
            {
                Data = data.Length == 0 ? null : data,
                EmbeddingSource = embeddingSource.Length == 0 ? null : embeddingSource,
            };
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidInputException($"{source}: the monitoring reference is truncated.", e);
        }
    }

    private static float[] ReadFloats(BinaryReader reader, int count)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = reader.ReadSingle();
        }

        return values;
    }
}
