using static TorchSharp.torch;

namespace Maas.Training.Networks;

/// <summary>
/// The TorchSharp module of a <see cref="ChannelAffineLayer"/>: constants kept as buffers (<c>scale</c>, <c>shift</c>,
/// each (C, 1, 1)), so they follow the module to a device and are never trained.
/// </summary>
internal sealed class ChannelAffine : nn.Module<Tensor, Tensor>
{
    private readonly Tensor _scale;
    private readonly Tensor _shift;

    public ChannelAffine(ChannelAffineLayer layer)
        : base(nameof(ChannelAffine))
    {
        _scale = tensor(layer.Scale.ToArray(), [layer.Scale.Count, 1, 1]);
        _shift = tensor(layer.Shift.ToArray(), [layer.Shift.Count, 1, 1]);
        register_buffer("scale", _scale);
        register_buffer("shift", _shift);
    }

    public override Tensor forward(Tensor input) => input.mul(_scale).add_(_shift);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _scale.Dispose();
            _shift.Dispose();
        }

        base.Dispose(disposing);
    }
}
