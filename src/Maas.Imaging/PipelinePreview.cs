using Maas.Core.Pipelines;

namespace Maas.Imaging;

/// <summary>
/// A contact sheet of what a pipeline makes of some images, for a person to look at: one row per image, the
/// evaluation (serving) view first, then one training augmentation per epoch. Tensors are mapped back to pixels
/// (normalization undone, values clamped) and enlarged by whole factors so small images stay crisp.
/// </summary>
public static class PipelinePreview
{
    private const int Gap = 4;
    private const byte Background = 40;

    /// <summary>Renders the sheet as a PNG.</summary>
    /// <param name="executor">The pipeline.</param>
    /// <param name="images">Encoded images and their sample ids (the ids seed the augmentations).</param>
    /// <param name="variants">Training augmentations per image (epochs 0 to variants - 1).</param>
    /// <param name="seed">The run seed the augmentations use.</param>
    /// <param name="cellSize">Images smaller than this are enlarged by a whole factor towards it. The default is 112.</param>
    public static byte[] RenderPng(PipelineExecutor executor, IReadOnlyList<(byte[] Bytes, string SampleId)> images, int variants, ulong seed,
        int cellSize = 112)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfLessThan(images.Count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(variants);
        var (channels, height, width) = (executor.Shape.Channels, executor.Shape.Height, executor.Shape.Width);
        var scale = Math.Max(1, cellSize / Math.Max(height, width));
        var (cellWidth, cellHeight) = (width * scale, height * scale);
        var columns = variants + 1;
        var sheetWidth = Gap + (columns * (cellWidth + Gap));
        var sheetHeight = Gap + (images.Count * (cellHeight + Gap));
        var sheet = new byte[sheetWidth * sheetHeight * 3];
        Array.Fill(sheet, Background);
        var normalize = executor.Spec.Ops.OfType<NormalizeOp>().FirstOrDefault(n => !n.IsAuto);
        var uint8 = executor.DType == TensorDType.Uint8;
        var tensor = new float[executor.Shape.Length];
        for (var row = 0; row < images.Count; row++)
        {
            var (bytes, id) = images[row];
            for (var column = 0; column < columns; column++)
            {
                var context = column == 0 ? SampleContext.Evaluation : SampleContext.Training(seed, id, column - 1);
                executor.Run(bytes, tensor, id, context);
                var left = Gap + (column * (cellWidth + Gap));
                var top = Gap + (row * (cellHeight + Gap));
                for (var y = 0; y < cellHeight; y++)
                {
                    for (var x = 0; x < cellWidth; x++)
                    {
                        var source = ((y / scale) * width) + (x / scale);
                        var target = (((top + y) * sheetWidth) + left + x) * 3;
                        for (var c = 0; c < 3; c++)
                        {
                            var plane = channels == 1 ? 0 : c;
                            var value = tensor[(plane * height * width) + source];
                            var unit = uint8 ? value / 255f : normalize is null ? value : (value * normalize.StdOf(plane)) + normalize.MeanOf(plane);
                            sheet[target + c] = (byte)Math.Clamp((int)MathF.Round(unit * 255f), 0, 255);
                        }
                    }
                }
            }
        }

        return ImageEncoder.EncodePng(sheet, sheetWidth, sheetHeight, 3);
    }
}
