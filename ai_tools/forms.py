"""Forms of the AI tools pages. They check shape and ownership; services do the work."""

import re

from django import forms
from django.conf import settings

from . import rules, selectors
from .models import AIRun

ACCEPT = (
    ".pdf,.docx,.txt,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain"
)
CATEGORY_CHOICES = [("", "Not sure"), ("talent", "Exceptional Talent"), ("promise", "Exceptional Promise")]


class CVAnalysisChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, run: AIRun) -> str:
        name = run.document.original_filename if run.document_id and run.document else "CV"
        return f"{name}: {run.headline or 'CV analysis'} ({run.created_at:%d %b %Y})"


class DocumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, doc) -> str:
        return f"{doc.original_filename} ({doc.created_at:%d %b %Y}, {doc.page_count} page{'s' if doc.page_count != 1 else ''})"


class CVAnalysisForm(forms.Form):
    upload = forms.FileField(
        label="Upload your CV",
        required=False,
        widget=forms.FileInput(
            attrs={
                "accept": ACCEPT,
                "class": "block w-full min-w-0 cursor-pointer rounded-xl border border-dashed border-slate-300 bg-slate-50 "
                "p-3 text-sm text-slate-700 file:mr-3 file:cursor-pointer file:rounded-lg file:border-0 "
                "file:bg-brand-600 file:px-4 file:py-2 file:text-sm file:font-semibold file:text-white "
                "hover:border-brand-400 hover:file:bg-brand-700",
            }
        ),
        help_text="PDF, Word (.docx) or plain text, up to 5 MB. Your file is private: only you can download it.",
    )
    document = DocumentChoiceField(
        label="Or use a CV you uploaded before", queryset=None, required=False, empty_label="Choose a CV…"
    )
    route = forms.ChoiceField(label="Route", choices=[(r.key, r.name) for r in rules.ROUTES.values()])
    category_hint = forms.ChoiceField(
        label="Which category are you aiming for?",
        choices=CATEGORY_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        help_text="Assessors may judge you against the other category; the analysis suggests one either way.",
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("route", rules.DIGITAL_TECHNOLOGY)
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = selectors.documents_for_user(user=user)
        self.fields["upload"].help_text = (
            f"PDF, Word (.docx) or plain text, up to {settings.AI_UPLOAD_MAX_BYTES // (1024 * 1024)} MB. "
            "Your file is private: only you can download it."
        )

    def route_options(self):
        """Routes for the template: the available ones, selectable (the others: coming_later_routes)."""
        selected = self["route"].value()
        return [
            {"key": r.key, "name": r.name, "body": r.endorsing_body, "checked": r.key == selected}
            for r in rules.ROUTES.values()
            if r.available
        ]

    def coming_later_routes(self):
        """Routes not offered yet: listed under one closed 'Coming later' line, not as disabled radios."""
        return [{"name": r.name, "body": r.endorsing_body} for r in rules.ROUTES.values() if not r.available]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        limit = settings.AI_UPLOAD_MAX_BYTES
        if upload is not None and upload.size > limit:
            # Checked on the declared size before anything reads the file.
            raise forms.ValidationError(
                f"The file is larger than {limit // (1024 * 1024)} MB. A CV should be at most 3 pages: "
                "remove images or export it again as a text-based PDF."
            )
        return upload

    def clean_route(self):
        route = self.cleaned_data["route"]
        info = rules.ROUTES[route]
        if not info.available:
            raise forms.ValidationError(
                rules.ROUTE_COMING_LATER_MESSAGE.format(route=info.name, body=info.endorsing_body)
            )
        return route

    def clean(self):
        data = super().clean()
        if not self.errors and (data.get("upload") is None) == (data.get("document") is None):
            if data.get("upload") is None:
                raise forms.ValidationError("Upload your CV, or choose one you uploaded before.")
            raise forms.ValidationError("Upload a new CV or choose an earlier one, not both.")
        return data


class _WithCVAnalysis(forms.Form):
    cv_analysis = CVAnalysisChoiceField(
        label="Use one of your CV analyses",
        queryset=None,
        required=False,
        empty_label="Don't use a CV analysis",
        help_text="Lets the tool point at evidence from your CV. It never adds achievements you did not give.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cv_analysis"].queryset = selectors.cv_analyses_for_user(user=user)


def _textarea(rows=4, **attrs):
    return forms.Textarea(attrs={"rows": rows, **attrs})


class StatementGenerateForm(_WithCVAnalysis):
    why_uk = forms.CharField(
        label="Why the UK?",
        max_length=2000,
        widget=_textarea(),
        help_text="Your own reasons: the ecosystem, a job offer, customers, research groups, family…",
    )
    planned_occupation = forms.CharField(
        label="What will you do in the UK?",
        max_length=1000,
        widget=_textarea(3),
        help_text="Your planned role or company, e.g. 'Staff engineer at a London fintech' or 'founding a start-up'.",
    )
    where_in_uk = forms.CharField(label="Where in the UK?", max_length=200, help_text="A city or region.")
    benefit_to_uk = forms.CharField(
        label="How will the UK digital sector benefit?",
        max_length=2000,
        widget=_textarea(),
        help_text="Concrete plans: people you will hire or mentor, products, open source, talks, investment.",
    )
    target_criteria = forms.MultipleChoiceField(
        label="Which two optional criteria will you show?",
        choices=[(code, rules.CRITERIA[code].name) for code in rules.OPTIONAL_CRITERIA],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose exactly two, or none if you are not sure yet.",
    )
    field_order = ["why_uk", "planned_occupation", "where_in_uk", "benefit_to_uk", "target_criteria", "cv_analysis"]

    def clean_target_criteria(self):
        chosen = self.cleaned_data.get("target_criteria") or []
        if len(chosen) not in (0, rules.OPTIONAL_CRITERIA_TO_MEET):
            raise forms.ValidationError("Choose exactly two optional criteria, or none.")
        return chosen

    def facts(self, *, name: str | None) -> dict:
        data = self.cleaned_data
        return {
            "name": name or None,
            "why_uk": data["why_uk"].strip(),
            "planned_occupation": data["planned_occupation"].strip(),
            "where_in_uk": data["where_in_uk"].strip(),
            "benefit_to_uk": data["benefit_to_uk"].strip(),
            "target_criteria": data["target_criteria"],
        }


class StatementEnhanceForm(_WithCVAnalysis):
    draft = forms.CharField(
        label="Your draft Personal Statement",
        max_length=20_000,
        min_length=200,
        widget=_textarea(16, spellcheck="true"),
        help_text=f"Paste the whole statement. The limit for the application is {rules.STATEMENT_MAX_WORDS:,} words.",
    )
    field_order = ["draft", "cv_analysis"]


# --- "What we read": correct the roles, then run ---------------------------------------------------

ORG_KIND_CHOICES = [
    ("product", "Product company"),
    ("services", "Services / consultancy"),
    ("unknown", "Not sure"),
]
_MONTH = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM", "pattern": r"\d{4}-\d{2}"})


class MonthField(forms.CharField):
    """A month as "YYYY-MM" (the value of <input type="month">)."""

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=20, widget=_MONTH, **kwargs)

    def clean(self, value):
        value = super().clean(value).strip()
        if value and not re.fullmatch(r"(19[6-9]\d|20\d\d)-(0[1-9]|1[0-2])", value):
            raise forms.ValidationError("Give the month as YYYY-MM, for example 2021-03.")
        return value or None


