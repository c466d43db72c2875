using Maas.Core.Errors;
using Maas.Core.Pipelines;

namespace Maas.Imaging;

/// <summary>
/// Runs a <see cref="PipelineSpec"/> on encoded images, producing CHW tensors. Training, evaluation and serving all call
/// this one type, so the tensor a model sees in production is bit-identical to the one it was evaluated on. Instances
/// are immutable and safe to share across threads; each run rents its buffers from the shared pools.
/// </summary>
/// <remarks>
/// Calls without a <see cref="SampleContext"/> run in evaluation mode: random ops are replaced by their evaluation
/// counterparts (<see cref="PipelineSpec.ForEvaluation"/>). Training calls pass a context whose seed, sample and epoch
/// fix every random draw. The ops before the first random one (<see cref="PipelineSpec.DeterministicPrefix"/>) can be
/// run once with <see cref="RunPrefix"/> and their output fed to <see cref="RunFromPrefix(ReadOnlySpan{byte}, int, int, int, Span{float}, in SampleContext)"/>
/// every epoch, with the same result as running the whole pipeline.
/// </remarks>
public sealed class PipelineExecutor
{
    private readonly ExecutionPlan _training;
    private readonly ExecutionPlan _evaluation;
    private readonly DecodeLimits _limits;
    private readonly int _prefixLength;
    private readonly ResizeOp? _draftResize;

    /// <summary>Compiles <paramref name="spec"/> for both modes.</summary>
    /// <exception cref="InvalidInputException">The spec is invalid (the message names the op), or its size is not fixed.</exception>
    public PipelineExecutor(PipelineSpec spec, DecodeLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        Spec = spec;
        _limits = limits ?? DecodeLimits.Default;
        _training = new ExecutionPlan(spec.Ops, [.. Enumerable.Range(0, spec.Ops.Count)]);
        var evaluationOps = new List<PipelineOp>();
        var evaluationIndices = new List<int>();
        for (var i = 0; i < spec.Ops.Count; i++)
        {
            foreach (var op in spec.Ops[i].EvaluationCounterpart())
            {
                evaluationOps.Add(op);
                evaluationIndices.Add(i);
            }
        }

        _evaluation = new ExecutionPlan(evaluationOps, evaluationIndices);
        if (_training.Shape != _evaluation.Shape)
        {
            throw new InvalidInputException(
                $"pipeline: training produces {_training.Shape} but evaluation produces {_evaluation.Shape}; fix the size after the random ops.");
        }

        _prefixLength = spec.DeterministicPrefixLength;
        _draftResize = spec.DraftResize;
        PrefixChannels = spec.DeterministicPrefix.Aggregate(0, (channels, op) => op.ChannelsAfter(channels));
        Shape = _evaluation.Shape;
    }

    /// <summary>The spec this executor runs.</summary>
    public PipelineSpec Spec { get; }

    /// <summary>The shape of every tensor this executor produces, in both modes.</summary>
    public TensorShape Shape { get; }

    /// <summary>The element type of the tensor (see <see cref="ToTensorOp"/>).</summary>
    public TensorDType DType => _evaluation.DType;

    /// <summary>The channel count of the image <see cref="RunPrefix"/> returns.</summary>
    public int PrefixChannels { get; }

    /// <summary>Decodes and transforms one image in evaluation mode into <paramref name="destination"/> (length <see cref="TensorShape.Length"/>).</summary>
    /// <param name="encoded">The encoded image bytes.</param>
    /// <param name="destination">Receives the CHW tensor.</param>
    /// <param name="source">Names the image in error messages.</param>
    /// <exception cref="UnsupportedImageException">The bytes are not a decodable image.</exception>
    public void Run(ReadOnlySpan<byte> encoded, Span<float> destination, string source) =>
        Run(encoded, destination, source, SampleContext.Evaluation);

