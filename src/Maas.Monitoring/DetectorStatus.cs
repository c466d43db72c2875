namespace Maas.Monitoring;

/// <summary>What a detector concluded about one window.</summary>
public enum DetectorStatus
{
    /// <summary>Evaluated; no drift at the detector's threshold.</summary>
    Ok,

    /// <summary>Evaluated; drift at the detector's threshold.</summary>
    Detected,

    /// <summary>The window or the reference is too small for the detector's false-alarm control to hold; nothing is claimed.</summary>
    InsufficientData,
}
