using Maas.Core.Datasets;

namespace Maas.Datasets;

/// <summary>A validated, stored image on its way into a version: the sample before it has a label index and a split.</summary>
internal sealed record ImportDraft(string SampleId, string BlobHash, string ClassName, Split? Split, string OriginalPath, int Width, int Height,
    int Channels, string Format);
