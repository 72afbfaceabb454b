using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Mapping;

namespace SiliconSim.Simulation.Tests.Mapping;

/// <summary>
/// ONNX Runtime-quantized models (QDQ and QOperator) lowered as for an integer accelerator: every activation a matrix
/// layer reads or writes is stored at one byte per element (uint8/int8 codes), except where ORT's lowering leaves a
/// DequantizeLinear in front of a float Conv/MatMul (its int8-activation rule), or where dynamic quantization reads a
/// float: that operand is the float the graph computes with, four bytes per element.
/// </summary>
public sealed class Int8StorageTests
{
    public static TheoryData<string> Models()
    {
        var data = new TheoryData<string>();
        foreach (string dir in Directory.GetDirectories(SharedData.Digits).Where(d => Path.GetFileName(d).Contains("_q", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            data.Add(dir);
        }

        foreach (string dir in Directory.GetDirectories(Path.Combine(Repository.Root, "workloads", "zoo")).Where(d => Path.GetFileName(d).Contains("_q", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            data.Add(dir);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void MatrixLayerActivations_AreOneBytePerElement_UnlessTheGraphComputesInFloat(string model)
    {
        ModelGraph lowered = OrtCpuLowering.Lower(OnnxModelReader.Read(File.OpenRead(Path.Combine(model, "model.onnx"))));
        var shapes = LayerExtractorTests.Observe(lowered, batch: 2);
        var types = TypeInference.Infer(lowered);
        var producers = lowered.Nodes.SelectMany(n => n.Outputs.Select(o => (o, n))).GroupBy(p => p.o).ToDictionary(g => g.Key, g => g.First().n, StringComparer.Ordinal);
        var nodes = lowered.Nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        var layers = LayerExtractor.ExtractWithShapes(lowered, shapes).Layers.OfType<MatrixLayer>().ToList();
        Assert.NotEmpty(layers);

        int floatOperands = 0;
        foreach (MatrixLayer layer in layers)
        {
            Node node = nodes[layer.Name];
            string input = node.Inputs[0], output = node.Outputs[0];
            long inputElements = shapes[input].Aggregate(1L, (a, d) => a * d), outputElements = shapes[output].Aggregate(1L, (a, d) => a * d);
            if (types[input] == DataType.Float)
            {
                // Only floats the graph computes with are stored as fp32. In a QDQ model that is a DequantizeLinear's
                // output (through layout ops) that ORT left in front of a float op; a dynamically quantized model also
                // multiplies floats (attention) and hands DynamicQuantizeMatMul the float A it quantizes itself.
                string source = input;
                while (producers.TryGetValue(source, out Node? p) && p.OpType is "Transpose" or "Reshape" or "Squeeze" or "Unsqueeze" or "Flatten")
                {
                    source = p.Inputs[0];
                }

                Assert.True(!model.Contains("qdq", StringComparison.Ordinal) || producers[source].OpType == "DequantizeLinear",
                    $"{layer.Name} ({node.OpType}) reads float '{input}' made by {producers[source].OpType}");
                Assert.Equal(inputElements * 4, layer.InputBytes);
                floatOperands++;
            }
            else
            {
                Assert.True(types[input] is DataType.UInt8 or DataType.Int8, $"{layer.Name} reads {types[input]}");
                Assert.Equal(inputElements, layer.InputBytes);
            }

            long outputBytes = types[output] == DataType.Float ? outputElements * 4 : outputElements;
            Assert.Equal(outputBytes, layer.OutputBytes);
        }

        // The digits models lower to QLinearConv / QGemm throughout; float operands remain only in the zoo's QDQ and
        // dynamically quantized models.
        Assert.True(floatOperands == 0 || !model.Contains("digits", StringComparison.Ordinal), $"{floatOperands} float operands in {model}");
    }
}
