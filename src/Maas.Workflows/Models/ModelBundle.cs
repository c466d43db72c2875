using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Models;
using Maas.Core.Pipelines;
using Onnx;

namespace Maas.Workflows.Models;

/// <summary>
/// The files of one model: <c>model.onnx</c>, <c>pipeline.json</c>, <c>labels.json</c>, <c>metadata.json</c>, any
/// further named files, and <c>manifest.json</c> recording each file's size and SHA-256. This is the one place that
/// writes, verifies and reads them: a run's export, a registered version's folder and what the server loads.
/// Versions registered before manifests existed have none; they are verified as far as they can be (the files
/// exist, the ONNX graph parses, the pipeline and labels read) and read the same way.
/// </summary>
public sealed class ModelBundle
{
    /// <summary>The file listing every other file with its size and hash.</summary>
    public const string ManifestFileName = "manifest.json";

    /// <summary>The file saying where the model came from (<see cref="ModelBundleMetadata"/>).</summary>
    public const string MetadataFileName = "metadata.json";

    /// <summary>The manifest format this version of Maas writes.</summary>
    public const int FormatVersion = 1;

    private static readonly string[] s_required = [ModelVersion.OnnxFileName, ModelVersion.PipelineFileName, ModelVersion.LabelsFileName];
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private ModelBundle(string folder, ModelBundleManifest? manifest)
    {
        Folder = folder;
        Manifest = manifest;
    }

    /// <summary>The folder holding the files.</summary>
    public string Folder { get; }

    /// <summary>The recorded files, or null for a bundle written before manifests existed.</summary>
    public ModelBundleManifest? Manifest { get; }

    /// <summary>The ONNX graph's path.</summary>
    public string OnnxPath => System.IO.Path.Combine(Folder, ModelVersion.OnnxFileName);

    /// <summary>The names of the files beyond the ONNX graph, pipeline, labels and metadata (none without a manifest).</summary>
    public IReadOnlyList<string> ExtraFileNames =>
        Manifest?.Files.Select(f => f.Name).Where(n => !IsStandard(n)).ToList() ?? [];

    /// <summary>The path of the bundle's file <paramref name="name"/>.</summary>
    public string PathOf(string name) => System.IO.Path.Combine(Folder, name);

