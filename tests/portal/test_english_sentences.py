"""tests.i18n.english_sentences: what it reads on a page, and what it takes for English."""

from __future__ import annotations

from tests.i18n import english_sentences, english_words, page_text

PAGE = """<!doctype html><html lang="es"><head><title>Inicio · Portal del paciente</title>
<style>.the { color: red }</style><script src="/x.js"></script>
<script>var message = "You will be signed out";</script></head>
<body data-session-timeout="900" data-session-sign-in-url="/account/login/">
<a class="skip-link" href="/account/settings/">Ir al contenido principal</a>
<p>Está viendo <strong>su propia historia clínica</strong> (Ana Núñez).</p>
<p>No me de a la consulta: lo que <em>no</em> se ve.</p>
<address>42 Maple Avenue, Medford, MA 02155</address>
<p>Harbor Family Practice · Demo Family Medicine · O\u2019Neil</p>
<template><p>The template is not read</p></template>
</body></html>"""


def test_a_spanish_page_with_names_and_addresses_has_no_english():
    assert english_sentences(PAGE) == []


def test_it_reads_text_across_inline_elements_as_one_fragment():
    text = page_text(PAGE)
    assert "Está viendo su propia historia clínica (Ana Núñez)." in text
    assert not any("signed out" in t or ".the" in t or "template" in t for t in text)


def test_it_flags_english_text_titles_labels_and_the_words_scripts_show():
    page = """<html><head><title>Home · Patient Portal</title></head><body>
    <nav aria-label="Main navigation of the portal"><a href="/">Inicio</a></nav>
    <p>Usted está viendo <strong>your own record</strong>.</p>
    <img alt="The practice logo" src="/logo.svg"><input type="submit" value="Sign in">
    <input type="text" placeholder="Type your username" value="the value of a text box">
    <button title="Close this">X</button>
    <div id="warning" hidden data-announce="You will be signed out in %(time)s.">
      <h2>Are you still there?</h2></div>
    <p>SIGN OUT</p><p>Switch</p>
    </body></html>"""
    assert english_sentences(page) == [
        "Main navigation of the portal",
        "Usted está viendo your own record.",
        "The practice logo",
        "Sign in",
        "Type your username",
        "Close this",
        "You will be signed out in %(time)s.",
        "Are you still there?",
        "SIGN OUT",
        "Switch",
    ]


def test_spanish_words_that_look_english_are_not_english():
    for spanish in ("a", "de", "no", "me", "he", "has", "can", "do", "en", "es", "con", "son",
                    "once", "sea", "era", "menú", "continúe", "abrir"):
        assert english_words(spanish) == [], spanish
    found = english_words("The, THE and the\u2019s \u2014 you\u2019re in")
    assert found == ["The", "THE", "and", "the\u2019s", "you\u2019re", "in"]
