"""Fuzzing the parsers: any input gives drafts or a ``FormatError``, never a crash or a hang.

Each input runs through the parser and then ``assemble`` (the validation every import does).
The quick runs use hypothesis's default budget; the ``slow`` ones more examples and pathological
inputs of a megabyte with a time bound.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certprep.interop import aiken, csvfile, gift, markdown, moodlexml
from certprep.interop.build import assemble
from certprep.interop.common import Draft, FormatError, decode_text

from .strategies import PACK

TEXT_PARSERS: dict[str, Callable[[str], list[Draft]]] = {
    "gift": gift.parse_gift,
    "aiken": aiken.parse_aiken,
    "csv": csvfile.parse_csv,
    "markdown": markdown.parse_markdown,
}
# Pieces of each syntax, so that the fuzzer reaches past the first line.
PIECES = [
    "::", "{", "}", "=", "~", "#", "####", "->", "%50%", "%-100%", "\\", "\n", "\n\n", "$CATEGORY: a/b\n",
    "// certprep: {\"id\": 5, \"exams\": 3}\n", "// certprep: {\"exams\": [{\"exam\": \"MLA-C01\"}]}\n",
    "[html]", "[markdown]", "<b>", "<img src=x>", "&amp;", "A. ", "B) ", "ANSWER: ", "ANSWER: A, C\n",
    "stem,option_1,option_2,correct,type,exams\n", ",", ";", "\"", "# Case study: t\n", "## q\n",
    "- [x] ", "- [ ] ", "1. ", "  > ", "<!-- answers -->\n", "<!-- certprep: {\"case\": []} -->\n",
    "References:\n", "- [t](https://e.com)\n", "{T}", "{#1}", "{}", "ordering", "matching", "MLA-C01:1.1",
]  # fmt: skip
syntax = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=40).map("".join)


def _survives(parse: Callable[[str], list[Draft]], text: str) -> None:
    try:
        drafts = parse(text)
    except FormatError:
        return
    assemble(drafts, PACK.blueprints, exam="MLA-C01", task="1.1")


def _fuzz(fmt: str, examples: int, deadline_ms: int) -> None:
    @settings(max_examples=examples, deadline=deadline_ms, suppress_health_check=[HealthCheck.too_slow])
    @given(syntax)
    def check(text: str) -> None:
        _survives(TEXT_PARSERS[fmt], text)

    check()


@pytest.mark.slow  # fuzzing
@pytest.mark.parametrize("fmt", sorted(TEXT_PARSERS))
def test_text_parsers_never_crash(fmt: str) -> None:
    _fuzz(fmt, 150, 2000)


XML_PIECES = [
    "<quiz>", "</quiz>", "<question type=\"multichoice\">", "<question type=\"matching\">",
    "<question type=\"ordering\">", "<question type=\"category\">", "<question type=\"description\">",
    "</question>", "<questiontext format=\"html\"><text>", "</text></questiontext>", "<answer fraction=\"50\">",
    "<answer fraction=\"x\">", "<text>", "</text>", "</answer>", "<subquestion>", "</subquestion>",
    "<tags><tag><text>certprep:exam:MLA-C01:1.1</text></tag></tags>", "<single>false</single>",
    "<!DOCTYPE x [<!ENTITY a \"b\">]>", "&a;", "<![CDATA[<b>x</b>]]>", "<idnumber>x</idnumber>",
]  # fmt: skip
xml = st.lists(st.one_of(st.sampled_from(XML_PIECES), st.text(max_size=6)), max_size=40).map("".join)


@pytest.mark.slow  # fuzzing
@settings(max_examples=200, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(xml)
def test_the_moodle_xml_parser_never_crashes(text: str) -> None:
    _survives(lambda t: moodlexml.parse_moodle_xml(t.encode("utf-8")), text)


@pytest.mark.slow  # fuzzing
@settings(max_examples=200, deadline=1000)
@given(st.binary(max_size=200))
def test_decoding_any_bytes_gives_text_or_a_format_error(data: bytes) -> None:
    try:
        text = decode_text(data)
    except FormatError as exc:
        assert exc.line is not None and exc.line >= 1
        return
    assert "\r" not in text


@pytest.mark.slow
@pytest.mark.parametrize("fmt", sorted(TEXT_PARSERS))
def test_text_parsers_never_crash_long_run(fmt: str) -> None:
    _fuzz(fmt, 1500, 5000)


PATHOLOGICAL = {
    "open tags": "<a" * 200_000,
    "braces": "{" * 300_000,
    "escapes": "\\" * 300_001,
    "one long line": "x" * 1_000_000,
    "many blocks": "::t::q{=a ~b ~c ~d}\n\n" * 30_000,
    "references": "References:\n" + "- [" * 200_000,
    "options": "Q\n" + "A. x\n" * 100_000,
    "csv quotes": 'stem\n"' + "a" * 500_000,
}


@pytest.mark.slow
@pytest.mark.parametrize("fmt", sorted(TEXT_PARSERS))
@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_large_pathological_inputs_finish_in_bounded_time(fmt: str, name: str) -> None:
    started = time.perf_counter()
    _survives(TEXT_PARSERS[fmt], PATHOLOGICAL[name])
    assert time.perf_counter() - started < 30, (fmt, name)


@pytest.mark.slow
def test_a_billion_laughs_is_refused_at_once() -> None:
    entities = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    bomb = f'<?xml version="1.0"?>\n<!DOCTYPE quiz [{entities}]>\n<quiz>&l9;</quiz>'.encode()
    started = time.perf_counter()
    with pytest.raises(FormatError, match="DTD is refused"):
        moodlexml.parse_moodle_xml(bomb)
    assert time.perf_counter() - started < 1
