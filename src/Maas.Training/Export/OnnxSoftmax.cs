using Google.Protobuf;
using Maas.Core.Errors;
using Onnx;

namespace Maas.Training.Export;

/// <summary>
/// Gives a logits-only classifier a <c>probabilities</c> output, so that it serves like a Maas-exported model:
/// the server and <c>OnnxClassifier</c> read an output of that name when there is one.
/// </summary>
public static class OnnxSoftmax
{
    /// <summary>Appends a Softmax over the last axis of <paramref name="logitsOutput"/> as a second output named <see cref="OnnxExporter.ProbabilitiesName"/>.</summary>
    /// <param name="model">The bytes of an ONNX <c>ModelProto</c>.</param>
    /// <param name="logitsOutput">The name of the graph output holding (batch, classes) logits.</param>
    /// <returns>The bytes of the extended model.</returns>
    /// <exception cref="InvalidInputException">The graph has no such output, or already has one named <c>probabilities</c>.</exception>
    public static byte[] AppendProbabilities(byte[] model, string logitsOutput)
    {
        ArgumentNullException.ThrowIfNull(model);
        var proto = ModelProto.Parser.ParseFrom(model);
        var graph = proto.Graph;
        var logits = graph.Output.FirstOrDefault(o => o.Name == logitsOutput)
            ?? throw new InvalidInputException($"the model has no output '{logitsOutput}'.");
        if (graph.Output.Any(o => o.Name == OnnxExporter.ProbabilitiesName) || graph.Node.Any(n => n.Output.Contains(OnnxExporter.ProbabilitiesName)))
        {
            throw new InvalidInputException($"the model already has a value named '{OnnxExporter.ProbabilitiesName}'; register it with --outputs probabilities if that is its output.");
        }

        // Before opset 13 Softmax flattens from its axis on; axis 1 of a (batch, classes) tensor is the class axis either way.
        long opset = proto.OpsetImport.Where(o => string.IsNullOrEmpty(o.Domain) || o.Domain == "ai.onnx").Select(o => o.Version).DefaultIfEmpty(OnnxExporter.OpsetVersion).Max();
        var node = new NodeProto { OpType = "Softmax", Name = "maas_softmax" };
        node.Input.Add(logitsOutput);
        node.Output.Add(OnnxExporter.ProbabilitiesName);
        node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = opset >= 13 ? -1 : 1 });
        graph.Node.Add(node);
        var probabilities = logits.Clone();
        probabilities.Name = OnnxExporter.ProbabilitiesName;
        graph.Output.Add(probabilities);
        return proto.ToByteArray();
    }
}
