namespace Maas.Training.Networks;

/// <summary>
/// A fixed per-channel scale and shift, <c>x · Scale[c] + Shift[c]</c>, with nothing to learn. It maps the tensors
/// a pipeline produces onto the input a pretrained backbone was trained on, inside the model, so the pipeline
/// stays the dataset's own and the exported model carries the mapping.
/// </summary>
/// <param name="Scale">One factor per channel of the feature map it receives.</param>
/// <param name="Shift">One offset per channel, added after scaling.</param>
public sealed record ChannelAffineLayer(IReadOnlyList<float> Scale, IReadOnlyList<float> Shift) : LayerSpec
{
    /// <inheritdoc />
    public bool Equals(ChannelAffineLayer? other) =>
        other is not null && Scale.SequenceEqual(other.Scale) && Shift.SequenceEqual(other.Shift);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var value in Scale.Concat(Shift))
        {
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    protected override bool PrintMembers(System.Text.StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append($"Scale = [{string.Join(", ", Scale)}], Shift = [{string.Join(", ", Shift)}]");
        return true;
    }
}
