#!/bin/sh
# The co-simulation kernel: SiliconSim calls it with the layer's vector folder as its one argument.
# TESTBENCH names the compiled testbench (run.sh compiles it once).
exec vvp -n "$TESTBENCH" "+dir=$1"
