"""Downloadable reports: the CV analysis as PDF, the statement as DOCX and TXT (all returned as bytes)."""

from .analysis_pdf import render_analysis_pdf
from .statement_files import render_statement_docx, render_statement_txt

__all__ = ["cv_analysis_report", "render_analysis_pdf", "render_statement_docx", "render_statement_txt"]


def cv_analysis_report(run) -> tuple[bytes, str]:
    """(PDF bytes, file name) of a finished CV analysis run: the client's download and the one an
    expert gets for an analysis shared with their booking are the same file."""
    from django.utils import timezone

    from ..results import CVAnalysis

    generated_at = timezone.localtime(run.finished_at or run.created_at)
    pdf = render_analysis_pdf(
        CVAnalysis.model_validate(run.result), title="CV analysis report", generated_at=generated_at
    )
    return pdf, f"cv-analysis-{run.pk}-{generated_at:%Y-%m-%d}.pdf"
