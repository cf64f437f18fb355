"""Suite "refusals": reading refusal letters into findings, over bench/corpus/refusals/ (labels.json).

python bench/ai_eval.py refusals                    the local engine
python bench/ai_eval.py refusals --provider openai  the OpenAI provider (needs OPENAI_API_KEY)

Finding extraction agreement = sum over letters of |predicted ∩ labelled criteria| / |predicted ∪ labelled|
(a missed finding and an invented one both count against it). Classification agreement is over the findings
both sides have. Verbatim = share of predicted quotes found in the letter (whitespace-insensitive); quote
agreement = share of matched findings whose quote is one of the labelled sentences (or contains/is contained
by one). The held-out set (heldout/) is reported apart. Targets: extraction ≥ 90 %, classification ≥ 85 %, verbatim 100 %.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

NAME = "refusals"
CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "refusals"
TARGETS = {"extraction": 0.90, "classification": 0.85, "verbatim": 1.0}


def load(folder: Path = CORPUS) -> dict[str, tuple[str, dict]]:
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))["letters"]
    return {name: ((folder / f"{name}.txt").read_text(encoding="utf-8"), labels[name]) for name in sorted(labels)}


def _norm(text: str) -> str:
    return " ".join(text.split())


def score(predictions: dict[str, object], corpus: dict[str, tuple[str, dict]]) -> dict:
    """predictions: name -> RefusalReview. Returns the totals and one row per letter."""
    from applications.refusals.engine import is_verbatim

    inter = union = matched = same_class = quotes = verbatim = quote_ok = recommended = 0
    rows = []
    for name, (letter, label) in corpus.items():
        review = predictions[name]
        predicted = {f.criterion: f for f in review.findings}
        labelled = {f["criterion"]: f for f in label["findings"]}
        both = set(predicted) & set(labelled)
        inter += len(both)
        union += len(set(predicted) | set(labelled))
        matched += len(both)
        same = sum(predicted[c].classification == labelled[c]["classification"] for c in both)
        same_class += same
        for finding in review.findings:
            quotes += 1
            verbatim += is_verbatim(finding.quote, letter)
        for c in both:
            q = _norm(predicted[c].quote)
            quote_ok += any(q == _norm(x) or q in _norm(x) or _norm(x) in q for x in labelled[c]["quotes"])
        rec_ok = review.recommendation == label["recommendation"]
        recommended += rec_ok
        rows.append(
            f"| {name} | {len(labelled)} | {len(predicted)} | {len(both)} | {same}/{len(both)} | "
            f"{review.recommendation}{'' if rec_ok else ' ≠ ' + label['recommendation']} |"
        )
    return {
        "extraction": inter / union if union else 1.0,
        "classification": same_class / matched if matched else 1.0,
        "verbatim": verbatim / quotes if quotes else 1.0,
        "quote_agreement": quote_ok / matched if matched else 1.0,
        "recommendation": recommended / len(corpus),
        "findings": sum(len(label["findings"]) for _l, label in corpus.values()),
        "rows": rows,
    }


def _provider(args: list[str]):
    from applications.refusals.provider import LocalRefusalProvider, get_refusal_provider

    if "--provider" in args and args[args.index("--provider") + 1] == "openai":
        provider = get_refusal_provider()
        if isinstance(provider, LocalRefusalProvider):
            raise SystemExit("--provider openai needs OPENAI_API_KEY")
        return provider
    return LocalRefusalProvider()


def run(args: list[str]) -> list[str]:
    provider = _provider(args)
    lines = ["### Main set (the engine was written after these labels, with these letters in view)", ""]
    lines += _report(provider, load())
    lines += ["", "### Held-out set (labelled and committed before the engine first read them; never tuned on)", ""]
    lines += _report(provider, load(CORPUS / "heldout"))
    return lines


def _report(provider, corpus: dict[str, tuple[str, dict]]) -> list[str]:
    from applications.refusals.engine import Pack

    empty = Pack(documents=[], letters=[])
    started = time.perf_counter()
    predictions = {name: provider.review(letter, empty) for name, (letter, _label) in corpus.items()}
    elapsed_ms = (time.perf_counter() - started) * 1000
    result = score(predictions, corpus)
    lines = [
        f"Engine: {provider.engine}; {len(corpus)} letters, {result['findings']} labelled findings; "
        f"{elapsed_ms:.0f} ms in all.",
        "",
        "| measure | result | target |",
        "|---|---|---|",
    ]
    for key, title in (
        ("extraction", "finding extraction agreement"),
        ("classification", "classification agreement"),
        ("verbatim", "verbatim quotes"),
        ("quote_agreement", "quote = a labelled sentence"),
        ("recommendation", "recommendation agreement"),
    ):
        target = TARGETS.get(key)
        mark = "" if target is None else (" ✓" if result[key] >= target else " ✗")
        lines.append(f"| {title} | {result[key]:.0%}{mark} | {'' if target is None else f'≥ {target:.0%}'} |")
    lines += ["", "| letter | labelled | found | both | same class | outcome |", "|---|---|---|---|---|---|"]
    lines += result["rows"]
    return lines
