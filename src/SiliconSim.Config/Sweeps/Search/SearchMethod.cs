namespace SiliconSim.Config.Sweeps.Search;

/// <summary>How a sweep with <c>search:</c> picks its points from the grid of its axes.</summary>
public enum SearchMethod
{
    /// <summary>Distinct points drawn uniformly from the grid, all in one generation.</summary>
    Random,

    /// <summary>A Latin hypercube over the axes' value indices (every axis's range covered evenly), one generation.</summary>
    LatinHypercube,

    /// <summary>NSGA-II (Deb et al. 2002): generations of offspring selected by non-dominated rank and crowding distance.</summary>
    Nsga2,
}
