namespace TextSearch.Analysis;

/// <summary>
/// A bounded cache keyed by rule set: the least recently used entry goes when it is full. Requests may ask for any of
/// the 4,096 rule sets, so the cache must not grow with them; building an entry costs a pass over 65,536 code units.
/// </summary>
internal sealed class RuleSetCache<T>(int capacity, Func<NormalizationRules, T> create)
    where T : class
{
    private readonly Dictionary<NormalizationRules, LinkedListNode<(NormalizationRules Rules, T Value)>> _entries = [];
    private readonly LinkedList<(NormalizationRules Rules, T Value)> _recent = new();
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public T Get(NormalizationRules rules)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(rules, out var node))
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
                return node.Value.Value;
            }
        }

        // Built outside the lock: two threads may build the same entry once; the first one stored wins.
        var value = create(rules);
        lock (_gate)
        {
            if (_entries.TryGetValue(rules, out var existing))
            {
                return existing.Value.Value;
            }

            if (_entries.Count >= capacity && _recent.Last is { } oldest)
            {
                _recent.RemoveLast();
                _entries.Remove(oldest.Value.Rules);
            }

            _entries[rules] = _recent.AddFirst((rules, value));
            return value;
        }
    }
}
