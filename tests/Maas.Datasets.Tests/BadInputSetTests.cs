using Maas.Core;
using Maas.Storage;
using Maas.Testing;

namespace Maas.Datasets.Tests;

/// <summary>Every kind of bad file in one tree, next to good ones: each is rejected with its reason, the rest import.</summary>
public sealed class BadInputSetTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Import_TreeOfBadInputs_RejectsEachWithItsReasonAndKeepsTheGoodOnes()
    {
        var root = _temp.Combine("tree");
        var photo = File.ReadAllBytes(Directory.GetFiles("/usr/share/backgrounds/mate/nature", "*.jpg").Order(StringComparer.Ordinal).First());
        var png = TestImages.GradientRgbPng(32, 32, 5);
        Write(root, "good", "photo.jpg", photo);
        Write(root, "good", "small.png", TestImages.GradientRgbPng(8, 8, 1));
        Write(root, "good", new string('x', 240) + ".png", TestImages.GradientRgbPng(8, 8, 2));
        Write(root, "bad", "truncated.png", png[..(png.Length / 2)]);
        Write(root, "bad", "truncated.jpg", photo[..(photo.Length / 3)]);
        Write(root, "bad", "empty.png", []);
        Write(root, "bad", "text.jpg", "this is a text file named .jpg"u8.ToArray());
        Write(root, "bad", "bomb.png", TestImages.PixelBombPng(30000, 30000));
        Write(root, "bad", "same-as-small.png", TestImages.GradientRgbPng(8, 8, 1));
        File.WriteAllBytes(_temp.Combine("outside.png"), TestImages.FlatGrayPng(2, 2, 9));
        File.CreateSymbolicLink(Path.Combine(root, "bad", "link.png"), _temp.Combine("outside.png"));
        WriteWithRawName([.. System.Text.Encoding.UTF8.GetBytes(Path.Combine(root, "bad", "caf")), 0xE9, .. ".png"u8], TestImages.GradientRgbPng(8, 8, 3));
        var stores = MaasStores.Open(new MaasHome(_temp.Combine("home")));

        var result = await new DatasetImporter(stores).ImportAsync(root, "mixed", null, null, CancellationToken.None);

        var reasons = result.Rejections.ToDictionary(r => Path.GetFileName(r.Path), r => r.Reason);
        Assert.Equal(3, result.Version.SampleCount);
        Assert.Equal("the png data is truncated.", reasons["truncated.png"]);
        Assert.StartsWith("the jpeg data", reasons["truncated.jpg"], StringComparison.Ordinal);
        Assert.Equal("the file is empty.", reasons["empty.png"]);
        Assert.StartsWith("not a PNG, JPEG, WebP, GIF or BMP image", reasons["text.jpg"], StringComparison.Ordinal);
        Assert.Contains("30000x30000 is over the limit", reasons["bomb.png"], StringComparison.Ordinal);
        // Files are taken in path order: bad/same-as-small.png is kept and good/small.png reported against it.
        Assert.StartsWith("label conflict: the same bytes as bad/same-as-small.png", reasons["small.png"], StringComparison.Ordinal);
        Assert.Contains("outside the source tree", reasons["link.png"], StringComparison.Ordinal);
        Assert.Equal("the file name is not valid UTF-8; rename the file", reasons["caf\uFFFD.png"]);
        Assert.Equal(8, result.Rejections.Count);
        Assert.True(File.Exists(result.RejectionReportPath));
    }

    private static void Write(string root, string folder, string name, byte[] bytes)
    {
        Directory.CreateDirectory(Path.Combine(root, folder));
        File.WriteAllBytes(Path.Combine(root, folder, name), bytes);
    }

    /// <summary>Creates a file whose name is raw bytes (not valid UTF-8), which .NET's own file APIs cannot name.</summary>
    private static void WriteWithRawName(byte[] path, byte[] content)
    {
        var descriptor = Creat([.. path, 0], Convert.ToInt32("644", 8));
        Assert.True(descriptor >= 0, $"creat failed: {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        var written = Write(descriptor, content, content.Length);
        Close(descriptor);
        Assert.Equal(content.Length, written);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "creat", SetLastError = true)]
    private static extern int Creat(byte[] path, int mode);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "write", SetLastError = true)]
    private static extern nint Write(int descriptor, byte[] buffer, nint count);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int descriptor);

    public void Dispose() => _temp.Dispose();
}
