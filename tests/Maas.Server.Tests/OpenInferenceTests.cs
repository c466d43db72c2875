using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Maas.Core.Models;
using Maas.Core.Pipelines;
using Maas.Imaging;

namespace Maas.Server.Tests;

[Collection(TrainedFashionServer.Collection)]
public sealed class OpenInferenceTests(TrainedFashionServer server)
{
    private async Task<byte[]> ImageAsync(int i) => await server.Stores.Blobs.GetAsync(server.TestSamples[i].BlobHash, CancellationToken.None);

    /// <summary>The v1 route's probabilities by class index.</summary>
    private async Task<Dictionary<int, float>> V1Async(byte[] image)
    {
        using var content = new ByteArrayContent(image);
        using var response = await server.Client.PostAsync(new Uri("/v1/models/fashion-cnn@1:predict", UriKind.Relative), content);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return answer.RootElement.GetProperty("predictions").EnumerateArray().ToDictionary(p => p.GetProperty("index").GetInt32(), p => p.GetProperty("probability").GetSingle());
    }

    private async Task<float[]> TensorAsync(byte[] image)
    {
        var version = await server.Stores.Models.ResolveAsync(Core.VersionedName.Parse("fashion-cnn@1"), CancellationToken.None);
        var spec = PipelineSpec.FromJson(await File.ReadAllTextAsync(Path.Combine(server.Stores.Models.ArtifactPath(version), ModelVersion.PipelineFileName)));
        return new PipelineExecutor(spec).Run(image, "test image");
    }

    private async Task<(string Input, int[] Shape)> InputAsync()
    {
        using var metadata = JsonDocument.Parse(await server.Client.GetStringAsync(new Uri("/v2/models/fashion-cnn", UriKind.Relative)));
        var input = metadata.RootElement.GetProperty("inputs")[0];
        return (input.GetProperty("name").GetString()!, input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray());
    }

