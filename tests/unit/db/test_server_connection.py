"""Team server connections use TLS when offered and never weaken the TLS mode the URL asks for."""

from app.db.server.schema import connect_params


def test_tls_is_preferred_by_default(monkeypatch):
    monkeypatch.delenv("PGSSLMODE", raising=False)
    assert connect_params("postgresql://ann@team.example.com/leads")["sslmode"] == "prefer"


def test_the_urls_tls_mode_wins(monkeypatch):
    monkeypatch.delenv("PGSSLMODE", raising=False)
    assert "sslmode" not in connect_params("postgresql://ann@team.example.com/leads?sslmode=verify-full")


def test_pgsslmode_wins(monkeypatch):
    monkeypatch.setenv("PGSSLMODE", "require")
    assert "sslmode" not in connect_params("postgresql://ann@team.example.com/leads")
