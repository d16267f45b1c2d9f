"""`leaddesk import` / `leaddesk export`: output, exit codes, --db before or after the subcommand."""

import io
import sys

import pytest

from app.main import main


@pytest.fixture
def lead_file(tmp_path):
    path = tmp_path / "Spring Leads.csv"
    path.write_text("id_lead,first_name,email\na1,Ann,ann@example.com\nbroken,\"row\nb2,Bob,bob@example.com\n"
                    "c3,Cid\n", encoding="utf-8")
    return path


def test_import_prints_the_report_and_each_rejected_row(lead_file, tmp_path, capsys):
    db = tmp_path / "cli.db"
    assert main(["--db", str(db), "import", str(lead_file)]) == 0
    out = capsys.readouterr().out
    assert "created: 2" in out and "rejected: 2" in out
    assert "line 3: unterminated quote" in out
    assert "line 5: expected 3 cells, found 2" in out

    assert main(["import", str(lead_file), "--db", str(db), "--on-duplicate", "overwrite"]) == 0
    out = capsys.readouterr().out
    assert "created: 0" in out and "unchanged: 2" in out


def test_import_shows_its_progress_on_a_terminal_and_clears_it(lead_file, tmp_path, capsys, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["--db", str(tmp_path / "cli.db"), "import", str(lead_file)]) == 0
    shown = terminal.getvalue()
    assert "All 4 rows read · building the search index and saving…" in shown
    assert shown.endswith("\r\x1b[K")  # the line is gone before the report
    assert "created: 2" in capsys.readouterr().out


def test_import_default_campaign_is_the_file_name(lead_file, tmp_path, capsys):
    db = tmp_path / "cli.db"
    main(["import", str(lead_file), "--db", str(db)])
    out_file = tmp_path / "out.csv"
    assert main(["export", str(out_file), "--db", str(db), "--campaign", "spring leads", "--columns",
                 "email,campaigns"]) == 0
    assert "exported 2 leads" in capsys.readouterr().out
    assert out_file.read_text(encoding="utf-8").splitlines() == [
        "email,campaigns", "ann@example.com,Spring Leads", "bob@example.com,Spring Leads"]


@pytest.mark.parametrize("args, message", [
    (["import", "missing.csv"], "No such file"),
    (["import", "{empty}"], "empty"),
    (["import", "{file}", "--encoding", "klingon"], "klingon"),
    (["export", "{out}", "--campaign", "Nope"], "no campaign named"),
    (["export", "{out}", "--columns", "email,bogus"], "bogus"),
])
def test_failures_are_one_line_and_non_zero(lead_file, tmp_path, capsys, args, message):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    args = [a.format(empty=empty, file=lead_file, out=tmp_path / "o.csv") for a in args]
    assert main(args + ["--db", str(tmp_path / "cli.db")]) == 1
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1 and "Traceback" not in err


def test_a_reader_that_stops_early_gets_no_traceback(lead_file, tmp_path):
    # `leaddesk import big.csv | head -1`: the import is done, the pipe closing is not an error.
    import subprocess
    import sys

    db = tmp_path / "cli.db"
    child = subprocess.Popen([sys.executable, "-m", "app", "--db", str(db), "import", str(lead_file)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdout.close()  # before the child prints anything
    _, err = child.communicate(timeout=60)
    assert child.returncode == 0 and b"Traceback" not in err and b"Broken pipe" not in err, err
    assert main(["--db", str(db), "export", str(tmp_path / "out.csv")]) == 0  # the leads are in
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").count("example.com") == 2


@pytest.mark.parametrize("flag", ["--help", "--he", "-h"])
def test_help_lists_the_commands(flag, capsys):
    # A launch without a command word skips loading the commands; asking for help must not.
    with pytest.raises(SystemExit) as exit_:
        main([flag])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "import" in out and "export" in out and "--smoke" in out


def test_a_file_without_lead_columns_needs_format_generic(tmp_path, capsys):
    import sqlite3
    from pathlib import Path

    path = Path(__file__).parents[1] / "files" / "import" / "no_person.csv"
    db = tmp_path / "cli.db"
    assert main(["--db", str(db), "import", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "“Order Number”, “Amount”, “Ordered On”" in err and "--format generic" in err
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT (SELECT count(*) FROM lead) + (SELECT count(*) FROM import_run)").fetchone() == (0,)
    conn.close()

    assert main(["--db", str(db), "import", str(path), "--format", "generic"]) == 0
    assert "created: 2" in capsys.readouterr().out
    assert main(["--db", str(db), "import", str(path), "--format", "generic"]) == 0
    out = capsys.readouterr().out
    assert "created: 0" in out and "updated: 0" in out and "matched by fingerprint: 2" in out


def test_import_spreads_new_leads_across_owners(tmp_path, capsys):
    from app.db.connection import close_database, database, open_database

    path = tmp_path / "fair.csv"
    path.write_text("first_name,email\nA,a@example.com\nB,b@example.com\nC,c@example.com\n", encoding="utf-8")
    db = tmp_path / "cli.db"
    assert main(["import", str(path), "--db", str(db), "--owners", "ann,bob"]) == 0
    assert "owners: ann 2, bob 1" in capsys.readouterr().out
    open_database(db)
    try:
        assert [r[0] for r in database.execute_sql("SELECT owner FROM lead ORDER BY id")] == ["ann", "bob", "ann"]
    finally:
        close_database()
    assert main(["import", str(path), "--db", str(db), "--owners", " , "]) != 0
    assert "at least one rep" in capsys.readouterr().err


def test_empty_trash_erases_the_reps_own_leads_and_says_which_stay(tmp_path, capsys):
    from app.db.connection import close_database, database, open_database
    from app.services import bulk
    from tests.helpers.leadgen import add_leads

    db = tmp_path / "leads.db"
    open_database(db)
    ids = add_leads(2)
    database.execute_sql("UPDATE lead SET owner = 'ann' WHERE id = ?", (ids[0],))
    database.execute_sql("UPDATE sync_state SET enabled = 1, rep = 'bob'")
    bulk.delete_to_trash(ids)
    close_database()
    assert main(["empty-trash", "--db", str(db)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "erased: 1", "1 lead stays in the Trash: only ann or a manager may delete it for good."]
