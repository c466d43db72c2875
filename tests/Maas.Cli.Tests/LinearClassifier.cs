using Maas.Inference.Tests;

namespace Maas.Cli.Tests;

/// <summary>A logits-only ONNX classifier as another tool might write one: flatten, then y = xW + b, output named <c>scores</c>.</summary>
public static class LinearClassifier
{
    public static byte[] Onnx(int channels, int height, int width, int classes)
    {
        var features = channels * height * width;
        var random = new Random(1);
        var weights = Enumerable.Range(0, features * classes).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        return LinearSoftmaxGraph.Build(channels, height, width, weights, new float[classes], "image", "scores", softmax: false);
    }
}
