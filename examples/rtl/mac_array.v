// A weight-stationary systolic array of ROWS x COLS int8 multiply-accumulate cells.
//
// Each cell holds one weight (already minus its zero point: 9-bit signed). Activations (minus their zero point,
// 9-bit signed) enter at the left edge, one per row, and move one cell right per cycle; partial sums enter at the top
// as zero and move one cell down per cycle, each cell adding activation x weight. Row r of the array therefore carries
// reduction index k0 + r and column c output channel n0 + c: the operand for GEMM row i must enter row r at cycle
// i + r (skewed), and column c's bottom sum for GEMM row i leaves at cycle i + c + ROWS - 1.
//
// Partial sums are ACC_BITS wide and wrap (two's complement) like the int32 accumulators of ONNX Runtime when
// ACC_BITS = 32. The requantizer is not in the array: the testbench returns the int32 accumulators and SiliconSim
// requantizes them with the configured requantizer (fp32 as ONNX Runtime, or fixed-point).
module mac_pe #(parameter ACC_BITS = 32) (
    input  wire                       clk,
    input  wire                       load,      // latch w_in as this cell's weight
    input  wire signed [8:0]          w_in,
    input  wire signed [8:0]          a_in,      // from the left neighbour (or the left edge)
    input  wire signed [ACC_BITS-1:0] p_in,      // from the upper neighbour (or zero at the top edge)
    output reg  signed [8:0]          a_out,
    output reg  signed [ACC_BITS-1:0] p_out
);
    reg signed [8:0] w;
    wire signed [17:0] product = a_in * w;       // exact: 9-bit x 9-bit
    always @(posedge clk) begin
        if (load) w <= w_in;
        a_out <= a_in;
        p_out <= p_in + product;                // signed: extended (or cut) to ACC_BITS, then wraps
    end
endmodule

module mac_array #(parameter ROWS = 8, COLS = 8, ACC_BITS = 32) (
    input  wire                             clk,
    input  wire                             load,
    input  wire signed [ROWS*COLS*9-1:0]    w_flat,   // cell (r, c) at bits [(r*COLS+c)*9 +: 9]
    input  wire signed [ROWS*9-1:0]         a_left,   // row r at bits [r*9 +: 9]
    output wire signed [COLS*ACC_BITS-1:0]  p_bottom  // column c at bits [c*ACC_BITS +: ACC_BITS]
);
    wire signed [8:0]          a_wire [0:ROWS-1][0:COLS];
    wire signed [ACC_BITS-1:0] p_wire [0:ROWS][0:COLS-1];
    genvar r, c;
    generate
        for (r = 0; r < ROWS; r = r + 1) begin : left_edge
            assign a_wire[r][0] = a_left[r*9 +: 9];
        end
        for (c = 0; c < COLS; c = c + 1) begin : edges
            assign p_wire[0][c] = {ACC_BITS{1'b0}};
            assign p_bottom[c*ACC_BITS +: ACC_BITS] = p_wire[ROWS][c];
        end
        for (r = 0; r < ROWS; r = r + 1) begin : row
            for (c = 0; c < COLS; c = c + 1) begin : col
                mac_pe #(.ACC_BITS(ACC_BITS)) pe (
                    .clk(clk), .load(load), .w_in(w_flat[(r*COLS+c)*9 +: 9]),
                    .a_in(a_wire[r][c]), .p_in(p_wire[r][c]),
                    .a_out(a_wire[r][c+1]), .p_out(p_wire[r+1][c]));
            end
        end
    endgenerate
endmodule
