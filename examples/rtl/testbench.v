// Runs one quantized GEMM layer exported by SiliconSim through mac_array, as a weight-stationary accelerator would:
// for each group, each fold of COLS output channels and each fold of ROWS reduction indices, load the weight block,
// stream every GEMM row through the array (skewed), and add the column sums into the int32 accumulator buffer, which
// starts at the bias. Reads the folder SiliconSim wrote (+dir=PATH): gemm.txt (extents), operand.hex (im2col codes,
// [group, m, k]), weights.hex ([group, k, n]), w_zero_point.hex and bias.hex (int32 per output channel); writes
// accumulators.hex (int32, the layer output's layout [image, channel, pixel]).
`timescale 1ns/1ps
module testbench;
    parameter ROWS = 8, COLS = 8, ACC_BITS = 32;
    parameter MAX_A = 1 << 22, MAX_W = 1 << 20, MAX_C = 1 << 12, MAX_ACC = 1 << 22;

    reg clk = 0;
    reg load = 0;
    reg signed [ROWS*COLS*9-1:0] w_flat;
    reg signed [ROWS*9-1:0]      a_left;
    wire signed [COLS*ACC_BITS-1:0] p_bottom;
    mac_array #(.ROWS(ROWS), .COLS(COLS), .ACC_BITS(ACC_BITS)) dut (.clk(clk), .load(load), .w_flat(w_flat), .a_left(a_left), .p_bottom(p_bottom));

    reg [7:0]  a_mem [0:MAX_A-1];
    reg [7:0]  w_mem [0:MAX_W-1];
    reg [31:0] wzp_mem [0:MAX_C-1];
    reg [31:0] bias_mem [0:MAX_C-1];
    reg signed [ACC_BITS-1:0] acc [0:MAX_ACC-1];

    integer groups, m_rows, n_cols, k_len, plane, a_zp, a_signed, w_signed;
    integer g, n0, k0, r, c, t, i, k, n, img, p, fd, status, value;
    reg [8*256-1:0] dir;
    reg [8*32-1:0] key;
    reg signed [ACC_BITS-1:0] column_sum;
    reg signed [31:0] out_word;
    longint cycles;

    function signed [8:0] code(input [7:0] v, input integer is_signed);
        code = is_signed ? {v[7], v} : {1'b0, v};
    endfunction

    always #1 clk = ~clk;

    task read_gemm;
        begin
            fd = $fopen({dir, "/gemm.txt"}, "r");
            if (fd == 0) begin $display("testbench: cannot open %0s/gemm.txt", dir); $finish_and_return(2); end
            while (!$feof(fd)) begin
                status = $fscanf(fd, "%s %d\n", key, value);
                if (status == 2) begin
                    case (key)
                        "GROUPS": groups = value;
                        "M": m_rows = value;
                        "N": n_cols = value;
                        "K": k_len = value;
                        "PLANE": plane = value;
                        "A_ZERO_POINT": a_zp = value;
                        "A_SIGNED": a_signed = value;
                        "W_SIGNED": w_signed = value;
                        default: ;
                    endcase
                end
            end
            $fclose(fd);
        end
    endtask

    initial begin
        if (!$value$plusargs("dir=%s", dir)) begin $display("testbench: pass +dir=FOLDER"); $finish_and_return(2); end
        read_gemm;
        if (groups * m_rows * k_len > MAX_A || groups * k_len * n_cols > MAX_W || groups * n_cols > MAX_C || groups * m_rows * n_cols > MAX_ACC) begin
            $display("testbench: layer of %0d groups, M=%0d N=%0d K=%0d exceeds the buffers", groups, m_rows, n_cols, k_len); $finish_and_return(2);
        end
        $readmemh({dir, "/operand.hex"}, a_mem);
        $readmemh({dir, "/weights.hex"}, w_mem);
        $readmemh({dir, "/w_zero_point.hex"}, wzp_mem);
        $readmemh({dir, "/bias.hex"}, bias_mem);
        cycles = 0;
        for (g = 0; g < groups; g = g + 1)
            for (i = 0; i < m_rows; i = i + 1)
                for (n = 0; n < n_cols; n = n + 1)
                    acc[(g*m_rows + i)*n_cols + n] = bias_mem[g*n_cols + n];
        for (g = 0; g < groups; g = g + 1) begin
            for (n0 = 0; n0 < n_cols; n0 = n0 + COLS) begin
                for (k0 = 0; k0 < k_len; k0 = k0 + ROWS) begin
                    // Load the fold's weights, zero points subtracted; cells beyond the GEMM hold 0.
                    for (r = 0; r < ROWS; r = r + 1)
                        for (c = 0; c < COLS; c = c + 1)
                            w_flat[(r*COLS+c)*9 +: 9] = (k0 + r < k_len && n0 + c < n_cols)
                                ? code(w_mem[(g*k_len + k0 + r)*n_cols + n0 + c], w_signed) - $signed(wzp_mem[g*n_cols + n0 + c])
                                : 9'sd0;
                    a_left = 0;
                    load = 1; @(posedge clk); #0.1; load = 0;
                    // Stream the rows: row r of the array sees GEMM row t - r at cycle t.
                    for (t = 0; t < m_rows + ROWS + COLS; t = t + 1) begin
                        for (r = 0; r < ROWS; r = r + 1) begin
                            i = t - r;
                            a_left[r*9 +: 9] = (i >= 0 && i < m_rows && k0 + r < k_len)
                                ? code(a_mem[(g*m_rows + i)*k_len + k0 + r], a_signed) - a_zp
                                : 9'sd0;
                        end
                        @(posedge clk); #0.1;
                        cycles = cycles + 1;
                        // Column c's bottom now holds the sum for GEMM row t - c - (ROWS - 1).
                        for (c = 0; c < COLS; c = c + 1) begin
                            i = t - c - (ROWS - 1);
                            if (i >= 0 && i < m_rows && n0 + c < n_cols) begin
                                column_sum = p_bottom[c*ACC_BITS +: ACC_BITS];
                                acc[(g*m_rows + i)*n_cols + n0 + c] = acc[(g*m_rows + i)*n_cols + n0 + c] + column_sum;
                            end
                        end
                    end
                end
            end
        end
        fd = $fopen({dir, "/accumulators.hex"}, "w");
        for (img = 0; img < m_rows / plane; img = img + 1)
            for (g = 0; g < groups; g = g + 1)
                for (n = 0; n < n_cols; n = n + 1)
                    for (p = 0; p < plane; p = p + 1) begin
                        out_word = acc[(g*m_rows + img*plane + p)*n_cols + n];  // sign-extends a narrow accumulator
                        $fdisplay(fd, "%08x", out_word);
                    end
        $fclose(fd);
        $display("testbench: %0dx%0d weight-stationary array, ACC_BITS=%0d: %0d groups, M=%0d N=%0d K=%0d in %0d cycles",
                 ROWS, COLS, ACC_BITS, groups, m_rows, n_cols, k_len, cycles);
        $finish;
    end
endmodule
