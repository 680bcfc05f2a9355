"""Spec descriptions as Markdown: the HTML that vendors mix into them, converted.

OpenAPI descriptions are CommonMark, but many vendors' (Zoom's: `<br>`, `<p>`,
`<aside>`) carry HTML as well, which reads badly in a docstring. The HTML elements
named below become their Markdown; everything else, `<token>`-style placeholders
and unknown tags included, is kept as written. Text with none of them is returned
as it is.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCKS = frozenset({"p", "div", "aside", "section", "blockquote", "ul", "ol", "table", "tr", "pre", "dl"})
INLINE = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`", "tt": "`"}
HEADINGS = {f"h{level}": "#" * level for level in range(1, 7)}
DROPPED = frozenset({"span", "font", "u", "small", "sup", "sub", "tbody", "thead", "td", "th", "dt", "dd", "img"})
ELEMENTS = BLOCKS | INLINE.keys() | HEADINGS.keys() | DROPPED | {"a", "br", "hr", "li"}
_HAS_HTML = re.compile(r"</?(?:%s)\b[^>]*>" % "|".join(sorted(ELEMENTS, key=len, reverse=True)), re.I)
_BLANK_LINES = re.compile(r"\n{3,}")


def markdown(text: str) -> str:
    """`text` with its HTML elements written as Markdown (`<br>` a line break, `<b>` `**`)."""
    if not _HAS_HTML.search(text):
        return text
    converter = _Converter()
    converter.feed(text)
    converter.close()
    lines = "".join(converter.out).split("\n")
    return _BLANK_LINES.sub("\n\n", "\n".join(line.rstrip() for line in lines)).strip()


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self.out.append("\n\n")
        elif tag in HEADINGS:
            self.out.append(f"\n\n{HEADINGS[tag]} ")
        elif tag in INLINE:
            self.out.append(INLINE[tag])
        elif tag == "br":
            self.out.append("\n")
        elif tag == "hr":
            self.out.append("\n\n---\n\n")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))
            self.out.append("[" if self.links[-1] else "")
        elif tag not in DROPPED:
            self.out.append(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr"):
            self.handle_starttag(tag, attrs)
        elif tag not in ELEMENTS:
            self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS or tag in HEADINGS:
            self.out.append("\n\n")
        elif tag in INLINE:
            self.out.append(INLINE[tag])
        elif tag == "a":
            href = self.links.pop() if self.links else None
            self.out.append(f"]({href})" if href else "")
        elif tag not in ELEMENTS:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(data)
