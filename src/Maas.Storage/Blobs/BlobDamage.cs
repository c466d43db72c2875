namespace Maas.Storage.Blobs;

/// <summary>A stored object that failed its check.</summary>
/// <param name="Object">What is damaged, e.g. <c>blob 3fa2…</c> or <c>pack 2026…pack</c>.</param>
/// <param name="Problem">What is wrong with it.</param>
public sealed record BlobDamage(string Object, string Problem);
