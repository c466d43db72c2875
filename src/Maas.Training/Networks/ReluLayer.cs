namespace Maas.Training.Networks;

/// <summary>The rectified linear unit, max(0, x), element by element.</summary>
public sealed record ReluLayer : LayerSpec;
