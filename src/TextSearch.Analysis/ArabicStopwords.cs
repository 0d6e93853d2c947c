namespace TextSearch.Analysis;

/// <summary>
/// Arabic function words: prepositions, conjunctions, pronouns, demonstratives, relatives, particles and
/// auxiliaries. Written here in their usual spelling; an analyzer normalizes them once, with its own rules, when
/// it is built, so every spelling its normalizer conflates is covered (إلى/الى/الي, أو/او).
/// Question words are listed apart (<see cref="QuestionWords"/>): whether they are dropped is the analyzer's choice.
/// </summary>
public static class ArabicStopwords
{
    public static IReadOnlyList<string> Words { get; } =
    [
        // Prepositions and particles.
        "في", "من", "إلى", "على", "عن", "مع", "منذ", "حتى", "عند", "لدى", "لدي", "بين", "ضد", "نحو", "حول", "دون",
        "خلال", "عبر", "تحت", "فوق", "أمام", "خلف", "بعد", "قبل", "إلا", "غير", "سوى", "عدا", "ب", "ل", "ك", "ف", "و", "ال",
        "لـ", "بـ", "ثم", "أو", "أم", "بل", "لكن", "لكنه", "لكنها", "إن", "أن", "إنه", "أنه", "إنها", "أنها", "كأن",
        "لعل", "ليت", "لا", "لم", "لن", "ما", "قد", "لقد", "سوف", "كل", "بعض", "أي", "إذ", "إذا", "لو", "لولا", "كي",
        "لكي", "حيث", "كما", "مثل", "أيضا", "فقط", "ذلك", "تلك", "هذا", "هذه", "هذان", "هاتان", "هؤلاء", "أولئك", "ذاك",
        "هناك", "هنا", "هنالك", "الذي", "التي", "الذين", "اللذان", "اللتان", "اللواتي", "اللاتي", "اللائي",
        // Pronouns.
        "هو", "هي", "هم", "هما", "هن", "أنا", "نحن", "أنت", "أنتم", "أنتما", "أنتن", "إياه", "إياها", "إياهم",
        // Attached-pronoun forms of prepositions.
        "فيه", "فيها", "فيهم", "منه", "منها", "منهم", "عليه", "عليها", "عليهم", "إليه", "إليها", "إليهم", "عنه",
        "عنها", "عنهم", "به", "بها", "بهم", "له", "لها", "لهم", "معه", "معها", "معهم", "لنا", "علينا", "بينهم",
        // Auxiliaries and frequent fillers.
        "كان", "كانت", "كانوا", "يكون", "تكون", "ليس", "ليست", "أصبح", "أصبحت", "صار", "ظل", "مازال", "لازال",
        "وكان", "وكانت", "وقد", "ولا", "ولم", "ولن", "وهو", "وهي", "وهم", "وفي", "ومن", "وعلى", "وإلى", "وأن", "وإن",
        "فإن", "بأن", "بما", "مما", "عما", "فيما", "كلما", "بينما", "عندما", "حين", "حينما", "أما", "إما", "يا",
    ];

    /// <summary>Interrogatives: ما، ماذا، من، متى، كم، أين، لماذا، كيف، هل، أي (and frequent variants).</summary>
    public static IReadOnlyList<string> QuestionWords { get; } =
        ["ما", "ماذا", "من", "متى", "كم", "أين", "لماذا", "كيف", "هل", "أي", "أية", "مَن", "بكم", "لمن", "ممن", "وما", "فما", "وكم",
         "ماهو", "ماهي", "بماذا", "عماذا", "عمن", "بأي", "لأي", "وماذا", "ومتى", "فمتى", "فكم", "وأين", "وكيف", "وهل", "ولماذا", "وأي"];

    /// <summary>
    /// The question words whose answer is a number or a date: متى (when) and كم (how many, how much), with the particles
    /// written onto them. A question that opens with one is scored also by how near its words stand to any number
    /// (<see cref="TextAnalyzer.AsksForNumber"/>).
    /// </summary>
    public static IReadOnlyList<string> NumberQuestionWords { get; } = ["متى", "كم", "بكم", "وكم", "فكم", "ومتى", "فمتى"];

    /// <summary>
    /// Nouns a question uses to name what it asks for, not what it is about: ما اسم، ما معنى، كم عدد، ما نوع، ما سبب،
    /// أي كلمة. The answer seldom repeats them ("كم عدد ولايات الهند" is answered by "تتألف من 28 ولاية"), while any
    /// text that mentions a name or a number does. They are indexed like every word; a query that asks a question leaves
    /// them out (<see cref="TextAnalyzer.IsAnswerTypeWord"/>).
    /// </summary>
    public static IReadOnlyList<string> AnswerTypeWords { get; } = ["اسم", "معنى", "عدد", "كلمة", "نوع", "سبب"];

    /// <summary>Builds a set of the words normalized with <paramref name="normalizer"/>'s rules.</summary>
    public static HashSet<string> CreateSet(ArabicNormalizer normalizer, bool includeQuestionWords) =>
        CreateSet(normalizer, includeQuestionWords ? Words.Concat(QuestionWords) : Words);

    /// <summary>Builds a set of <paramref name="words"/>, each as written and normalized with <paramref name="normalizer"/>'s rules.</summary>
    public static HashSet<string> CreateSet(ArabicNormalizer normalizer, IEnumerable<string> words)
    {
        ArgumentNullException.ThrowIfNull(normalizer);
        ArgumentNullException.ThrowIfNull(words);
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            set.Add(word);
            set.Add(normalizer.NormalizeToString(word));
        }

        return set;
    }
}
