namespace Maas.Server;

/// <summary>One encoded image of a prediction request.</summary>
/// <param name="Bytes">The encoded image, as sent.</param>
/// <param name="Source">Where it came from in the request (<c>request body</c>, <c>images[2]</c>, <c>part 3 ('file')</c>), for error messages.</param>
public sealed record PredictionImage(byte[] Bytes, string Source);