    /// <summary>Runs the pipeline on one image in evaluation mode and returns a new tensor.</summary>
    public float[] Run(ReadOnlySpan<byte> encoded, string source)
    {
        var tensor = new float[Shape.Length];
        Run(encoded, tensor, source);
        return tensor;
    }

    /// <summary>Decodes and transforms one image in the mode of <paramref name="context"/> into a float tensor.</summary>
    /// <param name="encoded">The encoded image bytes.</param>
    /// <param name="destination">Receives the CHW tensor; a uint8 pipeline's values are written as 0-255 floats.</param>
    /// <param name="source">Names the image in error messages.</param>
    /// <param name="context">The seed, sample, epoch and mode that fix every random draw.</param>
    /// <exception cref="UnsupportedImageException">The bytes are not a decodable image.</exception>
    /// <exception cref="InvalidInputException">The spec's normalize is still "auto".</exception>
    public void Run(ReadOnlySpan<byte> encoded, Span<float> destination, string source, in SampleContext context)
    {
        CheckDestination(destination.Length);
        var plan = PlanFor(context);
        CheckNormalization(plan);
        var image = Decode(encoded, source, out var opsDone);
        Finish(RunPixelOps(plan, image, opsDone, context, source), plan, destination, context);
    }

    /// <summary>Decodes and transforms one image into a uint8 CHW tensor; the pipeline must not normalize.</summary>
    /// <exception cref="UnsupportedImageException">The bytes are not a decodable image.</exception>
    /// <exception cref="InvalidOperationException">The pipeline normalizes, so its values are not bytes.</exception>
    public void Run(ReadOnlySpan<byte> encoded, Span<byte> destination, string source, in SampleContext context)
    {
        CheckDestination(destination.Length);
        var plan = PlanFor(context);
        CheckBytes(plan);
        var image = Decode(encoded, source, out var opsDone);
        Finish(RunPixelOps(plan, image, opsDone, context, source), destination);
    }

    /// <summary>
    /// Decodes and runs only the deterministic prefix (<see cref="PipelineSpec.DeterministicPrefix"/>), returning its
    /// 8-bit HWC image: the same in every epoch and both modes, so a cache can keep it.
    /// </summary>
    /// <exception cref="UnsupportedImageException">The bytes are not a decodable image.</exception>
    public DecodedImage RunPrefix(ReadOnlySpan<byte> encoded, string source)
    {
        var image = Decode(encoded, source, out var opsDone);
        var random = default(OpRandom);
        for (var i = opsDone; i < _prefixLength; i++)
        {
            Raster next;
            if (i + 1 < _prefixLength && Fused(Spec.Ops[i], Spec.Ops[i + 1], image, source) is { } fused)
            {
                next = fused;
                i++;
            }
            else
            {
                next = PixelStage.Apply(Spec.Ops[i], image, ref random, source);
            }

            if (!next.Same(image))
            {
                image.Return();
            }

            image = next;
        }

        try
        {
            return new DecodedImage(image.Pixels.ToArray(), image.Width, image.Height, image.Channels);
        }
        finally
        {
            image.Return();
        }
    }

    /// <summary>
    /// Runs the ops after the deterministic prefix on an image <see cref="RunPrefix"/> produced, in the mode of
    /// <paramref name="context"/>; the tensor is bit-identical to running the whole pipeline on the encoded image.
    /// </summary>
    /// <param name="pixels">The prefix output, HWC bytes.</param>
    /// <param name="width">Its width.</param>
    /// <param name="height">Its height.</param>
    /// <param name="channels">Its channels; must be <see cref="PrefixChannels"/>.</param>
    /// <param name="destination">Receives the CHW tensor.</param>
    /// <param name="context">The seed, sample, epoch and mode.</param>
    public void RunFromPrefix(ReadOnlySpan<byte> pixels, int width, int height, int channels, Span<float> destination, in SampleContext context)
    {
        CheckDestination(destination.Length);
        var plan = PlanFor(context);
        CheckNormalization(plan);
        Finish(RunPixelOps(plan, PrefixImage(pixels, width, height, channels), _prefixLength, context, "prefix image"), plan, destination, context);
    }

