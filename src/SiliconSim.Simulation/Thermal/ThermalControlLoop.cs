using System.Collections.Immutable;
using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;
using SiliconSim.Hardware.Thermal;

namespace SiliconSim.Simulation.Thermal;

/// <summary>
/// One <see cref="ThermalSimulation"/> run: the control loop and its named steps (the power of each piece, the walk
/// along the trace, the mean-power step of a short-inference period, the governor and the sampling), with the run's
/// mutable state as fields. Used once.
/// </summary>
internal sealed class ThermalControlLoop
{
    private readonly ThermalSpec _thermal;
    private readonly double _clockMhz;
    private readonly double _supplyVoltageV;
    private readonly InferencePowerTrace _trace;
    private readonly ThermalRunOptions _options;
    private readonly bool _fixedRate;
    private readonly ImmutableArray<DvfsStep> _steps;
    private readonly ThermalModel _model;
    private readonly double _period;
    private readonly double _sampleEvery;
    private readonly double _duration;
    private readonly double _half;
    private readonly double _inferenceS;
    private readonly double _inferenceJ;
    private readonly ImmutableArray<ThermalSample>.Builder _samples = ImmutableArray.CreateBuilder<ThermalSample>();
    private readonly ImmutableArray<ThrottleEvent>.Builder _events = ImmutableArray.CreateBuilder<ThrottleEvent>();

    // Where the run is: the DVFS step, the governor tick, the time, and the position in the trace (segment, time left
    // in it and done of this inference, both at nominal speed); inactive is a fixed-rate run waiting for its release.
    private int _step;
    private long _tick = 1;
    private double _t;
    private int _seg;
    private double _segLeftS;
    private double _doneS;
    private long _completed;
    private bool _active = true;

    // Sampling, totals and the outcome.
    private double _nextSample;
    private double _lastSampleT;
    private double _sampleEnergy;
    private double _dynamicJ;
    private double _leakageJ;
    private double _ambientJ;
    private double _peak;
    private double _halfWork = double.NaN;
    private string? _runaway;

    public ThermalControlLoop(ThermalSpec thermal, LeakageModel leakage, double clockMhz, InferencePowerTrace trace, ThermalRunOptions options)
    {
        _thermal = thermal;
        _clockMhz = clockMhz;
        _supplyVoltageV = leakage.NominalVoltageV;
        _trace = trace;
        _options = options;
        _fixedRate = options.Workload == ThermalWorkload.FixedRate;
        _steps = thermal.StepsOrNominal(clockMhz, _supplyVoltageV);
        _model = new ThermalModel(thermal, leakage);
        _period = thermal.ControlPeriodMs * 1e-3;
        _sampleEvery = options.SampleIntervalS > 0 ? options.SampleIntervalS : _period;
        _duration = options.DurationS;
        _half = _duration / 2;
        _inferenceS = trace.DurationS;
        _inferenceJ = trace.DynamicEnergyJ;
        _samples.Add(new ThermalSample(0, _model.JunctionC, 0, 0, _steps[0].FrequencyMhz));
        _segLeftS = trace.Segments[0].DurationS;
        _nextSample = _sampleEvery;
        _peak = _model.JunctionC;
    }

