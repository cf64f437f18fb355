"""Tailwind class strings chosen in code. They live at ai_tools/*.py level because Tailwind scans */*.py."""

# Badge tones by status or severity.
TONES = {
    "strong": "bg-emerald-50 text-emerald-700 ring-emerald-200",
    "partial": "bg-amber-50 text-amber-800 ring-amber-200",
    "missing": "bg-red-50 text-red-700 ring-red-200",
    "high": "bg-red-50 text-red-700 ring-red-200",
    "medium": "bg-amber-50 text-amber-800 ring-amber-200",
    "low": "bg-slate-100 text-slate-700 ring-slate-200",
    "queued": "bg-slate-100 text-slate-700 ring-slate-200",
    "running": "bg-brand-50 text-brand-700 ring-brand-200",
    "succeeded": "bg-emerald-50 text-emerald-700 ring-emerald-200",
    "failed": "bg-red-50 text-red-700 ring-red-200",
}
BAR_TONES = {
    "good": "[&::-webkit-progress-value]:bg-emerald-500 [&::-moz-progress-bar]:bg-emerald-500",
    "fair": "[&::-webkit-progress-value]:bg-amber-500 [&::-moz-progress-bar]:bg-amber-500",
    "poor": "[&::-webkit-progress-value]:bg-red-500 [&::-moz-progress-bar]:bg-red-500",
}
# <mark> for evidence words in a CV quote, and for [Add: ...] placeholders in a statement.
MARK_EVIDENCE = "rounded bg-amber-100 px-0.5 text-slate-900"
MARK_PLACEHOLDER = "rounded bg-amber-100 box-decoration-clone px-1 font-medium text-amber-900 ring-1 ring-amber-300"
