#:project ../tests/SiliconSim.TestSupport/SiliconSim.TestSupport.csproj

// Writes ONNX Runtime's intermediate tensors of a test case for `siliconsim validate CASE --trace-expect OUT_DIR`:
//   dotnet run tools/ort-tensor-dump.cs -- CASE_DIR OUT_DIR [TENSOR...]
// With no TENSOR, every tensor SiliconSim's lowered graph computes. Test tooling: it needs the ONNX Runtime package.
return SiliconSim.TestSupport.OrtTensorDump.Main(args, Console.Out, Console.Error);
