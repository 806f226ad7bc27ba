"""The shared pieces: HTML sanitised to Markdown, decoding, slugs, general feedback."""

from __future__ import annotations

import pytest

from certprep.interop.common import FormatError, decode_text, html_to_markdown, keep_general_feedback, slug


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("<p>Use <b>Parquet</b> and <em>partitions</em>.</p>", "Use **Parquet** and *partitions*."),
        ("<p>a</p><p>b</p>", "a\n\nb"),
        ("line<br>next", "line\nnext"),
        ("<ul><li>one</li><li>two</li></ul>", "- one\n- two"),
        ("<ol><li>one</li><li>two</li></ol>", "1. one\n2. two"),
        ('<a href="https://docs.aws.amazon.com/x">doc</a>', "[doc](https://docs.aws.amazon.com/x)"),
        ("<code>s3://bucket</code>", "`s3://bucket`"),
        ("A &amp; B &lt;C&gt;", "A & B <C>"),
        ("plain text, no markup", "plain text, no markup"),
    ],
)
def test_html_becomes_markdown(html: str, markdown: str) -> None:
    assert html_to_markdown(html) == (markdown, [])


@pytest.mark.parametrize(
    "html",
    [
        "<p>ok<script>alert(1)</script></p>",
        '<p onclick="alert(1)">ok</p>',
        "<p>ok<style>p{color:red}</style></p>",
        '<p>ok<iframe src="https://evil.example"></iframe></p>',
        '<a href="javascript:alert(1)">ok</a>',
    ],
)
def test_nothing_active_survives(html: str) -> None:
    text, _ = html_to_markdown(html)
    assert "ok" in text
    for word in ("alert", "script", "onclick", "color", "iframe", "javascript", "evil"):
        assert word not in text


def test_images_are_reported_not_kept() -> None:
    text, images = html_to_markdown('<p>See <img src="@@PLUGINFILE@@/chart.png" onerror="x()"></p>')
    assert text == "See" and images == ["chart.png"]


def test_decoding() -> None:
    assert decode_text("\ufeffcafé\r\nx".encode()) == "café\nx"
    assert decode_text("café".encode("utf-16")) == "café"
    with pytest.raises(FormatError) as caught:
        decode_text(b"ok\nok\ncaf\xe9", "f.txt")
    assert str(caught.value) == "f.txt: line 3: not UTF-8 (byte 0xe9): save the file as UTF-8"


def test_slugs_are_ids() -> None:
    assert slug("Which S3 storage class? (Select TWO.)") == "which-s3-storage-class-select-two"
    assert slug("¿Qué?") == "que"
    assert slug("!!!") == "item"
    assert len(slug("word " * 50)) <= 60


def test_general_feedback_is_kept_in_a_rationale() -> None:
    data = {"options": [{"text": "a", "correct": True, "rationale": "why"}, {"text": "b"}]}
    keep_general_feedback(data, "overall")
    assert data["options"][0]["rationale"] == "why\n\noverall" and "rationale" not in data["options"][1]
    pairs = {"pairs": [{"prompt": "p", "response": "r"}, {"prompt": "q", "response": "s"}]}
    keep_general_feedback(pairs, "overall")
    assert pairs["pairs"][0]["rationale"] == "overall"
