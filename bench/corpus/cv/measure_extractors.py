"""Measure candidate PDF text extractors on the corpus PDFs (the table in bench/corpus/cv/README.md).

    .venv/bin/python bench/corpus/cv/measure_extractors.py [--raw]

Needs pdfminer.six and pdfplumber installed next to pypdf (only pdfminer.six is a runtime dependency).
Without --raw every candidate's text also goes through the site's normalisation
(``ai_tools.documents.extraction.clean_text``), which is what the analysis sees.
"""

import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from bench.eval.cv_corpus import (  # noqa: E402
    glued_words,
    headings_on_own_line,
    load_cases,
    role_lines_found,
    sentences_intact,
)


def pypdf_plain(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


def pypdf_layout(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text(extraction_mode="layout") or "" for p in PdfReader(io.BytesIO(data)).pages)


def pdfminer_default(data: bytes) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data))


def pdfminer_tuned(data: bytes) -> str:
    from pdfminer.high_level import extract_text
    from pdfminer.layout import LAParams

    return extract_text(io.BytesIO(data), laparams=LAParams(word_margin=0.12, char_margin=2.0, line_margin=0.5))


def pdfminer_tight(data: bytes) -> str:
    from pdfminer.high_level import extract_text
    from pdfminer.layout import LAParams

    return extract_text(io.BytesIO(data), laparams=LAParams(word_margin=0.05))


def pypdf_repaired(data: bytes) -> str:
    from ai_tools.documents.extraction import clean_pdf_text
    from ai_tools.documents.text_repair import assess_text, normalise_text

    return assess_text(normalise_text(clean_pdf_text(pypdf_plain(data))), is_pdf=True).text


def pdfplumber_default(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(p.extract_text() or "" for p in pdf.pages)


def pdfplumber_tuned(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(
            p.extract_text(x_tolerance=1.5, x_tolerance_ratio=0.15, use_text_flow=False) or "" for p in pdf.pages
        )


def pdfminer_glyphs(data: bytes) -> str:
    from ai_tools.documents.pdf_layout import pdf_pages_text

    return "\n".join(pdf_pages_text(data))


def site(data: bytes) -> str:
    from ai_tools.documents.extraction import pdf_text

    return pdf_text(data)


CANDIDATES = {
    "pypdf 7 plain": pypdf_plain,
    "pypdf 7 layout": pypdf_layout,
    "pdfminer.six default": pdfminer_default,
    "pdfminer.six word_margin=0.12": pdfminer_tuned,
    "pdfminer.six word_margin=0.05": pdfminer_tight,
    "pdfplumber default": pdfplumber_default,
    "pdfplumber x_tolerance_ratio=0.15": pdfplumber_tuned,
    "pypdf 7 plain + word-list repair of glued runs": pypdf_repaired,
    "pdfminer.six glyphs + our lines/columns": pdfminer_glyphs,
}


def main(argv: list[str]) -> int:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentvisa.settings")
    import django

    django.setup()
    from ai_tools.documents import extraction

    raw = "--raw" in argv
    clean_text = extraction.clean_pdf_text
    candidates = dict(CANDIDATES)
    if hasattr(extraction, "pdf_text"):
        candidates["site (chosen + repairs)"] = site
    cases = [c for c in load_cases() if c.kind == "pdf"]
    print(f"{len(cases)} PDFs: " + ", ".join(sorted({c.label["producer"].split(" ")[0] for c in cases})))
    print()
    print(
        "| extractor | glued words | PDFs with glued words | broken sentences | headings on own line | role lines found | ms / PDF (median) |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, extract in candidates.items():
        try:
            extract(cases[0].path.read_bytes())  # warm-up, and skip libraries that are not installed
        except ImportError as exc:
            print(f"| {name} | not installed ({exc.name}) | | | | | |")
            continue
        glued_total = words_total = 0
        glued_docs, intact, headings, roles, times, worst = 0, [], [], [], [], []
        for case in cases:
            data = case.path.read_bytes()
            start = time.perf_counter()
            text = extract(data)
            times.append((time.perf_counter() - start) * 1000)
            if not raw and name != "site (chosen + repairs)":
                text = clean_text(text)
            glued = glued_words(text, case.vocabulary)
            glued_total += len(glued)
            words_total += len(text.split())
            glued_docs += bool(glued)
            if glued:
                worst.append(f"{case.ident}: {', '.join(glued[:3])}")
            intact.append(sentences_intact(text, case.source_sentences))
            headings.append(headings_on_own_line(text, case.headings))
            roles.append(role_lines_found(text, case))
        print(
            f"| {name} | {glued_total} of {words_total} ({100 * glued_total / words_total:.1f} %) | {glued_docs}/{len(cases)} | "
            f"{100 * (1 - statistics.mean(intact)):.0f} % | {100 * statistics.mean(headings):.0f} % | "
            f"{100 * statistics.mean(roles):.0f} % | {statistics.median(times):.0f} |"
        )
        if "-v" in argv:
            for line in worst:
                print("    ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
