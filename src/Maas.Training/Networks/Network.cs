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

    /// <summary>
    /// Whether the backbone (every layer but the last, the head) is frozen: its parameters take no gradient and
    /// its batch norms keep their running statistics, even in training mode.
    /// </summary>
    public bool BackboneFrozen { get; private set; }

    /// <summary>Computes the logits of a batch.</summary>
    /// <param name="input">A float32 tensor (N, C, H, W) matching the spec's input size.</param>
    /// <returns>The logits, (N, ClassCount).</returns>
    public override Tensor forward(Tensor input) => Run(input, _layers.Count);

    /// <summary>
    /// Computes what the head reads: the output of every layer but the last. For a network that ends in global
    /// average pooling, flatten and a linear head, these are its pooled features (an embedding).
    /// </summary>
    /// <param name="input">A float32 tensor (N, C, H, W) matching the spec's input size.</param>
    /// <returns>The features, (N, F).</returns>
    public Tensor Features(Tensor input) => Run(input, _layers.Count - 1);

    /// <summary>The trainable parameters of the backbone: every layer's but the last.</summary>
    public IEnumerable<TorchSharp.Modules.Parameter> BackboneParameters() =>
        _layers.Take(_layers.Count - 1).SelectMany(l => l.parameters());

    /// <summary>The parameters of the head, the last layer.</summary>
    public IEnumerable<TorchSharp.Modules.Parameter> HeadParameters() => _layers[^1].parameters();

    /// <summary>
    /// Freezes the backbone for transfer learning: only the head trains. Its batch norms stay in evaluation mode,
    /// so their running statistics, learned on the pretraining data, are kept as they are.
    /// </summary>
    public void FreezeBackbone()
    {
        foreach (var parameter in BackboneParameters())
        {
            parameter.requires_grad = false;
        }

        BackboneFrozen = true;
        train(training);
    }

    /// <inheritdoc />
    public override void train(bool on = true)
    {
        base.train(on);
        if (on && BackboneFrozen)
        {
            for (int i = 0; i < _layers.Count - 1; i++)
            {
                _layers[i].eval();
            }
        }
    }

    private Tensor Run(Tensor input, int layerCount)
    {
        var x = input;
        for (int i = 0; i < layerCount; i++)
        {
            var layer = _layers[i];
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
        Conv2dLayer conv => nn.Conv2d(conv.InChannels, conv.OutChannels, conv.Kernel, conv.Stride, conv.Padding, bias: conv.Bias),
        BatchNorm2dLayer norm => nn.BatchNorm2d(norm.Channels),
        ReluLayer => nn.ReLU(),
        MaxPool2dLayer pool => nn.MaxPool2d(pool.Kernel, pool.Stride, pool.Padding),
        FlattenLayer => nn.Flatten(),
        LinearLayer linear => nn.Linear(linear.InFeatures, linear.OutFeatures),
        DropoutLayer dropout => nn.Dropout(dropout.Probability),
        GlobalAveragePoolLayer => nn.AdaptiveAvgPool2d(1),
        ResidualBlockLayer block => new ResidualBlock(block),
        ChannelAffineLayer affine => new ChannelAffine(affine),
        _ => throw new NotSupportedException($"No module for layer {layer}."),
    };
}