    /// <summary>Opens the bundle in <paramref name="folder"/>, reading its manifest when it has one; nothing else is checked yet.</summary>
    /// <exception cref="NotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidInputException">The manifest exists but cannot be read.</exception>
    public static ModelBundle Open(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
        {
            throw new NotFoundException($"model bundle {folder}: the folder does not exist.");
        }

        var manifestPath = System.IO.Path.Combine(folder, ManifestFileName);
        if (!File.Exists(manifestPath))
        {
            return new ModelBundle(folder, null);
        }

        ModelBundleManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelBundleManifest>(File.ReadAllBytes(manifestPath), s_json);
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"model bundle {folder}: {ManifestFileName} is not a readable manifest ({e.Message}).", e);
        }

        if (manifest?.Files is null || manifest.Files.Any(f => f?.Name is null || f.Sha256 is null))
        {
            throw new InvalidInputException($"model bundle {folder}: {ManifestFileName} has no file list or an entry without a name or hash.");
        }

        if (manifest.Format > FormatVersion)
        {
            throw new InvalidInputException($"model bundle {folder}: {ManifestFileName} is format {manifest.Format}; this Maas reads up to {FormatVersion}.");
        }

        return new ModelBundle(folder, manifest);
    }

    /// <summary>
    /// Writes <paramref name="contents"/> into <paramref name="folder"/> (created if needed): each file is written
    /// beside its target, flushed to disk and renamed into place; the manifest goes last, then the folder itself is
    /// synced. Files of an earlier bundle in the folder are replaced.
    /// </summary>
    /// <exception cref="InvalidInputException">An extra file's name is not a plain file name, or is one of the standard ones.</exception>
    public static async Task<ModelBundle> WriteAsync(string folder, ModelBundleContents contents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contents);
        foreach (var name in contents.Files.Keys)
        {
            ValidateExtraName(name);
        }

        var files = new List<(string Name, ReadOnlyMemory<byte> Data)>
        {
            (ModelVersion.OnnxFileName, contents.Onnx),
            (ModelVersion.PipelineFileName, Encoding.UTF8.GetBytes(contents.Pipeline.ToJson())),
            (ModelVersion.LabelsFileName, JsonSerializer.SerializeToUtf8Bytes(contents.Labels, s_json)),
            (MetadataFileName, JsonSerializer.SerializeToUtf8Bytes(contents.Metadata, s_json)),
        };
        files.AddRange(contents.Files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => (f.Key, f.Value)));

        Directory.CreateDirectory(folder);
        var entries = new List<ModelBundleFile>();
        foreach (var (name, data) in files)
        {
            await AtomicFile.WriteAllBytesAsync(System.IO.Path.Combine(folder, name), data, cancellationToken);
            entries.Add(new ModelBundleFile(name, data.Length, ContentHash.Of(data.Span)));
        }

        var manifest = new ModelBundleManifest(FormatVersion, entries);
        await AtomicFile.WriteAllBytesAsync(System.IO.Path.Combine(folder, ManifestFileName), JsonSerializer.SerializeToUtf8Bytes(manifest, s_json), cancellationToken);
        Fsync.Directory(folder);
        return new ModelBundle(folder, manifest);
    }

    /// <summary>
    /// Checks that every file the manifest lists exists with its recorded size and SHA-256, and that it lists the
    /// ONNX graph, pipeline and labels. Without a manifest: those three exist, the ONNX graph parses, the pipeline
    /// and labels read.
    /// </summary>
    /// <exception cref="InvalidInputException">A file is missing, truncated, altered or unreadable; the message names it and says which.</exception>
    public void Verify(CancellationToken cancellationToken = default)
    {
        if (Manifest is null)
        {
            VerifyWithoutManifest();
            return;
        }

        foreach (var required in s_required.Where(r => Manifest.Files.All(f => f.Name != r)))
        {
            throw Problem(required, $"is not listed in {ManifestFileName}");
        }

        foreach (var entry in Manifest.Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = PathOf(entry.Name);
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw Problem(entry.Name, "is missing");
            }

            if (info.Length != entry.Size)
            {
                throw Problem(entry.Name, $"is {info.Length} bytes but {ManifestFileName} records {entry.Size}: it is truncated or was replaced");
            }

            string actual;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
            {
                actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            }

            if (!string.Equals(actual, entry.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw Problem(entry.Name, $"has SHA-256 {actual} but {ManifestFileName} records {entry.Sha256}: its content is damaged");
            }
        }
    }

    /// <summary>The pipeline spec.</summary>
    /// <exception cref="InvalidInputException">The file is missing or not a pipeline.</exception>
    public PipelineSpec ReadPipeline() => PipelineSpec.FromJson(ReadText(ModelVersion.PipelineFileName), PathOf(ModelVersion.PipelineFileName));

    /// <summary>The class names in output order.</summary>
    /// <exception cref="InvalidInputException">The file is missing or not a JSON array of strings.</exception>
    public IReadOnlyList<string> ReadLabels()
    {
        var text = ReadText(ModelVersion.LabelsFileName);
        try
        {
            var labels = JsonSerializer.Deserialize<List<string>>(text);
            return labels is null || labels.Any(l => l is null) ? throw Problem(ModelVersion.LabelsFileName, "is not a JSON array of strings") : labels;
        }
        catch (JsonException e)
        {
            throw Problem(ModelVersion.LabelsFileName, $"is not a JSON array of strings ({e.Message})", e);
        }
    }

    /// <summary>Where the model came from, or null for a bundle written before metadata was kept.</summary>
    /// <exception cref="InvalidInputException">The file exists but cannot be read.</exception>
    public ModelBundleMetadata? ReadMetadata()
    {
        if (!File.Exists(PathOf(MetadataFileName)))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ModelBundleMetadata>(ReadText(MetadataFileName), s_json);
        }
        catch (JsonException e)
        {
            throw Problem(MetadataFileName, $"is not readable metadata ({e.Message})", e);
        }
    }

    /// <summary>The bytes of the bundle's file <paramref name="name"/> (the ONNX graph, or an extra file).</summary>
    /// <exception cref="InvalidInputException">The file is missing.</exception>
    public async Task<byte[]> ReadFileAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(PathOf(name), cancellationToken);
        }
        catch (FileNotFoundException e)
        {
            throw Problem(name, "is missing", e);
        }
    }

    private void VerifyWithoutManifest()
    {
        foreach (var required in s_required)
        {
            if (!File.Exists(PathOf(required)))
            {
                throw Problem(required, "is missing");
            }
        }

        ModelProto proto;
        try
        {
            using var stream = File.OpenRead(OnnxPath);
            proto = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw Problem(ModelVersion.OnnxFileName, $"is not an ONNX model ({e.Message})", e);
        }

        if (proto.Graph is null || proto.Graph.Input.Count == 0 || proto.Graph.Output.Count == 0)
        {
            throw Problem(ModelVersion.OnnxFileName, "is not an ONNX model: it has no graph with inputs and outputs");
        }

        ReadPipeline();
        ReadLabels();
    }

    private string ReadText(string name)
    {
        try
        {
            return File.ReadAllText(PathOf(name));
        }
        catch (FileNotFoundException e)
        {
            throw Problem(name, "is missing", e);
        }
    }

    private InvalidInputException Problem(string name, string problem, Exception? inner = null) =>
        new($"model bundle {Folder}: {name} {problem}.", inner);

    private static bool IsStandard(string name) =>
        s_required.Contains(name) || name is MetadataFileName or ManifestFileName;

    private static void ValidateExtraName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name != System.IO.Path.GetFileName(name) || name.StartsWith('.')
            || name.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new InvalidInputException($"model bundle file '{name}': give a plain file name (no folders, not hidden).");
        }

        if (IsStandard(name))
        {
            throw new InvalidInputException($"model bundle file '{name}': the bundle writes that file itself.");
        }
    }
}
