using System.Text.Json.Serialization;
using Vae.Simulation.Protocols;

namespace Vae.Runs.Settings;

/// <summary>
/// The simulation protocol of a generated HH training dataset: <c>report</c> or <c>seed-code</c>. The names are
/// the simulation's (<see cref="HhProtocol.Name"/>).
/// </summary>
[JsonConverter(typeof(SettingNameJsonConverter<HhDataProtocol>))]
public sealed class HhDataProtocol : SettingName, ISettingNames<HhDataProtocol>
{
    private HhDataProtocol(HhProtocol protocol) : base(protocol.Name) => Protocol = protocol;

    /// <summary>The report's protocol (<see cref="HhProtocol.Report"/>).</summary>
    public static HhDataProtocol Report { get; } = new(HhProtocol.Report);
    /// <summary>What the original code simulated (<see cref="HhProtocol.SeedCode"/>).</summary>
    public static HhDataProtocol SeedCode { get; } = new(HhProtocol.SeedCode);

    /// <inheritdoc/>
    public static IReadOnlyList<HhDataProtocol> All { get; } = [Report, SeedCode];
    /// <inheritdoc/>
    public static string Setting => "hhProtocol";

    /// <summary>The simulation protocol.</summary>
    public HhProtocol Protocol { get; }
}
