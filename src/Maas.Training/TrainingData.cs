using Maas.Core.Errors;
using Maas.Core.Pipelines;

namespace Maas.Training;

/// <summary>
/// Labelled images held in memory, ready for a network: float pixels in NCHW order (sample, channel, row,
/// column), already normalized the way the model's pipeline does it, and one class index per sample.
/// </summary>
/// <param name="Pixels">Count · Channels · Height · Width floats; sample i starts at i · <see cref="SampleSize"/>.</param>
/// <param name="Labels">The class index of each sample, in [0, ClassCount).</param>
/// <param name="Channels">Channels per image.</param>
/// <param name="Height">Image height in pixels.</param>
/// <param name="Width">Image width in pixels.</param>
/// <param name="ClassCount">Number of classes, including any with no sample here (a subset may miss some).</param>
public sealed record TrainingData(float[] Pixels, int[] Labels, int Channels, int Height, int Width, int ClassCount)
{
    /// <summary>
    /// How the pixels were normalized from [0, 1] (the pipeline's normalize op), so a pretrained network can map
    /// them onto the input it was trained on. The default is null: the pixels are in [0, 1].
    /// </summary>
    public NormalizeOp? Normalization { get; init; }

    /// <summary>
    /// When set, training batches are made afresh each epoch by running the pipeline's random ops (see
    /// <see cref="SampleAugmentation"/>) and <see cref="Pixels"/> may be empty. The default is null: the pixels are
    /// used as they are in every epoch.
    /// </summary>
    public SampleAugmentation? Augmentation { get; init; }

    /// <summary>Number of samples.</summary>
    public int Count => Labels.Length;

    /// <summary>Floats per sample: Channels · Height · Width.</summary>
    public int SampleSize => Channels * Height * Width;

    /// <summary>Checks that the pixels and labels agree with the stated sizes and every label is a valid class.</summary>
    /// <param name="name">What to call this data in an error message (for example "validation data").</param>
    /// <exception cref="InvalidInputException">The data is inconsistent; the message says how.</exception>
    public void Validate(string name = "training data")
    {
        if (Pixels is null || Labels is null)
        {
            throw new InvalidInputException($"The {name} has no pixels or no labels.");
        }

        if (Channels < 1 || Height < 1 || Width < 1)
        {
            throw new InvalidInputException($"The {name} has images of {Channels}x{Height}x{Width}; every size must be 1 or more.");
        }

        if (ClassCount < 2)
        {
            throw new InvalidInputException($"The {name} has {ClassCount} classes; a classifier needs at least 2.");
        }

        if (Count == 0)
        {
            throw new InvalidInputException($"The {name} has no samples.");
        }

        if (Augmentation is null && Pixels.LongLength != (long)Count * SampleSize)
        {
            throw new InvalidInputException(
                $"The {name} has {Pixels.LongLength} pixel values, but {Count} samples of {Channels}x{Height}x{Width} need {(long)Count * SampleSize}.");
        }

        for (int i = 0; i < Labels.Length; i++)
        {
            if ((uint)Labels[i] >= (uint)ClassCount)
            {
                throw new InvalidInputException(
                    $"The {name} has label {Labels[i]} at sample {i}; labels must be class indices in [0, {ClassCount}).");
            }
        }
    }

    /// <summary>A copy of a contiguous range of samples, with the same image size and classes.</summary>
    /// <param name="start">Index of the first sample.</param>
    /// <param name="count">Number of samples.</param>
    /// <returns>The samples [start, start + count).</returns>
    public TrainingData Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, Count, nameof(count));
        return this with
        {
            Pixels = Pixels.AsSpan(start * SampleSize, count * SampleSize).ToArray(),
            Labels = Labels.AsSpan(start, count).ToArray(),
        };
    }
}
