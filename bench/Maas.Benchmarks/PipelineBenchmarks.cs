using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using Maas.Core.Pipelines;
using Maas.Imaging;

namespace Maas.Benchmarks;

/// <summary>
/// The per-image cost of the pipeline every stage shares: a Fashion-MNIST PNG (decode only, 28x28), a real
/// JPEG photograph resized to 224x224 RGB, and the same photograph through a typical training pipeline (random resized
/// crop to 224, flip, colour jitter, normalize), a new epoch each call.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class PipelineBenchmarks
{
    private byte[] _fashionPng = [];
    private byte[] _photoJpeg = [];
    private PipelineExecutor _fashion = null!;
    private PipelineExecutor _photo = null!;
    private float[] _fashionTensor = [];
    private float[] _photoTensor = [];
    private PipelineExecutor _training = null!;
    private int _epoch;

    [GlobalSetup]
    public void Setup()
    {
        using var zip = new GZipStream(File.OpenRead("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"), CompressionMode.Decompress);
        var raw = new byte[16 + 784];
        zip.ReadExactly(raw);
        _fashionPng = ImageEncoder.EncodePng(raw.AsSpan(16, 784), 28, 28, 1);
        _photoJpeg = File.ReadAllBytes(Directory.GetFiles("/usr/share/backgrounds/mate/nature", "*.jpg").Order(StringComparer.Ordinal).First());
        _fashion = new PipelineExecutor(PipelineSpec.ForImages(ColorMode.Gray, 28, 28));
        _photo = new PipelineExecutor(new PipelineSpec([new DecodeOp(ColorMode.Rgb), new ResizeOp(224, 224), new NormalizeOp([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f])]));
        _fashionTensor = new float[_fashion.Shape.Length];
        _photoTensor = new float[_photo.Shape.Length];
        _training = new PipelineExecutor(new PipelineSpec(
        [
            new DecodeOp(ColorMode.Rgb),
            new RandomResizedCropOp(224, 224),
            new HorizontalFlipOp(),
            new ColorJitterOp([0.4], [0.4], [0.4]),
            new NormalizeOp([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]),
        ]));
    }

    [Benchmark]
    public void FashionPng28() => _fashion.Run(_fashionPng, _fashionTensor, "fashion");

    [Benchmark]
    public void PhotoJpegTo224() => _photo.Run(_photoJpeg, _photoTensor, "photo");

    [Benchmark]
    public void PhotoJpegTrainingAugment224() =>
        _training.Run(_photoJpeg, _photoTensor, "photo", SampleContext.Training(7, "photo", _epoch++));
}
