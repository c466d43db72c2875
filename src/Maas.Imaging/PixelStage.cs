using Maas.Core.Errors;
using Maas.Core.Pipelines;

namespace Maas.Imaging;

/// <summary>
/// Applies one pixel op to an 8-bit image, drawing any random parameters from the op's own stream in the order
/// torchvision draws them. Returns the input itself when the op leaves it alone (a flip that did not happen).
/// </summary>
internal static class PixelStage
{
    public static Raster Apply(PipelineOp op, in Raster image, ref OpRandom random, string source)
    {
        Span<byte> fill = stackalloc byte[image.Channels];
        switch (op)
        {
            case ResizeOp resize:
                return Resize(resize, image, new ImageSize(image.Width, image.Height), 1, source);

            case CenterCropOp crop:
            {
                PixelGeometry.FillColor(crop.Fill, fill);
                return PixelGeometry.Window(image, CropOffset(image.Width, crop.Width), CropOffset(image.Height, crop.Height), crop.Width, crop.Height, fill);
            }

            case PadOp { Mode: PadMode.Constant } pad:
            {
                PixelGeometry.FillColor(pad.Fill, fill);
                return PixelGeometry.Window(image, -pad.Left, -pad.Top, image.Width + pad.Left + pad.Right, image.Height + pad.Top + pad.Bottom, fill);
            }

            case PadOp pad:
                return PixelGeometry.PadByIndex(image, pad.Left, pad.Top, pad.Right, pad.Bottom, pad.Mode);

            case RandomResizedCropOp crop:
            {
                var (left, top, width, height) = DrawCrop(crop, image.Width, image.Height, ref random);
                return Resized(image, left, top, width, height, new ImageSize(crop.Width, crop.Height), crop.Interpolation);
            }

            case RotateOp rotate:
            {
                PixelGeometry.FillColor(rotate.Fill, fill);
                var angle = rotate.Angle ?? random.Uniform(rotate.Range![0], rotate.Range[1]);
                return PixelGeometry.Rotate(image, angle, rotate.Expand, rotate.Interpolation, fill);
            }

            case HorizontalFlipOp flip:
                return random.Chance(flip.P) ? PixelGeometry.Orient(image, PixelGeometry.MirrorHorizontal) : image;

            case VerticalFlipOp flip:
                return random.Chance(flip.P) ? PixelGeometry.Orient(image, PixelGeometry.MirrorVertical) : image;

            case ColorJitterOp jitter:
                Jitter(jitter, image, ref random);
                return image;

            case RandomErasingOp erasing:
            {
                if (DrawErasure(erasing, image.Width, image.Height, ref random) is { } box)
                {
                    for (var c = 0; c < image.Channels; c++)
                    {
                        fill[c] = Raster.Quantize(erasing.ValueOf(c) * 255);
                    }

                    var pixels = image.Pixels;
                    for (var y = box.Top; y < box.Top + box.Height; y++)
                    {
                        for (var x = box.Left; x < box.Left + box.Width; x++)
                        {
                            fill.CopyTo(pixels[(((y * image.Width) + x) * image.Channels)..]);
                        }
                    }
                }

                return image;
            }

            case GrayscaleOp gray:
                return PixelColor.Grayscale(image, gray.Channels);

            default:
                throw new InvalidOperationException($"'{op.Name}' is not a pixel op.");
        }
    }

    /// <summary>
    /// Resizes all of <paramref name="image"/>, which stands for an image of size <paramref name="from"/> reduced by
    /// <paramref name="denominator"/> (1 for the image itself; 2, 4 or 8 after a draft decode), to the size
    /// <paramref name="resize"/> gives <paramref name="from"/>, so that the ops after it see the sizes, and the same
    /// sampling positions, as without draft.
    /// </summary>
    public static Raster Resize(ResizeOp resize, in Raster image, ImageSize from, int denominator, string source)
    {
        var size = CheckedSize(resize, from, source);
        if (denominator == 1)
        {
            return Resized(image, 0, 0, image.Width, image.Height, size, resize.Interpolation);
        }

        var output = Raster.Rent(size.Width, size.Height, image.Channels);
        Resampler.Resize(image, (double)from.Width / denominator, (double)from.Height / denominator, output, resize.Interpolation);
        return output;
    }

    /// <summary>
    /// <see cref="Resize"/> followed by <paramref name="crop"/> in one pass, computing only the pixels the crop keeps;
    /// the bytes are those of the two ops run one after the other. Null when the crop does not lie inside the resized
    /// image (it would pad), which the two ops handle on their own.
    /// </summary>
    public static Raster? ResizeCentreCropped(ResizeOp resize, CenterCropOp crop, in Raster image, ImageSize from, int denominator, string source)
    {
        var size = CheckedSize(resize, from, source);
        if (crop.Width > size.Width || crop.Height > size.Height)
        {
            return null;
        }

        var output = Raster.Rent(crop.Width, crop.Height, image.Channels);
        Resampler.ResizeWindow(image, (double)from.Width / denominator, (double)from.Height / denominator, size,
            CropOffset(size.Width, crop.Width), CropOffset(size.Height, crop.Height), output, resize.Interpolation);
        return output;
    }

