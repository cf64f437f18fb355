"""Downloadable reports: the CV analysis as PDF, the statement as DOCX and TXT (all returned as bytes)."""

from .analysis_pdf import render_analysis_pdf
from .statement_files import render_statement_docx, render_statement_txt

__all__ = ["render_analysis_pdf", "render_statement_docx", "render_statement_txt"]
