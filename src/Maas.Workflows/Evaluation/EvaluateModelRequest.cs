using Maas.Core;
using Maas.Core.Datasets;

namespace Maas.Workflows.Evaluation;

/// <summary>Which registered model to evaluate on which dataset split, and how.</summary>
/// <param name="Model">MODEL, MODEL@VERSION or MODEL@ALIAS (MODEL alone means its production alias, else its latest version).</param>
/// <param name="Dataset">NAME@VERSION of the dataset (NAME alone means its latest version).</param>
/// <param name="Split">The split to evaluate.</param>
/// <param name="TopK">k of the top-k accuracy, 1 or more.</param>
/// <param name="Calibrate">Also fit temperature scaling on the validation split and report the calibration error before and after.</param>
public sealed record EvaluateModelRequest(VersionedName Model, VersionedName Dataset, Split Split = Split.Test, int TopK = 5, bool Calibrate = false);
