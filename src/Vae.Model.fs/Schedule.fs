/// Learning-rate schedules: closed-form functions of the optimizer step, validated when built.
namespace Vae.Model

open System

/// A learning rate as a function of the 0-based optimizer step (the number of updates already applied).
[<Sealed>]
type Schedule private (rate: int64 -> float, description: string) =
    /// The learning rate at `step` (>= 0).
    member _.At(step: int64) : float =
        if step < 0L then invalidArg "step" $"step must be >= 0, got {step}"
        rate step

    /// A short description of the schedule and its arguments.
    override _.ToString() = description

    /// The same rate at every step.
    static member Constant(value: float) : Schedule =
        if not (Double.IsFinite value) || value < 0.0 then invalidArg "value" $"learning rate must be finite and >= 0, got {value}"
        Schedule((fun _ -> value), $"constant {value}")

    /// Cosine decay: lr(t) = I ((1 - a) ((1 + cos(pi min(t, T) / T)) / 2)^p + a), constant I*a after T.
    /// `initial` I >= 0, `decaySteps` T >= 1, `alpha` a in [0, 1] (final rate as a fraction of I),
    /// `exponent` p > 0.
    static member CosineDecay(initial: float, decaySteps: int64, alpha: float, exponent: float) : Schedule =
        if not (Double.IsFinite initial) || initial < 0.0 then invalidArg "initial" $"initial learning rate must be finite and >= 0, got {initial}"
        if decaySteps < 1L then invalidArg "decaySteps" $"decay steps must be >= 1, got {decaySteps}"
        if not (alpha >= 0.0 && alpha <= 1.0) then invalidArg "alpha" $"alpha must lie in [0, 1], got {alpha}"
        if not (Double.IsFinite exponent) || exponent <= 0.0 then invalidArg "exponent" $"exponent must be finite and > 0, got {exponent}"
        let rate (t: int64) =
            let progress = float (min t decaySteps) / float decaySteps
            let cosine = 0.5 * (1.0 + cos (Math.PI * progress))
            initial * ((1.0 - alpha) * Math.Pow(cosine, exponent) + alpha)
        Schedule(rate, $"cosine decay from {initial} over {decaySteps} steps to {alpha} x, exponent {exponent}")

    /// The study's initial learning rate I = 1e-3.
    static member StudyInitial = 1e-3
    /// The study's final rate as a fraction of the initial one, alpha = 0.01.
    static member StudyAlpha = 0.01
    /// The study's cosine exponent p = 1.
    static member StudyExponent = 1.0

    /// The study's schedule: cosine decay from `StudyInitial` to `StudyAlpha` of it over `totalSteps` updates,
    /// exponent `StudyExponent`.
    static member Study(totalSteps: int64) : Schedule =
        Schedule.CosineDecay(Schedule.StudyInitial, totalSteps, Schedule.StudyAlpha, Schedule.StudyExponent)

/// Schedule constructors in F# style.
module Schedule =
    /// `Schedule.CosineDecay` curried.
    let cosineDecay initial decaySteps alpha exponent = Schedule.CosineDecay(initial, decaySteps, alpha, exponent)

    /// `Schedule.Study`: I = 1e-3, a = 0.01, p = 1 over `totalSteps` updates.
    let study (totalSteps: int64) = Schedule.Study totalSteps

    /// `Schedule.Constant`.
    let constant value = Schedule.Constant value