    /// <summary>torchvision's centre-crop offset: round((size - crop) / 2) with Python's half-to-even, or a pad when the crop is larger.</summary>
    public static int CropOffset(int size, int crop) =>
        crop > size ? -((crop - size) / 2) : (int)Math.Round((size - crop) / 2.0, MidpointRounding.ToEven);

    /// <summary>torchvision's <c>RandomResizedCrop.get_params</c>: ten tries at a random area and ratio, then a centre crop.</summary>
    public static (int Left, int Top, int Width, int Height) DrawCrop(RandomResizedCropOp crop, int width, int height, ref OpRandom random)
    {
        var area = (double)width * height;
        var (scaleMin, scaleMax) = crop.ScaleRange;
        var (ratioMin, ratioMax) = crop.RatioRange;
        var (logMin, logMax) = (Math.Log(ratioMin), Math.Log(ratioMax));
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var target = area * random.Uniform(scaleMin, scaleMax);
            var ratio = Math.Exp(random.Uniform(logMin, logMax));
            var w = (int)Math.Round(Math.Sqrt(target * ratio));
            var h = (int)Math.Round(Math.Sqrt(target / ratio));
            if (w > 0 && w <= width && h > 0 && h <= height)
            {
                var top = random.NextInt(0, height - h);
                var left = random.NextInt(0, width - w);
                return (left, top, w, h);
            }
        }

        var inRatio = (double)width / height;
        var (cw, ch) = inRatio < ratioMin ? (width, (int)Math.Round(width / ratioMin))
            : inRatio > ratioMax ? ((int)Math.Round(height * ratioMax), height)
            : (width, height);
        cw = Math.Clamp(cw, 1, width);
        ch = Math.Clamp(ch, 1, height);
        return ((width - cw) / 2, (height - ch) / 2, cw, ch);
    }

    /// <summary>torchvision's <c>RandomErasing.get_params</c>, after the coin flip; null when nothing is erased.</summary>
    public static (int Left, int Top, int Width, int Height)? DrawErasure(RandomErasingOp erasing, int width, int height, ref OpRandom random)
    {
        if (!random.Chance(erasing.P))
        {
            return null;
        }

        var area = (double)width * height;
        var (scaleMin, scaleMax) = erasing.ScaleRange;
        var (ratioMin, ratioMax) = erasing.RatioRange;
        var (logMin, logMax) = (Math.Log(ratioMin), Math.Log(ratioMax));
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var target = area * random.Uniform(scaleMin, scaleMax);
            var ratio = Math.Exp(random.Uniform(logMin, logMax));
            var h = (int)Math.Round(Math.Sqrt(target * ratio));
            var w = (int)Math.Round(Math.Sqrt(target / ratio));
            if (h < height && w < width)
            {
                var top = random.NextInt(0, height - h);
                var left = random.NextInt(0, width - w);
                return (left, top, w, h);
            }
        }

        return null;
    }

    private static ImageSize CheckedSize(ResizeOp resize, ImageSize from, string source)
    {
        var size = resize.SizeFor(from);
        if (size.Width > ResizeOp.MaxSide || size.Height > ResizeOp.MaxSide)
        {
            throw new UnsupportedImageException(
                $"{source}: resizing {from} so its shorter side is {resize.ShorterSide} would make it {size}, over the limit of {ResizeOp.MaxSide}.");
        }

        return size;
    }

    private static Raster Resized(in Raster image, int left, int top, int width, int height, ImageSize size, Interpolation interpolation)
    {
        if (left == 0 && top == 0 && width == image.Width && height == image.Height && size.Width == width && size.Height == height)
        {
            // Every kernel is the identity at scale 1: the image is its own answer (a dataset already at the model's size).
            return image;
        }

        var output = Raster.Rent(size.Width, size.Height, image.Channels);
        Resampler.Resize(image, left, top, width, height, output, interpolation);
        return output;
    }

    private static void Jitter(ColorJitterOp jitter, in Raster image, ref OpRandom random)
    {
        // torchvision applies the adjustments in a random order; the order is drawn first, then each factor.
        Span<int> order = [0, 1, 2];
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = random.NextInt(0, i);
            (order[i], order[j]) = (order[j], order[i]);
        }

        foreach (var which in order)
        {
            var range = ColorJitterOp.FactorRange(which switch { 0 => jitter.Brightness, 1 => jitter.Contrast, _ => jitter.Saturation });
            if (range is not { } r)
            {
                continue;
            }

            var factor = (float)random.Uniform(r.Min, r.Max);
            switch (which)
            {
                case 0:
                    PixelColor.Brightness(image.Pixels, factor);
                    break;
                case 1:
                    PixelColor.Contrast(image.Pixels, image.Channels, factor);
                    break;
                default:
                    PixelColor.Saturation(image.Pixels, image.Channels, factor);
                    break;
            }
        }
    }
}
