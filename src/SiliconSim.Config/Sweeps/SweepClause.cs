using System.Globalization;
using SiliconSim.Config.Diagnostics;

namespace SiliconSim.Config.Sweeps;

/// <summary>
/// One constraint clause, <c>QUANTITY OP NUMBER</c>, where the quantity is a numeric config path or a derived
/// quantity (<see cref="SweepQuantities"/>). A constraint is clauses joined by <c>and</c>; a point failing one is
/// dropped with the constraint's text as the reason.
/// </summary>
public sealed record SweepClause(string Quantity, string Operator, double Value, SourceLocation Location)
{
    /// <summary>Whether <paramref name="actual"/> satisfies the clause.</summary>
    public bool Holds(double actual) => Operator switch
    {
        "<" => actual < Value,
        "<=" => actual <= Value,
        ">" => actual > Value,
        ">=" => actual >= Value,
        "==" => actual == Value,
        "!=" => actual != Value,
        _ => throw new InvalidOperationException($"unknown operator {Operator}"),
    };

    /// <inheritdoc/>
    public override string ToString() => $"{Quantity} {Operator} {Value.ToString("R", CultureInfo.InvariantCulture)}";
}
