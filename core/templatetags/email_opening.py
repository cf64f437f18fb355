"""`{% opening %}…{% endopening %}`: the opening paragraph of an email, which staff may replace.

Wrap the paragraph (in the `.html` part including its `<p>`) in both parts of the template. When
core.mailer sends a kind that has a stored opening (core.email_templates), the tag renders that
text instead — escaped into `<p>`s in the HTML part, verbatim in the text part; otherwise it renders
what it wraps.
"""

from django import template

from core import email_templates

register = template.Library()


class OpeningNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        replacement = context.get(email_templates.OPENING_CONTEXT_KEY)
        if not replacement:
            return self.nodelist.render(context)
        kind, text = replacement
        return email_templates.render_opening(kind, text, context, html=context.autoescape)


@register.tag("opening")
def opening(parser, token):
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% opening %} takes no arguments")
    nodelist = parser.parse(("endopening",))
    parser.delete_first_token()
    return OpeningNode(nodelist)
