using Maas.Core;
using Maas.Core.Pipelines;

namespace Maas.Workflows.Preprocessing;

/// <summary>A contact sheet to render: which version's training images, through which pipeline, into which PNG.</summary>
/// <param name="Dataset">NAME@VERSION, or NAME for the latest version.</param>
/// <param name="Pipeline">The pipeline to show.</param>
/// <param name="Output">Where to write the PNG contact sheet.</param>
/// <param name="Samples">Rows: training images to show, 1 to 64.</param>
/// <param name="Variants">Columns after the evaluation view: one augmentation per epoch, 0 to 32.</param>
/// <param name="Seed">The run seed the augmentations use, and which images are picked.</param>
public sealed record PreviewPipelineRequest(VersionedName Dataset, PipelineSpec Pipeline, string Output, int Samples = 8, int Variants = 6, long Seed = 42);
