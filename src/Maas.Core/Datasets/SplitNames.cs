namespace Maas.Core.Datasets;

/// <summary>Text forms of <see cref="Split"/>, as stored and as written in folder trees.</summary>
public static class SplitNames
{
    /// <summary>The stored name: <c>train</c>, <c>validation</c> or <c>test</c>.</summary>
    public static string ToName(this Split split) => split switch
    {
        Split.Train => "train",
        Split.Validation => "validation",
        Split.Test => "test",
        _ => throw new ArgumentOutOfRangeException(nameof(split)),
    };

    /// <summary>Reads a split from its stored name or a common folder name (<c>val</c>, <c>valid</c>).</summary>
    public static bool TryParse(string text, out Split split)
    {
        switch (text.ToLowerInvariant())
        {
            case "train" or "training":
                split = Split.Train;
                return true;
            case "val" or "valid" or "validation":
                split = Split.Validation;
                return true;
            case "test" or "testing":
                split = Split.Test;
                return true;
            default:
                split = default;
                return false;
        }
    }
}
