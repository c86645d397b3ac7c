import io

import pytest
from openpyxl import load_workbook

from config.kernel.exports import cell_safe, csv_response, csv_text, xlsx_bytes


@pytest.mark.parametrize(
    "value",
    ["=HYPERLINK(evil)", "+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "  =1+1"],
)
def test_a_text_cell_a_spreadsheet_would_run_is_made_plain(value):
    assert cell_safe(value) == f"'{value}"


@pytest.mark.parametrize("value", ["Smith", "O'Brien", "", -3, 2.5, None])
def test_other_cells_pass_as_they_are(value):
    assert cell_safe(value) == value


def test_csv_guards_every_cell():
    assert csv_text([["Name", "Note"], ["Ann", "=cmd()"]]) == "Name,Note\r\nAnn,'=cmd()\r\n"


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
