namespace Maas.Workflows.Models;

/// <summary>A classifier trained elsewhere, as files to register.</summary>
/// <param name="OnnxPath">The ONNX classifier: one float [N,C,H,W] input, one [N,classes] output.</param>
/// <param name="PipelinePath">The pipeline spec (JSON or YAML) that turns an image into the model's input.</param>
/// <param name="LabelsPath">Class names in output order: a .json array of strings, or a text file with one per line.</param>
/// <param name="Outputs">What the output holds.</param>
public sealed record ExternalModelFiles(string OnnxPath, string PipelinePath, string LabelsPath, ClassifierOutputs Outputs = ClassifierOutputs.Logits);
