#!/usr/bin/env python3
"""test_spreadsheet.py - CSV files as spreadsheets in a Spanish or French locale save them.

Each file is written byte for byte as such a spreadsheet writes it (';' between cells,
CRLF, a byte-order mark or Windows-1252 text, decimal commas, "Sí"/"No", DD/MM/YYYY
dates, empty rows, spaces around cells) and imported into a real database; the stored
records are read back from the database file. Files the reader must refuse (mixed
encodings, an undefined Windows-1252 byte, a DD/MM date without --date-format, a word
that is no boolean) leave the database as it was, with an error naming the file, the
line and the column's header.

    python3 test_spreadsheet.py CIRCULAB_PROGRAM [TEST...]
"""
import json
import os
import sqlite3

from harness import fresh, main, test, write_bytes
from common import run, scenario, state, vacancy, worker

HEADER = "id;name;birth_date;country;region;available_from;available_to;campaigns;returned"


def base(tmp):
    """A database with one employer, one vacancy and one worker."""
    doc = scenario([worker("W1")], [vacancy("V1")])
    return fresh(tmp, doc)


def stored_worker(db, wid):
    con = sqlite3.connect(db)
    try:
        row = con.execute("SELECT doc, returned, campaigns, name FROM workers WHERE id = ?",
                          (wid,)).fetchone()
    finally:
        con.close()
    if not row:
        return None
    doc = json.loads(row[0])
    if row[3] is not None:
        doc["name"] = row[3]  # the name is kept in its own column
    return doc, row[1], row[2]


def stored_vacancy(db, vid):
    con = sqlite3.connect(db)
    try:
        row = con.execute("SELECT doc FROM vacancies WHERE id = ?", (vid,)).fetchone()
    finally:
        con.close()
    return json.loads(row[0]) if row else None


@test
def spanish_excel_utf8_with_bom(tmp):
    db = base(tmp)
    text = (HEADER + "\r\n"
            " W2 ; José Núñez ;15/03/1990;MA; MA-05 ;01/02/2026;31/07/2026; 2 ;Sí\r\n"
            ";;;;;;;;\r\n"
            "W3;\"Amina; B.\";1/12/1985;MA;MA-03;01/03/2026;30/06/2026;0;NO\r\n"
            "\r\n")
    path = write_bytes(os.path.join(tmp, "trabajadores.csv"),
                       b"\xef\xbb\xbf" + text.encode("utf-8"))
    run("import", path, "--date-format", "DD/MM/YYYY", db=db, check=0)
    doc, returned, campaigns = stored_worker(db, "W2")
    assert doc["name"] == "José Núñez", doc
    assert doc["birth_date"] == "1990-03-15", doc
    assert doc["region"] == "MA-05", doc
    assert doc["available"] == {"from": "2026-02-01", "to": "2026-07-31"}, doc
    assert (returned, campaigns) == (1, 2), (returned, campaigns)
    doc, returned, _ = stored_worker(db, "W3")
    assert doc["name"] == "Amina; B." and doc["birth_date"] == "1985-12-01", doc
    assert returned == 0
    # the round sees them
    run("round", "run", db=db, check=0)


@test
def windows_1252_file_is_converted(tmp):
    db = base(tmp)
    text = (HEADER + "\r\n"
            "W4;Hélène Ç. – €;02/01/1992;MA;MA-05;01/02/2026;31/07/2026;1;oui\r\n")
    path = write_bytes(os.path.join(tmp, "ouvriers.csv"), text.encode("cp1252"))
    run("import", path, "--date-format", "DD/MM/YYYY", db=db, check=0)
    doc, returned, _ = stored_worker(db, "W4")
    assert doc["name"] == "Hélène Ç. – €", doc  # never mojibake
    assert doc["birth_date"] == "1992-01-02" and returned == 1, doc


@test
def month_first_dates_and_tabs(tmp):
    db = base(tmp)
    text = ("id\tbirth_date\tcountry\tavailable_from\tavailable_to\n"
            "W5\t12/01/1991\tMA\t02/01/2026\t07/31/2026\n")
    path = write_bytes(os.path.join(tmp, "w.tsv"), text.encode())
    run("import", path, "--date-format", "MM/DD/YYYY", db=db, check=0)
    doc, _, _ = stored_worker(db, "W5")
    assert doc["birth_date"] == "1991-12-01", doc
    assert doc["available"]["to"] == "2026-07-31", doc


@test
def decimal_comma_with_semicolons(tmp):
    db = base(tmp)
    text = ("id;employer;start;end;headcount;wage_month_eur;hold_named\r\n"
            "V2;E1;2026-02-01;2026-05-31;3;1234,5;No\r\n")
    path = write_bytes(os.path.join(tmp, "ofertas.csv"), text.encode())
    run("import", path, db=db, check=0)
    doc = stored_vacancy(db, "V2")
    assert doc["wage_month_eur"] == 1234.5 and doc["headcount"] == 3, doc
    assert doc.get("hold_named", False) is False, doc