    /// <summary>The control loop: walk to the next governor tick (or the half-way mark, or the end), then govern and sample.</summary>
    public ThermalRunResult Run()
    {
        while (_t < _duration)
        {
            double limit = Math.Min(_tick * _period, _duration);
            if (double.IsNaN(_halfWork))
            {
                limit = Math.Min(limit, _half);
            }

            double fr = _steps[_step].FrequencyMhz / _clockMhz, vr = _steps[_step].VoltageV / _supplyVoltageV;

            // Inferences shorter than a control period repeat within it, and stepping the network per layer would cost
            // period / inference steps per period (millions for a 600 s run of a millisecond model) for a ripple the
            // governor never sees; such periods take one exact step at their mean power instead.
            bool aggregate = _inferenceS / fr < _period;
            double start = _t, periodEnergyJ = 0;
            if (!WalkTo(limit, fr, vr, aggregate, ref periodEnergyJ))
            {
                break;
            }

            if (aggregate && _t > start && !StepPeriodAtMeanPower(start, periodEnergyJ, vr))
            {
                break;
            }

            if (double.IsNaN(_halfWork) && _t >= _half)
            {
                _halfWork = _completed + (_doneS / _inferenceS);
            }

            if (_t >= _tick * _period)
            {
                _tick++;
                double junction = _model.JunctionC;
                Govern(junction);
                if (_t >= _nextSample || _t >= _duration)
                {
                    Sample(junction);
                }
            }
        }

        return Result();
    }

    // Walks the trace piece by piece up to the limit: stepping the network per piece, or (aggregate) only adding up the
    // period's energy. False on runaway.
    private bool WalkTo(double limit, double fr, double vr, bool aggregate, ref double periodEnergyJ)
    {
        do
        {
            double budget = limit - _t;
            if (aggregate && _active && !_fixedRate && _seg == 0 && _doneS == 0)
            {
                budget = SkipWholeInferences(limit, budget, fr, vr, ref periodEnergyJ);
            }

            (double h, double power, bool boundary) = NextPiece(budget, fr, vr);
            if (aggregate)
            {
                periodEnergyJ += power * h;
            }
            else if (h > 0 && !Advance(h, power, vr))
            {
                return false;
            }

            MoveAlong(h, boundary, limit, fr);
        }
        while (aggregate && _t < limit);
        return true;
    }

    // Whole inferences in bulk; one is left to the piecewise walk so rounding never overshoots the limit. Returns the
    // budget left.
    private double SkipWholeInferences(double limit, double budget, double fr, double vr, ref double periodEnergyJ)
    {
        long whole = (long)Math.Floor(budget * fr / _inferenceS) - 1;
        if (whole > 0)
        {
            periodEnergyJ += whole * _inferenceJ * vr * vr;
            _completed += whole;
            _t += whole * _inferenceS / fr;
            budget = limit - _t;
        }

        return budget;
    }

    // The next constant-power piece within the budget: the rest of the current segment at its power scaled to the
    // step ((V/V0)²·f/f0), or the wait for a fixed-rate release at idle power; boundary when the piece ends there.
    // (During an inference the always-on idle power is part of the trace's own energy, InferenceThermal.)
    private (double H, double Power, bool Boundary) NextPiece(double budget, double fr, double vr)
    {
        if (_active)
        {
            double remaining = _segLeftS / fr;
            bool boundary = remaining < budget;
            return (boundary ? remaining : budget, _trace.Segments[_seg].DynamicPowerW * vr * vr * fr, boundary);
        }

        double wait = (_completed / _options.InferencesPerSecond) - _t;
        bool released = wait < budget;
        return (released ? wait : budget, _thermal.IdlePowerW * vr * vr * fr, released);
    }

    // Moves the clock past the piece and the trace position along: to the next segment (and inference) at a boundary,
    // part way through the segment otherwise; a waiting fixed-rate run becomes active at its release.
    private void MoveAlong(double h, bool boundary, double limit, double fr)
    {
        _t = boundary ? _t + h : limit;
        if (_active && boundary)
        {
            _doneS += _segLeftS;
            if (++_seg == _trace.Segments.Length)
            {
                _seg = 0;
                _doneS = 0;
                _completed++;
                _active = !_fixedRate || _completed / _options.InferencesPerSecond <= _t;
            }

            _segLeftS = _trace.Segments[_seg].DurationS;
        }
        else if (_active)
        {
            _segLeftS -= h * fr;
            _doneS += h * fr;
        }
        else if (boundary)
        {
            _active = true;
        }
    }

