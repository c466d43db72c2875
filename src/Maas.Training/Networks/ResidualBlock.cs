using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Maas.Training.Networks;

/// <summary>
/// The TorchSharp module of a <see cref="ResidualBlockLayer"/>. Its parameters are named as torchvision names a
/// BasicBlock's (<c>conv1</c>, <c>bn1</c>, <c>conv2</c>, <c>bn2</c>, <c>downsample.0</c>, <c>downsample.1</c>).
/// </summary>
internal sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "conv1")]
    private readonly Conv2d _conv1;

    [ComponentName(Name = "bn1")]
    private readonly BatchNorm2d _bn1;

    [ComponentName(Name = "conv2")]
    private readonly Conv2d _conv2;

    [ComponentName(Name = "bn2")]
    private readonly BatchNorm2d _bn2;

    // Null when the shortcut is the identity; else the 1x1 convolution and its batch norm, in that order.
    [ComponentName(Name = "downsample")]
    private readonly ModuleList<nn.Module<Tensor, Tensor>>? _downsample;

    public ResidualBlock(ResidualBlockLayer layer)
        : base(nameof(ResidualBlock))
    {
        _conv1 = nn.Conv2d(layer.InChannels, layer.OutChannels, 3, layer.Stride, 1, bias: false);
        _bn1 = nn.BatchNorm2d(layer.OutChannels);
        _conv2 = nn.Conv2d(layer.OutChannels, layer.OutChannels, 3, 1, 1, bias: false);
        _bn2 = nn.BatchNorm2d(layer.OutChannels);
        if (layer.HasProjection)
        {
            _downsample = nn.ModuleList<nn.Module<Tensor, Tensor>>(
                nn.Conv2d(layer.InChannels, layer.OutChannels, 1, layer.Stride, 0, bias: false),
                nn.BatchNorm2d(layer.OutChannels));
        }

        RegisterComponents();
    }

    public Conv2d Conv1 => _conv1;

    public BatchNorm2d Norm1 => _bn1;

    public Conv2d Conv2 => _conv2;

    public BatchNorm2d Norm2 => _bn2;

    public Conv2d? ProjectionConv => (Conv2d?)_downsample?[0];

    public BatchNorm2d? ProjectionNorm => (BatchNorm2d?)_downsample?[1];

    public override Tensor forward(Tensor input)
    {
        // A scope of its own frees the block's intermediates even when the caller has none (evaluation).
        using var scope = NewDisposeScope();
        var main = _bn2.call(_conv2.call(nn.functional.relu(_bn1.call(_conv1.call(input)))));
        var shortcut = _downsample is null ? input : _downsample[1].call(_downsample[0].call(input));
        return nn.functional.relu(main.add(shortcut)).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _conv1.Dispose();
            _bn1.Dispose();
            _conv2.Dispose();
            _bn2.Dispose();
            if (_downsample is not null)
            {
                foreach (var module in _downsample)
                {
                    module.Dispose();
                }

                _downsample.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
