using System.CommandLine;
using SiliconSim.Cli.Io;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Quantization;
using SiliconSim.Numerics;

namespace SiliconSim.Cli.Commands;

/// <summary>
/// `siliconsim quantize --model FP32.onnx --calib X.npy --format int8 [--per-channel] [--calibration ...] [--qop]
/// --out Q.onnx`: static post-training quantization with ONNX Runtime's quantize_static structure and arithmetic
/// (<see cref="StaticQuantizer"/>), written as a standard ONNX model.
/// </summary>
internal static class QuantizeCommand
{
    /// <summary>The formats the command knows; the low-precision ones are named so the error lists them.</summary>
    private static readonly string[] s_formats = ["int8", "fp8", "mxfp4", "nvfp4"];

    public static Command Create(TextWriter stdout)
    {
        var model = new Option<string>("--model") { Description = "The float32 .onnx model to quantize.", Required = true };
        var calib = new Option<string>("--calib") { Description = "Calibration inputs (.npy or .pb) with the model input's shape; all of it is one calibration batch.", Required = true };
        var format = new Option<string>("--format") { Description = "int8 (ORT quantize_static QDQ/QOperator), or opset-23 QDQ: fp8 (FLOAT8E4M3FN weights per output channel, activations per tensor), mxfp4 (FLOAT4E2M1 weights in 32-blocks with power-of-two scales, float32 activations the array converts), nvfp4 (FLOAT4E2M1 weights in 16-blocks, e4m3 x fp32 scales; activations as TensorRT's NVFP4 quantizer with calibrated tensor scales).", DefaultValueFactory = _ => "int8" };
        var perChannel = new Option<bool>("--per-channel") { Description = "Per-channel weight scales with int8 activations (ORT's s8s8 per-channel recipe); default per-tensor with uint8 activations (ORT's u8s8 default)." };
        var calibration = new Option<string>("--calibration") { Description = "Activation range calibration: minmax (ORT's default), percentile or entropy.", DefaultValueFactory = _ => "minmax" };
        var qop = new Option<bool>("--qop") { Description = "QOperator form (QLinearConv, QLinearMatMul, ...) instead of QDQ." };
        var output = new Option<string>("--out") { Description = "Where to write the quantized .onnx model.", Required = true };
        var command = new Command("quantize", "Quantize a float32 ONNX model with calibration data, as ONNX Runtime's quantize_static does.")
        {
            model, calib, format, perChannel, calibration, qop, output,
        };
        command.SetAction(parse =>
        {
            string formatName = parse.GetValue(format)!;
            if (!s_formats.Contains(formatName, StringComparer.Ordinal))
            {
                throw new UserInputException("--format", $"unknown format '{formatName}'; expected {string.Join(", ", s_formats)}");
            }

            CalibrationMethod method = parse.GetValue(calibration) switch
            {
                "minmax" => CalibrationMethod.MinMax,
                "percentile" => CalibrationMethod.Percentile,
                "entropy" => CalibrationMethod.Entropy,
                var other => throw new UserInputException("--calibration", $"unknown calibration method '{other}'; expected minmax, percentile or entropy"),
            };

            string modelPath = parse.GetValue(model)!, calibPath = parse.GetValue(calib)!, outPath = parse.GetValue(output)!;
            OutputFolder.PrepareFile(outPath, "--out");
            ModelGraph fp32 = ModelFiles.LoadModel(modelPath);
            ValueInfo input = CheckFloatModel(modelPath, fp32);
            TensorValue x = ModelFiles.LoadTensor(calibPath);
            CheckCalibration(calibPath, input, x);

            bool channel = parse.GetValue(perChannel);
            if (formatName != "int8")
            {
                if (channel || parse.GetValue(qop))
                {
                    throw new UserInputException(channel ? "--per-channel" : "--qop", $"applies to --format int8 only; {formatName} weights are always per channel or per block");
                }

                // fp8 quantizes activations per tensor from the calibration data, nvfp4 calibrates their static tensor
                // scale (the block scales follow the values); mxfp4 leaves activations to the hardware's per-block
                // conversion (see LowPrecisionQuantizer).
                var lowPrecision = formatName switch
                {
                    "fp8" => LowPrecisionFormat.Fp8E4M3Fn,
                    "mxfp4" => LowPrecisionFormat.MxFp4,
                    _ => LowPrecisionFormat.NvFp4,
                };
                ModelGraph weights = LowPrecisionQuantizer.Quantize(fp32, lowPrecision, [new Dictionary<string, TensorValue>(StringComparer.Ordinal) { [input.Name] = x }]);
                // ONNX IR version 11 (onnx 1.18) is the first that admits FLOAT4E2M1 tensors.
                Write(outPath, OnnxModelWriter.ToBytes(weights, irVersion: 11));
                string activations = lowPrecision switch
                {
                    LowPrecisionFormat.Fp8E4M3Fn => "fp8 activations per tensor",
                    LowPrecisionFormat.NvFp4 => "nvfp4 activations with calibrated tensor scales",
                    _ => "float32 activations",
                };
                stdout.WriteLine($"quantized '{modelPath}' weights to {formatName} (opset {LowPrecisionQuantizer.Opset} QDQ, {activations}): '{outPath}' ({weights.Nodes.Length} nodes)");
                return CliApp.Success;
            }

            var options = new QuantizerOptions
            {
                Format = parse.GetValue(qop) ? QuantFormat.QOperator : QuantFormat.Qdq,
                // ORT's documented recipes: u8s8 per tensor is quantize_static's default; per channel the digits
                // cases (and ORT's guidance for VNNI) use s8s8.
                ActivationType = channel ? DataType.Int8 : DataType.UInt8,
                WeightType = DataType.Int8,
                PerChannel = channel,
                Calibration = method,
            };
            ModelGraph quantized = StaticQuantizer.Quantize(fp32, [new Dictionary<string, TensorValue>(StringComparer.Ordinal) { [input.Name] = x }], options);
            Write(outPath, OnnxModelWriter.ToBytes(quantized));
            stdout.WriteLine($"quantized '{modelPath}' ({fp32.Nodes.Length} nodes) to {formatName} {(options.Format == QuantFormat.Qdq ? "QDQ" : "QOperator")} " +
                $"({(channel ? "s8s8 per channel" : "u8s8 per tensor")}, {parse.GetValue(calibration)} calibration over {x.Shape[0]} samples): '{outPath}' ({quantized.Nodes.Length} nodes)");
            return CliApp.Success;
        });
        return command;
    }

