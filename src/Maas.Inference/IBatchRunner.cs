namespace Maas.Inference;

/// <summary>Something that scores a batch of CHW tensors: an ONNX Runtime session, or a stand-in in tests.</summary>
public interface IBatchRunner
{
    /// <summary>Runs <paramref name="count"/> tensors laid back to back in <paramref name="batch"/>.</summary>
    /// <returns>count rows of outputs, back to back.</returns>
    float[] Run(float[] batch, int count);
}
