using Maas.Core.Models;

namespace Maas.Inference;

/// <summary>
/// Sees each preprocessed input tensor just before ONNX Runtime runs it: the hook for logging served samples and
/// measuring drift, and the way tests prove the served tensor equals the training-time one.
/// </summary>
public interface IInputObserver
{
    /// <summary>Called with one image's CHW tensor; must not keep the span.</summary>
    void Observe(ModelVersion version, ReadOnlySpan<float> tensor);
}
