"""Personal Statement coach against the labelled set in bench/corpus/statements/.

python bench/ai_eval.py statements

Local engine: required elements vs the labels, AI-likeness verdicts, over-limit, repetition, cut plans,
claims, grammar of every suggested edit, invented facts in drafts and edits. OpenAI path: the real
openai SDK over httpx2.MockTransport with scripted model answers that invent facts and write broken
sentences; the report counts what survives the provider's verification (the target is nothing).
"""

import json
from pathlib import Path

NAME = "statements"
CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "statements"
ELEMENTS = ("why_uk", "occupation", "where_in_uk", "benefit", "criteria")

# Scripted model answers for the OpenAI path. Each invented specific is listed so the report can
# check it is gone by name, independently of the provider's own checker.
SCRIPTED_DRAFT = {
    "case": "complete",
    "text": (
        "Why the UK. London has the largest cluster of fintech companies in Europe and the clearest rules on "
        "payments fraud.\n\nMy planned occupation. I will join Monzo as a principal engineer in its financial "
        "crime team.\n\nMy fraud engine is backed by Sequoia and used by 2 million businesses.\n\n"
        "I won the Turing Award in 2023.\n\n[Add: two pieces of evidence for MC]\n\nMy contribution to the UK "
        "digital technology sector. I will run free workshops on real-time fraud detection for engineers at UK "
        "start-ups."
    ),
    "invented": ["Sequoia", "2 million", "Turing"],
}
SCRIPTED_COACHING = {
    "statement": "20-unsupported-claims.txt",
    "edits": [
        {
            "original": "At Zalando I led the data platform team.",
            "suggested": "At Zalando I led the data platform team of 40 engineers at Google.",
            "reason": "Quantify.",
        },
        {
            "original": "I am a leading expert in data pipelines and I am applying as Exceptional Talent.",
            "suggested": "I am a , highly motivated expert applying as Exceptional Talent.",
            "reason": "Tighten.",
        },
        {
            "original": "In the UK I will contribute to the digital sector by sharing what I know with younger engineers.",
            "suggested": "In the UK I will contribute to the digital sector by mentoring [Add: how many] engineers.",
            "reason": "Be specific.",
        },
        {
            "original": "We will live in St Albans.",
            "suggested": "We will live in St Albans. [Add: why St Albans suits your work at Ocado.]",
            "reason": "Say why the place fits.",
        },
    ],
    "invented": ["40", "Google"],
}


def _labels() -> dict:
    return json.loads((CORPUS / "labels.json").read_text())


def _pct(n: int, d: int) -> str:
    return f"{n}/{d} ({100 * n / d:.1f} %)" if d else "n/a"


def run(args: list[str]) -> list[str]:
    import logging

    logging.disable(logging.INFO)  # the provider logs each dropped item; the table says it all
    return evaluate(verbose="-v" in args)[1]