    private static async Task<HttpResponseMessage> PostBinaryAsync(HttpClient client, string path, JsonObject header, byte[] binary)
    {
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        using var content = new ByteArrayContent([.. json, .. binary]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", json.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return await client.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    [Fact]
    public async Task Metadata_DescribesTheOnnxGraphWithADynamicBatch()
    {
        using var server2 = JsonDocument.Parse(await server.Client.GetStringAsync(new Uri("/v2", UriKind.Relative)));
        using var metadata = JsonDocument.Parse(await server.Client.GetStringAsync(new Uri("/v2/models/fashion-cnn/versions/1", UriKind.Relative)));
        using var live = await server.Client.GetAsync(new Uri("/v2/health/live", UriKind.Relative));
        using var ready = await server.Client.GetAsync(new Uri("/v2/health/ready", UriKind.Relative));
        using var modelReady = await server.Client.GetAsync(new Uri("/v2/models/fashion-cnn/ready", UriKind.Relative));

        Assert.Contains("binary_tensor_data", server2.RootElement.GetProperty("extensions").EnumerateArray().Select(e => e.GetString()));
        var root = metadata.RootElement;
        Assert.Equal(("fashion-cnn", "onnxruntime_onnx"), (root.GetProperty("name").GetString(), root.GetProperty("platform").GetString()));
        Assert.Contains("1", root.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        var input = root.GetProperty("inputs")[0];
        Assert.Equal("FP32", input.GetProperty("datatype").GetString());
        var shape = input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        Assert.Equal((4, -1), (shape.Length, shape[0]));
        Assert.All(shape[1..], d => Assert.True(d > 0));
        Assert.Equal([-1, 10], root.GetProperty("outputs")[0].GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (live.StatusCode, ready.StatusCode, modelReady.StatusCode));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task JsonFp32Tensor_FlatOrNested_GivesTheV1RoutesProbabilities(bool nested)
    {
        var image = await ImageAsync(3);
        var tensor = await TensorAsync(image);
        var (name, shape) = await InputAsync();
        var expected = await V1Async(image);
        JsonNode data = nested
            ? new JsonArray(new JsonArray(Enumerable.Range(0, shape[2]).Select(r => (JsonNode)new JsonArray(tensor.Skip(r * shape[3]).Take(shape[3]).Select(v => (JsonNode)v).ToArray())).ToArray()))
            : new JsonArray(tensor.Select(v => (JsonNode)v).ToArray());
        var request = new JsonObject
        {
            ["id"] = "req-1",
            ["inputs"] = new JsonArray(new JsonObject { ["name"] = name, ["datatype"] = "FP32", ["shape"] = new JsonArray(1, shape[1], shape[2], shape[3]), ["data"] = data }),
        };

        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await server.Client.PostAsync(new Uri("/v2/models/fashion-cnn/versions/1/infer", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(("fashion-cnn", "1", "req-1"), (answer.RootElement.GetProperty("model_name").GetString(), answer.RootElement.GetProperty("model_version").GetString(), answer.RootElement.GetProperty("id").GetString()));
        var output = answer.RootElement.GetProperty("outputs")[0];
        Assert.Equal([1, 10], output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        var probabilities = output.GetProperty("data").EnumerateArray().Select(d => d.GetSingle()).ToArray();
        foreach (var (index, probability) in expected)
        {
            Assert.Equal(probability, probabilities[index]);
        }
    }

    [Fact]
    public async Task BinaryExtension_Fp32InAndOut_IsParsedAndAnsweredByteExact()
    {
        var images = new[] { await ImageAsync(5), await ImageAsync(6) };
        var tensors = new List<float>();
        foreach (var image in images)
        {
            tensors.AddRange(await TensorAsync(image));
        }

        var (name, shape) = await InputAsync();
        var binary = new byte[tensors.Count * 4];
        for (var i = 0; i < tensors.Count; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(binary.AsSpan(i * 4), tensors[i]);
        }

        var header = new JsonObject
        {
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["name"] = name, ["datatype"] = "FP32", ["shape"] = new JsonArray(2, shape[1], shape[2], shape[3]),
                ["parameters"] = new JsonObject { ["binary_data_size"] = binary.Length },
            }),
            ["outputs"] = new JsonArray(new JsonObject { ["name"] = "probabilities", ["parameters"] = new JsonObject { ["binary_data"] = true } }),
        };

        using var response = await PostBinaryAsync(server.Client, "/v2/models/fashion-cnn/infer", header, binary);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync();
        var jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), System.Globalization.CultureInfo.InvariantCulture);
        using var json = JsonDocument.Parse(body.AsMemory(0, jsonLength));
        var output = json.RootElement.GetProperty("outputs")[0];
        Assert.Equal(80, output.GetProperty("parameters").GetProperty("binary_data_size").GetInt32());
        Assert.False(output.TryGetProperty("data", out _));
        Assert.Equal(jsonLength + 80, body.Length);
        for (var i = 0; i < images.Length; i++)
        {
            foreach (var (index, probability) in await V1Async(images[i]))
            {
                var bytes = body.AsSpan(jsonLength + ((i * 10) + index) * 4, 4);
                var expected = new byte[4];
                BinaryPrimitives.WriteSingleLittleEndian(expected, probability);
                Assert.Equal(expected, bytes.ToArray());
            }
        }
    }

    [Fact]
    public async Task BytesInput_WithEncodedImages_IsPreprocessedServerSideLikeV1()
    {
        var images = new[] { await ImageAsync(7), await ImageAsync(8) };
        var (name, _) = await InputAsync();
        var binary = new List<byte>();
        foreach (var image in images)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)image.Length);
            binary.AddRange(length);
            binary.AddRange(image);
        }

        var header = new JsonObject
        {
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["name"] = name, ["datatype"] = "BYTES", ["shape"] = new JsonArray(2),
                ["parameters"] = new JsonObject { ["binary_data_size"] = binary.Count },
            }),
        };
        var jsonRequest = new JsonObject
        {
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["name"] = name, ["datatype"] = "BYTES", ["shape"] = new JsonArray(1), ["data"] = new JsonArray(Convert.ToBase64String(images[1])),
            }),
        };

        using var response = await PostBinaryAsync(server.Client, "/v2/models/fashion-cnn/infer", header, [.. binary]);
        using var jsonContent = new StringContent(jsonRequest.ToJsonString(), Encoding.UTF8, "application/json");
        using var jsonResponse = await server.Client.PostAsync(new Uri("/v2/models/fashion-cnn/infer", UriKind.Relative), jsonContent);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (response.StatusCode, jsonResponse.StatusCode));
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var probabilities = answer.RootElement.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(d => d.GetSingle()).ToArray();
        using var jsonAnswer = JsonDocument.Parse(await jsonResponse.Content.ReadAsStringAsync());
        var single = jsonAnswer.RootElement.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(d => d.GetSingle()).ToArray();
        for (var i = 0; i < images.Length; i++)
        {
            foreach (var (index, probability) in await V1Async(images[i]))
            {
                Assert.Equal(probability, probabilities[(i * 10) + index]);
            }
        }

        Assert.Equal(probabilities[10..], single);
    }

    [Theory]
    [InlineData("/v2/models/nope/infer", "{\"inputs\":[]}", HttpStatusCode.NotFound)]
    [InlineData("/v2/models/fashion-cnn/infer", "{not json", HttpStatusCode.BadRequest)]
    [InlineData("/v2/models/fashion-cnn/infer", "{\"inputs\":[]}", HttpStatusCode.BadRequest)]
    [InlineData("/v2/models/fashion-cnn/infer", "{\"inputs\":[{\"name\":\"INPUT\",\"datatype\":\"FP32\",\"shape\":[1,3,28,28],\"data\":[1]}]}", HttpStatusCode.BadRequest)]
    [InlineData("/v2/models/fashion-cnn/infer", "{\"inputs\":[{\"name\":\"INPUT\",\"datatype\":\"INT8\",\"shape\":[1],\"data\":[1]}]}", HttpStatusCode.BadRequest)]
    [InlineData("/v2/models/fashion-cnn/infer", "{\"inputs\":[{\"name\":\"INPUT\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[\"aGVsbG8=\"]}]}", HttpStatusCode.BadRequest)]
    [InlineData("/v2/models/fashion-cnn/versions/9/infer", "{\"inputs\":[]}", HttpStatusCode.NotFound)]
    public async Task BadRequests_AnswerTritonStyleErrors(string path, string body, HttpStatusCode status)
    {
        var (name, _) = await InputAsync();
        using var content = new StringContent(body.Replace("INPUT", name, StringComparison.Ordinal), Encoding.UTF8, "application/json");

        using var response = await server.Client.PostAsync(new Uri(path, UriKind.Relative), content);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(string.IsNullOrWhiteSpace(error.RootElement.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task UnknownModelMetadata_Answers404WithAnError()
    {
        using var response = await server.Client.GetAsync(new Uri("/v2/models/nope", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("nope", error.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
