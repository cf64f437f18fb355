"""Suite "letters": templating across recommendation letters, over bench/corpus/letters/ (labels.json).

python bench/ai_eval.py letters            candidates that are installed + the engine's verdicts
python bench/ai_eval.py letters --rounds 50

Part 1 measures each candidate similarity on every trio (highest of its three pairs) and on three
600-word letters (time for the three pairs, including any per-call setup such as building MinHashes
or fitting a vectoriser). Separation = lowest templated trio minus highest independent trio: the
room a threshold has. Candidates whose library is not installed are listed as skipped; the project
itself needs none of them (see applications/similarity.py for the choice).
Part 2 runs the engine's letters check (applications.ai.local) and compares its verdicts with the labels.
"""

from __future__ import annotations

import itertools
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

NAME = "letters"
CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "letters"


def load_trios() -> tuple[dict[str, list[str]], dict[str, dict]]:
    labels = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))["trios"]
    trios = {
        name: [(CORPUS / name / f"{letter}.txt").read_text(encoding="utf-8") for letter in "abc"]
        for name in sorted(labels)
    }
    return trios, labels


def _shingle_set(text: str) -> set:
    from applications.similarity import shingles

    return shingles(text)


def _candidates() -> dict[str, Callable[[list[str]], list[float]] | str]:
    """name -> function(three letters) -> three pair scores, or a reason it was skipped."""
    from applications.ai.local import templating_pairs
    from applications.similarity import containment, jaccard

    found: dict[str, Callable[[list[str]], list[float]] | str] = {
        "shingles k=5, containment (plain Python, with highlighting) [engine]": lambda ls: [
            p.score for p in templating_pairs(ls)
        ],
        "shingles k=5, containment (sets only)": lambda ls: [
            containment(_shingle_set(a), _shingle_set(b)) for a, b in itertools.combinations(ls, 2)
        ],
        "shingles k=5, Jaccard (sets only)": lambda ls: [
            jaccard(_shingle_set(a), _shingle_set(b)) for a, b in itertools.combinations(ls, 2)
        ],
    }
    try:
        from datasketch import MinHash

        def minhash(ls: list[str]) -> list[float]:
            hashes = []
            for text in ls:
                m = MinHash(num_perm=128, seed=1)
                m.update_batch([" ".join(g).encode() for g in _shingle_set(text)])
                hashes.append(m)
            return [a.jaccard(b) for a, b in itertools.combinations(hashes, 2)]

        found["datasketch MinHash k=5, 128 perm (Jaccard estimate)"] = minhash
    except ImportError:
        found["datasketch MinHash"] = "skipped: datasketch not installed"
    try:
        from rapidfuzz import fuzz, utils

        found["rapidfuzz ratio (Indel, whole text)"] = lambda ls: [
            fuzz.ratio(a, b, processor=utils.default_process) / 100 for a, b in itertools.combinations(ls, 2)
        ]
        found["rapidfuzz token_set_ratio"] = lambda ls: [
            fuzz.token_set_ratio(a, b, processor=utils.default_process) / 100 for a, b in itertools.combinations(ls, 2)
        ]
    except ImportError:
        found["rapidfuzz"] = "skipped: rapidfuzz not installed"
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.metrics.pairwise import cosine_similarity

        def tfidf(ngram_range):
            def score(ls: list[str]) -> list[float]:
                matrix = TfidfVectorizer(ngram_range=ngram_range, sublinear_tf=True).fit_transform(ls)
                sims = cosine_similarity(matrix)
                return [float(sims[i, j]) for i, j in itertools.combinations(range(len(ls)), 2)]

            return score

        found["scikit-learn TF-IDF cosine, words 1-2"] = tfidf((1, 2))
        found["scikit-learn TF-IDF cosine, words 3-5"] = tfidf((3, 5))
    except ImportError:
        found["scikit-learn"] = "skipped: scikit-learn not installed"
    return found


def six_hundred_word_letters(trios: dict[str, list[str]]) -> list[str]:
    """Three 600-word letters built from the independent trios' text (deterministic)."""
    pool = [text for name, ls in trios.items() if "independent" in name for text in ls]
    letters = []
    for offset in range(3):
        words: list[str] = []
        i = offset
        while len(words) < 600:
            words.extend(pool[i % len(pool)].split())
            i += 3
        letters.append(" ".join(words[:600]))
    return letters


def _time_ms(fn, letters: list[str], rounds: int) -> float:
    fn(letters)  # warm-up (imports, caches)
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn(letters)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def run(args: list[str]) -> list[str]:
    rounds = int(args[args.index("--rounds") + 1]) if "--rounds" in args else 30
    trios, labels = load_trios()
    long_letters = six_hundred_word_letters(trios)
    lines = [
        f"{len(trios)} trios: "
        + ", ".join(
            f"{sum(1 for v in labels.values() if v['kind'] == kind)} {kind}"
            for kind in ("independent", "light", "heavy", "ai_one_prompt", "ai_separate")
        ),
        "",
        "### Candidates (highest pair per trio)",
        "",
        "| measure | independent max | AI separate | templated min | separation | 3×600 words ms (median) |",
        "|---|---|---|---|---|---|",
    ]
    for name, fn in _candidates().items():
        if isinstance(fn, str):
            lines.append(f"| {name} | {fn} | | | | |")
            continue
        best = {trio: max(fn(letters)) for trio, letters in trios.items()}
        independent = max(best[t] for t, v in labels.items() if not v["templated"] and v["kind"] == "independent")
        ai_separate = max((best[t] for t, v in labels.items() if v["kind"] == "ai_separate"), default=0.0)
        templated = min(best[t] for t, v in labels.items() if v["templated"])
        ms = _time_ms(fn, long_letters, rounds)
        lines.append(
            f"| {name} | {independent:.3f} | {ai_separate:.3f} | {templated:.3f} | {templated - max(independent, ai_separate):+.3f} | {ms:.2f} |"
        )
    lines += ["", *engine_report(trios, labels, long_letters, rounds)]
    return lines


def engine_report(trios, labels, long_letters, rounds) -> list[str]:
    from applications import rules
    from applications.ai.local import templating_pairs

    lines = [
        f"### Engine (threshold {rules.LETTERS_TEMPLATING_THRESHOLD:.2f} on 5-word-shingle containment)",
        "",
        "| trio | kind | labelled templated | flagged | highest pair | letters read as AI (lexicon) | ok |",
        "|---|---|---|---|---|---|---|",
    ]
    from ai_tools.providers.local.lexicon import ai_likeness

    right = ai_right = 0
    for trio, letters in trios.items():
        pairs = templating_pairs(letters)
        flagged = any(p.templated for p in pairs)
        top = max(p.score for p in pairs)
        ai_letters = sum(1 for text in letters if ai_likeness(text).verdict == "reads_as_ai")
        ok = flagged == labels[trio]["templated"]
        right += ok
        ai_right += (ai_letters >= 2) == labels[trio]["ai_phrasing"]
        lines.append(
            f"| {trio} | {labels[trio]['kind']} | {labels[trio]['templated']} | {flagged} | {top:.3f} | {ai_letters}/3 | {'yes' if ok else 'NO'} |"
        )
    ms = _time_ms(templating_pairs, long_letters, rounds)
    lines += [
        "",
        f"Templating verdicts right: {right}/{len(trios)}. AI-phrasing (>= 2 letters read as AI) right: "
        f"{ai_right}/{len(trios)}. Three 600-word letters (3 pairs, with highlighting): "
        f"{ms:.2f} ms median of {rounds} (target < 50 ms).",
    ]
    return lines
