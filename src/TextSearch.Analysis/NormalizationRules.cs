namespace TextSearch.Analysis;

/// <summary>The normalization rules. Each can be switched on or off on its own.</summary>
[Flags]
public enum NormalizationRules
{
    None = 0,

    /// <summary>آ أ إ ٱ ٲ ٳ ٵ → ا.</summary>
    AlefForms = 1 << 0,

    /// <summary>A letter followed by combining madda/hamza (U+0653-U+0655) counts as the composed letter, so NFC, NFD and mixed input agree.</summary>
    DecomposedHamza = 1 << 1,

    /// <summary>ة → ه.</summary>
    TehMarbuta = 1 << 2,

    /// <summary>ى → ي.</summary>
    AlefMaksura = 1 << 3,

    /// <summary>ؤ → و, ئ → ي. Off by default.</summary>
    HamzaCarriers = 1 << 4,

    /// <summary>Tanween and harakat (U+064B-U+065F), superscript alef (U+0670), Quranic marks (U+0610-U+061A, U+06D6-U+06ED) are removed.</summary>
    Diacritics = 1 << 5,

    /// <summary>Tatweel (U+0640) is removed.</summary>
    Tatweel = 1 << 6,

    /// <summary>ی ے → ي, ک → ك, ہ ۀ → ه (and their hamza forms ۂ → ه, ۓ → ئ).</summary>
    PersianLetters = 1 << 7,

    /// <summary>Arabic-Indic (U+0660-U+0669) and Extended Arabic-Indic (U+06F0-U+06F9) digits → 0-9.</summary>
    Digits = 1 << 8,

    /// <summary>Presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFF) → their letters by compatibility decomposition.</summary>
    PresentationForms = 1 << 9,

    /// <summary>Zero-width and bidi format marks are removed; ZWNJ (U+200C) becomes a space, a word break.</summary>
    InvisibleMarks = 1 << 10,

    /// <summary>Other scripts are lower-cased (simple invariant case folding).</summary>
    CaseFold = 1 << 11,

    /// <summary>Every rule except <see cref="HamzaCarriers"/>.</summary>
    Default = AlefForms | DecomposedHamza | TehMarbuta | AlefMaksura | Diacritics | Tatweel | PersianLetters
        | Digits | PresentationForms | InvisibleMarks | CaseFold,

    All = Default | HamzaCarriers,
}
