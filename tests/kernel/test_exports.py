import io

import pytest
from openpyxl import load_workbook

from config.kernel.exports import cell_safe, csv_response, csv_text, xlsx_bytes


@pytest.mark.parametrize(
    "value",
    [
        "=HYPERLINK(evil)",
        "+1",
        "-2+3",
        "@SUM(A1)",
        "\tcmd",
        "\rcmd",
        "\ncmd",
        "  =1+1",
        "\n=1+1",
        "\r\n@SUM(A1)",
        " \t-2+3",
        "\u00a0+1",
        "\uff1dHYPERLINK(evil)",
    ],
)
def test_a_text_cell_a_spreadsheet_would_run_is_made_plain(value):
    assert cell_safe(value) == f"'{value}"


@pytest.mark.parametrize(
    "value", ["Smith", "O'Brien", "", " ", "  Smith", "Flat 2 = top floor", -3, 2.5, None]
)
def test_other_cells_pass_as_they_are(value):
    assert cell_safe(value) == value


def test_csv_guards_every_cell():
    assert csv_text([["Name", "Note"], ["Ann", "=cmd()"]]) == "Name,Note\r\nAnn,'=cmd()\r\n"


def test_csv_guards_a_formula_after_a_line_break():
    assert csv_text([["\n=cmd()"]]) == '"\'\n=cmd()"\r\n'


def test_a_csv_download_streams_with_a_safe_file_name():
    response = csv_response('log"; x=1.csv', [["a"], ["=b"]])
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="logx1.csv"'
    assert b"".join(response.streaming_content) == b"a\r\n'=b\r\n"


def test_xlsx_guards_cells_and_bolds_the_header():
    workbook = load_workbook(io.BytesIO(xlsx_bytes([("People", [["Name"], ["@evil"]])])))
    sheet = workbook["People"]
    assert sheet["A1"].font.bold
    assert sheet["A2"].value == "'@evil"
