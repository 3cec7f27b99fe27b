"""Decoding: every encoding a form is saved in reads the same forms; invisible
characters change nothing; a few bad bytes are replaced and reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from clitools import query, run_ingest
from ingest.decoding import UndecodableError, decode_text
from ingest.pipeline import parse_bytes
from jixiao.paths import RAW_DIR

MINHANG = RAW_DIR / "002_42c27752b8eae618.txt"  # 30 forms, tab-separated
LANGFANG = Path(__file__).parents[1] / "samples" / "other-governments" / "he_langfang_spgcxx_2019.txt"

# The form's labels in traditional characters, as a Big5 file would hold them (written by hand).
TRADITIONAL = (
    "財政項目支出績效自評表\n項目名稱\t公務員管理工作經費\n主管部門\t組織部\n實施單位\t組織部\n"
    "項目資金（萬元）\t年初預算數\t全年預算數\t全年執行數\t分值\t執行率\t得分\n"
    "年度資金總額\t49.52\t49.52\t48.00\t10\t96.93%\t9.69\n其中：當年財政撥款\t49.52\t49.52\t48.00\n"
    "上年結轉資金\t\t\t\n其他資金\t\t\t\n年度總體目標\t預期目標\t實際完成情況\n"
    "績效指標\t一級指標\t二級指標\t三級指標\t年度指標值\t實際完成值\t分值\t得分\t偏差原因分析及改進措施\n"
    "\t產出指標\t數量指標\t培訓人數\t80人\t50人\t4\t4\t根據統一要求，調訓人數減少。\n"
    "\t滿意度指標\t服務對象滿意度指標\t學員滿意度\t90%\t95%\t10\t10\t\n總分\t\t\t\t\t\t100\t98.42\n"
)


@pytest.fixture(scope="module")
def minhang() -> str:
    return MINHANG.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def reference(minhang):
    result = parse_bytes("002.txt", minhang.encode("utf-8"))
    assert len(result.forms) == 30 and not [i for i in result.issues if i.severity.value == "error"]
    return result.forms


@pytest.mark.parametrize(
    ("encode", "name"),
    [
        (lambda t: t.encode("utf-16-le"), "utf-16-le"),
        (lambda t: t.encode("utf-16-be"), "utf-16-be"),
        (lambda t: b"\xff\xfe" + t.encode("utf-16-le"), "utf-16-le-bom"),
        (lambda t: b"\xfe\xff" + t.encode("utf-16-be"), "utf-16-be-bom"),
        (lambda t: t.replace("\n", "\r\n").encode("utf-16-le"), "utf-16-le"),  # Excel's "Unicode text"
        (lambda t: t.encode("gb18030"), "gb18030"),
        (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "utf-8-bom"),
    ],
)
def test_every_encoding_reads_the_same_forms(minhang, reference, encode, name):
    result = parse_bytes("copy.txt", encode(minhang))
    assert result.encoding == name
    assert result.forms == reference
    assert [i.code for i in result.issues] == [i.code for i in parse_bytes("002.txt", minhang.encode()).issues]


def test_big5_is_read_as_big5_not_as_gb18030():
    data = TRADITIONAL.encode("big5")
    decoded = decode_text(data)
    assert decoded.encoding == "big5"
    assert decoded.text == TRADITIONAL
    assert data.decode("gb18030") != TRADITIONAL  # GB18030 decodes the same bytes without an error, into garbage


def test_gbk_text_of_traditional_characters_stays_gbk():
    data = TRADITIONAL.encode("gb18030")
    assert decode_text(data).encoding == "gb18030" and decode_text(data).text == TRADITIONAL


def test_encodings_are_recorded_in_source_files(tmp_path, minhang):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "le.txt").write_bytes(minhang.encode("utf-16-le"))
    (folder / "be_bom.txt").write_bytes(b"\xfe\xff" + minhang.encode("utf-16-be"))
    (folder / "gbk.txt").write_bytes(minhang.encode("gb18030"))
    (folder / "big5.txt").write_bytes(TRADITIONAL.encode("big5"))
    db = tmp_path / "j.duckdb"

    proc = run_ingest(db, folder)

    assert query(db, "SELECT source_file, encoding FROM raw.source_files ORDER BY 1") == [
        ("be_bom.txt", "utf-16-be-bom"), ("big5.txt", "big5"), ("gbk.txt", "gb18030"), ("le.txt", "utf-16-le")
    ]
    assert dict(query(db, "SELECT source_file, count(*) FROM raw.forms GROUP BY 1")) == {
        "be_bom.txt": 30, "gbk.txt": 30, "le.txt": 30
    }
    # the traditional-character form is not read yet (its labels are not in the vocabulary), but as text
    assert query(db, "SELECT error_code FROM raw.ingest_errors WHERE source_file = 'big5.txt'") == [("no_form",)]
    assert proc.returncode == 1


def test_invisible_characters_change_nothing(minhang, reference):
    lines = minhang.split("\n")
    titles = [k for k, line in enumerate(lines) if "财政项目支出绩效自评表" in line]
    assert len(titles) == 30
    for k in titles:
        lines[k] = "\u200b" + lines[k]  # a zero-width space before each title
    lines[titles[1]] = "\ufeff" + lines[titles[1]]  # a BOM mid-file (files pasted together)
    names = [k for k, line in enumerate(lines) if line.startswith("项目名称")]
    lines[names[0]] = lines[names[0]].replace("项目名称", "项目\u00ad名\u200d称", 1)  # soft hyphen, ZWJ
    lines[names[1]] = lines[names[1]].replace("\t", "\u200c\t", 1)  # ZWNJ
    result = parse_bytes("invisible.txt", "\n".join(lines).encode("utf-8"))
    assert result.forms == reference


def test_ideographic_spaces_and_nbsp_are_spaces_but_a_line_of_only_them_stays():
    text = "项目名称\u3000\u00a0公务员管理工作经费\n\n\u00a0\n\u3000\n\u00a0 \u00a0\n结束"
    assert decode_text(text.encode("utf-8")).text.split("\n") == [
        "项目名称  公务员管理工作经费", "", "\u00a0", "\u3000", "\u00a0 \u00a0", "结束"
    ]


def test_blank_and_empty_cell_lines_of_a_paragraph_sample_stay_distinguishable():
    # he_langfang: one cell per paragraph, paragraphs separated by blank lines, a lone NBSP for an empty cell
    raw_lines = LANGFANG.read_bytes().decode("utf-8").split("\n")
    lines = decode_text(LANGFANG.read_bytes()).text.split("\n")
    assert len(lines) == len(raw_lines)
    assert [k for k, line in enumerate(lines) if line == ""] == [k for k, line in enumerate(raw_lines) if line == ""]
    assert [k for k, line in enumerate(lines) if line == "\u00a0"] == [
        k for k, line in enumerate(raw_lines) if line == "\u00a0"
    ]
    assert lines[23] == "\u00a0"  # line 24: the empty cell left of 年初预算数 in the 项目资金 header
    assert "\u00a0" not in "".join(line for line in lines if line.strip("\u00a0"))


def test_a_stray_byte_is_replaced_and_reported_with_its_offset(minhang, reference):
    data = minhang.encode("utf-8")
    at = data.index(b"<p>") + 3  # inside form 1's 年度总体目标 text
    result = parse_bytes("stray.txt", data[:at] + b"\xff" + data[at:])
    assert result.encoding == "utf-8"
    assert len(result.forms) == 30
    [warning] = [i for i in result.issues if i.code == "undecodable_bytes"]
    assert warning.severity.value == "warning"
    assert f"byte offsets {at};" in warning.message and "1 byte " in warning.message
    assert result.forms[0].goal_planned.startswith("\ufffd上海市")


def test_a_stray_byte_in_gbk_text_is_replaced_too(minhang):
    data = minhang.encode("gb18030")
    at = data.index(b"\n", 3000) + 1
    decoded = decode_text(data[:at] + b"\x80" + data[at:])  # 0x80 is no GB18030 lead byte
    assert decoded.encoding == "gb18030"
    assert [i.code for i in decoded.issues] == ["undecodable_bytes"] and f"offsets {at};" in decoded.issues[0].message
    k = len(data[:at].decode("gb18030"))
    assert decoded.text == minhang[:k] + "\ufffd" + minhang[k:]


def test_a_mostly_undecodable_file_is_refused(minhang):
    data = minhang.encode("utf-8")
    broken = b"".join(data[k:k + 100] + b"\xff" for k in range(0, len(data), 100))  # one bad byte in 101
    with pytest.raises(UndecodableError, match="are not text in any encoding"):
        decode_text(broken)
    result = parse_bytes("broken.txt", broken)
    assert [(i.code, i.severity.value) for i in result.issues] == [("not_text", "error")]


def test_high_byte_noise_that_gb18030_would_decode_is_refused():
    noise = bytes((i * 37 + 11) % 126 + 0x81 for i in range(4000))  # every pair a valid GBK code
    assert len(noise.decode("gb18030")) > 1000
    result = parse_bytes("noise.bin", noise)
    assert [(i.code, i.severity.value) for i in result.issues] == [("not_text", "error")]
    assert "rare Chinese characters" in result.issues[0].message
