"""What the readers refuse, on every input path (scenario documents, CSV imports,
placement CSV files, employers' vacancy files): NUL bytes in CSV cells, control and
bidirectional formatting characters in ids, number cells that are not JSON numbers,
wages that overflow; and what they accept: a JSON document behind a byte-order mark.
Each refusal is exit 3 naming the file and line/column (or JSON path), with the
database unchanged.

Usage: test_import_input.py CIRCULAB_PROGRAM [TEST...]"""
import json
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import test, fresh, write_bytes, main  # noqa: E402
from common import run, worker, vacancy, scenario, write_json, state  # noqa: E402

WORKER_HEADER = b"id,birth_date,country,available_from,available_to\n"


def base_doc():
    return scenario([worker("W00001"), worker("W00002")], [vacancy("V1", headcount=2)])


@test
def nul_in_csv_id_is_refused(tmp):
    db = fresh(tmp, base_doc())
    before = state(db)
    csv = write_bytes(os.path.join(tmp, "w.csv"), WORKER_HEADER +
                      b"W00001\x00EVIL,1980-05-05,MA,2026-01-01,2026-12-31\n")
    _, _, err = run("import", csv, db=db, check=3)
    assert "w.csv:2:7:" in err and "NUL" in err, err
    assert state(db) == before


@test
def nul_in_quoted_csv_cell_is_refused(tmp):
    db = fresh(tmp, base_doc())
    csv = write_bytes(os.path.join(tmp, "w.csv"), WORKER_HEADER +
                      b"\"W00001\x00\",1980-05-05,MA,2026-01-01,2026-12-31\n")
    _, _, err = run("import", csv, db=db, check=3)
    assert "w.csv:2:8:" in err and "NUL" in err, err


@test
def nul_in_placement_csv_is_refused(tmp):
    db = fresh(tmp, base_doc())
    run("round", "run", db=db, check=0)
    before = state(db)
    csv = write_bytes(os.path.join(tmp, "p.csv"), b"placement\n1\x00junk\n")
    _, _, err = run("placement", "confirm", "--csv", csv, db=db, check=3)
    assert "p.csv:2:2:" in err and "NUL" in err, err
    assert state(db) == before


BAD_IDS = {
    "escape": "W\u001b[31mX",
    "newline": "W1\nW2",
    "tab": "W\tX",
    "delete": "W\u007fX",
    "c1": "W\u0085X",
    "rlo": "W\u202eX",
    "lrm": "W\u200eX",
    "rlm": "W\u200fX",
    "lri": "W\u2066X",
    "pdi": "W\u2069X",
}


@test
def control_characters_in_document_ids_are_refused(tmp):
    db = fresh(tmp)
    for name, bad in BAD_IDS.items():
        doc = base_doc()
        doc["workers"][1]["id"] = bad
        path = write_json(os.path.join(tmp, "%s.json" % name), doc)
        _, out, err = run("validate", path, check=3)
        assert "$.workers[1].id" in out + err and "U+" in out + err, (name, out, err)
        # the message never shows the character raw
        assert bad not in out + err, (name, out + err)
        before = state(db)
        run("import", path, db=db, check=3)
        assert state(db) == before
    # every kind of id, and named workers, go through the same rule
    doc = base_doc()
    doc["employers"][0]["id"] = "E\u202e1"
    doc["vacancies"][0]["employer"] = "E\u202e1"
    _, out, err = run("validate", write_json(os.path.join(tmp, "e.json"), doc), check=3)
    assert "$.employers[0].id" in out + err, out + err
    doc = base_doc()
    doc["vacancies"][0]["named"] = ["W\u2066"]
    _, out, err = run("validate", write_json(os.path.join(tmp, "n.json"), doc), check=3)
    assert "$.vacancies[0].named[0]" in out + err, out + err


@test
def control_characters_in_csv_ids_are_refused(tmp):
    db = fresh(tmp, base_doc())
    before = state(db)
    csv = write_bytes(os.path.join(tmp, "w.csv"), WORKER_HEADER +
                      "W9\u202e,1980-05-05,MA,2026-01-01,2026-12-31\n".encode())
    _, _, err = run("import", csv, db=db, check=3)
    assert "w.csv:2:1:" in err and "U+202E" in err, err
    csv = write_bytes(os.path.join(tmp, "v.csv"),
                      b"id,employer,start,end,headcount\n"
                      b"V\x1b[2J,E1,2026-02-01,2026-03-01,1\n")
    _, _, err = run("import", csv, db=db, check=3)
    assert "v.csv:2:1:" in err and "U+001B" in err, err
    assert state(db) == before


@test
def control_characters_in_submitted_vacancy_ids_are_refused(tmp):
    db = fresh(tmp, base_doc())
    before = state(db)
    offer = vacancy("V\u202e9")
    path = write_json(os.path.join(tmp, "offer.json"), offer)
    _, out, err = run("vacancy", "submit", path, db=db, check=3)
    assert "U+202E" in out + err, out + err
    assert state(db) == before


