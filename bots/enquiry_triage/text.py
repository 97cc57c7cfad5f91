"""From a message body to the citizen's own words: HTML to text, quoted replies and
signatures cut off, whitespace tidied. Pure functions over strings."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table",
               "ul", "ol", "section", "article", "header", "footer", "blockquote"}
_SKIP_TAGS = {"script", "style", "head", "title", "blockquote"}
_VOID_TAGS = {"br", "img", "hr", "meta", "input", "link", "area", "base", "col", "wbr"}
_QUOTE_CLASSES = ("gmail_quote", "moz-cite-prefix", "yahoo_quoted", "divRplyFwdMsg")

# A line that starts the quoted part of a reply: everything from it on is someone else's text.
_REPLY_HEADERS = [re.compile(p, re.IGNORECASE) for p in (
    r"^on .{3,200} wrote:\s*$",
    r"^-{2,}\s*(original message|forwarded message)\s*-{2,}",
    r"^from:\s.+",
    r"^於\s?.{3,80}(寫道|写道)[:：]?\s*$",
    r"^-{2,}\s*(原始郵件|原始邮件|轉寄郵件)\s*-{2,}",
    r"^(寄件者|寄件人|發件人|发件人)\s*[:：]",
)]
_SIGNATURE_START = re.compile(
    r"^(--\s*|_{5,}|sent from my \w+.*|從我的.{1,20}傳送|"
    r"(best |kind |warm )?regards,?|thanks (and|&) regards,?|yours (sincerely|faithfully|truly),?|"
    r"(many )?thanks,?|thank you,?|cheers,?|"
    r"此致|順祝|顺祝|祝好)$", re.IGNORECASE)
SIGNATURE_MAX_LINES = 7


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._open: list[bool] = []  # per open tag: does it hide its content?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag in _VOID_TAGS:
            return
        classes = dict(attrs).get("class") or ""
        self._open.append(tag in _SKIP_TAGS or any(c in classes for c in _QUOTE_CLASSES))

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID_TAGS and self._open:
            self._open.pop()
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not any(self._open):
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def strip_quoted(text: str) -> str:
    """Cut at the first reply header; drop `>` lines anywhere."""
    kept = []
    for line in text.splitlines():
        stripped = line.strip()
        if any(p.match(stripped) for p in _REPLY_HEADERS):
            break
        if not stripped.startswith(">"):
            kept.append(line)
    return "\n".join(kept)


def strip_signature(text: str) -> str:
    """Drop a sign-off and what follows it, when what follows is short (a signature block)."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if _SIGNATURE_START.match(line.strip()) and len(lines) - i <= SIGNATURE_MAX_LINES:
            return "\n".join(lines[:i])
    return text


def tidy(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.replace("\xa0", " ").splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def clean_body(text: str, is_html: bool = False) -> str:
    if is_html:
        text = html_to_text(text)
    return tidy(strip_signature(strip_quoted(tidy(text))))


def looks_like_html(text: str) -> bool:
    return bool(re.search(r"<(html|body|p|div|br|span|table)\b", text, re.IGNORECASE))
