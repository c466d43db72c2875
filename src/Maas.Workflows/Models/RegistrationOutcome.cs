using Maas.Core.Models;
using Maas.Imaging;

namespace Maas.Workflows.Models;

/// <summary>What a registration recorded.</summary>
/// <param name="Version">The new version.</param>
/// <param name="ArtifactPath">Its folder.</param>
/// <param name="InputName">The ONNX graph's image input.</param>
/// <param name="OutputName">The output it serves probabilities from.</param>
/// <param name="InputShape">The per-image input tensor.</param>
/// <param name="Aliases">The aliases now pointing at it.</param>
/// <param name="Warnings">Things the caller should tell the user (e.g. logits that look like probabilities).</param>
public sealed record RegistrationOutcome(ModelVersion Version, string ArtifactPath, string InputName, string OutputName, TensorShape InputShape,
    IReadOnlyList<string> Aliases, IReadOnlyList<string> Warnings);