@test
def delimiter_option_overrides_detection(tmp):
    db = base(tmp)
    # a header with more commas than semicolons inside one column's name is not
    # possible, so give the delimiter: a one-column file has none to count
    text = "id;birth_date;country;available_from;available_to\nW6;1990-01-01;MA;2026-01-01;2026-12-31\n"
    path = write_bytes(os.path.join(tmp, "w.csv"), text.encode())
    before = state(db)
    _, _, err = run("import", path, "--delimiter", ",", db=db, check=3)
    assert "w.csv" in err, err
    assert state(db) == before
    run("import", path, "--delimiter", ";", db=db, check=0)
    assert stored_worker(db, "W6") is not None
    _, _, err = run("import", path, "--delimiter", "|", db=db, check=2)
    assert "--delimiter" in err, err
    _, _, err = run("import", path, "--date-format", "YY/MM/DD", db=db, check=2)
    assert "--date-format" in err, err


@test
def refused_files_change_nothing(tmp):
    db = base(tmp)
    before = state(db)
    cases = [
        # UTF-8 and Windows-1252 mixed in one file
        ("mixed.csv", (HEADER + "\nW7;José;1990-01-01;MA;MA-05;2026-01-01;2026-12-31;0;no\n")
         .encode("utf-8") + "W8;Hélène;1990-01-01;MA;MA-05;2026-01-01;2026-12-31;0;no\n"
         .encode("cp1252"), 3, ["mixed.csv:3:", "UTF-8"]),
        # a byte Windows-1252 does not define
        ("undef.csv", (HEADER + "\n").encode() + b"W7;A\x81;1990-01-01;MA;MA-05;"
         b"2026-01-01;2026-12-31;0;no\n", 3, ["undef.csv:2:", "UTF-8"]),
        # a spreadsheet's date without --date-format: never guessed
        ("dates.csv", (HEADER + "\nW7;A;15/03/1990;MA;MA-05;2026-01-01;2026-12-31;0;no\n")
         .encode(), 3, ["dates.csv:2:", "birth_date", "--date-format"]),
        # a rule of the reader: named by the column's header, not a JSON path
        ("rule.csv", (HEADER + "\nW7;A;1990-01-01;MA;MA-05;2026-13-01;2026-12-31;0;no\n")
         .encode(), 3, ["rule.csv:2:", "column 'available_from'"]),
        # not a boolean
        ("bool.csv", (HEADER + "\nW7;A;1990-01-01;MA;MA-05;2026-01-01;2026-12-31;0;maybe\n")
         .encode(), 3, ["bool.csv:2:", "returned", "yes/no"]),
    ]
    for name, data, code, needles in cases:
        path = write_bytes(os.path.join(tmp, name), data)
        _, _, err = run("import", path, db=db, check=code)
        for n in needles:
            assert n in err, (name, n, err)
        assert "José" not in err and "Hélène" not in err, err  # no personal data
        assert state(db) == before, name


@test
def excel_export_reads_back(tmp):
    doc = scenario([worker("W1", name="José Núñez"), worker("W2")],
                   [vacancy("V1", wage_month_eur=1234.5), vacancy("V2", headcount=2)])
    db = fresh(tmp, doc)
    for what in ("employers", "workers", "vacancies"):
        plain = os.path.join(tmp, what + ".csv")
        excel = os.path.join(tmp, what + "-excel.csv")
        run("export", "--what", what, "--with-names", "-o", plain, db=db, check=0)
        run("export", "--what", what, "--with-names", "--excel", "-o", excel, db=db,
            check=0)
        data = open(excel, "rb").read()
        assert data.startswith(b"\xef\xbb\xbf"), data[:10]
        header = data[3:].split(b"\r\n")[0].decode()
        assert header == open(plain).readline().rstrip("\n").replace(",", ";"), header
        if what == "vacancies":
            assert b";1234,5;" in data, data
        # imported into a new database, the spreadsheet file gives the same records
        db2 = os.path.join(tmp, what + ".db")
        run("init", db=db2, check=0)
        if what != "employers":
            run("import", os.path.join(tmp, "employers.csv"), db=db2, check=0)
        run("import", excel, db=db2, check=0)
        again = os.path.join(tmp, what + "-again.csv")
        run("export", "--what", what, "--with-names", "-o", again, db=db2, check=0)
        assert open(again, "rb").read() == open(plain, "rb").read(), what
    _, _, err = run("export", "--what", "scenario", "--excel", db=db, check=3)
    assert "--excel" in err, err


if __name__ == "__main__":
    raise SystemExit(main(__doc__))
