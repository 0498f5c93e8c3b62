"""`{{ text|markdown }}`: 1:1 notes as Markdown, rendered to HTML that cannot run.

Markdown passes raw HTML through, so its output is cleaned by nh3 (ammonia) with
a small allow-list: no script or style (dropped with their content), no event
attributes, no images, links only to http(s), mailto or relative URLs (a
`javascript:` or `data:` link loses its href), and every link opens without
handing the page to its target (rel="noopener noreferrer"). Headings start at
<h3>, below the page's own.
"""

from __future__ import annotations

import markdown as markdown_lib  # type: ignore[import-untyped]
import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions.toc import TocExtension  # type: ignore[import-untyped]

register = template.Library()

TAGS = {"p", "br", "hr", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a"}
TAGS |= {"h3", "h4", "h5", "h6"}
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> SafeString:
    html = markdown_lib.markdown(
        text or "",
        extensions=["nl2br", "sane_lists", TocExtension(baselevel=3, toc_depth="3-6")],
    )
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # cleaned by nh3 just above


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return render_markdown(text)
