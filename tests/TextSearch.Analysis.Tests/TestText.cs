using System.Globalization;
using System.Text;

namespace TextSearch.Analysis.Tests;

/// <summary>Helpers for readable failure messages on text that is mostly invisible marks and right-to-left letters.</summary>
internal static class TestText
{
    /// <summary>The text with every non-ASCII or control character written as \uXXXX.</summary>
    public static string Escape(string s)
    {
        var sb = new StringBuilder(s.Length * 2);
        foreach (var c in s)
        {
            if (c is >= ' ' and < '\u007F')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    /// <summary>Asserts equality, showing both sides escaped (and the case name) when they differ.</summary>
    public static void AssertSameText(string expected, string actual, string? because = null)
    {
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            Assert.Fail($"{because}{(because is null ? "" : ": ")}expected \"{Escape(expected)}\" but got \"{Escape(actual)}\"");
        }
    }
}
