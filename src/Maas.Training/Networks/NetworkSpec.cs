using Maas.Core.Errors;

namespace Maas.Training.Networks;

/// <summary>
/// A declarative description of a classification network: the input it takes and its layers in order. A
/// <see cref="Network"/> is built from it for training and the ONNX exporter walks it for serving, so the two
/// cannot describe different models. Two specs are equal when their input, class count and layers are equal.
/// </summary>
/// <param name="InputChannels">Channels of an input image (1 for grayscale, 3 for RGB).</param>
/// <param name="InputHeight">Height of an input image in pixels.</param>
/// <param name="InputWidth">Width of an input image in pixels.</param>
/// <param name="ClassCount">Number of classes; the last layer must produce this many features (the logits).</param>
/// <param name="Layers">The layers, applied in order.</param>
public sealed record NetworkSpec(int InputChannels, int InputHeight, int InputWidth, int ClassCount, IReadOnlyList<LayerSpec> Layers)
{
    /// <summary>
    /// Checks that every layer fits the shape the previous one produces and that the network ends in
    /// <see cref="ClassCount"/> flat features.
    /// </summary>
    /// <exception cref="InvalidInputException">The spec is inconsistent; the message names the layer and the mismatch.</exception>
    public void Validate() => _ = InferShapes();

    /// <inheritdoc />
    public bool Equals(NetworkSpec? other) =>
        other is not null
        && InputChannels == other.InputChannels
        && InputHeight == other.InputHeight
        && InputWidth == other.InputWidth
        && ClassCount == other.ClassCount
        && Layers.SequenceEqual(other.Layers);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(InputChannels);
        hash.Add(InputHeight);
        hash.Add(InputWidth);
        hash.Add(ClassCount);
        foreach (var layer in Layers)
        {
            hash.Add(layer);
        }

