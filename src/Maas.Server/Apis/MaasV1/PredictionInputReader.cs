using System.Globalization;
using System.Text.Json;
using Maas.Core.Errors;
using Maas.Imaging;
using Maas.Inference;
using Maas.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Maas.Server.Apis.MaasV1;

/// <summary>
/// Reads the images of a v1 prediction request from its body: the raw bytes of one image, <c>multipart/form-data</c>
/// with one image per part (any field names; a part named <c>top_k</c> without a file name sets top-k), or JSON
/// <c>{"images": ["&lt;base64&gt;", ...], "top_k": 3}</c> (or <c>{"image": "&lt;base64&gt;"}</c>). The format of every
/// multipart and JSON image is sniffed from its bytes, never taken from a declared content type.
/// </summary>
public static class PredictionInputReader
{
    /// <summary>Reads the request body of <paramref name="context"/>.</summary>
    /// <exception cref="InvalidInputException">The body is empty or malformed, or an image is not base64 (400); a part or element is not an image (415).</exception>
    /// <exception cref="BadHttpRequestException">The body or the number of images is over the limit (413).</exception>
    public static async Task<PredictionInput> ReadAsync(HttpContext context, MaasServerOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var contentType);
        var mediaType = contentType?.MediaType.Value ?? "";
        if (mediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var body = await PredictionApi.ReadBodyAsync(context, options.MaxBodyBytes, cancellationToken);
            return await ReadMultipartAsync(body, HeaderUtilities.RemoveQuotes(contentType!.Boundary).Value, options.MaxImagesPerRequest, cancellationToken);
        }

        if (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
        {
            var body = await PredictionApi.ReadBodyAsync(context, options.MaxBodyBytes, cancellationToken);
            return ReadJson(body, options.MaxImagesPerRequest);
        }

        // Any other type is the image itself: curl --data-binary sends PNGs as x-www-form-urlencoded.
        var image = await PredictionApi.ReadBodyAsync(context, options.MaxBodyBytes, cancellationToken);
        return new PredictionInput([new EncodedImage(image, "request body")], null, IsBatch: false);
    }

    private static async Task<PredictionInput> ReadMultipartAsync(byte[] body, string? boundary, int maxImages, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(boundary))
        {
            throw new InvalidInputException("multipart request: the Content-Type has no boundary.");
        }

        var images = new List<EncodedImage>();
        int? topK = null;
        var reader = new MultipartReader(boundary, new MemoryStream(body, writable: false));
        try
        {
            var number = 0;
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                number++;
                ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition);
                var name = HeaderUtilities.RemoveQuotes(disposition?.Name ?? default).Value ?? "";
                var fileName = HeaderUtilities.RemoveQuotes(disposition?.FileName ?? default).Value;
                using var buffer = new MemoryStream();
                await section.Body.CopyToAsync(buffer, cancellationToken);
                if (name == "top_k" && fileName is null)
                {
                    topK = ParseTopK(System.Text.Encoding.UTF8.GetString(buffer.ToArray()).Trim(), "multipart field 'top_k'");
                    continue;
                }

                var source = fileName is null
                    ? string.Create(CultureInfo.InvariantCulture, $"part {number} ('{name}')")
                    : string.Create(CultureInfo.InvariantCulture, $"part {number} ('{name}', file '{fileName}')");
                images.Add(Sniffed(buffer.ToArray(), source));
                CheckCount(images.Count, maxImages);
            }
        }
        // BadHttpRequestException is an IOException too, and must keep its status (413 for too many images).
        catch (Exception e) when (e is (IOException or InvalidDataException) and not BadHttpRequestException)
        {
            throw new InvalidInputException($"multipart request: the body is malformed ({e.Message}).", e);
        }

        return images.Count == 0
            ? throw new InvalidInputException("multipart request: it has no image parts; send each image as a part (curl -F image=@cat.png).")
            : new PredictionInput(images, topK, IsBatch: true);
    }

    private static PredictionInput ReadJson(byte[] body, int maxImages)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"JSON request: the body is malformed ({e.Message}).", e);
        }

        using (document)
        {
            var root = document.RootElement;
            const string Usage = "send {\"images\": [\"<base64>\", ...]} or {\"image\": \"<base64>\"}, with an optional \"top_k\".";
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidInputException("JSON request: the body is not an object; " + Usage);
            }

            int? topK = null;
            if (root.TryGetProperty("top_k", out var k))
            {
                topK = k.ValueKind == JsonValueKind.Number && k.TryGetInt32(out var value)
                    ? ParseTopK(value.ToString(CultureInfo.InvariantCulture), "'top_k'")
                    : throw new InvalidInputException("JSON request: 'top_k' must be a whole number of at least 1.");
            }

            var images = new List<EncodedImage>();
            if (root.TryGetProperty("images", out var array))
            {
                if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
                {
                    throw new InvalidInputException("JSON request: 'images' must be a non-empty array of base64 strings.");
                }

                CheckCount(array.GetArrayLength(), maxImages);
                var index = 0;
                foreach (var element in array.EnumerateArray())
                {
                    images.Add(Decoded(element, string.Create(CultureInfo.InvariantCulture, $"images[{index++}]")));
                }
            }
            else if (root.TryGetProperty("image", out var single))
            {
                images.Add(Decoded(single, "image"));
            }
            else
            {
                throw new InvalidInputException("JSON request: it has neither 'images' nor 'image'; " + Usage);
            }

            return new PredictionInput(images, topK, IsBatch: true);
        }
    }

    private static EncodedImage Decoded(JsonElement element, string source)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw new InvalidInputException($"{source}: it is not a string; send each image base64-encoded.");
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(element.GetString()!);
        }
        catch (FormatException e)
        {
            throw new InvalidInputException($"{source}: it is not valid base64 ({e.Message}).", e);
        }

        return Sniffed(bytes, source);
    }

    private static EncodedImage Sniffed(byte[] bytes, string source) =>
        ImageFormatSniffer.Sniff(bytes) == ImageFormat.Unknown
            ? throw new UnsupportedImageException(bytes.Length == 0
                ? $"{source}: it is empty, not an image."
                : $"{source}: it is not an image Maas reads (PNG, JPEG, WebP, GIF or BMP); its content type is not trusted, its bytes are.")
            : new EncodedImage(bytes, source);

    private static int ParseTopK(string text, string what) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k >= 1
            ? k
            : throw new InvalidInputException($"{what}: '{text}' is not a whole number of at least 1.");

    private static void CheckCount(int count, int maxImages)
    {
        if (count > maxImages)
        {
            throw new BadHttpRequestException(
                string.Create(CultureInfo.InvariantCulture, $"the request holds more than {maxImages} images, the most one request may send (maas serve --max-images-per-request); split it."),
                StatusCodes.Status413PayloadTooLarge);
        }
    }
}
