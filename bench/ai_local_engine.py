"""Time and memory of the local engine on a 3-page PDF CV: extract + analyse, median of 10 runs.

python bench/ai_local_engine.py   (from the project root)
"""

import os
import statistics
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentvisa.settings")
os.environ.setdefault("DEBUG", "True")  # an offline tool: development mode (production is the default)


def main(runs: int = 10) -> None:
    import django

    django.setup()
    from ai_tools.documents import UploadLimits, extract_document
    from ai_tools.providers.local import LocalProvider
    from ai_tools.tests.builders import PAGE_BREAK, cv_text, make_pdf

    # Three full pages: the strong CV, the early-career CV and the consultancy CV, one per page.
    text = PAGE_BREAK.join(cv_text(name) for name in ("strong_talent", "early_promise", "consultancy"))
    pdf = make_pdf(text)
    provider, limits = LocalProvider(today=date(2026, 6, 1)), UploadLimits()

    def once():
        doc = extract_document(pdf, limits=limits)
        return doc, provider.analyse_cv(doc.text, "digital_technology", None, doc.page_count, doc.pages_estimated)

    once()  # warm caches (regex compilation, imports)
    timings = {"extract": [], "analyse": [], "total": []}
    for _ in range(runs):
        start = time.perf_counter()
        doc = extract_document(pdf, limits=limits)
        middle = time.perf_counter()
        provider.analyse_cv(doc.text, "digital_technology", None, doc.page_count, doc.pages_estimated)
        end = time.perf_counter()
        timings["extract"].append(middle - start)
        timings["analyse"].append(end - middle)
        timings["total"].append(end - start)
    tracemalloc.start()
    doc, analysis = once()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"PDF: {len(pdf)} bytes, {doc.page_count} pages, {doc.word_count} words; score {analysis.overall_score}")
    for name, values in timings.items():
        print(
            f"{name:8s} median {statistics.median(values) * 1000:7.1f} ms  (min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f})"
        )
    print(f"peak traced memory (extract + analyse): {peak / 1024 / 1024:.2f} MiB")


if __name__ == "__main__":
    main()