    /// <summary>As <see cref="RunFromPrefix(ReadOnlySpan{byte}, int, int, int, Span{float}, in SampleContext)"/>, into a uint8 CHW tensor.</summary>
    public void RunFromPrefix(ReadOnlySpan<byte> pixels, int width, int height, int channels, Span<byte> destination, in SampleContext context)
    {
        CheckDestination(destination.Length);
        var plan = PlanFor(context);
        CheckBytes(plan);
        Finish(RunPixelOps(plan, PrefixImage(pixels, width, height, channels), _prefixLength, context, "prefix image"), destination);
    }

    /// <summary>
    /// Runs the pipeline over many images in parallel in evaluation mode, writing image i to <c>destination[i * Shape.Length ..]</c>.
    /// </summary>
    /// <param name="count">How many images.</param>
    /// <param name="load">Returns the encoded bytes and a name for image i; called from worker threads.</param>
    /// <param name="destination">NCHW output, at least count x Shape.Length floats.</param>
    /// <param name="progress">Told how many images are done, now and then.</param>
    /// <param name="cancellationToken">Stops the work between images.</param>
    public void RunMany(int count, Func<int, (byte[] Bytes, string Source)> load, float[] destination,
        IProgress<int>? progress, CancellationToken cancellationToken) =>
        RunMany(count, load, _ => SampleContext.Evaluation, destination, progress, cancellationToken);

