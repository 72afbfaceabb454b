using System.Collections.Immutable;
using SiliconSim.Hardware.Specs;
using SiliconSim.Hardware.Thermal;

namespace SiliconSim.Simulation.Thermal;

/// <summary>
/// Runs a repeated inference through the thermal model with the DVFS governor in the loop. Power is piecewise constant
/// (one piece per trace segment, cut at governor ticks; one piece per control period at its mean power when an
/// inference is shorter than the period), each piece solved exactly by <see cref="ThermalModel"/>. At
/// step (f, V) relative to the nominal (f0, V0) a segment lasts f0/f as long and its dynamic energy scales by
/// (V/V0)², so its power by (V/V0)²·f/f0; leakage scales by V/V0. Every control period the governor steps down one
/// step when the junction is at or above throttle_c and up one step when at or below throttle_c − hysteresis_c.
/// </summary>
public static class ThermalSimulation
{
    public static ThermalRunResult Run(AcceleratorSpec spec, InferencePowerTrace trace, ThermalRunOptions options) =>
        Run(spec.Thermal, spec.ClockMhz, spec.SupplyVoltageV, trace, options);

    /// <param name="thermal">The thermal network, leakage and governor.</param>
    /// <param name="clockMhz">The nominal clock at which <paramref name="trace"/> was timed.</param>
    /// <param name="supplyVoltageV">The nominal voltage at which the trace's energy was counted.</param>
    /// <param name="trace">One inference's dynamic power at the nominal point.</param>
    /// <param name="options">Workload, duration and sampling.</param>
    public static ThermalRunResult Run(ThermalSpec thermal, double clockMhz, double supplyVoltageV, InferencePowerTrace trace, ThermalRunOptions options)
    {
        if (!(options.DurationS > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.DurationS, "DurationS must be > 0");
        }

        bool fixedRate = options.Workload == ThermalWorkload.FixedRate;
        if (fixedRate && !(options.InferencesPerSecond > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.InferencesPerSecond, "FixedRate needs InferencesPerSecond > 0");
        }

        ImmutableArray<DvfsStep> steps = thermal.StepsOrNominal(clockMhz, supplyVoltageV);
        var model = new ThermalModel(thermal);
        double period = thermal.ControlPeriodMs * 1e-3;
        double sampleEvery = options.SampleIntervalS > 0 ? options.SampleIntervalS : period;
        double duration = options.DurationS, half = duration / 2, inferenceS = trace.DurationS, inferenceJ = trace.DynamicEnergyJ;

        var samples = ImmutableArray.CreateBuilder<ThermalSample>();
        var events = ImmutableArray.CreateBuilder<ThrottleEvent>();
        samples.Add(new ThermalSample(0, model.JunctionC, 0, 0, steps[0].FrequencyMhz));

        int step = 0, seg = 0;
        long tick = 1, completed = 0;
        double t = 0, segLeftS = trace.Segments[0].DurationS, doneS = 0;
        double nextSample = sampleEvery, lastSampleT = 0, sampleEnergy = 0;
        double dynamicJ = 0, leakageJ = 0, ambientJ = 0, peak = model.JunctionC, halfWork = double.NaN;
        bool active = true;
        string? runaway = null;

        // Advances the network by one constant-power piece; false (with the reason set) on runaway.
        bool Step(double h, double power, double vr)
        {
            ThermalStepResult r = model.Advance(h, power, vr);
            if (!r.Converged)
            {
                runaway = $"thermal runaway at t = {t:G6} s: leakage feedback has no fixed point or the junction passed {ThermalModel.RunawayLimitC} degC";
                return false;
            }

            dynamicJ += power * h;
            leakageJ += r.LeakagePowerW * h;
            ambientJ += r.EnergyToAmbientJ;
            sampleEnergy += r.EnergyInJ;
            peak = Math.Max(peak, Math.Max(model.JunctionC, r.MeanJunctionC));
            return true;
        }

        while (t < duration)
        {
            double limit = Math.Min(tick * period, duration);
            if (double.IsNaN(halfWork))
            {
                limit = Math.Min(limit, half);
            }

            double fr = steps[step].FrequencyMhz / clockMhz, vr = steps[step].VoltageV / supplyVoltageV;

            // Inferences shorter than a control period repeat within it, and stepping the network per layer would cost
            // period / inference steps per period (millions for a 600 s run of a millisecond model) for a ripple the
            // governor never sees; such periods take one exact step at their mean power instead.
            bool aggregate = inferenceS / fr < period;
            double start = t, periodEnergyJ = 0;
            do
            {
                double budget = limit - t;
                if (aggregate && active && !fixedRate && seg == 0 && doneS == 0)
                {
                    // Whole inferences in bulk; one is left to the piecewise walk so rounding never overshoots the limit.
                    long whole = (long)Math.Floor(budget * fr / inferenceS) - 1;
                    if (whole > 0)
                    {
                        periodEnergyJ += whole * inferenceJ * vr * vr;
                        completed += whole;
                        t += whole * inferenceS / fr;
                        budget = limit - t;
                    }
                }

                double h, power;
                bool boundary;
                if (active)
                {
                    double remaining = segLeftS / fr;
                    boundary = remaining < budget;
                    h = boundary ? remaining : budget;
                    power = trace.Segments[seg].DynamicPowerW * vr * vr * fr;
                }
                else
                {
                    double wait = (completed / options.InferencesPerSecond) - t;
                    boundary = wait < budget;
                    h = boundary ? wait : budget;
                    power = thermal.IdlePowerW * vr * vr * fr;
                }

                if (aggregate)
                {
                    periodEnergyJ += power * h;
                }
                else if (h > 0 && !Step(h, power, vr))
                {
                    break;
                }

                t = boundary ? t + h : limit;
                if (active && boundary)
                {
                    doneS += segLeftS;
                    if (++seg == trace.Segments.Length)
                    {
                        seg = 0;
                        doneS = 0;
                        completed++;
                        active = !fixedRate || completed / options.InferencesPerSecond <= t;
                    }

                    segLeftS = trace.Segments[seg].DurationS;
                }
                else if (active)
                {
                    segLeftS -= h * fr;
                    doneS += h * fr;
                }
                else if (boundary)
                {
                    active = true;
                }
            }
            while (aggregate && t < limit);

            if (runaway is not null)
            {
                break;
            }

            if (aggregate && t > start)
            {
                // The step is taken from where the period began, so a runaway reports and ends at that time.
                double end = t;
                t = start;
                // Whole periods differ from the period only by rounding of tick * period; snapping them lets every
                // one reuse the model's cached step matrices instead of computing an exponential per period.
                double h = Math.Abs(end - start - period) <= 1e-9 * period ? period : end - start;
                if (!Step(h, periodEnergyJ / h, vr))
                {
                    break;
                }

                t = end;
            }

            if (double.IsNaN(halfWork) && t >= half)
            {
                halfWork = completed + (doneS / inferenceS);
            }

            if (t >= tick * period)
            {
                tick++;
                double junction = model.JunctionC;
                int next = junction >= thermal.ThrottleC && step < steps.Length - 1 ? step + 1
                    : junction <= thermal.ThrottleC - thermal.HysteresisC && step > 0 ? step - 1 : step;
                if (next != step)
                {
                    events.Add(new ThrottleEvent(t, junction, step, next));
                    step = next;
                }

                if (t >= nextSample || t >= duration)
                {
                    samples.Add(new ThermalSample(t, junction, sampleEnergy / (t - lastSampleT), step, steps[step].FrequencyMhz));
                    lastSampleT = t;
                    sampleEnergy = 0;
                    nextSample += sampleEvery * Math.Max(1, Math.Ceiling((t - nextSample) / sampleEvery));
                }
            }
        }

        double work = completed + (doneS / inferenceS);
        double nominalPower = trace.DynamicEnergyJ / inferenceS;
        if (fixedRate && inferenceS < 1 / options.InferencesPerSecond)
        {
            double idle = (1 / options.InferencesPerSecond) - inferenceS;
            nominalPower = (trace.DynamicEnergyJ + (thermal.IdlePowerW * idle)) * options.InferencesPerSecond;
        }

        return new ThermalRunResult
        {
            Status = runaway is null ? ThermalRunStatus.Completed : ThermalRunStatus.Runaway,
            Reason = runaway,
            EndTimeS = t,
            Samples = samples.ToImmutable(),
            ThrottleEvents = events.ToImmutable(),
            NominalSteadyState = model.SteadyState(nominalPower),
            PeakJunctionC = peak,
            FinalJunctionC = model.JunctionC,
            ExceededMaxJunction = peak > thermal.MaxJunctionC,
            InferencesCompleted = completed,
            AverageInferencesPerSecond = work / t,
            SustainedInferencesPerSecond = double.IsNaN(halfWork) ? 0 : (work - halfWork) / (t - half),
            DynamicEnergyJ = dynamicJ,
            LeakageEnergyJ = leakageJ,
            AmbientEnergyJ = ambientJ,
            StoredEnergyJ = model.StoredEnergyJ,
        };
    }
}
