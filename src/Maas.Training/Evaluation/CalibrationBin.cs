namespace Maas.Training.Evaluation;

/// <summary>One confidence bin of a reliability diagram: the samples whose top probability falls in (Lower, Upper].</summary>
/// <param name="Lower">The bin's lower edge (excluded, except 0).</param>
/// <param name="Upper">The bin's upper edge (included).</param>
/// <param name="Count">Samples in the bin.</param>
/// <param name="Accuracy">Share of them whose top class is their label; 0 for an empty bin.</param>
/// <param name="Confidence">Their mean top probability; 0 for an empty bin.</param>
public sealed record CalibrationBin(double Lower, double Upper, int Count, double Accuracy, double Confidence);
