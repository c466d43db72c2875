using System.Buffers;
using Maas.Core.Errors;
using Maas.Core.Pipelines;

namespace Maas.Imaging;

/// <summary>
/// Runs a <see cref="PipelineSpec"/> on encoded images, producing CHW float32 tensors. Training, evaluation and
/// serving all call this one type, so the tensor a model sees in production is bit-identical to the one it was
/// evaluated on. Instances are immutable and safe to share across threads.
/// </summary>
public sealed class PipelineExecutor
{
    private readonly DecodeOp _decode;
    private readonly ResizeOp _resize;
    private readonly NormalizeOp? _normalize;
    private readonly DecodeLimits _limits;

    /// <summary>Compiles <paramref name="spec"/>; it must resize to a fixed size so every tensor has one shape.</summary>
    /// <exception cref="InvalidInputException">The spec is invalid or has no resize op.</exception>
    public PipelineExecutor(PipelineSpec spec, DecodeLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        Spec = spec;
        _limits = limits ?? DecodeLimits.Default;
        _decode = spec.Decode;
        ResizeOp? resize = null;
        for (var i = 1; i < spec.Ops.Count; i++)
        {
            switch (spec.Ops[i])
            {
                case ResizeOp r when _normalize is null && resize is null:
                    resize = r;
                    break;
                case NormalizeOp n when _normalize is null:
                    _normalize = n;
                    break;
                default:
                    throw new InvalidInputException(
                        $"pipeline op {i}: this build runs decode, then one resize, then at most one normalize, in that order.");
            }
        }

        _resize = resize ?? throw new InvalidInputException(
            "pipeline: a resize op is required so that every image becomes a tensor of the same shape.");
        Shape = new TensorShape(spec.Channels, _resize.Height, _resize.Width);
    }

    /// <summary>The spec this executor runs.</summary>
    public PipelineSpec Spec { get; }

    /// <summary>The shape of every tensor this executor produces.</summary>
    public TensorShape Shape { get; }

    /// <summary>Decodes and transforms one image into <paramref name="destination"/> (length <see cref="TensorShape.Length"/>).</summary>
    /// <param name="encoded">The encoded image bytes.</param>
    /// <param name="destination">Receives the CHW tensor.</param>
    /// <param name="source">Names the image in error messages.</param>
    /// <exception cref="UnsupportedImageException">The bytes are not a decodable image.</exception>
    public void Run(ReadOnlySpan<byte> encoded, Span<float> destination, string source)
    {
        if (destination.Length != Shape.Length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} floats; the pipeline produces {Shape.Length}.", nameof(destination));
        }

        var image = ImageDecoder.Decode(encoded, _decode.Color, _limits, source);
        var (channels, height, width) = (Shape.Channels, Shape.Height, Shape.Width);
        var pixelCount = height * width;
        var hwc = ArrayPool<float>.Shared.Rent(pixelCount * channels);
        try
        {
            if (image.Width == width && image.Height == height)
            {
                for (var i = 0; i < pixelCount * channels; i++)
                {
                    hwc[i] = image.Pixels[i];
                }
            }
            else if (_resize.Interpolation == Interpolation.Nearest)
            {
                BilinearResize.Nearest(image.Pixels, image.Width, image.Height, channels, hwc, width, height);
            }
            else
            {
                BilinearResize.Resize(image.Pixels, image.Width, image.Height, channels, hwc, width, height);
            }

            for (var c = 0; c < channels; c++)
            {
                // Folding /255 and the normalization into one multiply-add keeps the arithmetic identical on every path.
                var scale = 1f / 255f;
                var offset = 0f;
                if (_normalize is not null)
                {
                    var std = _normalize.StdOf(c);
                    scale /= std;
                    offset = -_normalize.MeanOf(c) / std;
                }

                var plane = destination.Slice(c * pixelCount, pixelCount);
                for (var i = 0; i < pixelCount; i++)
                {
                    plane[i] = (hwc[(i * channels) + c] * scale) + offset;
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(hwc);
        }
    }

    /// <summary>Runs the pipeline on one image and returns a new tensor.</summary>
    public float[] Run(ReadOnlySpan<byte> encoded, string source)
    {
        var tensor = new float[Shape.Length];
        Run(encoded, tensor, source);
        return tensor;
    }

    /// <summary>
    /// Runs the pipeline over many images in parallel, writing image i to <c>destination[i * Shape.Length ..]</c>.
    /// </summary>
    /// <param name="count">How many images.</param>
    /// <param name="load">Returns the encoded bytes and a name for image i; called from worker threads.</param>
    /// <param name="destination">NCHW output, at least count x Shape.Length floats.</param>
    /// <param name="progress">Told how many images are done, now and then.</param>
    /// <param name="cancellationToken">Stops the work between images.</param>
    public void RunMany(int count, Func<int, (byte[] Bytes, string Source)> load, float[] destination,
        IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(load);
        ArgumentNullException.ThrowIfNull(destination);
        var length = Shape.Length;
        var done = 0;
        Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var (bytes, source) = load(i);
            Run(bytes, destination.AsSpan(i * length, length), source);
            var now = Interlocked.Increment(ref done);
            if (now % 1024 == 0 || now == count)
            {
                progress?.Report(now);
            }
        });
    }
}
