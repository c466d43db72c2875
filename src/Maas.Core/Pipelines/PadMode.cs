namespace Maas.Core.Pipelines;

/// <summary>What a <see cref="PadOp"/> puts in the new border.</summary>
public enum PadMode
{
    /// <summary>The fill colour.</summary>
    Constant,

    /// <summary>The nearest edge pixel, repeated.</summary>
    Edge,

    /// <summary>The image mirrored about its edge pixel, without repeating it (numpy's and torchvision's <c>reflect</c>).</summary>
    Reflect,
}
