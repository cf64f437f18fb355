"""Personal Statement pages: draft from facts, review a pasted draft, edit choices, downloads. Thin, like views.py."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .forms import StatementEnhanceForm, StatementGenerateForm
from .models import AIRun
from .providers.local.diffing import accepted_edits, apply_edits
from .providers.local.statement_review import normalise
from .reports import render_statement_docx, render_statement_txt
from .results import StatementDraft, StatementReview
from .views import DOCX, _attachment, _stamp, _start, _tool_context

CHOICES = {"accept": "accepted", "ignore": "ignored", "undo": None}


def text_with_accepted_edits(review: StatementReview, run: AIRun) -> str:
    """The reviewed draft with only the edits the applicant accepted: what the page previews and downloads hold."""
    text = review.text or normalise(str((run.input or {}).get("draft", "")))
    return apply_edits(text, accepted_edits(review.suggested_edits, run.edit_choices or {}))


def _tool_page(request, form, template: str, tool: str, start):
    """GET shows the form; a valid POST starts the run through ``start(form)`` (views._start handles refusals)."""
    if request.method == "POST" and form.is_valid():
        return _start(request, form, lambda: start(form), template, tool)
    return render(request, template, {"form": form, **_tool_context(request, tool)})


@login_required
@require_http_methods(["GET", "POST"])
def statement_generate(request):
    return _tool_page(
        request,
        StatementGenerateForm(request.POST or None, user=request.user),
        "ai_tools/statement_generate_form.html",
        AIRun.Tool.STATEMENT_GENERATE,
        lambda form: services.statement_generate_start(
            user=request.user, facts=form.facts(name=request.user.full_name), based_on=form.cleaned_data["cv_analysis"]
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def statement_enhance(request):
    return _tool_page(
        request,
        StatementEnhanceForm(request.POST or None, user=request.user),
        "ai_tools/statement_enhance_form.html",
        AIRun.Tool.STATEMENT_ENHANCE,
        lambda form: services.statement_enhance_start(
            user=request.user, draft=form.cleaned_data["draft"], based_on=form.cleaned_data["cv_analysis"]
        ),
    )


@login_required
@require_POST
def statement_edit_choose(request, pk: int, index: int):
    """Accept, ignore or undo one suggested edit. htmx swaps the edit and the accepted text; without JS, redirect."""
    choice = request.POST.get("choice", "")
    if choice not in CHOICES:
        raise Http404("Unknown choice.")
    try:
        run = services.statement_edit_choose(user=request.user, run_id=pk, index=index, choice=CHOICES[choice])
    except AIRun.DoesNotExist as exc:
        raise Http404("No such edit.") from exc
    if not request.htmx:
        return redirect(f"{reverse('ai_tools:run_detail', args=[pk])}#edit-{index}")
    review = StatementReview.model_validate(run.result)
    return render(
        request,
        "ai_tools/_statement_edit_swap.html",
        {"run": run, "review": review, "edit": review.suggested_edits[index], "index": index},
    )


@login_required
@require_GET
def statement_download(request, pk: int, fmt: str):
    if fmt not in ("docx", "txt"):
        raise Http404("Unknown format.")
    run = selectors.run_for_user(user=request.user, pk=pk)
    if run.status != AIRun.Status.SUCCEEDED or run.result is None:
        raise Http404("No result to download.")
    if run.tool == AIRun.Tool.STATEMENT_GENERATE:
        text, title, stem = StatementDraft.model_validate(run.result).text, "Personal Statement (draft)", "draft"
    elif run.tool == AIRun.Tool.STATEMENT_ENHANCE:
        review = StatementReview.model_validate(run.result)
        text, title, stem = text_with_accepted_edits(review, run), "Personal Statement (your accepted edits)", "edited"
    else:
        raise Http404("Not a statement.")
    filename = f"personal-statement-{stem}-{run.pk}-{_stamp(run)}.{fmt}"
    if fmt == "docx":
        return _attachment(render_statement_docx(text, title=title), filename=filename, content_type=DOCX)
    return _attachment(render_statement_txt(text), filename=filename, content_type="text/plain; charset=utf-8")