def evaluate(*, verbose: bool = False) -> tuple[dict, list[str]]:
    """The metrics (for the harness test) and the report lines."""
    from ai_tools.providers.local import LocalProvider
    from ai_tools.providers.local.facts import invented
    from ai_tools.providers.local.statement_edits import sentence_problems
    from ai_tools.results import StatementFacts

    local = LocalProvider()
    labels = _labels()
    agree = {e: 0 for e in ELEMENTS}
    heldout_agree = heldout_total = 0
    rows, disagreements = [], []
    ai_right = ai_total = human_wrong = human_total = 0
    over_right = rep_right = plans_ok = plans = 0
    flag_hit = flag_total = false_flag = no_flag_total = 0
    edits_total = ungrammatical = invented_in_edits = 0
    bad_edits: list[str] = []
    for name, label in sorted(labels.items()):
        text = (CORPUS / name).read_text()
        review = local.enhance_statement(text, None)
        got = {e.code: e.present for e in review.elements}
        for element in ELEMENTS:
            if label.get("set") == "heldout":
                heldout_total += 1
                heldout_agree += got[element] == label["elements"][element]
            if got[element] == label["elements"][element]:
                agree[element] += 1
            else:
                disagreements.append(f"{name}: {element} labelled {label['elements'][element]}, engine {got[element]}")
        verdict = review.ai_likeness.verdict
        if label["style"] == "ai":
            ai_total += 1
            ai_right += verdict == "reads_as_ai"
        else:
            human_total += 1
            human_wrong += verdict == "reads_as_ai"
        over_right += review.over_limit == label["over_limit"]
        repeated = bool(review.repeated_sentences or review.repeated_paragraphs)
        rep_right += repeated == label["repetition"]
        if review.length:
            plans += 1
            plans_ok += review.length.reaches_limit
        flagged = " ".join(c.sentence for c in review.unsupported_claims)
        for fragment in label.get("must_flag", []):
            flag_total += 1
            if fragment in flagged:
                flag_hit += 1
            else:
                disagreements.append(f"{name}: claim not flagged: {fragment!r}")
        for fragment in label.get("must_not_flag", []):
            no_flag_total += 1
            if fragment in flagged:
                false_flag += 1
                disagreements.append(f"{name}: flagged wrongly: {fragment!r}")
        for edit in review.suggested_edits:
            edits_total += 1
            if problems := sentence_problems(edit.suggested):
                ungrammatical += 1
                bad_edits.append(f"{name}: {edit.suggested!r} {problems}")
            invented_in_edits += bool(invented(edit.suggested, [text]))
        rows.append(
            f"| {name} | {sum(got.values())}/5 | {sum(got[e] == label['elements'][e] for e in ELEMENTS)}/5 | "
            f"{label['style']} → {verdict} | {review.word_count} | {len(review.suggested_edits)} |"
        )

    # Drafts from the local engine: every specific must come from the facts given.
    drafts = json.loads((CORPUS / "drafts.json").read_text())
    draft_inventions = 0
    draft_leaks = []
    for case in drafts:
        facts = StatementFacts.model_validate(case["facts"])
        draft = local.generate_statement(facts)
        draft_inventions += len(invented(draft.text, [json.dumps(case["facts"])]))
        for leak in ("Ignore all previous", "Turing", "Sequoia", "tapestry", "synergies", "thrilled", "passionate"):
            if leak.lower() in draft.text.lower():
                draft_leaks.append(f"{case['id']}: {leak}")

    openai, openai_lines = _openai_path(drafts)
    n = len(labels)
    total_agree = sum(agree.values())
    metrics = {
        "element_agreement": total_agree / (5 * n),
        "heldout_element_agreement": heldout_agree / heldout_total if heldout_total else None,
        "ai_right": ai_right,
        "ai_total": ai_total,
        "human_wrong": human_wrong,
        "over_right": over_right,
        "repetition_right": rep_right,
        "statements": n,
        "plans_ok": plans_ok,
        "plans": plans,
        "false_flags": false_flag,
        "edits": edits_total,
        "ungrammatical_edits": ungrammatical,
        "invented_in_edits": invented_in_edits,
        "draft_inventions": draft_inventions,
        "draft_leaks": len(draft_leaks),
        **openai,
    }
    lines = [
        f"Labelled statements: {n} ({ai_total} AI-styled, {human_total} human); labels in "
        "bench/corpus/statements/labels.json, written before the engine was run on them "
        f"({heldout_total // 5} held out: labelled after the rules were tuned on the others).",
        "",
        "| measure | result | target |",
        "|---|---|---|",
        f"| required elements agree with labels | {_pct(total_agree, 5 * n)} | ≥ 90 % |",
        *[f"| — {e} | {_pct(agree[e], n)} | |" for e in ELEMENTS],
        f"| — on the held-out statements only ({heldout_total // 5}) | {_pct(heldout_agree, heldout_total)} | |",
        f"| AI-styled statements that read as AI | {_pct(ai_right, ai_total)} | all |",
        f"| human statements that read as AI | {human_wrong}/{human_total} | 0 |",
        f"| over-limit detected | {_pct(over_right, n)} | all |",
        f"| repetition detected | {_pct(rep_right, n)} | all |",
        f"| cut plans that reach 1,000 words | {plans_ok}/{plans} | all |",
        f"| labelled bare claims flagged | {_pct(flag_hit, flag_total)} | |",
        f"| category/criterion names or supported claims flagged | {false_flag}/{no_flag_total} | 0 |",
        f"| ungrammatical suggested edits (local) | {ungrammatical}/{edits_total} | 0 |",
        f"| edits with an invented number or name (local) | {invented_in_edits}/{edits_total} | 0 |",
        f"| local drafts: invented specifics / injected or stock text copied | {draft_inventions} / "
        f"{len(draft_leaks)} (of {len(drafts)} drafts) | 0 / 0 |",
        *openai_lines,
    ]
    if verbose or disagreements:
        lines += ["", "Disagreements with the labels:", *[f"- {d}" for d in disagreements]]
    if bad_edits or draft_leaks:
        lines += ["", "Problems:", *[f"- {b}" for b in bad_edits + draft_leaks]]
    if verbose:
        lines += [
            "",
            "| statement | elements found | agree | style → verdict | words | edits |",
            "|---|---|---|---|---|---|",
        ]
        lines += rows
    return metrics, lines


