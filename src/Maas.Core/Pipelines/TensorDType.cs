namespace Maas.Core.Pipelines;

/// <summary>The element type of the tensor a pipeline produces.</summary>
public enum TensorDType
{
    /// <summary>32-bit floats: pixels scaled to [0, 1], then normalized if the pipeline normalizes.</summary>
    Float32,

    /// <summary>The 8-bit pixel values themselves, 0 to 255.</summary>
    Uint8,
}
