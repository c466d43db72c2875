using System.Collections.Concurrent;
using Maas.Core.Models;
using Maas.Inference;

namespace Maas.Server.Tests;

/// <summary>Keeps every tensor the server hands to ONNX Runtime.</summary>
public sealed class CapturingObserver : IInputObserver
{
    public ConcurrentQueue<float[]> Tensors { get; } = new();

    public void Observe(ModelVersion version, ReadOnlySpan<float> tensor) => Tensors.Enqueue(tensor.ToArray());
}
