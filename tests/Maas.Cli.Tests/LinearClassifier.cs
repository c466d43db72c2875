using Google.Protobuf;
using Onnx;

namespace Maas.Cli.Tests;

/// <summary>A logits-only ONNX classifier as another tool might write one: flatten, then y = xW + b, output named <c>scores</c>.</summary>
public static class LinearClassifier
{
    public static byte[] Onnx(int channels, int height, int width, int classes)
    {
        var features = channels * height * width;
        var random = new Random(1);
        var graph = new GraphProto { Name = "linear" };
        graph.Input.Add(Value("image", [null, channels, height, width]));
        graph.Output.Add(Value("scores", [null, classes]));
        graph.Initializer.Add(Tensor("W", [features, classes], Enumerable.Range(0, features * classes).Select(_ => (float)(random.NextDouble() - 0.5))));
        graph.Initializer.Add(Tensor("b", [classes], new float[classes]));
        graph.Node.Add(Node("Flatten", ["image"], ["flat"], new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 }));
        graph.Node.Add(Node("Gemm", ["flat", "W", "b"], ["scores"]));
        var model = new ModelProto { IrVersion = 8, Graph = graph, ProducerName = "maas-tests" };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 17 });
        return model.ToByteArray();
    }

    private static NodeProto Node(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = op };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        node.Attribute.Add(attributes);
        return node;
    }

    private static TensorProto Tensor(string name, long[] dims, IEnumerable<float> values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(dims);
        tensor.FloatData.Add(values);
        return tensor;
    }

    private static ValueInfoProto Value(string name, int?[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(d is { } size ? new TensorShapeProto.Types.Dimension { DimValue = size } : new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
