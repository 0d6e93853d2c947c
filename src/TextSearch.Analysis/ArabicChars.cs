namespace TextSearch.Analysis;

/// <summary>The code points the rules name, called after their Unicode character names.</summary>
public static class ArabicChars
{
    public const char ArabicComma = '\u060C';
    public const char ArabicSemicolon = '\u061B';
    public const char ArabicLetterMark = '\u061C';
    public const char ArabicQuestionMark = '\u061F';

    public const char Hamza = '\u0621';
    public const char AlefWithMaddaAbove = '\u0622';
    public const char AlefWithHamzaAbove = '\u0623';
    public const char WawWithHamzaAbove = '\u0624';
    public const char AlefWithHamzaBelow = '\u0625';
    public const char YehWithHamzaAbove = '\u0626';
    public const char Alef = '\u0627';
    public const char Beh = '\u0628';
    public const char TehMarbuta = '\u0629';
    public const char Teh = '\u062A';
    public const char Tatweel = '\u0640';
    public const char Feh = '\u0641';
    public const char Kaf = '\u0643';
    public const char Lam = '\u0644';
    public const char Noon = '\u0646';
    public const char Heh = '\u0647';
    public const char Waw = '\u0648';
    public const char AlefMaksura = '\u0649';
    public const char Yeh = '\u064A';

    public const char Fathatan = '\u064B';
    public const char Fatha = '\u064E';
    public const char Kasra = '\u0650';
    public const char Shadda = '\u0651';
    public const char Sukun = '\u0652';
    public const char MaddahAbove = '\u0653';
    public const char HamzaAbove = '\u0654';
    public const char HamzaBelow = '\u0655';
    public const char LastHarakaOrMark = '\u065F';

    public const char ArabicIndicDigitZero = '\u0660';
    public const char ArabicIndicDigitNine = '\u0669';
    public const char ArabicDecimalSeparator = '\u066B';
    public const char ArabicThousandsSeparator = '\u066C';
    public const char SuperscriptAlef = '\u0670';
    public const char AlefWasla = '\u0671';
    public const char AlefWithWavyHamzaAbove = '\u0672';
    public const char AlefWithWavyHamzaBelow = '\u0673';
    public const char HighHamzaAlef = '\u0675';

    public const char Keheh = '\u06A9';
    public const char HehWithYehAbove = '\u06C0';
    public const char HehGoal = '\u06C1';
    public const char HehGoalWithHamzaAbove = '\u06C2';
    public const char FarsiYeh = '\u06CC';
    public const char YehBarree = '\u06D2';
    public const char YehBarreeWithHamzaAbove = '\u06D3';
    public const char Ae = '\u06D5';
    public const char FirstQuranicMark = '\u06D6';
    public const char LastQuranicMark = '\u06ED';
    public const char ExtendedArabicIndicDigitZero = '\u06F0';
    public const char ExtendedArabicIndicDigitNine = '\u06F9';

    public const char SmallHighLigatureSadWithLamWithAlefMaksura = '\u0610';
    public const char SmallKasra = '\u061A';

    public const char SoftHyphen = '\u00AD';
    public const char ZeroWidthSpace = '\u200B';
    public const char ZeroWidthNonJoiner = '\u200C';
    public const char ZeroWidthJoiner = '\u200D';
    public const char LeftToRightMark = '\u200E';
    public const char RightToLeftMark = '\u200F';
    public const char LeftToRightEmbedding = '\u202A';
    public const char RightToLeftOverride = '\u202E';
    public const char LeftToRightIsolate = '\u2066';
    public const char PopDirectionalIsolate = '\u2069';
    public const char ZeroWidthNoBreakSpace = '\uFEFF';

    /// <summary>The first code point of Arabic Presentation Forms-A (the presentation-forms rule runs from it to U+FFFF).</summary>
    public const char ArabicPresentationFormsAStart = '\uFB50';

    public const char LeftPointingDoubleAngleQuotationMark = '\u00AB';
    public const char RightPointingDoubleAngleQuotationMark = '\u00BB';

    /// <summary>True for U+0600-U+06FF, U+0750-U+077F, U+08A0-U+08FF and the presentation forms.</summary>
    public static bool IsArabic(char c) =>
        c is >= '\u0600' and <= '\u06FF' or >= '\u0750' and <= '\u077F' or >= '\u08A0' and <= '\u08FF'
            or >= '\uFB50' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFF';

    /// <summary>Harakat, tanween, superscript alef and Quranic annotation marks: the marks the diacritics rule removes.</summary>
    public static bool IsDiacritic(char c) =>
        c is >= SmallHighLigatureSadWithLamWithAlefMaksura and <= SmallKasra
            or >= Fathatan and <= LastHarakaOrMark
            or SuperscriptAlef
            or >= FirstQuranicMark and <= LastQuranicMark;

    /// <summary>Format characters that carry no letter: removed by the invisible-marks rule (ZWNJ is a word break instead).</summary>
    public static bool IsInvisibleMark(char c) =>
        c is ZeroWidthSpace or ZeroWidthJoiner or LeftToRightMark or RightToLeftMark
            or >= LeftToRightEmbedding and <= RightToLeftOverride
            or >= LeftToRightIsolate and <= PopDirectionalIsolate
            or ArabicLetterMark or ZeroWidthNoBreakSpace or SoftHyphen;

    /// <summary>Combining madda or hamza that composes with a preceding letter (canonical composition).</summary>
    public static bool IsCombiningHamzaOrMadda(char c) => c is >= MaddahAbove and <= HamzaBelow;
}
