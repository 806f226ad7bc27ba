"""Images kept as files of the pack (media/<hash>.<ext>): imported from Moodle XML and GIFT,
checked by the loader, exported again by Moodle XML, listed as lost by the formats that cannot
carry them; SVG, links to other servers and files over the limit refused with the reason."""

from __future__ import annotations

import base64
from pathlib import Path

from click.testing import CliRunner

from certprep.cli.main import cli
from certprep.content import check_pack
from certprep.content.media import MAX_MEDIA_BYTES, media_name
from certprep.interop import gift, moodlexml
from certprep.interop.build import assemble

from .strategies import PACK

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
GIF = b"GIF89a" + bytes(32)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _question(name: str, text: str, files: dict[str, bytes]) -> str:
    embedded = "".join(
        f'<file name="{n}" path="/" encoding="base64">{base64.b64encode(b).decode()}</file>' for n, b in files.items()
    )
    options = "".join(
        f'<answer fraction="{100 if i == 0 else 0}"><text>Option {i}</text>'
        f"<feedback><text>Why {i}.</text></feedback></answer>"
        for i in range(4)
    )
    return (
        f'<question type="multichoice"><name><text>{name}</text></name>'
        f'<questiontext format="html"><text><![CDATA[{text}]]></text>{embedded}</questiontext>'
        f"<single>true</single>{options}</question>"
    )


def _quiz(*questions: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>' + "".join(questions) + "</quiz>\n"


QUIZ = _quiz(
    _question("Chart", '<p>Read the chart: <img src="@@PLUGINFILE@@/loss%20curve.png" alt="Loss curve"></p>',
              {"loss curve.png": PNG}),
    _question("Inline", f'<p>A GIF <img src="data:image/gif;base64,{base64.b64encode(GIF).decode()}"></p>', {}),
    _question("Vector", '<p><img src="@@PLUGINFILE@@/d.svg"></p>', {"d.svg": SVG}),
    _question("Remote", '<p><img src="https://example.com/x.png"></p>', {}),
    _question("Huge", '<p><img src="@@PLUGINFILE@@/big.png"></p>', {"big.png": PNG + bytes(MAX_MEDIA_BYTES)}),
    _question("Fake", '<p><img src="@@PLUGINFILE@@/fake.png"></p>', {"fake.png": b"not an image at all"}),
)  # fmt: skip


def _import(tmp_path: Path, text: str, fmt: str = "moodle-xml", name: str = "quiz.xml") -> tuple[Path, str]:
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    into = tmp_path / "pack"
    args = ["content", "import", str(src), "--format", fmt, "--into", str(into), "--exam", "MLA-C01", "--task", "1.1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return into, result.output


def test_embedded_images_become_files_of_the_pack(tmp_path: Path) -> None:
    into, out = _import(tmp_path, QUIZ)
    assert "imported 2 question(s)" in out
    assert "(Vector): image(s) not kept: d.svg: SVG is not kept (it can hold scripts)" in out
    assert "(Remote): image(s) not kept: x.png: not embedded in the file" in out
    assert "(Huge): image(s) not kept: big.png: larger than 1024 KiB" in out
    assert "(Fake): image(s) not kept: fake.png: not a PNG, JPEG, GIF or WebP image" in out
    pack, errors = check_pack(into)
    assert errors == [] and pack is not None
    png, gif = media_name(PNG), media_name(GIF)
    assert sorted(pack.media) == sorted([png, gif])
    assert (into / "media" / png).read_bytes() == PNG
    chart = next(q for q in pack.questions if "chart" in q.stem)
    assert f"![Loss curve](media/{png})" in chart.stem
    assert f"](media/{gif})" in next(q for q in pack.questions if "GIF" in q.stem).stem


def test_moodle_xml_exports_the_images_and_reads_them_back(tmp_path: Path) -> None:
    into, _ = _import(tmp_path, QUIZ)
    out = tmp_path / "again.xml"
    result = CliRunner().invoke(cli, ["--base-pack", str(into), "content", "export", "--format", "moodle-xml",
                                      "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0 and "lost" not in result.output.replace("0 item(s) lost", ""), result.output
    text = out.read_text()
    png = media_name(PNG)
    assert f"@@PLUGINFILE@@/{png}" in text and f'<file name="{png}" path="/" encoding="base64">' in text
    pack, _ = check_pack(into)
    assert pack is not None
    back = assemble(moodlexml.parse_moodle_xml(out.read_bytes()), PACK.blueprints)
    assert back.problems == [] and back.questions == list(pack.questions)
    assert back.media == {name: path.read_bytes() for name, path in pack.media.items()}


def test_formats_without_files_list_the_images_as_lost(tmp_path: Path) -> None:
    into, _ = _import(tmp_path, QUIZ)
    out = tmp_path / "bank.gift"
    result = CliRunner().invoke(cli, ["--base-pack", str(into), "content", "export", "--format", "gift",
                                      "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"image(s) media/{media_name(PNG)}: gift cannot carry image files" in result.output


def test_gift_html_keeps_a_data_image_and_refuses_a_link() -> None:
    data = base64.b64encode(PNG).decode()
    text = (
        f'::Pic::[html]<p>See <img src\\="data\\:image/png;base64,{data}" alt\\="plot"></p>{{=A ~B ~C ~D}}\n\n'
        '::Link::[html]<p><img src\\="http\\://example.com/a.png"></p>{=A ~B ~C ~D}\n'
    )
    result = assemble(gift.parse_gift(text), PACK.blueprints, exam="MLA-C01", task="1.1")
    (q,) = result.questions
    assert f"![plot](media/{media_name(PNG)})" in q.stem and result.media == {media_name(PNG): PNG}
    assert result.problems[0][0] == "line 3 (Link)" and "not embedded in the file" in result.problems[0][1]


def test_the_loader_checks_every_media_file_and_reference(tmp_path: Path) -> None:
    into, _ = _import(tmp_path, QUIZ)
    png = media_name(PNG)
    (into / "media" / "0123456789abcdef.png").write_bytes(PNG)  # not its hash
    (into / "media" / "drawing.svg").write_bytes(SVG)
    (into / "media" / png).unlink()
    _, errors = check_pack(into)
    messages = [str(e) for e in errors]
    assert any("media/0123456789abcdef.png:0: named 0123456789abcdef.png but its bytes are" in m for m in messages)
    assert any("media/drawing.svg:0: the media folder holds only files named" in m for m in messages)
    assert any(f"the image media/{png} is not in the pack's media folder" in m for m in messages)
