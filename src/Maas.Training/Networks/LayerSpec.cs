using System.Text.Json.Serialization;

namespace Maas.Training.Networks;

/// <summary>
/// One layer of a <see cref="NetworkSpec"/>. The set of layer kinds is closed: each maps to one TorchSharp module
/// for training and to one ONNX operator (or none) for serving, so a spec that trains always exports.
/// </summary>
/// <remarks>Serialized as JSON with a <c>"type"</c> discriminator, so a spec can be stored with its run.</remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(Conv2dLayer), "conv2d")]
[JsonDerivedType(typeof(BatchNorm2dLayer), "batchnorm2d")]
[JsonDerivedType(typeof(ReluLayer), "relu")]
[JsonDerivedType(typeof(MaxPool2dLayer), "maxpool2d")]
[JsonDerivedType(typeof(FlattenLayer), "flatten")]
[JsonDerivedType(typeof(LinearLayer), "linear")]
[JsonDerivedType(typeof(DropoutLayer), "dropout")]
[JsonDerivedType(typeof(GlobalAveragePoolLayer), "global-average-pool")]
[JsonDerivedType(typeof(ResidualBlockLayer), "residual-block")]
[JsonDerivedType(typeof(ChannelAffineLayer), "channel-affine")]
public abstract record LayerSpec;
