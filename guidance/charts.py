"""Small horizontal bar charts as inline SVG, drawn on the server: no chart library, no script.

Written by hand because the charts are a few rectangles; a library would cost more bytes than it saves.
Each chart carries a title and a text description for screen readers, and the same figures are in the
table beside it. Only presentation attributes are used (no style attributes), so the CSP holds.
"""

from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language_bidi

ROW_HEIGHT = 26
LABEL_WIDTH = 70
BAR_WIDTH = 200
VALUE_WIDTH = 60
GAP = 6


def bar_chart(title, items, rtl=None):
    """A captioned SVG chart for [(label, value or None, value as text)]; None gets no bar, only its text.

    Mirrored on a right-to-left page (by default, the page's direction): labels on the right, bars growing
    to the left, as the eye reads. Text is placed by its start, which SVG's direction="rtl" makes the right end.
    """
    known = [value for _label, value, _text in items if value is not None]
    if not known:
        return ""
    if rtl is None:
        rtl = get_language_bidi()
    top = max(known) or 1
    height = ROW_HEIGHT * len(items)
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    rows = []
    for index, (label, value, text) in enumerate(items):
        y = index * ROW_HEIGHT
        length = 0 if value is None else max(2, round(BAR_WIDTH * float(value) / float(top)))
        if rtl:
            label_x, bar_x, text_x = width, width - LABEL_WIDTH - length, width - LABEL_WIDTH - length - GAP
        else:
            label_x, bar_x, text_x = 0, LABEL_WIDTH, LABEL_WIDTH + length + GAP
        rows.append((label_x, y + 17, label, bar_x, y + 5, length, text_x, y + 17, text))
    body = format_html_join(
        "",
        '<text x="{}" y="{}">{}</text><rect class="bar" x="{}" y="{}" width="{}" height="16"></rect>'
        '<text x="{}" y="{}">{}</text>',
        rows,
    )
    description = "; ".join(f"{label}: {text}" for label, _value, text in items)
    return format_html(
        '<figure class="chart-figure"><figcaption>{}</figcaption>'
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" height="{}" direction="{}">'
        "<title>{}</title><desc>{}</desc>{}</svg></figure>",
        title,
        title,
        width,
        height,
        width,
        height,
        "rtl" if rtl else "ltr",
        title,
        description,
        body,
    )
