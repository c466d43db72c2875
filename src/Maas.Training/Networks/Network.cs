using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Maas.Training.Networks;

/// <summary>
/// A trainable TorchSharp network built from a <see cref="NetworkSpec"/>: one module per layer of the spec, in the
/// same order. Its input is a float batch (N, C, H, W); its output is the logits (N, ClassCount). It owns its
/// modules and parameters and frees their native memory when disposed.
/// </summary>
public sealed class Network : nn.Module<Tensor, Tensor>
{
    // A field, so RegisterComponents finds it and every parameter and buffer below it. The attribute keeps the
    // underscore out of state_dict keys: "layers.0.weight", as PyTorch would name them.
    [ComponentName(Name = "layers")]
    private readonly ModuleList<nn.Module<Tensor, Tensor>> _layers;

    /// <summary>Builds the network of a spec, with freshly initialized weights drawn from torch's global generator.</summary>
    /// <param name="spec">What to build.</param>
    /// <exception cref="Maas.Core.Errors.InvalidInputException">The spec is inconsistent (see <see cref="NetworkSpec.Validate"/>).</exception>
    public Network(NetworkSpec spec)
        : base(nameof(Network))
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        Spec = spec;
        _layers = nn.ModuleList(spec.Layers.Select(CreateModule).ToArray());
        RegisterComponents();
    }

    /// <summary>The spec this network was built from.</summary>
    public NetworkSpec Spec { get; }

    /// <summary>The module of a layer, indexed like <see cref="NetworkSpec.Layers"/>; the exporter reads weights from it.</summary>
    internal nn.Module<Tensor, Tensor> LayerModule(int index) => _layers[index];

    /// <summary>Computes the logits of a batch.</summary>
    /// <param name="input">A float32 tensor (N, C, H, W) matching the spec's input size.</param>
    /// <returns>The logits, (N, ClassCount).</returns>
    public override Tensor forward(Tensor input)
    {
        var x = input;
        foreach (var layer in _layers)
        {
            var next = layer.call(x);

            // Free each intermediate handle as soon as the next layer has it; autograd keeps what it needs by
            // reference count, and without this a forward outside a dispose scope leaks until finalization.
            if (!ReferenceEquals(x, input) && !ReferenceEquals(x, next))
            {
                x.Dispose();
            }

            x = next;
        }

        return x;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var layer in _layers)
            {
                layer.Dispose();
            }

            _layers.Dispose();
        }

        base.Dispose(disposing);
    }

    private static nn.Module<Tensor, Tensor> CreateModule(LayerSpec layer) => layer switch
    {
        Conv2dLayer conv => nn.Conv2d(conv.InChannels, conv.OutChannels, conv.Kernel, conv.Stride, conv.Padding),
        BatchNorm2dLayer norm => nn.BatchNorm2d(norm.Channels),
        ReluLayer => nn.ReLU(),
        MaxPool2dLayer pool => nn.MaxPool2d(pool.Kernel, pool.Stride),
        FlattenLayer => nn.Flatten(),
        LinearLayer linear => nn.Linear(linear.InFeatures, linear.OutFeatures),
        DropoutLayer dropout => nn.Dropout(dropout.Probability),
        GlobalAveragePoolLayer => nn.AdaptiveAvgPool2d(1),
        _ => throw new NotSupportedException($"No module for layer {layer}."),
    };
}
