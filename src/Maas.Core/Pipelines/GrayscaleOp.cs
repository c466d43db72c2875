namespace Maas.Core.Pipelines;

/// <summary>
/// Converts to luminance with ITU-R BT.601 weights (0.299 R + 0.587 G + 0.114 B, rounded, as PIL's
/// <c>convert('L')</c>), kept as one channel or repeated into three.
/// </summary>
/// <param name="Channels">1 or 3. The default is 1.</param>
public sealed record GrayscaleOp(int Channels = 1) : PipelineOp
{
    /// <inheritdoc />
    public override string? Validate() => Channels is 1 or 3 ? null : $"channels must be 1 or 3, not {Channels}";

    /// <inheritdoc />
    public override int ChannelsAfter(int input) => Channels;
}
