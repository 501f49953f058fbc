using Vae.Simulation.Noise;

namespace Vae.Simulation.Tests.Noise;

/// <summary>
/// Sample statistics of the measurement noise and the Gaussian stream. Tolerances are 5 standard errors: for n
/// independent draws the mean has standard error sigma / sqrt(n), the variance sigma^2 sqrt(2 / n), a correlation
/// about 1 / sqrt(n); for an OU process with lag-1 correlation a the effective sample size is n (1 - a) / (1 + a).
/// </summary>
public class MeasurementNoiseTests
{
    private const int N = 200_000;

    private static double[] Sample(double sigma, double tau, double dt, ulong seed = 3, long row = 7)
    {
        var v = new double[N];
        MeasurementNoise.Add(new HhNoise(sigma, tau, 0, 0, 0.01, seed), row, dt, v);
        return v;
    }

    private static (double Mean, double Sd, double Lag1) Statistics(double[] x)
    {
        double mean = x.Average();
        double variance = x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1);
        double lag = 0;
        for (int i = 1; i < x.Length; i++)
            lag += (x[i] - mean) * (x[i - 1] - mean);
        return (mean, Math.Sqrt(variance), lag / (x.Length - 1) / variance);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(7.5)]
    public void White_noise_has_mean_zero_the_requested_sigma_and_no_correlation(double sigma)
    {
        var (mean, sd, lag1) = Statistics(Sample(sigma, 0, 0.01));
        double se = 1 / Math.Sqrt(N);
        Assert.InRange(mean, -5 * sigma * se, 5 * sigma * se);
        // sd of the sample sd is about sigma / sqrt(2 n).
        Assert.InRange(sd, sigma * (1 - 5 * se / Math.Sqrt(2)), sigma * (1 + 5 * se / Math.Sqrt(2)));
        Assert.InRange(lag1, -5 * se, 5 * se);
    }

    [Theory]
    [InlineData(0.01, 0.05)]
    [InlineData(0.01, 1.0)]
    [InlineData(0.025, 0.1)]
    public void Ou_noise_is_stationary_with_lag_one_correlation_exp_minus_dt_over_tau(double dt, double tau)
    {
        const double sigma = 2.0;
        var (mean, sd, lag1) = Statistics(Sample(sigma, tau, dt));
        double a = Math.Exp(-dt / tau);
        double effective = N * (1 - a) / (1 + a);
        Assert.InRange(mean, -5 * sigma / Math.Sqrt(effective), 5 * sigma / Math.Sqrt(effective));
        Assert.InRange(sd, sigma * (1 - 5 / Math.Sqrt(2 * effective)), sigma * (1 + 5 / Math.Sqrt(2 * effective)));
        // The lag-1 estimate's standard error is sqrt((1 - a^2) / n).
        double se = Math.Sqrt((1 - a * a) / N);
        Assert.InRange(lag1, a - 5 * se - 1e-3, a + 5 * se + 1e-3);
    }

    [Fact]
    public void The_noise_of_a_row_is_a_function_of_seed_and_row_alone()
    {
        Assert.Equal(Sample(1, 0.5, 0.01), Sample(1, 0.5, 0.01));
        Assert.NotEqual(Sample(1, 0, 0.01, row: 7), Sample(1, 0, 0.01, row: 8));
        Assert.NotEqual(Sample(1, 0, 0.01, seed: 3), Sample(1, 0, 0.01, seed: 4));
        var none = new double[10];
        MeasurementNoise.Add(HhNoise.None, 0, 0.01, none);
        Assert.All(none, v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Gaussian_stream_has_standard_normal_moments_and_streams_differ()
    {
        var stream = new NoiseStream(0, 0, NoiseStream.Intrinsic);
        var x = new double[N];
        stream.FillGaussian(x, 1.0);
        double mean = x.Average(), variance = x.Average(v => v * v) - mean * mean;
        double kurtosis = x.Average(v => Math.Pow(v - mean, 4)) / (variance * variance);
        Assert.InRange(mean, -5 / Math.Sqrt(N), 5 / Math.Sqrt(N));
        Assert.InRange(variance, 1 - 5 * Math.Sqrt(2.0 / N), 1 + 5 * Math.Sqrt(2.0 / N));
        // Kurtosis 3 (variance of the estimate about 96 / n).
        Assert.InRange(kurtosis, 3 - 5 * Math.Sqrt(96.0 / N), 3 + 5 * Math.Sqrt(96.0 / N));
        var other = new NoiseStream(0, 0, NoiseStream.Measurement);
        Assert.NotEqual(new NoiseStream(0, 0, NoiseStream.Intrinsic).NextGaussian(), other.NextGaussian());
    }
}
