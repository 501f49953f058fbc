using Vae.Simulation.Datasets;
using Vae.Simulation.Numerics;

namespace Vae.Simulation.Tests.Numerics;

/// <summary>
/// Golden values of the bits every seed, conductance draw and shuffle depends on, taken from the implementations
/// the datasets and runs made so far were produced with; any change here changes existing datasets and runs.
/// </summary>
public class SplitMix64Tests
{
    [Theory]
    [InlineData(0UL, 0x0000000000000000UL)]
    [InlineData(1UL, 0x5692161D100B05E5UL)]
    [InlineData(0xFFFFFFFFFFFFFFFFUL, 0xB4D055FCF2CBBD7BUL)]
    [InlineData(1234567UL, 0xD7CDDB79D5642718UL)]
    public void Mix_is_the_output_function_alone(ulong z, ulong expected) => Assert.Equal(expected, SplitMix64.Mix(z));

    [Theory]
    [InlineData(0UL, 0xE220A8397B1DCDAFUL)]
    [InlineData(1UL, 0x910A2DEC89025CC1UL)]
    [InlineData(0xFFFFFFFFFFFFFFFFUL, 0xE4D971771B652C20UL)]
    [InlineData(1234567UL, 0x599ED017FB08FC85UL)]
    public void NextFrom_adds_the_increment_before_mixing(ulong state, ulong expected) => Assert.Equal(expected, SplitMix64.NextFrom(state));

    [Fact]
    public void NextFrom_zero_is_the_first_output_of_the_reference_generator()
    {
        // Vigna's splitmix64.c seeded with 0 starts 0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F.
        ulong state = 0;
        var outputs = new ulong[3];
        for (int i = 0; i < 3; i++)
        {
            outputs[i] = SplitMix64.NextFrom(state);
            state += SplitMix64.Gamma;
        }
        Assert.Equal([0xE220A8397B1DCDAFUL, 0x6E789E6AA1B965F4UL, 0x06C45D188009454FUL], outputs);
    }

    [Theory]
    [InlineData(0UL, 0L, 0, 0.28176129772258496)]
    [InlineData(0UL, 1L, 1, 0.63967554878272836)]
    [InlineData(42UL, 9999L, 0, 0.92493780175981466)]
    [InlineData(7UL, 123456789L, 1, 0.18164731906944176)]
    public void Conductance_draws_keep_their_bits(ulong seed, long index, int stream, double expected) =>
        Assert.Equal(expected, ParameterSampler.Uniform(seed, index, stream));
}
