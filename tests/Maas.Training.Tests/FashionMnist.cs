using System.Buffers.Binary;
using System.IO.Compression;

namespace Maas.Training.Tests;

/// <summary>
/// Reads the Fashion-MNIST test split that the Debian package dataset-fashion-mnist installs (IDX files, gzip),
/// so tests run on real images. Loaded once per test process.
/// </summary>
internal static class FashionMnist
{
    public const string Folder = "/usr/share/datasets/fashion-mnist";

    public static readonly string[] ClassNames =
    [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ];

    private static readonly Lazy<TrainingData> s_test = new(() => Load("t10k"));

    /// <summary>The 10,000 test images, scaled to [0, 1], 1x28x28.</summary>
    public static TrainingData Test => s_test.Value;

    private static TrainingData Load(string split)
    {
        string images = Path.Combine(Folder, $"{split}-images-idx3-ubyte.gz");
        string labels = Path.Combine(Folder, $"{split}-labels-idx1-ubyte.gz");
        if (!File.Exists(images) || !File.Exists(labels))
        {
            throw new InvalidOperationException($"Fashion-MNIST is missing under {Folder}; run: apt-get install -y dataset-fashion-mnist");
        }

        var imageBytes = Gunzip(images);
        var labelBytes = Gunzip(labels);
        Assert.Equal(0x00000803, BinaryPrimitives.ReadInt32BigEndian(imageBytes));
        Assert.Equal(0x00000801, BinaryPrimitives.ReadInt32BigEndian(labelBytes));
        int count = BinaryPrimitives.ReadInt32BigEndian(imageBytes.AsSpan(4));
        int rows = BinaryPrimitives.ReadInt32BigEndian(imageBytes.AsSpan(8));
        int cols = BinaryPrimitives.ReadInt32BigEndian(imageBytes.AsSpan(12));
        Assert.Equal(count, BinaryPrimitives.ReadInt32BigEndian(labelBytes.AsSpan(4)));

        var pixels = new float[count * rows * cols];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = imageBytes[16 + i] / 255f;
        }

        var classes = new int[count];
        for (int i = 0; i < count; i++)
        {
            classes[i] = labelBytes[8 + i];
        }

        return new TrainingData(pixels, classes, 1, rows, cols, ClassNames.Length);
    }

    private static byte[] Gunzip(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }
}
