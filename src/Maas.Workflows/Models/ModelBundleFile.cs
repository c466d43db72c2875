namespace Maas.Workflows.Models;

/// <summary>One file of a <see cref="ModelBundle"/> as its manifest records it.</summary>
/// <param name="Name">The file name inside the bundle's folder.</param>
/// <param name="Size">Its length in bytes.</param>
/// <param name="Sha256">The SHA-256 of its content, 64 lowercase hex digits.</param>
public sealed record ModelBundleFile(string Name, long Size, string Sha256);