    // The aggregated period as one step at its mean power. The step is taken from where the period began, so a runaway
    // reports and ends at that time. False on runaway.
    private bool StepPeriodAtMeanPower(double start, double periodEnergyJ, double vr)
    {
        double end = _t;
        _t = start;
        // Whole periods differ from the period only by rounding of tick * period; snapping them lets every
        // one reuse the model's cached step matrices instead of computing an exponential per period.
        double h = Math.Abs(end - start - _period) <= 1e-9 * _period ? _period : end - start;
        if (!Advance(h, periodEnergyJ / h, vr))
        {
            return false;
        }

        _t = end;
        return true;
    }

    // Advances the network by one constant-power piece and adds up its energy; false (with the reason set) on runaway.
    private bool Advance(double h, double power, double vr)
    {
        ThermalStepResult r = _model.Advance(h, power, vr * _supplyVoltageV);
        if (!r.Converged)
        {
            _runaway = $"thermal runaway at t = {_t:G6} s: leakage feedback has no fixed point or the junction passed {ThermalModel.RunawayLimitC} degC";
            return false;
        }

        _dynamicJ += power * h;
        _leakageJ += r.LeakagePowerW * h;
        _ambientJ += r.EnergyToAmbientJ;
        _sampleEnergy += r.EnergyInJ;
        _peak = Math.Max(_peak, Math.Max(_model.JunctionC, r.MeanJunctionC));
        return true;
    }

    // The governor: one step down at or above throttle_c, one step up at or below throttle_c − hysteresis_c.
    private void Govern(double junction)
    {
        int next = junction >= _thermal.ThrottleC && _step < _steps.Length - 1 ? _step + 1
            : junction <= _thermal.ThrottleC - _thermal.HysteresisC && _step > 0 ? _step - 1 : _step;
        if (next != _step)
        {
            _events.Add(new ThrottleEvent(_t, junction, _step, next));
            _step = next;
        }
    }

    // A sample with the mean input power since the last one; the next sample time skips any intervals already passed.
    private void Sample(double junction)
    {
        _samples.Add(new ThermalSample(_t, junction, _sampleEnergy / (_t - _lastSampleT), _step, _steps[_step].FrequencyMhz));
        _lastSampleT = _t;
        _sampleEnergy = 0;
        _nextSample += _sampleEvery * Math.Max(1, Math.Ceiling((_t - _nextSample) / _sampleEvery));
    }

    private ThermalRunResult Result()
    {
        double work = _completed + (_doneS / _inferenceS);
        double nominalPower = _trace.DynamicEnergyJ / _inferenceS;
        if (_fixedRate && _inferenceS < 1 / _options.InferencesPerSecond)
        {
            double idle = (1 / _options.InferencesPerSecond) - _inferenceS;
            nominalPower = (_trace.DynamicEnergyJ + (_thermal.IdlePowerW * idle)) * _options.InferencesPerSecond;
        }

        return new ThermalRunResult
        {
            Status = _runaway is null ? ThermalRunStatus.Completed : ThermalRunStatus.Runaway,
            Reason = _runaway,
            EndTimeS = _t,
            Samples = _samples.ToImmutable(),
            ThrottleEvents = _events.ToImmutable(),
            NominalSteadyState = _model.SteadyState(nominalPower),
            PeakJunctionC = _peak,
            FinalJunctionC = _model.JunctionC,
            ExceededMaxJunction = _peak > _thermal.MaxJunctionC,
            InferencesCompleted = _completed,
            AverageInferencesPerSecond = work / _t,
            SustainedInferencesPerSecond = double.IsNaN(_halfWork) ? 0 : (work - _halfWork) / (_t - _half),
            DynamicEnergyJ = _dynamicJ,
            LeakageEnergyJ = _leakageJ,
            AmbientEnergyJ = _ambientJ,
            StoredEnergyJ = _model.StoredEnergyJ,
        };
    }
}
