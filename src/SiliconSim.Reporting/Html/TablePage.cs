namespace SiliconSim.Reporting.Html;

/// <summary>
/// A self-contained HTML page of titled tables and inline SVG charts, for reports that are a table of outcomes rather
/// than one run (<c>siliconsim compare</c>).
/// </summary>
public static class TablePage
{
    /// <summary>One table: its heading, column headers and rows of already formatted cells.</summary>
    public sealed record Table(string Heading, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);

    public static void Write(string title, IReadOnlyList<Table> tables, IReadOnlyList<RenderedChart> charts, TextWriter w)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(charts);
        ArgumentNullException.ThrowIfNull(w);
        w.WriteLine("<!DOCTYPE html>");
        w.WriteLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        w.WriteLine($"<title>SiliconSim: {E(title)}</title>");
        w.WriteLine("<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;font-size:0.9em}"
            + "td,th{border:1px solid #ccc;padding:2px 6px}td{text-align:right;font-variant-numeric:tabular-nums}"
            + "td:first-child{text-align:left}figure{margin:1.5em 0}figure svg{max-width:100%;height:auto}</style>");
        w.WriteLine("</head><body>");
        w.WriteLine($"<h1>{E(title)}</h1>");
        foreach (Table t in tables)
        {
            w.WriteLine($"<h2>{E(t.Heading)}</h2><table><tr>{string.Concat(t.Columns.Select(c => $"<th>{E(c)}</th>"))}</tr>");
            foreach (IReadOnlyList<string> row in t.Rows)
            {
                w.WriteLine($"<tr>{string.Concat(row.Select(c => $"<td>{E(c)}</td>"))}</tr>");
            }

            w.WriteLine("</table>");
        }

        foreach (RenderedChart c in charts)
        {
            w.WriteLine($"<figure id=\"{E(c.FileStem)}\"><figcaption>{E(c.Title)}</figcaption>");
            w.WriteLine(HtmlReport.InlineSvg(c.Svg));
            w.WriteLine("</figure>");
        }

        w.WriteLine("</body></html>");
    }

    private static string E(string? text) => HtmlReport.E(text);
}