    /// <summary>
    /// Runs the pipeline over many images in parallel, image i in the context <paramref name="context"/> gives it (for
    /// training, <c>i => SampleContext.Training(seed, ids[i], epoch)</c>); the result does not depend on scheduling.
    /// </summary>
    /// <param name="count">How many images.</param>
    /// <param name="load">Returns the encoded bytes and a name for image i; called from worker threads.</param>
    /// <param name="context">The context of image i.</param>
    /// <param name="destination">NCHW output, at least count x Shape.Length floats.</param>
    /// <param name="progress">Told how many images are done, now and then.</param>
    /// <param name="cancellationToken">Stops the work between images.</param>
    public void RunMany(int count, Func<int, (byte[] Bytes, string Source)> load, Func<int, SampleContext> context, float[] destination,
        IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(load);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(destination);
        var length = Shape.Length;
        var done = 0;
        Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var (bytes, source) = load(i);
            Run(bytes, destination.AsSpan(i * length, length), source, context(i));
            var now = Interlocked.Increment(ref done);
            if (now % 1024 == 0 || now == count)
            {
                progress?.Report(now);
            }
        });
    }

    /// <summary>
    /// Decodes <paramref name="encoded"/>; <paramref name="opsDone"/> says how many of the spec's leading ops that
    /// covers: 1, or 2 when a draft decode (<see cref="DecodeOp.Draft"/>) reduced the image and the op 1 resize was run
    /// here, to the size it gives the full image, or 3 when an op 2 centre crop inside it was run with it. A resize is its own evaluation counterpart, so op 1 is step 1 of both
    /// modes' plans and skipping by index skips it in either.
    /// </summary>
    private Raster Decode(ReadOnlySpan<byte> encoded, string source, out int opsDone)
    {
        opsDone = 1;
        if (_draftResize is not { } resize)
        {
            return ImageDecoder.DecodeToRaster(encoded, Spec.Decode.Color, _limits, source);
        }

        var image = ImageDecoder.DraftToRaster(encoded, Spec.Decode.Color, _limits, source, resize, out var fullSize, out var denominator);
        if (denominator == 1)
        {
            return image;
        }

        try
        {
            if (Spec.Ops.Count > 2 && Spec.Ops[2] is CenterCropOp crop
                && PixelStage.ResizeCentreCropped(resize, crop, image, fullSize, denominator, source) is { } cropped)
            {
                opsDone = 3;
                return cropped;
            }

            var resized = PixelStage.Resize(resize, image, fullSize, denominator, source);
            opsDone = 2;
            return resized;
        }
        finally
        {
            image.Return();
        }
    }

    /// <summary>
    /// A resize followed by a centre crop inside it, run as one pass that computes only the kept pixels (the same bytes
    /// as the two ops one after the other); null for any other pair, which runs op by op. Both ops are deterministic,
    /// so no random stream is involved.
    /// </summary>
    private static Raster? Fused(PipelineOp op, PipelineOp next, in Raster image, string source) =>
        op is ResizeOp resize && next is CenterCropOp crop
            ? PixelStage.ResizeCentreCropped(resize, crop, image, new ImageSize(image.Width, image.Height), 1, source)
            : null;

    private ExecutionPlan PlanFor(in SampleContext context) => context.Mode == PipelineMode.Training ? _training : _evaluation;

    private void CheckDestination(int length)
    {
        if (length != Shape.Length)
        {
            throw new ArgumentException($"The destination holds {length} values; the pipeline produces {Shape.Length}.", "destination");
        }
    }

    private static void CheckNormalization(ExecutionPlan plan)
    {
        if (plan.Normalize is { IsAuto: true })
        {
            throw new InvalidInputException(
                $"pipeline op {plan.NormalizeIndex} (normalize): mean and std are still \"auto\"; resolve them from the training split's statistics with PipelineSpec.ResolveNormalization before running the pipeline.");
        }
    }

    private static void CheckBytes(ExecutionPlan plan)
    {
        if (plan.Normalize is not null)
        {
            throw new InvalidOperationException($"pipeline op {plan.NormalizeIndex} (normalize) makes float values; run it into a float tensor.");
        }
    }

    private Raster PrefixImage(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        if (channels != PrefixChannels)
        {
            throw new ArgumentException($"The prefix image has {channels} channels; this pipeline's prefix makes {PrefixChannels}.", nameof(channels));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (pixels.Length != (long)width * height * channels)
        {
            throw new ArgumentException($"{pixels.Length} bytes is not {width}x{height}x{channels}.", nameof(pixels));
        }

        return Raster.CopyOf(pixels, width, height, channels);
    }

    private static Raster RunPixelOps(ExecutionPlan plan, Raster image, int skip, in SampleContext context, string source)
    {
        try
        {
            var steps = plan.PixelOps;
            for (var k = 0; k < steps.Length; k++)
            {
                var step = steps[k];
                if (step.PlanIndex < skip)
                {
                    continue;
                }

                Raster next;
                if (k + 1 < steps.Length && Fused(step.Op, steps[k + 1].Op, image, source) is { } fused)
                {
                    next = fused;
                    k++;
                }
                else
                {
                    var random = new OpRandom(step.Op.IsRandom ? context.StreamSeed(step.SpecIndex) : 0);
                    next = PixelStage.Apply(step.Op, image, ref random, source);
                }

                if (!next.Same(image))
                {
                    image.Return();
                }

                image = next;
            }

            return image;
        }
        catch
        {
            image.Return();
            throw;
        }
    }

    private void Finish(Raster image, ExecutionPlan plan, Span<float> destination, in SampleContext context)
    {
        try
        {
            CheckShape(image);
            TensorStage.WriteFloats(image, plan, destination, context);
        }
        finally
        {
            image.Return();
        }
    }

    private void Finish(Raster image, Span<byte> destination)
    {
        try
        {
            CheckShape(image);
            TensorStage.WriteBytes(image, destination);
        }
        finally
        {
            image.Return();
        }
    }

    private void CheckShape(in Raster image)
    {
        if (image.Channels != Shape.Channels || image.Height != Shape.Height || image.Width != Shape.Width)
        {
            throw new InvalidOperationException($"The pipeline made a {image.Channels}x{image.Height}x{image.Width} image, not {Shape}.");
        }
    }
}