    /// <summary>The model's one float32 input; a model with other inputs, or one already quantized, is refused.</summary>
    /// <exception cref="UserInputException">the model is not a one-input float32 model.</exception>
    internal static ValueInfo CheckFloatModel(string path, ModelGraph graph)
    {
        var inputs = graph.RuntimeInputs.ToList();
        if (inputs.Count != 1)
        {
            throw new UserInputException(path, $"the model has {inputs.Count} inputs; quantize calibrates models with exactly one input");
        }

        ValueInfo input = inputs[0];
        if (input.Type != DataType.Float)
        {
            throw new UserInputException(path, $"not a float32 model: input '{input.Name}' is {DataTypeInfo.Name(input.Type)}");
        }

        Node? quantized = graph.Nodes.FirstOrDefault(n => n.OpType is "QuantizeLinear" or "DequantizeLinear" or "DynamicQuantizeLinear" || n.OpType.StartsWith("QLinear", StringComparison.Ordinal) || n.OpType.EndsWith("Integer", StringComparison.Ordinal));
        if (quantized is not null)
        {
            throw new UserInputException(path, $"not a float32 model: it is already quantized (node '{quantized.Name}' is {quantized.OpType})");
        }

        var floatOutputs = graph.Outputs.Where(o => o.Type != DataType.Float).Select(o => o.Name).ToList();
        if (floatOutputs.Count > 0)
        {
            throw new UserInputException(path, $"not a float32 model: output '{floatOutputs[0]}' is not float32");
        }

        return input;
    }

    private static void CheckCalibration(string path, ValueInfo input, TensorValue x)
    {
        string expected = input.DimsText;
        string actual = "[" + string.Join(',', x.Shape) + "]";
        if (x.Type != DataType.Float)
        {
            throw new UserInputException(path, $"calibration data is {DataTypeInfo.Name(x.Type)}{actual}, but model input '{input.Name}' is float32{expected}");
        }

        bool matches = x.Shape.Length == input.Dims.Length && x.Shape.Length > 0
            && input.Dims.Select((d, i) => d is null || d == x.Shape[i]).All(ok => ok);
        if (!matches)
        {
            throw new UserInputException(path, $"calibration data has shape {actual}, but model input '{input.Name}' has shape {expected}");
        }

        CheckSamples(path, "calibration data", x);
    }

    /// <summary>
    /// Data a quantizer or classifier reads must hold at least one sample and only finite values: an empty set has no
    /// range to calibrate (and no accuracy), and one NaN makes every min/max and histogram NaN.
    /// </summary>
    /// <exception cref="UserInputException">the data is empty or holds a NaN or infinity.</exception>
    internal static void CheckSamples(string path, string what, TensorValue x)
    {
        if (x.Length == 0)
        {
            throw new UserInputException(path, $"{what} is empty (shape {ShapeMath.Format(x.Shape.ToArray())}); give at least one sample");
        }

        for (int i = 0; i < x.Length; i++)
        {
            double v = TensorComparison.ToDouble(x, i);
            if (!double.IsFinite(v))
            {
                throw new UserInputException(path, $"{what} holds {v.ToString(System.Globalization.CultureInfo.InvariantCulture)} at element {i}; every value must be finite");
            }
        }
    }

    private static void Write(string path, byte[] bytes)
    {
        try
        {
            File.WriteAllBytes(path, bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException(path, $"cannot be written ({e.Message})");
        }
    }
}
