namespace Maas.Imaging;

/// <summary>Makes an embedder whose network takes square inputs of <paramref name="side"/> pixels, <paramref name="batch"/> images per run.</summary>
public delegate IImageEmbedder ImageEmbedderFactory(int side, int batch);