class RoleCorrectionForm(forms.Form):
    title = forms.CharField(label="Job title", max_length=120, required=False)
    organisation = forms.CharField(label="Organisation", max_length=120, required=False)
    start = MonthField(label="From")
    end = MonthField(label="To")
    is_current = forms.BooleanField(label="I work here now", required=False)
    is_tech = forms.BooleanField(label="Technology role", required=False)
    org_kind = forms.ChoiceField(label="Company type", choices=ORG_KIND_CHOICES, initial="unknown", required=False)
    line_no = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if self.errors or not any(data.get(f) for f in ("title", "organisation", "start", "end")):
            return data  # the blank "add a role" form, left blank
        if not data.get("title"):
            raise forms.ValidationError("Give the role a job title, or tick Remove.")
        if data.get("is_current"):
            data["end"] = None
        if data.get("end") and not data.get("start"):
            raise forms.ValidationError("Add the month you started.")
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError("The role ends before it starts.")
        return data

    def role(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"].strip(),
            "organisation": data["organisation"].strip(),
            "start": data["start"],
            "end": None if data["is_current"] else data["end"],
            "is_current": bool(data["is_current"] and data["start"]),
            "is_tech": data["is_tech"],
            "org_kind": data["org_kind"] or "unknown",
            "line_no": data["line_no"],
            "source": "",
        }


class BaseRoleFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this role"

    def roles(self) -> list[dict]:
        """The roles to keep: every filled form not ticked for removal (the blank "add" form is skipped)."""
        kept = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            if not form.cleaned_data.get("title"):
                continue
            kept.append(form.role())
        return kept


RoleFormSet = forms.formset_factory(
    RoleCorrectionForm, formset=BaseRoleFormSet, extra=1, can_delete=True, max_num=40, validate_max=True
)


class CVRunOptionsForm(forms.Form):
    """The route and category chosen on the upload page, carried through "What we read"."""

    route = forms.ChoiceField(choices=[(r.key, r.name) for r in rules.ROUTES.values()], widget=forms.HiddenInput)
    category_hint = forms.ChoiceField(choices=CATEGORY_CHOICES, required=False, widget=forms.HiddenInput)
