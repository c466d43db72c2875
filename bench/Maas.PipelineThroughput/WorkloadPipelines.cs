using Maas.Core.Pipelines;

namespace Maas.PipelineThroughput;

/// <summary>
/// The Maas pipelines of the two workloads. The Python peers (<c>bench/peers/pipeline_peers.py</c>) do the same work;
/// differences the libraries impose are written down there.
/// </summary>
internal static class WorkloadPipelines
{
    /// <summary>The seed all training contexts use; the sample key and the epoch make each draw differ.</summary>
    public const ulong Seed = 7;

    private static readonly float[] s_imageNetMean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] s_imageNetStd = [0.229f, 0.224f, 0.225f];

    /// <summary>The spec of <paramref name="workload"/> (<see cref="Workload.Photos"/>, <see cref="Workload.PhotosDraft"/>, <see cref="Workload.PhotosCached"/> or <see cref="Workload.Fashion"/>).</summary>
    public static PipelineSpec For(string workload) => workload switch
    {
        // (a): torchvision's Resize(256), CenterCrop(224), RandomRotation(15), RandomHorizontalFlip(), ToTensor(),
        // Normalize(ImageNet). Bilinear here is OpenCV's INTER_LINEAR (two taps, no antialiasing); the rotation is
        // nearest-neighbour with black fill, as torchvision's and OpenCV's defaults in the peers.
        Workload.Photos => Photos(draft: false),
        // (a) with draft: each JPEG decoded at the smallest of 1/2, 1/4, 1/8 that still covers the resize's target
        // (1/4 for all 12 mate photos); the peers use OpenCV's IMREAD_REDUCED_COLOR_n and PIL's Image.draft.
        Workload.PhotosDraft => Photos(draft: true),
        // (a) after the first epoch: the same spec; its deterministic prefix comes from a cache.
        Workload.PhotosCached => Photos(draft: false),
        // (b): decode and normalize. A spec must fix its output size, so this is the default Fashion-MNIST pipeline
        // with its 28x28 resize, which on 28x28 images is a copy of 784 bytes (the resampler copies at scale 1); the
        // peers have no resize.
        Workload.Fashion => PipelineSpec.ForImages(ColorMode.Gray, 28, 28, mean: 0.5f, std: 0.5f),
        _ => throw new ArgumentException($"unknown workload '{workload}'.", nameof(workload)),
    };

    /// <summary>Whether the workload runs in training mode (random ops drawn per sample and epoch).</summary>
    public static bool IsTraining(string workload) => Workload.IsPhotos(workload);

    private static PipelineSpec Photos(bool draft) => new PipelineSpec(
    [
        new DecodeOp(ColorMode.Rgb, draft),
        ResizeOp.ToShorterSide(256, Interpolation.Bilinear),
        new CenterCropOp(224, 224),
        new RotateOp(Range: [-15, 15], Interpolation: Interpolation.Nearest),
        new HorizontalFlipOp(0.5),
        new NormalizeOp(s_imageNetMean, s_imageNetStd),
        new ToTensorOp(TensorDType.Float32),
    ]).Validate();
}
