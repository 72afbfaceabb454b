namespace SiliconSim.Reporting;

/// <summary>A chart rendered for a report: its file stem (<c>stem.png</c>, <c>stem.svg</c>), title and SVG markup.</summary>
public sealed record RenderedChart(string FileStem, string Title, string Svg);
