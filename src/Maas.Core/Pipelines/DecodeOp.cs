using System.Text.Json.Serialization;

namespace Maas.Core.Pipelines;

/// <summary>
/// Decodes the encoded image to <paramref name="Color"/> pixels. Always the first op. The EXIF orientation is always
/// applied, so a photo taken sideways arrives upright. Alpha is dropped, not composited: RGB keeps each pixel's
/// unpremultiplied colour whatever its opacity, as PIL's <c>convert('RGB')</c> does. CMYK JPEGs are converted to RGB and
/// grayscale sources are repeated into three channels.
/// </summary>
/// <remarks>
/// <para>
/// <paramref name="Draft"/> trades exactness for speed, as PIL's <c>Image.draft</c> does: a JPEG whose next op shrinks
/// it is decoded straight to 1/2, 1/4 or 1/8 of its size by libjpeg's DCT scaling, which still reads every coefficient
/// but computes and converts only the reduced pixels (a 2560x1600 photo decodes in about 7 ms at 1/4 against 10 to 12
/// ms in full on this machine, where decoding is most of a photo pipeline's time). It
/// applies only when op 1, the op right after decode, is a <see cref="ResizeOp"/> (exact size or shorter side), and
/// then per image: the scale is the smallest of 1/8, 1/4 and 1/2 at which the upright image (EXIF orientation
/// applied) is still at least as large as the resize's target on both sides; with none, or for a source that is not a
/// JPEG, the image is decoded in full. The resize then goes from the reduced image to the size it gives the full image,
/// so every later op sees the sizes of a full decode. Anything else after decode (a crop, a pad, a random resized crop,
/// a colour op) means a full decode: the rule is kept to the one op whose input size the decode may change without the
/// spec's meaning changing, and which is always in the cached deterministic prefix.
/// </para>
/// <para>
/// The pixels differ from a full decode's (the reduced decode keeps only the low frequencies of each 8x8 block, a
/// smoothing the resize alone does not do), so a model should be trained, evaluated and served with the same setting;
/// they are, since all three run the spec stored with the model, and the spec's JSON (and with it the shard cache's
/// key) names the setting.
/// </para>
/// </remarks>
/// <param name="Color">The channel layout to decode to. The default is <see cref="ColorMode.Rgb"/>.</param>
/// <param name="Draft">
/// Whether a JPEG may be decoded at a reduced scale when the following resize shrinks it (see the remarks). The
/// default is false: every image is decoded in full. Written to JSON only when true, so specs without it keep their text.
/// </param>
public sealed record DecodeOp(
    ColorMode Color = ColorMode.Rgb,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Draft = false) : PipelineOp
{
    /// <inheritdoc />
    public override string? Validate() =>
        Enum.IsDefined(Color) ? null : $"color must be 'gray' or 'rgb', not '{Color}'";

    /// <inheritdoc />
    public override ImageSize? SizeAfter(ImageSize? input) => null;

    /// <inheritdoc />
    public override int ChannelsAfter(int input) => Color == ColorMode.Gray ? 1 : 3;
}
