using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation.Layers;

namespace SiliconSim.Simulation.Timing;

/// <summary>
/// How one GEMM maps onto an R x C array under a dataflow, in SCALE-Sim's terms: <see cref="RowsDim"/> (Sr) is spread over
/// the array's rows, <see cref="ColsDim"/> (Sc) over its columns, and <see cref="StreamDim"/> (T) is streamed in time.
/// <c>os</c>: Sr = M, Sc = N, T = K. <c>ws</c>: Sr = K, Sc = N, T = M. <c>is</c>: Sr = K, Sc = M, T = N
/// (SCALE-Sim v2, scalesim/topology_utils.py, calc_spatio_temporal_params).
/// </summary>
public sealed record FoldMapping(Dataflow Dataflow, int ArrayRows, int ArrayCols, long RowsDim, long ColsDim, long StreamDim)
{
    /// <summary>ceil(Sr / R): folds along the array's rows.</summary>
    public long RowFolds => RowsDim == 0 ? 0 : ((RowsDim - 1) / ArrayRows) + 1;

    /// <summary>ceil(Sc / C): folds along the array's columns.</summary>
    public long ColFolds => ColsDim == 0 ? 0 : ((ColsDim - 1) / ArrayCols) + 1;

    /// <summary>Row folds x column folds: the array is loaded this many times per GEMM.</summary>
    public long Folds => StreamDim == 0 ? 0 : RowFolds * ColFolds;

    /// <summary>Rows used by the last row fold (R when Sr is a multiple of R).</summary>
    public int LastFoldRows => (int)(RowsDim - ((RowFolds - 1) * ArrayRows));

    /// <summary>Columns used by the last column fold.</summary>
    public int LastFoldCols => (int)(ColsDim - ((ColFolds - 1) * ArrayCols));

    /// <summary>Maps <paramref name="gemm"/> onto an <paramref name="rows"/> x <paramref name="cols"/> array.</summary>
    public static FoldMapping Create(GemmShape gemm, Dataflow dataflow, int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, 1);
        if (gemm.M < 0 || gemm.N < 0 || gemm.K < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(gemm), gemm, "GEMM dimensions must be non-negative");
        }

        return dataflow switch
        {
            Dataflow.OutputStationary => new FoldMapping(dataflow, rows, cols, gemm.M, gemm.N, gemm.K),
            Dataflow.WeightStationary => new FoldMapping(dataflow, rows, cols, gemm.K, gemm.N, gemm.M),
            Dataflow.InputStationary => new FoldMapping(dataflow, rows, cols, gemm.K, gemm.M, gemm.N),
            _ => throw new ArgumentOutOfRangeException(nameof(dataflow), dataflow, "unknown dataflow"),
        };
    }
}
