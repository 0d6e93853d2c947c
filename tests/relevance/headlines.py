#!/usr/bin/env python3
"""A second query set that is not ARCD: news headlines as queries, each finding its own article.

    python3 tests/relevance/headlines.py ../shared/data/saudinewsnet.jsonl.gz PASSAGES.jsonl.gz OUTDIR [--count 1000]

PASSAGES is the passage pool of ../shared/tools/passages.py. Writes, for textsearch-eval (--qa, --distractors):

    OUTDIR/qa-articles.json   1,000 headlines; the relevant document of each is its article's body
    OUTDIR/d-articles.jsonl.gz    the other articles
    OUTDIR/qa-passages.json   the same headlines; the relevant document is the article's first passage
    OUTDIR/d-passages.jsonl.gz    the passages of the other articles

No document has a title (a headline would find its own title word for word, and a title field only the distractors
have would count against the relevant document). Double quotes are dropped from the headlines (the search syntax
reads them as a required phrase). Articles that repeat a sampled article (the same wire story from another source:
a fifth or more of their word 5-grams in it) are left out of both pools, since either copy would be a right answer.
The sample is fixed (seeded), so every run and every engine sees the same set. The files are derived from
SaudiNewsNet (CC BY-NC-SA): keep them out of the repository.
"""
import argparse
import gzip
import json
import os
import random
import zlib


def read_jsonl(path):
    with gzip.open(path, 'rt', encoding='utf-8') as f:
        return [json.loads(line) for line in f if line.strip()]


def shingles(text):
    words = text.split()
    return {zlib.crc32(' '.join(words[i:i + 5]).encode('utf-8')) for i in range(max(0, len(words) - 4))}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('corpus')
    parser.add_argument('passages')
    parser.add_argument('out')
    parser.add_argument('--count', type=int, default=1000)
    parser.add_argument('--seed', type=int, default=20261201)
    args = parser.parse_args()

    articles = read_jsonl(args.corpus)
    candidates = [a for a in articles if 3 <= len(a['title'].split()) <= 20 and len(a['body'].split()) >= 60]
    sample = random.Random(args.seed).sample(candidates, args.count)
    sampled = {a['id'] for a in sample}

    owners = {}
    for a in sample:
        for h in shingles(a['body']):
            owners.setdefault(h, set()).add(a['id'])
    repeats = set()
    for a in articles:
        if a['id'] in sampled:
            continue
        own = shingles(a['body'])
        shared = {}
        for h in own:
            for o in owners.get(h, ()):
                shared[o] = shared.get(o, 0) + 1
        if own and any(n / len(own) >= 0.2 for n in shared.values()):
            repeats.add(a['id'])
    left_out = sampled | repeats

    passages = read_jsonl(args.passages)
    first_passage = {}
    for p in passages:
        article = p['id'].split('#')[0]
        if article in sampled and article not in first_passage:
            first_passage[article] = p['body']

    os.makedirs(args.out, exist_ok=True)

    def squad(context_of):
        return {'version': 'headlines', 'data': [
            {'title': '', 'paragraphs': [{'context': context_of(a), 'qas': [
                {'id': a['id'], 'question': a['title'].replace('"', ' '), 'answers': []}]}]}
            for a in sample]}

    def write_pool(name, docs):
        with gzip.open(os.path.join(args.out, name), 'wt', encoding='utf-8') as f:
            for d in docs:
                f.write(json.dumps({'id': d['id'], 'title': '', 'body': d['body']}, ensure_ascii=False) + '\n')

    with open(os.path.join(args.out, 'qa-articles.json'), 'w', encoding='utf-8') as f:
        json.dump(squad(lambda a: a['body']), f, ensure_ascii=False)
    with open(os.path.join(args.out, 'qa-passages.json'), 'w', encoding='utf-8') as f:
        json.dump(squad(lambda a: first_passage[a['id']]), f, ensure_ascii=False)
    distractor_articles = [a for a in articles if a['id'] not in left_out]
    distractor_passages = [p for p in passages if p['id'].split('#')[0] not in left_out]
    write_pool('d-articles.jsonl.gz', distractor_articles)
    write_pool('d-passages.jsonl.gz', distractor_passages)
    print(f'{len(sample)} headlines; {len(repeats)} repeated articles left out; '
          f'{len(distractor_articles)} distractor articles, {len(distractor_passages)} distractor passages')


if __name__ == '__main__':
    main()