@test
def number_cells_must_be_json_numbers(tmp):
    db = fresh(tmp, base_doc())
    before = state(db)
    for cell in ["+5", "007", "nan", "inf", "0x10", "1e400", "99999999999"]:
        csv = write_bytes(os.path.join(tmp, "v.csv"),
                          b"id,employer,start,end,headcount\n"
                          b"V9,E1,2026-02-01,2026-03-01," + cell.encode() + b"\n")
        _, _, err = run("import", csv, db=db, check=3)
        assert "v.csv:2:29: column 'headcount'" in err, (cell, err)
    for cell in ["1e400", "-1e999"]:
        csv = write_bytes(os.path.join(tmp, "v.csv"),
                          b"id,employer,start,end,headcount,wage_month_eur\n"
                          b"V9,E1,2026-02-01,2026-03-01,1," + cell.encode() + b"\n")
        _, _, err = run("import", csv, db=db, check=3)
        assert "column 'wage_month_eur'" in err and "out of range" in err, (cell, err)
    csv = write_bytes(os.path.join(tmp, "w.csv"),
                      WORKER_HEADER[:-1] + b",campaigns\n"
                      b"W9,1980-05-05,MA,2026-01-01,2026-12-31,+3\n")
    _, _, err = run("import", csv, db=db, check=3)
    assert "w.csv:2:40: column 'campaigns'" in err, err
    assert state(db) == before
    # plain numbers still import
    csv = write_bytes(os.path.join(tmp, "v.csv"),
                      b"id,employer,start,end,headcount,wage_month_eur\n"
                      b"V9,E1,2026-02-01,2026-03-01,10,1500.5\n")
    run("import", csv, db=db, check=0)


@test
def json_document_behind_a_byte_order_mark(tmp):
    doc = json.dumps(base_doc()).encode()
    path = write_bytes(os.path.join(tmp, "bom.json"), b"\xef\xbb\xbf" + doc)
    run("validate", path, check=0)
    run("solve", path, "-o", os.path.join(tmp, "r.json"), check=0)
    db = fresh(tmp)
    _, out, _ = run("import", path, "--json", db=db, check=0)
    assert json.loads(out)["workers"] == 2
    # without the .json suffix too: the content tells
    path2 = write_bytes(os.path.join(tmp, "bom-doc"), b"\xef\xbb\xbf" + doc)
    run("import", path2, db=db, check=0)


def serve_once(tmp, body):
    """A loopback HTTP server answering every GET with `body` (JSON); returns its URL
    and the server (shut it down after use)."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return "http://127.0.0.1:%d/jobs" % srv.server_address[1], srv


@test
def jobposting_wage_that_overflows_is_refused(tmp):
    db = fresh(tmp, base_doc())
    jp = {"@context": "https://schema.org", "@type": "JobPosting", "identifier": "JP-1",
          "title": "Berry picker", "jobStartDate": "2026-02-01",
          "validThrough": "2026-06-15T23:59:59", "totalJobOpenings": 2,
          "hiringOrganization": {"@type": "Organization", "identifier": "E1",
                                 "address": {"@type": "PostalAddress",
                                             "addressRegion": "ES615"}},
          "baseSalary": {"@type": "MonetaryAmount", "currency": "EUR",
                         "value": {"@type": "QuantitativeValue", "value": 1e308,
                                   "unitText": "HOUR"}}}
    url, srv = serve_once(tmp, [jp])
    try:
        run("source", "add", "jp", url, "--format", "jobposting", db=db, check=0)
        rc, out, err = run("fetch", "jp", db=db)
    finally:
        srv.shutdown()
    assert "baseSalary" in out + err and "out of range" in out + err, (rc, out, err)
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT doc FROM vacancies WHERE id = 'JP-1'").fetchall()
    finally:
        con.close()
    assert rows == [], rows  # never stored with the wage dropped


@test
def input_size_limit(tmp):
    big = os.path.join(tmp, "big.json")
    with open(big, "wb") as f:  # sparse: costs no disk
        f.truncate((256 << 20) + 1)
    _, out, err = run("validate", big, check=3)
    assert "above the input limit of 268435456 bytes" in out + err, out + err
    run("solve", big, "-o", os.path.join(tmp, "r.json"), check=3)
    db = fresh(tmp)
    before = state(db)
    _, _, err = run("import", big, db=db, check=3)
    assert "big.json is 268435457 bytes, above the input limit" in err, err
    assert state(db) == before
    small = write_json(os.path.join(tmp, "s.json"), base_doc())
    _, out, err = run("validate", small, "--max-bytes", "100", check=3)
    assert "s.json is" in out + err and "limit of 100 bytes" in out + err, out + err
    run("validate", small, "--max-bytes", "100000", check=0)
    run("solve", small, "--max-bytes", "100", "-o", os.path.join(tmp, "r.json"), check=3)
    run("import", small, "--max-bytes", "100", db=db, check=3)
    run("import", small, "--max-bytes", "100000", db=db, check=0)
    with open(small, "rb") as f:
        text = f.read()
    _, out, err = run("validate", "-", "--max-bytes", "100", input=text.decode(), check=3)
    assert "standard input is larger than the input limit" in out + err, out + err


@test
def source_names_follow_the_id_rule(tmp):
    db = fresh(tmp)
    for bad in ["s\u202e1", "s\u2066x", "s\x1b[2J", ""]:
        _, _, err = run("source", "add", bad, "http://127.0.0.1:9/", db=db, check=3)
        assert "source name" in err and (bad == "" or bad not in err), err
    _, _, err = run("source", "add", "ok", "http://127.0.0.1:9/", "--employer", "E\u200f",
                    db=db, check=3)
    assert "U+200F" in err, err
    run("source", "add", "ok", "http://127.0.0.1:9/", db=db, check=0)


@test
def nul_in_rates_csv_is_refused(tmp):
    doc = write_json(os.path.join(tmp, "s.json"), base_doc())
    rates = write_bytes(os.path.join(tmp, "rates.csv"),
                        b"region,rate\nMA-05,0.5\x00junk\n")
    _, out, err = run("simulate", doc, "--seasons", "1", "--return-rate", "0.8",
                      "--rates-by-region", rates, check=3)
    assert "rates.csv:2:10:" in err and "NUL" in err, err


if __name__ == "__main__":
    sys.exit(main(__doc__))
