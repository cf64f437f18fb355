"""Every email the code sends is declared for the staff's template editor (site_admin/email_kinds.py)
and wraps its opening paragraph in {% opening %}…{% endopening %} in both parts.

Templates are found on disk (`<app>/templates/<app>/email/<name>.subject.txt`, the mailer's
three-file convention), so a new email fails here until it is declared.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from core import email_templates
from core.mailer import render_email

ROOT = Path(settings.BASE_DIR)
ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


def templates_on_disk() -> list[str]:
    found = []
    for path in ROOT.glob("*/templates/*/email/*.subject.txt"):
        found.append(str(path.relative_to(path.parents[2])).removesuffix(".subject.txt"))
    return sorted(found)


TEMPLATES = templates_on_disk()


def test_the_disk_scan_finds_the_emails():
    assert len(TEMPLATES) >= 23 and "bookings/email/booking_confirmed" in TEMPLATES


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_email_template_is_declared_and_marks_its_opening(template):
    kinds = [k for k in email_templates.kinds() if k.template == template]
    assert kinds, f"{template} is sent but not declared: add it to site_admin/email_kinds.py"
    if not any(k.opening for k in kinds):
        return
    for part in ("txt", "html"):
        source = (ROOT / template.split("/")[0] / "templates" / f"{template}.{part}").read_text()
        assert "{% load email_opening %}" in source, f"{template}.{part}: load email_opening"
        assert source.count("{% opening %}") == 1 and source.count("{% endopening %}") == 1, (
            f"{template}.{part}: wrap the opening paragraph in {{% opening %}}…{{% endopening %}}"
        )


def test_every_declared_kind_names_an_existing_template_and_unique_recipients():
    seen = set()
    for kind in email_templates.kinds():
        assert kind.template in TEMPLATES, kind.key
        assert (kind.template, kind.recipient) not in seen, kind.key
        seen.add((kind.template, kind.recipient))


@pytest.mark.django_db
@pytest.mark.parametrize("key", [k.key for k in email_templates.kinds()])
def test_every_kinds_sample_renders_and_gives_every_placeholder_a_value(key):
    kind = email_templates.get(key)
    sample = kind.sample()
    assert email_templates.kind_for(kind.template, sample) == kind
    for name in kind.placeholders:
        assert str(email_templates.fill(kind, f"{{{{ {name} }}}}", sample, html=False)).strip(), (key, name)
    every = " ".join(f"{{{{ {name} }}}}" for name in kind.placeholders)
    override = email_templates.Override(subject=f"S {every}", opening=f"O & {every}" if kind.opening else "")
    subject, text, html = render_email(kind.template, sample, override=override)
    assert subject.startswith("[TalentVisa] S ") and not ENTITY.search(subject) and not ENTITY.search(text)
    if kind.opening:
        assert "O & " in text and "<p>O &amp; " in html