def _openai_path(drafts: list[dict]) -> tuple[dict, list[str]]:
    """Scripted model answers through the real SDK; count what the verification lets through."""
    from ai_tools.providers.local.facts import invented
    from ai_tools.providers.local.statement_edits import sentence_problems
    from ai_tools.providers.openai import StatementCoaching
    from ai_tools.results import StatementFacts
    from ai_tools.tests.openai_fake import answering, provider_with

    facts = next(c["facts"] for c in drafts if c["id"] == SCRIPTED_DRAFT["case"])
    provider, calls = provider_with(answering(json.dumps({"text": SCRIPTED_DRAFT["text"]})))
    draft = provider.generate_statement(StatementFacts.model_validate(facts))
    sent = json.loads(calls[0].content)
    survived = [w for w in SCRIPTED_DRAFT["invented"] if w in draft.text]
    generic = invented(draft.text, [json.dumps(facts)])

    text = (CORPUS / SCRIPTED_COACHING["statement"]).read_text()
    coaching = StatementCoaching.model_validate(
        {"unsupported_claims": [], "suggested_edits": SCRIPTED_COACHING["edits"]}
    ).model_dump_json()
    provider, _ = provider_with(answering(coaching))
    review = provider.enhance_statement(text, None)
    model_edits = [e for e in review.suggested_edits if e.kind == "model"]
    edit_text = " ".join(e.suggested for e in review.suggested_edits)
    edit_survived = [w for w in SCRIPTED_COACHING["invented"] if w in edit_text.replace(text, "")]
    ungrammatical = sum(bool(sentence_problems(e.suggested)) for e in review.suggested_edits)
    metrics = {
        "openai_store_false_and_capped": sent.get("store") is False and bool(sent.get("max_output_tokens")),
        "openai_draft_inventions_offered": len(SCRIPTED_DRAFT["invented"]),
        "openai_draft_inventions_left": len(survived) + len(generic),
        "openai_edit_inventions_left": len(edit_survived),
        "openai_edits_ungrammatical": ungrammatical,
        "openai_model_edits_kept": len(model_edits),
    }
    return metrics, [
        f"| OpenAI path (scripted): request has store=false and max_output_tokens | "
        f"{sent.get('store') is False and bool(sent.get('max_output_tokens'))} | True |",
        f"| OpenAI path: invented facts in the draft answer → left after verification | "
        f"{len(SCRIPTED_DRAFT['invented'])} → {len(survived) + len(generic)} | 0 left |",
        f"| OpenAI path: model edits kept / offered (invented or ungrammatical ones dropped) | "
        f"{len(model_edits)}/{len(SCRIPTED_COACHING['edits'])} | only clean ones |",
        f"| OpenAI path: invented facts / ungrammatical sentences left in edits | {len(edit_survived)} / {ungrammatical} | "
        "0 / 0 |",
    ]
