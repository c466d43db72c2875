using System.Buffers.Binary;
using System.IO.Compression;

namespace Maas.Testing;

/// <summary>Real Fashion-MNIST data from the Debian package, cut down to sizes a test can afford.</summary>
public static class FashionMnist
{
    /// <summary>Where the Debian package dataset-fashion-mnist puts the files.</summary>
    public const string Folder = "/usr/share/datasets/fashion-mnist";

    /// <summary>Fashion-MNIST's class names in label order.</summary>
    public static readonly string[] ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// Writes the first <paramref name="trainCount"/> training and <paramref name="testCount"/> test images and
    /// labels as IDX files into <paramref name="target"/>, gzip-compressed or plain.
    /// </summary>
    public static void WriteSubset(string target, int trainCount, int testCount, bool gzip)
    {
        Directory.CreateDirectory(target);
        foreach (var (prefix, count) in new[] { ("train", trainCount), ("t10k", testCount) })
        {
            Copy($"{prefix}-images-idx3-ubyte", count, 16, 28 * 28);
            Copy($"{prefix}-labels-idx1-ubyte", count, 8, 1);
        }

        void Copy(string name, int count, int headerLength, int itemLength)
        {
            var raw = ReadAll(Path.Combine(Folder, name + ".gz"));
            var cut = raw[..(headerLength + (count * itemLength))];
            BinaryPrimitives.WriteInt32BigEndian(cut.AsSpan(4), count);
            var path = Path.Combine(target, gzip ? name + ".gz" : name);
            if (gzip)
            {
                using var file = File.Create(path);
                using var zip = new GZipStream(file, CompressionLevel.Fastest);
                zip.Write(cut);
            }
            else
            {
                File.WriteAllBytes(path, cut);
            }
        }
    }

    /// <summary>Test image <paramref name="index"/> as 784 grayscale bytes, and its label.</summary>
    public static (byte[] Pixels, int Label) TestImage(int index)
    {
        var images = ReadAll(Path.Combine(Folder, "t10k-images-idx3-ubyte.gz"));
        var labels = ReadAll(Path.Combine(Folder, "t10k-labels-idx1-ubyte.gz"));
        return (images.AsSpan(16 + (index * 784), 784).ToArray(), labels[8 + index]);
    }

    /// <summary>Test images <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> - 1 with their labels, reading the files once.</summary>
    public static (byte[] Pixels, int Label)[] TestImages(int start, int count)
    {
        var images = ReadAll(Path.Combine(Folder, "t10k-images-idx3-ubyte.gz"));
        var labels = ReadAll(Path.Combine(Folder, "t10k-labels-idx1-ubyte.gz"));
        return Enumerable.Range(start, count)
            .Select(i => (images.AsSpan(16 + (i * 784), 784).ToArray(), (int)labels[8 + i]))
            .ToArray();
    }

    private static byte[] ReadAll(string gzipPath)
    {
        using var zip = new GZipStream(File.OpenRead(gzipPath), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        zip.CopyTo(memory);
        return memory.ToArray();
    }
}
