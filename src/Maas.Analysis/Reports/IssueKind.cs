namespace Maas.Analysis.Reports;

/// <summary>What can be wrong with a sample, as written in reports and review files (snake_case).</summary>
public enum IssueKind
{
    /// <summary>Too dark (CleanVision).</summary>
    Dark,

    /// <summary>Too bright (CleanVision).</summary>
    Light,

    /// <summary>Out of focus (CleanVision).</summary>
    Blurry,

    /// <summary>Little content: low entropy, e.g. a flat image (CleanVision).</summary>
    LowInformation,

    /// <summary>Extreme aspect ratio (CleanVision).</summary>
    OddAspectRatio,

    /// <summary>Far larger or smaller than the dataset's median size (CleanVision).</summary>
    OddSize,

    /// <summary>No colour (CleanVision).</summary>
    Grayscale,

    /// <summary>Decodes to the same pixels as another sample.</summary>
    ExactDuplicate,

    /// <summary>Perceptually or semantically almost the same as another sample.</summary>
    NearDuplicate,

    /// <summary>An exact or near duplicate of a sample in another split.</summary>
    Leakage,

    /// <summary>Far from its nearest neighbours in embedding space.</summary>
    Outlier,

    /// <summary>Probably mislabelled (confident learning).</summary>
    LabelIssue,
}
