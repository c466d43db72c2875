using System.Text.Json;
using Maas.Core.Pipelines;
using Maas.Inference.Tests;

namespace Maas.Workflows.Tests;

/// <summary>A three-class linear classifier over 2x1 gray images, written as the files an external tool would hand over.</summary>
internal static class SmallClassifier
{
    public static readonly string[] Labels = ["left", "right", "dark"];

    public static byte[] Onnx() => LinearSoftmaxGraph.Build(1, 1, 2, new float[,] { { 4, -4, -2 }, { -4, 4, -2 } }, [0, 0, 1]);

    public static PipelineSpec Pipeline() => PipelineSpec.ForImages(ColorMode.Gray, 2, 1);

    /// <summary>Writes model.onnx, pipeline.json and labels.json into <paramref name="folder"/>; returns their paths.</summary>
    public static (string Onnx, string Pipeline, string Labels) WriteFiles(string folder)
    {
        Directory.CreateDirectory(folder);
        var paths = (Path.Combine(folder, "model.onnx"), Path.Combine(folder, "pipeline.json"), Path.Combine(folder, "labels.json"));
        File.WriteAllBytes(paths.Item1, Onnx());
        File.WriteAllText(paths.Item2, Pipeline().ToJson());
        File.WriteAllText(paths.Item3, JsonSerializer.Serialize(Labels));
        return paths;
    }
}
