"""Import refuses by line what it cannot honour; export never hands a spreadsheet a formula."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from pipeline.errors import ContentError
from pipeline.roster.importer import StatedConsent, import_sheet

from .conftest import PLP


def load(store, tmp_path, text: str):
    path = tmp_path / "leden.csv"
    path.write_text(text, encoding="utf-8")
    stated = StatedConsent(date(2025, 1, 15), "ok")  # for rows without a date
    return import_sheet(store, path, PLP, ("nl",), "test", "ok", None, date(2026, 11, 29), stated)


@pytest.mark.parametrize(
    "cell",
    [
        "Jan <jan@example.org>, Piet <piet@example.org>",
        "jan@example.org; piet@example.org",
        "jan@example.org piet@example.org",
    ],
)
def test_a_cell_with_two_addresses_is_refused_by_line_not_cut_to_one(store, tmp_path, cell):
    with pytest.raises(ContentError) as refused:
        load(store, tmp_path, f'email;naam\nok@example.org;Ok\n"{cell}";Jan\n')
    [problem] = refused.value.problems
    assert problem.line == 3 and "two addresses in one cell" in problem.message
    assert "a row of their own" in problem.fix
    assert store.list(PLP) == []  # all or nothing


@pytest.mark.parametrize(
    "name",
    [
        "=?utf-8?q?Jan=0D=0ABcc:_x@example.net?=",
        "Jan%0d%0aBcc: x@example.net",
        "Jan\u0085Bcc",  # NEL
        "Jan\u2028Bcc",  # LINE SEPARATOR
        "Jan\\r\\nBcc: x@example.net",
    ],
)
def test_encoded_header_injection_in_a_name_is_refused_at_import(store, tmp_path, name):
    with pytest.raises(ContentError) as refused:
        load(store, tmp_path, f"email;naam\njan@example.org;{name}\n")
    [problem] = refused.value.problems
    assert problem.line == 2 and "the name" in problem.message
    assert store.list(PLP) == []


def test_ordinary_names_still_pass(store, tmp_path):
    report = load(store, tmp_path, "email;naam\na@example.org;Jean-Pierre = Bob\nb@example.org;\n")
    assert report.imported == 2


def test_exported_cells_that_a_spreadsheet_would_run_are_neutralised(store, tmp_path):
    names = ['=HYPERLINK("http://x.test")', "+32 470", "-1+1", "@SUM(A1)"]
    rows = "".join(f"m{i}@example.org;{n}\n" for i, n in enumerate(names))
    load(store, tmp_path, "email;naam\n" + rows)
    text = store.export(plp=PLP, fmt="csv").lstrip("\ufeff")
    exported = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [row["Name"] for row in exported] == [f"'{n}" for n in names]
