"""Rendering helpers: highlighting must escape everything it does not mark."""

from ai_tools.templatetags.ai_tools_tags import highlight, highlight_signals, statement_html


def test_highlight_signals_marks_the_quoted_terms_and_escapes_the_rest():
    html = highlight_signals(
        "Keynote <script>x</script> at PyCon, 1,200 attendees", ["talk ('Keynote')", "number (1,200 attendees)"]
    )
    assert '<mark class="rounded bg-amber-100 px-0.5 text-slate-900">Keynote</mark>' in html
    assert ">1,200 attendees</mark>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_highlight_escapes_the_phrase_too():
    html = highlight("a <b>world-class</b> team", "<b>world-class</b>")
    assert "<b>" not in html and "<mark" in html


def test_statement_html_marks_placeholders_in_paragraphs():
    html = statement_html("First <i>para</i> [Add: your role].\n\nSecond para.")
    assert html.count("<p>") == 2 and "&lt;i&gt;" in html
    assert ">[Add: your role]</mark>" in html
