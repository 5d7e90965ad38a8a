"""Finding English left on a page that should be Spanish (issue 10, items 14 and 15).

``english_sentences(html)`` reads a page as a person (or a screen reader) would: the text of its
elements, with the words that only some attributes carry, and returns each fragment of it that
has an English word in it. A fragment is the text between two block-level boundaries (a
paragraph, a cell, a button…), so a sentence split by <strong> or a link is one fragment.

What counts as read:
- the text of every element but <script>, <style> and <template> (hidden elements too: the
  time-out warning and a closed menu are read once they open);
- the values of aria-label, aria-description, title, alt and placeholder, the value of a
  submit, reset or plain button <input>, and every data- attribute but an address (the scripts
  show those as words: the time-out warning's countdown, the password checklist's).

English is told by whole words, case-insensitive: English function words that are no Spanish
words (not "a", "de", "no", "me", "he", "has", "can", "do": all Spanish too), and a few words of
the portal's own that only English uses. Names of people, practices and streets carry none of
them, so the patient's data does not count as English.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser


def _words(text: str) -> list[str]:
    return text.split()


FUNCTION_WORDS = frozenset(_words("""
    the your yours you and with this these those please will would have is are was were to
    for of it its be been by from that which what when where who whose how an in on at or not
    we our us my they their them there here if into about after before than then should could
    must only any some does did yet
"""))
# The portal's own words that Spanish pages never use in English.
PORTAL_WORDS = frozenset(_words("""
    sign signed settings switch welcome skip viewing activity account accounts open menu
    representatives cancel continue submit close
"""))
ENGLISH_WORDS = FUNCTION_WORDS | PORTAL_WORDS

READ_ATTRIBUTES = frozenset({"aria-label", "aria-description", "title", "alt", "placeholder"})
BUTTON_INPUTS = frozenset({"submit", "reset", "button"})
UNREAD = frozenset({"script", "style", "template"})
# Elements whose start or end ends the fragment before them (the rest run on, like <strong>).
BLOCKS = frozenset(_words("""
    address article aside blockquote body br caption dd details dialog div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hr html label legend li main
    nav ol optgroup option p pre section select summary table tbody td textarea tfoot th thead
    title tr ul button
"""))
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})
ADDRESS = re.compile(r"^(?:/|#|https?:|mailto:|tel:)\S*$")  # a data-…-url, not words
IDENTIFIER = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)+$")  # data-rule="not-personal": a code
APOSTROPHES = "'\u2019"
WORD = re.compile(rf"[^\W\d_]+(?:[{APOSTROPHES}][^\W\d_]+)?")


def english_words(text: str) -> list[str]:
    """The English words of ``text`` (as found, in order)."""
    found = []
    for word in WORD.findall(text):
        base = re.split(f"[{APOSTROPHES}]", word)[0].lower()
        if base in ENGLISH_WORDS:
            found.append(word)
    return found


class _PageText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fragments: list[str] = []
        self._current: list[str] = []
        self._unread_depth = 0

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.fragments.append(text)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in UNREAD:
            if tag not in VOID:
                self._unread_depth += 1
            return
        if tag in BLOCKS:
            self._flush()
        values = dict(attrs)
        for name, value in attrs:
            if not value or ADDRESS.match(value.strip()):
                continue
            if name.startswith("data-") and IDENTIFIER.match(value.strip()):
                continue
            if name in READ_ATTRIBUTES or name.startswith("data-"):
                self.fragments.append(" ".join(value.split()))
        button_words = values.get("value") or ""
        if tag == "input" and (values.get("type") or "").lower() in BUTTON_INPUTS and button_words:
            self.fragments.append(" ".join(button_words.split()))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in UNREAD and tag not in VOID:
            self._unread_depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in UNREAD:
            self._unread_depth = max(0, self._unread_depth - 1)
            return
        if tag in BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._unread_depth:
            self._current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def page_text(html: str) -> list[str]:
    """Every fragment of text a person reads on the page, in order."""
    parser = _PageText()
    parser.feed(html)
    parser.close()
    return [f for f in parser.fragments if f.strip()]


def english_sentences(html: str) -> list[str]:
    """The fragments of the page's text that have an English word in them."""
    return [fragment for fragment in page_text(html) if english_words(fragment)]
