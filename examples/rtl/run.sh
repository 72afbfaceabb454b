#!/usr/bin/env bash
# Co-simulates the first convolution of the digits CNN on the Verilog MAC array in this folder (Icarus Verilog):
# SiliconSim runs the model and hands layer /f/f.0/Conv to the testbench through --kernel; exit 0 only when every
# accumulator and output bit matches SiliconSim's (bit-exact with ONNX Runtime).
#   bash examples/rtl/run.sh            the array as designed (32-bit accumulators)
#   bash examples/rtl/run.sh --faulty   a seeded defect: accumulators narrowed to 16 bits (they wrap); exits non-zero
# SILICONSIM may name the CLI (e.g. "dotnet path/to/siliconsim.dll"); default: dotnet run on src/SiliconSim.Cli.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
acc_bits=32
case "${1:-}" in
    "") ;;
    --faulty) acc_bits=16 ;;
    *) echo "usage: bash examples/rtl/run.sh [--faulty]" >&2; exit 2 ;;
esac
for tool in iverilog vvp; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool not found (Debian: apt-get install iverilog)" >&2; exit 2; }
done
siliconsim=${SILICONSIM:-"dotnet run --project $repo/src/SiliconSim.Cli --"}
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
iverilog -g2012 -Wall -o "$build/testbench.vvp" -P testbench.ACC_BITS="$acc_bits" "$here/mac_array.v" "$here/testbench.v"
export TESTBENCH="$build/testbench.vvp"
set +e
$siliconsim run --model "$repo/workloads/digits/digits_cnn_qdq_s8s8_channel" --config edge-npu --thermal-seconds 0 \
    --out "$build/report" --kernel "/f/f.0/Conv=sh $here/kernel.sh"
status=$?
set -e
echo "run.sh: ACC_BITS=$acc_bits, siliconsim exit code $status"
exit "$status"