        return hash.ToHashCode();
    }

    /// <summary>The shape each layer produces, in layer order; throws <see cref="InvalidInputException"/> on the first misfit.</summary>
    internal IReadOnlyList<FeatureShape> InferShapes()
    {
        if (InputChannels < 1 || InputHeight < 1 || InputWidth < 1)
        {
            throw new InvalidInputException(
                $"Network spec: the input must be at least 1x1x1, got {InputChannels}x{InputHeight}x{InputWidth} (channels x height x width).");
        }

        if (ClassCount < 2)
        {
            throw new InvalidInputException($"Network spec: a classifier needs at least 2 classes, got {ClassCount}.");
        }

        if (Layers is null || Layers.Count == 0)
        {
            throw new InvalidInputException("Network spec: there are no layers.");
        }

        var shapes = new List<FeatureShape>(Layers.Count);
        var shape = FeatureShape.Map(InputChannels, InputHeight, InputWidth);
        for (int i = 0; i < Layers.Count; i++)
        {
            shape = Next(i, Layers[i], shape);
            shapes.Add(shape);
        }

        if (!shape.IsFlat || shape.Channels != ClassCount)
        {
            throw new InvalidInputException(
                $"Network spec: the last layer produces {shape}, but the network must end in {ClassCount} features (one logit per class).");
        }

        return shapes;
    }

    private static FeatureShape Next(int index, LayerSpec layer, FeatureShape input)
    {
        switch (layer)
        {
            case Conv2dLayer conv:
                RequireMap(index, layer, input);
                RequirePositive(index, layer, conv.OutChannels, "OutChannels");
                RequirePositive(index, layer, conv.Kernel, "Kernel");
                RequirePositive(index, layer, conv.Stride, "Stride");
                if (conv.Padding < 0)
                {
                    throw Misfit(index, layer, $"Padding must be 0 or more, got {conv.Padding}.");
                }

                if (conv.InChannels != input.Channels)
                {
                    throw Misfit(index, layer, $"it reads {conv.InChannels} channels but receives {input}.");
                }

                return FeatureShape.Map(
                    conv.OutChannels,
                    SlideCount(index, layer, input.Height + (2 * conv.Padding), conv.Kernel, conv.Stride),
                    SlideCount(index, layer, input.Width + (2 * conv.Padding), conv.Kernel, conv.Stride));

            case BatchNorm2dLayer norm:
                RequireMap(index, layer, input);
                if (norm.Channels != input.Channels)
                {
                    throw Misfit(index, layer, $"it normalizes {norm.Channels} channels but receives {input}.");
                }

                return input;

            case MaxPool2dLayer pool:
                RequireMap(index, layer, input);
                RequirePositive(index, layer, pool.Kernel, "Kernel");
                RequirePositive(index, layer, pool.Stride, "Stride");

                // PyTorch's own limit: a window must see at least one real position.
                if (pool.Padding < 0 || pool.Padding > pool.Kernel / 2)
                {
                    throw Misfit(index, layer, $"Padding must be from 0 to half the kernel ({pool.Kernel / 2}), got {pool.Padding}.");
                }

                return FeatureShape.Map(
                    input.Channels,
                    SlideCount(index, layer, input.Height + (2 * pool.Padding), pool.Kernel, pool.Stride),
                    SlideCount(index, layer, input.Width + (2 * pool.Padding), pool.Kernel, pool.Stride));

            case ResidualBlockLayer block:
                RequireMap(index, layer, input);
                RequirePositive(index, layer, block.OutChannels, "OutChannels");
                RequirePositive(index, layer, block.Stride, "Stride");
                if (block.InChannels != input.Channels)
                {
                    throw Misfit(index, layer, $"it reads {block.InChannels} channels but receives {input}.");
                }

                // Both the 3x3 path (padding 1) and the 1x1 shortcut give this size, so the two can be added.
                return FeatureShape.Map(
                    block.OutChannels,
                    SlideCount(index, layer, input.Height + 2, 3, block.Stride),
                    SlideCount(index, layer, input.Width + 2, 3, block.Stride));

            case ChannelAffineLayer affine:
                RequireMap(index, layer, input);
                if (affine.Scale is null || affine.Shift is null || affine.Scale.Count != input.Channels || affine.Shift.Count != input.Channels)
                {
                    throw Misfit(index, layer, $"it needs one scale and one shift per channel of {input}.");
                }

                if (affine.Scale.Concat(affine.Shift).Any(v => !float.IsFinite(v)))
                {
                    throw Misfit(index, layer, "every scale and shift must be finite.");
                }

                return input;

            case GlobalAveragePoolLayer:
                RequireMap(index, layer, input);
                return FeatureShape.Map(input.Channels, 1, 1);

            case FlattenLayer:
                if (input.Size > int.MaxValue)
                {
                    throw Misfit(index, layer, $"{input} has more than {int.MaxValue} elements.");
                }

                return FeatureShape.Flat((int)input.Size);

            case LinearLayer linear:
                RequirePositive(index, layer, linear.OutFeatures, "OutFeatures");
                if (!input.IsFlat)
                {
                    throw Misfit(index, layer, $"it reads a flat vector but receives {input}; add a Flatten layer before it.");
                }

                if (linear.InFeatures != input.Channels)
                {
                    throw Misfit(index, layer, $"it reads {linear.InFeatures} features but receives {input}.");
                }

                return FeatureShape.Flat(linear.OutFeatures);

            case DropoutLayer dropout:
                if (!(dropout.Probability >= 0 && dropout.Probability < 1))
                {
                    throw Misfit(index, layer, $"Probability must be in [0, 1), got {dropout.Probability}.");
                }

                return input;

            case ReluLayer:
                return input;

            default:
                throw Misfit(index, layer, "this kind of layer is not supported.");
        }
    }

    // The output length of a kernel sliding over `length` positions, as PyTorch and ONNX compute it (floor mode).
    private static int SlideCount(int index, LayerSpec layer, int length, int kernel, int stride)
    {
        if (length < kernel)
        {
            throw Misfit(index, layer, $"its {kernel}-wide window does not fit in {length} positions; the input is too small for this network.");
        }

        return ((length - kernel) / stride) + 1;
    }

    private static void RequireMap(int index, LayerSpec layer, FeatureShape input)
    {
        if (input.IsFlat)
        {
            throw Misfit(index, layer, $"it needs a feature map but receives {input}.");
        }
    }

    private static void RequirePositive(int index, LayerSpec layer, int value, string name)
    {
        if (value < 1)
        {
            throw Misfit(index, layer, $"{name} must be 1 or more, got {value}.");
        }
    }

    private static InvalidInputException Misfit(int index, LayerSpec layer, string problem) =>
        new($"Network spec layer {index + 1} ({layer}): {problem}");
}
