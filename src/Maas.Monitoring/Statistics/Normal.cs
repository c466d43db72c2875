namespace Maas.Monitoring.Statistics;

/// <summary>The standard normal distribution's upper tail.</summary>
public static class Normal
{
    /// <summary>P(Z ≥ z) (SciPy's <c>norm.sf</c>): ½ Q(½, z²/2) for z ≥ 0, since Z² ~ χ²(1).</summary>
    public static double Survival(double z)
    {
        var half = 0.5 * Gamma.UpperRegularized(0.5, z * z / 2);
        return z >= 0 ? half : 1 - half;
    }
}
