using Maas.Core.Pipelines;

namespace Maas.Imaging.Jpeg;

/// <summary>
/// The reduction of a draft decode (<see cref="DecodeOp.Draft"/>): libjpeg's DCT scaling by 1/2, 1/4 or 1/8, whose
/// sides round up (libjpeg's <c>jdiv_round_up</c>, TurboJPEG's <c>TJSCALED</c>). TurboJPEG 2.1 offers every num/8;
/// only the powers of two are used, the factors whose scaled IDCTs drop whole frequencies rather than resample.
/// </summary>
internal static class DraftScale
{
    /// <summary>
    /// The largest of 8, 4 and 2 by which <paramref name="upright"/> can be divided and still cover
    /// <paramref name="needed"/> on both sides; 1, a full decode, when none can (the resize enlarges, or shrinks by
    /// less than half). Scaling treats both sides alike, so the stored size divided by the answer, turned upright, is
    /// the upright size divided by it.
    /// </summary>
    public static int DenominatorFor(ImageSize upright, ImageSize needed)
    {
        for (var denominator = 8; denominator > 1; denominator /= 2)
        {
            var scaled = Of(upright, denominator);
            if (scaled.Width >= needed.Width && scaled.Height >= needed.Height)
            {
                return denominator;
            }
        }

        return 1;
    }

    /// <summary>The size libjpeg decodes <paramref name="size"/> to at 1/<paramref name="denominator"/>.</summary>
    public static ImageSize Of(ImageSize size, int denominator) =>
        new(Scaled(size.Width, denominator), Scaled(size.Height, denominator));

    private static int Scaled(int length, int denominator) => (length + denominator - 1) / denominator;
}
