using System.Buffers.Binary;

namespace Maas.Datasets.Tests;

/// <summary>Imports of real photographs from Debian packages: large JPEGs (mate-backgrounds) and WebP (gnome-backgrounds).</summary>
public sealed class PhotoImportTests : ImportTestBase
{
    /// <summary>Where the Debian package mate-backgrounds puts its 12 JPEG photographs.</summary>
    public const string MatePhotos = "/usr/share/backgrounds/mate/nature";

    /// <summary>Where the Debian package gnome-backgrounds puts its 4096x4096 WebP renders.</summary>
    public const string GnomeBackgrounds = "/usr/share/backgrounds/gnome";

    [Fact]
    public async Task Import_RealJpegPhotosInClassFolders_RecordsTheirSizesAndFormat()
    {
        var photos = Directory.GetFiles(MatePhotos, "*.jpg").Order(StringComparer.Ordinal).ToArray();
        Assert.True(photos.Length >= 10, $"{MatePhotos}: expected the 12 photographs of mate-backgrounds (run ./setup.sh).");
        var root = Temp.Combine("photos");
        var expected = new Dictionary<string, (int Width, int Height)>();
        for (var i = 0; i < photos.Length; i++)
        {
            var id = $"{(i % 2 == 0 ? "even" : "odd")}/{Path.GetFileName(photos[i])}";
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, id))!);
            File.Copy(photos[i], Path.Combine(root, id));
            expected[id] = JpegSize(File.ReadAllBytes(photos[i]));
        }

        var result = await Importer.ImportAsync(root, "nature", null, null, CancellationToken.None);

        Assert.Empty(result.Rejections);
        Assert.Equal(["even", "odd"], result.Version.Classes);
        var samples = await Stores.Datasets.GetSamplesAsync("nature", 1, CancellationToken.None);
        Assert.Equal(photos.Length, samples.Count);
        foreach (var sample in samples)
        {
            Assert.Equal(expected[sample.SampleId], (sample.Width, sample.Height));
            Assert.Equal(("jpeg", 3), (sample.Format, sample.Channels));
            Assert.InRange(sample.Width, 1280, 2560);
        }
    }

    [GnomeWebPFact]
    public async Task Import_RealWebPRender_ImportsWithItsSize()
    {
        var webp = Directory.GetFiles(GnomeBackgrounds, "*.webp").Select(f => new FileInfo(f)).Where(f => f.Length > 100_000)
            .OrderBy(f => f.Length).First();
        var root = Temp.Combine("renders");
        Directory.CreateDirectory(Path.Combine(root, "render"));
        Directory.CreateDirectory(Path.Combine(root, "photo"));
        webp.CopyTo(Path.Combine(root, "render", webp.Name));
        File.Copy(Directory.GetFiles(MatePhotos, "*.jpg").Order(StringComparer.Ordinal).First(), Path.Combine(root, "photo", "p.jpg"));

        var result = await Importer.ImportAsync(root, "renders", null, null, CancellationToken.None);

        Assert.Empty(result.Rejections);
        var samples = await Stores.Datasets.GetSamplesAsync("renders", 1, CancellationToken.None);
        var render = samples.Single(s => s.SampleId == $"render/{webp.Name}");
        Assert.Equal(("webp", 4096, 4096), (render.Format, render.Width, render.Height));
    }

    /// <summary>The size in a JPEG's start-of-frame header, read without a decoder, to check the decoder against.</summary>
    private static (int Width, int Height) JpegSize(byte[] jpeg)
    {
        var i = 2;
        while (i + 9 < jpeg.Length)
        {
            if (jpeg[i] != 0xFF)
            {
                i++;
                continue;
            }

            var marker = jpeg[i + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 2));
            // SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
            {
                return (BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 7)), BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 5)));
            }

            i += 2 + length;
        }

        throw new InvalidDataException("no start-of-frame marker");
    }

    /// <summary>A test that needs gnome-backgrounds' WebP files, skipped with the reason where the package is not installed.</summary>
    private sealed class GnomeWebPFactAttribute : FactAttribute
    {
        public GnomeWebPFactAttribute()
        {
            if (!Directory.Exists(GnomeBackgrounds) || Directory.GetFiles(GnomeBackgrounds, "*.webp").Length == 0)
            {
                Skip = $"{GnomeBackgrounds} has no WebP files: install the Debian package gnome-backgrounds (apt-get install -y gnome-backgrounds) to run this test.";
            }
        }
    }
}
