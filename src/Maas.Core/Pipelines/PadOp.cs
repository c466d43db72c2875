namespace Maas.Core.Pipelines;

/// <summary>Adds a border of the given widths, filled according to <paramref name="Mode"/>.</summary>
/// <param name="Left">Columns added on the left, 0 to 8192.</param>
/// <param name="Top">Rows added at the top, 0 to 8192.</param>
/// <param name="Right">Columns added on the right, 0 to 8192.</param>
/// <param name="Bottom">Rows added at the bottom, 0 to 8192.</param>
/// <param name="Fill">The colour for <see cref="PadMode.Constant"/>, one value or one per channel, 0 to 255. The default is 0.</param>
/// <param name="Mode">The default is <see cref="PadMode.Constant"/>. Reflect mirrors again as often as a wide border needs.</param>
public sealed record PadOp(int Left, int Top, int Right, int Bottom, IReadOnlyList<int>? Fill = null, PadMode Mode = PadMode.Constant) : PipelineOp
{
    /// <summary>The same border on all four sides.</summary>
    public static PadOp All(int width, PadMode mode = PadMode.Constant, IReadOnlyList<int>? fill = null) =>
        new(width, width, width, width, fill, mode);

    /// <inheritdoc />
    public override string? Validate()
    {
        if (new[] { Left, Top, Right, Bottom }.Any(p => p is < 0 or > ResizeOp.MaxSide))
        {
            return $"left, top, right and bottom must be between 0 and {ResizeOp.MaxSide}, not {Left}, {Top}, {Right}, {Bottom}";
        }

        if (!Enum.IsDefined(Mode))
        {
            return $"mode '{Mode}' is unknown";
        }

        return Fill is not null && Mode != PadMode.Constant ? $"fill applies only to mode 'constant', not '{Mode.ToString().ToLowerInvariant()}'" : OpChecks.Fill(Fill);
    }

    /// <inheritdoc />
    public override ImageSize? SizeAfter(ImageSize? input) =>
        input is { } size ? new ImageSize(size.Width + Left + Right, size.Height + Top + Bottom) : null;
}
