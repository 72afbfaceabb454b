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
        HtmlReport.WriteHead(w, title);
        foreach (Table t in tables)
        {
            w.WriteLine($"<h2>{E(t.Heading)}</h2><table><tr>{string.Concat(t.Columns.Select(c => $"<th>{E(c)}</th>"))}</tr>");
            foreach (IReadOnlyList<string> row in t.Rows)
            {
                w.WriteLine($"<tr>{string.Concat(row.Select((c, i) => i == 0 ? $"<td>{E(c)}</td>" : $"<td class=\"n\">{E(c)}</td>"))}</tr>");
            }

            w.WriteLine("</table>");
        }

        HtmlReport.WriteFigures(w, charts);
        w.WriteLine("</body></html>");
    }

    private static string E(string? text) => HtmlReport.E(text);
}
