using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Maas.Server.Tests;

[Collection(TrainedFashionServer.Collection)]
public sealed class PredictInputsTests(TrainedFashionServer server)
{
    private static readonly Uri s_predict = new("/v1/models/fashion-cnn:predict", UriKind.Relative);

    private async Task<byte[][]> ImagesAsync(int count) =>
        await Task.WhenAll(server.TestSamples.Skip(200).Take(count).Select(s => server.Stores.Blobs.GetAsync(s.BlobHash, CancellationToken.None)));

    private static List<(int Index, float Probability)> Top(JsonElement scores) =>
        scores.EnumerateArray().Select(p => (p.GetProperty("index").GetInt32(), p.GetProperty("probability").GetSingle())).ToList();

    private async Task<List<(int Index, float Probability)>> RawAsync(byte[] image)
    {
        using var content = new ByteArrayContent(image);
        using var response = await server.Client.PostAsync(s_predict, content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return Top(answer.RootElement.GetProperty("predictions"));
    }

    private async Task<(HttpStatusCode Status, JsonDocument Body)> PostAsync(HttpContent content)
    {
        using var response = await server.Client.PostAsync(s_predict, content);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    private static double Metric(string text, string series) =>
        text.Split('\n').Where(l => l.StartsWith(series + " ", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(series.Length + 1)..], CultureInfo.InvariantCulture)).SingleOrDefault();

    private static MultipartFormDataContent Multipart(IEnumerable<byte[]> parts, string declaredType = "text/plain")
    {
        var content = new MultipartFormDataContent();
        var i = 0;
        foreach (var part in parts)
        {
            var bytes = new ByteArrayContent(part);
            // A wrong declared type: the server must sniff the bytes rather than trust it.
            bytes.Headers.ContentType = new MediaTypeHeaderValue(declaredType);
            content.Add(bytes, "field" + i, $"image{i++}.png");
        }

        return content;
    }

    private static void AssertProblem(HttpStatusCode expected, (HttpStatusCode Status, JsonDocument Body) answer, string detailNames)
    {
        using var body = answer.Body;
        Assert.Equal(expected, answer.Status);
        Assert.Equal((int)expected, body.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(detailNames, body.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Multipart_WithThreeImages_AnswersAsThreeRawRequestsInOrder_InOneBatchRun()
    {
        var images = await ImagesAsync(3);
        var raw = new List<List<(int, float)>>();
        foreach (var image in images)
        {
            raw.Add(await RawAsync(image));
        }

        const string Runs = "maas_batch_size_count{model=\"fashion-cnn\",version=\"1\"}";
        const string Images = "maas_batch_size_sum{model=\"fashion-cnn\",version=\"1\"}";
        var before = await server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        using var content = Multipart(images);
        var (status, body) = await PostAsync(content);
        var after = await server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        using (body)
        {
            Assert.Equal(HttpStatusCode.OK, status);
            var root = body.RootElement;
            Assert.Equal(("fashion-cnn", 1), (root.GetProperty("model").GetString(), root.GetProperty("version").GetInt32()));
            var predictions = root.GetProperty("predictions").EnumerateArray().ToList();
            Assert.Equal(3, predictions.Count);
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(raw[i], Top(predictions[i].GetProperty("top")));
            }
        }

        Assert.Equal((1d, 3d), (Metric(after, Runs) - Metric(before, Runs), Metric(after, Images) - Metric(before, Images)));
    }

    [Fact]
    public async Task Json_WithBase64Images_AnswersAsRawRequests_WithTheRequestedTopK()
    {
        var images = await ImagesAsync(3);
        var raw = new List<List<(int, float)>>();
        foreach (var image in images)
        {
            raw.Add(await RawAsync(image));
        }

        using var many = new StringContent(JsonSerializer.Serialize(new { images = images.Select(Convert.ToBase64String), top_k = 3 }), Encoding.UTF8, "application/json");
        using var one = new StringContent(JsonSerializer.Serialize(new { image = Convert.ToBase64String(images[1]) }), Encoding.UTF8, "application/json");
        var (manyStatus, manyBody) = await PostAsync(many);
        var (oneStatus, oneBody) = await PostAsync(one);

        using (manyBody)
        using (oneBody)
        {
            Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (manyStatus, oneStatus));
            var predictions = manyBody.RootElement.GetProperty("predictions").EnumerateArray().ToList();
            Assert.Equal(3, predictions.Count);
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(raw[i].Take(3), Top(predictions[i].GetProperty("top")));
                Assert.Equal(predictions[i].GetProperty("top")[0].GetProperty("label").GetString(), predictions[i].GetProperty("label").GetString());
            }

            var single = oneBody.RootElement.GetProperty("predictions").EnumerateArray().Single();
            Assert.Equal(raw[1], Top(single.GetProperty("top")));
        }
    }

    [Fact]
    public async Task Json_WithMoreImagesThanTheLimit_Answers413()
    {
        using var content = new StringContent(JsonSerializer.Serialize(new { images = Enumerable.Repeat("AAAA", 65) }), Encoding.UTF8, "application/json");

        AssertProblem(HttpStatusCode.RequestEntityTooLarge, await PostAsync(content), "more than 64 images");
    }

    [Fact]
    public async Task Multipart_WithMoreImagesThanTheLimit_Answers413()
    {
        var image = (await ImagesAsync(1))[0];
        using var content = Multipart(Enumerable.Repeat(image, 65), "image/png");

        AssertProblem(HttpStatusCode.RequestEntityTooLarge, await PostAsync(content), "more than 64 images");
    }

    [Fact]
    public async Task Json_WithBadBase64_Answers400NamingTheIndex()
    {
        var image = Convert.ToBase64String((await ImagesAsync(1))[0]);
        using var content = new StringContent(JsonSerializer.Serialize(new { images = new[] { image, "not*base64!" } }), Encoding.UTF8, "application/json");

        AssertProblem(HttpStatusCode.BadRequest, await PostAsync(content), "images[1]");
    }

    [Fact]
    public async Task Multipart_WithAPartThatIsNotAnImage_Answers415NamingThePart()
    {
        var image = (await ImagesAsync(1))[0];
        using var content = new MultipartFormDataContent();
        using var first = new ByteArrayContent(image);
        // Declared an image, but it is text: the bytes decide.
        using var notes = new ByteArrayContent("just some notes"u8.ToArray());
        notes.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        content.Add(first, "photo", "photo.png");
        content.Add(notes, "notes", "notes.png");

        AssertProblem(HttpStatusCode.UnsupportedMediaType, await PostAsync(content), "part 2 ('notes'");
    }

    [Fact]
    public async Task Json_WithoutImages_Answers400()
    {
        using var content = new StringContent("{\"pictures\": []}", Encoding.UTF8, "application/json");

        AssertProblem(HttpStatusCode.BadRequest, await PostAsync(content), "'images'");
    }
}
