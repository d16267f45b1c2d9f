"""Realistic benchmark leads, generated fast and cached in ``build/bench-data/``.

The database is created by ``app.db.connection.open_database`` so the schema, FTS table and
triggers are the real ones; the rows go in through raw ``sqlite3`` ``executemany`` with the
secondary indexes and FTS triggers dropped, then the indexes are rebuilt and ``lead_fts`` is
filled with one INSERT…SELECT (building an index once is far cheaper than row by row).

Data is deterministic for a given size and ``GENERATOR_VERSION``: bump the version whenever the
shape of the data changes. The cache name also carries a hash of the schema, so a new index or
column (which changes what is being measured) regenerates the database.
"""

import argparse
import array
import hashlib
import json
import os
import random
import sqlite3
import time
from pathlib import Path

from app.db.connection import _split_sql as split_sql
from app.db.connection import close_database, open_database
from app.db.schema import FTS_COLUMNS, FTS_TRIGGER_NAMES, FTS_TRIGGERS, MIGRATIONS
from app.services.lead_filter import HEADCOUNT_RANGES

GENERATOR_VERSION = 1
ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "build"
CACHE_DIR = ROOT / "build" / "bench-data"
CAMPAIGNS = 50
BATCH = 50_000

FIRST_NAMES = (
    "Camille Jonas Priya Marcus Aiko Mateo Fatima Olivia Liam Noah Emma Sofia Lucas Mia Hugo Léa "
    "Wei Mei Hiroshi Yuki Sakura Kenji Min-jun Ji-woo Seo-yeon Arjun Ananya Rohan Aditi Vikram "
    "Kwame Amara Chidi Ngozi Thabo Zanele Omar Layla Youssef Leila Ahmed Aisha Mehmet Elif Emre "
    "Zeynep Dmitri Olga Ivan Anastasia Pavel Katarzyna Piotr Agnieszka Tomasz Jan Eva Lars Ingrid "
    "Sven Astrid Mikko Aino Sean Siobhan Niamh Patrick Giulia Marco Francesca Luca Chiara Pablo "
    "Lucía Javier Carmen Diego Valentina Santiago Camila João Ana Pedro Beatriz Thiago Gabriela "
    "James Mary Robert Patricia Michael Jennifer David Linda William Elizabeth Sarah Daniel Jessica "
    "Matthew Ashley Christopher Emily Andrew Hannah Joshua Madison Ethan Chloe Benjamin Grace "
    "Nguyen Linh Minh Thu Somchai Suda Rizal Siti Ayesha Bilal Farhan Nadia Tariq Zara Kofi Esi "
    "Chen Jie Xin Hao Lina Sami Rania Karim Noor Hamza Ines Malik Tenzin Dawa Kai Leilani Moana"
).split()
LAST_NAMES = (
    "Durand Becker Raman O'Neill Tanaka García Haddad Smith Johnson Williams Brown Jones Miller "
    "Davis Rodríguez Martínez Hernández López González Wilson Anderson Thomas Taylor Moore Jackson "
    "Martin Lee Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott "
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Schulz Hoffmann Koch Bauer Richter Klein "
    "Dubois Lefebvre Moreau Laurent Simon Michel Bernard Petit Rossi Russo Ferrari Esposito Bianchi "
    "Romano Colombo Ricci Silva Santos Oliveira Souza Pereira Costa Ferreira Almeida Kowalski Nowak "
    "Wiśniewski Wójcik Ivanov Smirnov Kuznetsov Popov Petrov Sokolov Nielsen Jensen Hansen Andersen "
    "Johansson Karlsson Nilsson Virtanen Korhonen Murphy Kelly Byrne Ryan Walsh Sato Suzuki "
    "Takahashi Watanabe Ito Yamamoto Nakamura Kim Park Choi Jung Kang Cho Wang Li Zhang Liu Chen "
    "Yang Huang Zhao Wu Zhou Sharma Patel Singh Kumar Gupta Reddy Iyer Nair Mehta Joshi Okafor "
    "Adeyemi Mensah Boateng Nkosi Dlamini Mwangi Otieno Hassan Ali Khan Rahman Hussein Yilmaz "
    "Kaya Demir Şahin Çelik Cohen Levi Mizrahi Nguyen Tran Pham Le Hoang Santoso Wijaya Tanaka-Berg"
).split()
COMPANY_HEADS = (
    "Lumen Nordlicht Tiffin Brightpath Acme Blue Harbor Quantum Atlas Nimbus Vertex Summit Orbit "
    "Cedar Granite Silver Iron Coral Maple Aurora Zenith Polar Echo Nova Pioneer Beacon Falcon Delta "
    "Sierra Apex Horizon Meridian Crescent Evergreen Redwood Sapphire Crimson Golden Northwind "
    "Bluebird Riverstone Ember Helix Prism Kinetic Lattice Vanta Solace Tidal Sable Juniper Willow "
    "Onyx Cobalt Indigo Saffron Basil Fjord Dune Mistral Sirocco Monsoon Kestrel Heron Lynx Otter"
).split()
COMPANY_TAILS = (
    "Analytics|Software|Health|Labs|Systems|Logistics|Capital|Foods|Energy|Robotics|Cloud|Media|"
    "Partners|Consulting|Biotech|Security|Payments|Learning|Mobility|Studio|Networks|Retail|"
    "Manufacturing|Insurance|Legal|Travel|Games|Data|AI|Solutions|Group|Ventures|Technologies"
).split("|")
COMPANY_FORMS = ("", "", "", " Inc", " GmbH", " Ltd", " SAS", " BV", " AB", " S.A.", " LLC", " Pty Ltd", " KK")
TLDS = (".com", ".com", ".com", ".io", ".de", ".fr", ".co.uk", ".in", ".es", ".it", ".nl", ".se", ".jp", ".com.br", ".ai")
TITLES = (
    "VP Sales at {c}", "Founder & CEO", "Founder & CEO, {c}", "Co-founder at {c}", "Head of Growth at {c}",
    "Director of Revenue Operations", "Chief Marketing Officer", "Head of Sales EMEA | {c}",
    "Account Executive at {c}", "Sales Development Representative", "Marketing Manager at {c}",
    "CTO at {c}", "Software Engineer", "Senior Product Manager at {c}", "Head of People",
    "Operations Manager", "Business Development Manager at {c}", "Customer Success Lead",
    "Growth Marketer | B2B SaaS", "Managing Director, {c}", "Procurement Manager at {c}",
    "Chief Revenue Officer", "Head of Partnerships at {c}", "Demand Generation Manager",
    "Owner", "General Manager at {c}", "Talent Acquisition Partner", "HR Director at {c}",
    "CFO", "Finance Manager at {c}", "Helping B2B teams grow pipeline", "Consultant",
)
PLACES = {
    "United States": ("New York, New York|Austin, Texas|San Francisco, California|Chicago, Illinois|"
                      "Boston, Massachusetts|Seattle, Washington|Denver, Colorado|Miami, Florida"),
    "United Kingdom": "London, England|Manchester, England|Edinburgh, Scotland|Bristol, England",
    "Germany": "Munich, Bavaria|Berlin, Berlin|Hamburg, Hamburg|Frankfurt, Hesse|Cologne, North Rhine-Westphalia",
    "France": "Paris, Île-de-France|Lyon, Auvergne-Rhône-Alpes|Toulouse, Occitanie|Nantes, Pays de la Loire",
    "Spain": "Madrid, Community of Madrid|Barcelona, Catalonia|Valencia, Valencian Community|Sevilla, Andalusia",
    "Italy": "Milan, Lombardy|Rome, Lazio|Turin, Piedmont|Bologna, Emilia-Romagna",
    "Netherlands": "Amsterdam, North Holland|Rotterdam, South Holland|Utrecht, Utrecht",
    "Sweden": "Stockholm, Stockholm County|Gothenburg, Västra Götaland",
    "Poland": "Warsaw, Masovia|Kraków, Lesser Poland|Wrocław, Lower Silesia",
    "India": "Bengaluru, Karnataka|Mumbai, Maharashtra|New Delhi, Delhi|Hyderabad, Telangana|Pune, Maharashtra",
    "Japan": "Tokyo, Tokyo|Osaka, Osaka|Fukuoka, Fukuoka",
    "South Korea": "Seoul, Seoul|Busan, Busan",
    "China": "Shanghai, Shanghai|Shenzhen, Guangdong|Beijing, Beijing",
    "Brazil": "São Paulo, São Paulo|Rio de Janeiro, Rio de Janeiro|Belo Horizonte, Minas Gerais",
    "Mexico": "Mexico City, CDMX|Guadalajara, Jalisco|Monterrey, Nuevo León",
    "Nigeria": "Lagos, Lagos|Abuja, FCT",
    "Kenya": "Nairobi, Nairobi County",
    "South Africa": "Cape Town, Western Cape|Johannesburg, Gauteng",
    "United Arab Emirates": "Dubai, Dubai|Abu Dhabi, Abu Dhabi",
    "Turkey": "Istanbul, Istanbul|Ankara, Ankara",
    "Australia": "Sydney, New South Wales|Melbourne, Victoria|Brisbane, Queensland",
    "Canada": "Toronto, Ontario|Vancouver, British Columbia|Montreal, Quebec",
    "Vietnam": "Ho Chi Minh City, Ho Chi Minh|Hanoi, Hanoi",
    "Indonesia": "Jakarta, Jakarta|Surabaya, East Java",
}
COUNTRY_WEIGHTS = (30, 10, 8, 7, 5, 4, 3, 2, 2, 8, 3, 2, 2, 4, 2, 1, 1, 1, 1, 1, 2, 3, 1, 1)
INDUSTRIES = (
    ("Software", "Enterprise Software|SaaS|Business Intelligence|Developer Tools|Cybersecurity"),
    ("Hospital & Health Care", "Health Tech|Medical Devices|Clinics"),
    ("Financial Services", "Fintech|Payments|Insurance|Banking"),
    ("Food & Beverages", "Food Delivery|Restaurants|Beverages"),
    ("Retail", "E-commerce|Fashion|Consumer Electronics"),
    ("Manufacturing", "Industrial Automation|Automotive|Chemicals"),
    ("Marketing & Advertising", "Agencies|Ad Tech|Content"),
    ("Education", "EdTech|Higher Education|Corporate Training"),
    ("Logistics", "Freight|Last Mile|Warehousing"),
    ("Energy", "Renewables|Oil & Gas|Utilities"),
)
HEADCOUNT_WEIGHTS = (22, 25, 20, 12, 8, 7, 3, 3)
EMAIL_STATUS_WEIGHTS = {
    "valid": 42, "": 14, "catchall": 10, "invalid": 8, "unknown": 7, "pending": 5, "role": 3,
    "role_account": 3, "inbox_full": 2, "disabled": 2, "disposable": 2, "spamtrap": 2,
}
AI_SNIPPETS = (
    "Hiring growth marketers this quarter", "Celebrating record quarter for the team",
    "Launching a new product line", "Looking for outbound automation", "Expanding into new markets",
    "Raised a Series A round", "Speaking at a SaaS conference", "Rebuilding the sales playbook",
)
AI_USE_CASES = (
    "Automate outbound so your SDRs focus on replies", "Fill the pipeline for the new sales team",
    "Reach HR managers who order team lunches", "Cut manual CRM data entry in half",
    "Personalise first lines at scale without extra headcount", "Book more demos from inbound traffic",
)
TAGS = (("hot", "#e5484d"), ("follow-up", "#f5a524"), ("partner", "#30a46c"), ("conference", "#5b8def"),
        ("referral", "#8e4ec6"), ("cold", "#8d8d8d"), ("decision maker", "#12a594"), ("champion", "#d6409f"),
        ("competitor customer", "#ad7f58"), ("newsletter", "#3e63dd"), ("event 2025", "#0090ff"),
        ("do not contact", "#1c2024"))
CAMPAIGN_THEMES = ("DACH SaaS founders", "US RevOps leaders", "Nordic fintech", "India D2C brands",
                   "UK agencies", "LatAm e-commerce", "APAC logistics", "France health tech",
                   "Benelux manufacturing", "Gulf enterprise IT")


def parse_size(text: str) -> int:
    """``"10k"`` → 10000, ``"1M"`` → 1000000, ``"300"`` → 300."""
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * factor)


def size_label(size: int) -> str:
    if size >= 1_000_000 and size % 1_000_000 == 0:
        return f"{size // 1_000_000}M"
    if size >= 1_000 and size % 1_000 == 0:
        return f"{size // 1_000}k"
    return str(size)


def save_results(kind: str, size: int, data) -> Path:
    """Write one benchmark's figures to ``build/bench-results-<kind>-<size>.json``."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"bench-results-{kind}-{size_label(size)}.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def main_at_size(argv: list[str] | None, *, prog: str, doc: str, kind: str, option: str, default: str,
                 help_text: str, measure, markdown) -> int:
    """The command line of a bench measured at one size: read ``option``, measure, print the table, save the figures.

    ``measure(size, log=...)`` returns the figures (nothing when it could not run: no table then),
    ``markdown(size, figures)`` their table; they are saved as ``bench-results-<kind>-<size>.json``.
    """
    parser = argparse.ArgumentParser(prog=prog, description=doc.splitlines()[0])
    parser.add_argument(option, default=default, help=help_text)
    size = parse_size(getattr(parser.parse_args(argv), option.lstrip("-")))
    figures = measure(size, log=lambda m: print(m, flush=True))
    if figures:
        print(markdown(size, figures))
        save_results(kind, size, figures)
    return 0


def cached_database(size: int, cache_dir: Path = CACHE_DIR, log=print) -> Path:
    """The path of a generated database with ``size`` leads, generating it on first use."""
    schema = hashlib.sha256("".join(MIGRATIONS).encode()).hexdigest()[:8]
    path = cache_dir / f"leads-{size_label(size)}-v{GENERATOR_VERSION}-{schema}.db"
    if path.exists():
        return path
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    for stale in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    generate(tmp, size)
    os.replace(tmp, path)  # only a complete database ever carries the cache name
    for leftover in (Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):  # checkpointed: nothing left in them
        leftover.unlink(missing_ok=True)
    log(f"generated {size_label(size)} leads in {time.perf_counter() - started:.1f} s → {path}")
    return path


def generate(path: Path, size: int, seed: int = 5) -> None:
    """Create a fresh database at ``path`` holding ``size`` realistic leads."""
    open_database(path)  # the real schema, FTS table and triggers
    close_database()
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        # A throwaway file being built: durability is pointless until the final checkpoint.
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -200000")
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("PRAGMA temp_store = memory")
        rng = random.Random(seed)
        conn.execute("BEGIN")
        # lead_tag keeps its index by lead: the brief's tag triggers (V11) read a lead's tags through it.
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            " AND tbl_name IN ('lead', 'membership')"
        ).fetchall()
        for name, _ in indexes:
            conn.execute(f"DROP INDEX {name}")
        for name in FTS_TRIGGER_NAMES:
            conn.execute(f"DROP TRIGGER {name}")
        _insert_reference_data(conn, rng)
        _insert_leads(conn, rng, size)
        _insert_links(conn, rng, size)
        for _, sql in indexes:
            conn.execute(sql)
        cols = ", ".join(FTS_COLUMNS)
        conn.execute(f"INSERT INTO lead_fts(rowid, {cols}) SELECT id, {cols} FROM lead")
        for statement in split_sql(FTS_TRIGGERS):
            conn.execute(statement)
        conn.execute("COMMIT")
        # No ANALYZE: the app never runs it, so the planner must do well without statistics.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def _insert_reference_data(conn: sqlite3.Connection, rng: random.Random) -> None:
    campaigns = []
    for i in range(CAMPAIGNS):
        theme = CAMPAIGN_THEMES[i % len(CAMPAIGN_THEMES)]
        status = "active" if i % 10 < 8 else ("paused" if i % 10 == 8 else "archived")
        targets = json.dumps({"countries": rng.sample(list(PLACES), 2), "headcounts": rng.sample(HEADCOUNT_RANGES, 3)})
        campaigns.append((i + 1, f"{theme} #{i // len(CAMPAIGN_THEMES) + 1}", status, targets,
                          f"2025-{1 + i % 12:02d}-01T09:00:00+00:00"))
    conn.executemany("INSERT INTO campaign(id, name, status, targets, created_at) VALUES (?,?,?,?,?)", campaigns)
    conn.executemany("INSERT INTO tag(id, name, color) VALUES (?,?,?)",
                     [(i + 1, name, color) for i, (name, color) in enumerate(TAGS)])


def _companies(rng: random.Random) -> list[tuple[str, str, str, str, str]]:
    """(name, domain, headcount, industry, refined industry) for a few thousand companies."""
    out = []
    for head in COMPANY_HEADS:
        for tail in COMPANY_TAILS:
            name = f"{head} {tail}{rng.choice(COMPANY_FORMS)}"
            domain = f"{head}{tail}".lower() + rng.choice(TLDS)
            industry, refined = rng.choice(INDUSTRIES)
            headcount = rng.choices(HEADCOUNT_RANGES, HEADCOUNT_WEIGHTS)[0]
            out.append((name, domain, headcount, industry, rng.choice(refined.split("|"))))
    return out


def _insert_leads(conn: sqlite3.Connection, rng: random.Random, size: int) -> None:
    companies = _companies(rng)
    countries = list(PLACES)
    places = {c: [f"{p}, {c}" for p in PLACES[c].split("|")] for c in countries}
    statuses = list(EMAIL_STATUS_WEIGHTS)
    status_weights = list(EMAIL_STATUS_WEIGHTS.values())
    sql = (
        "INSERT INTO lead(id, id_lead, first_name, last_name, job_title, email, email_verification_result,"
        " phone, linkedin, linkedin_norm, country_name, location_name, company_name, company_domain,"
        " company_headcount, all_industries, company_industries, posts, custom, vip, review_state,"
        " opened_at, created_at, updated_at) VALUES (" + ",".join("?" * 24) + ")"
    )
    for start in range(1, size + 1, BATCH):
        n = min(BATCH, size + 1 - start)
        # Draw each column in bulk: random.choices(k=n) is far cheaper than n calls.
        firsts = rng.choices(FIRST_NAMES, k=n)
        lasts = rng.choices(LAST_NAMES, k=n)
        comps = rng.choices(companies, k=n)
        titles = rng.choices(TITLES, k=n)
        ctrs = rng.choices(countries, COUNTRY_WEIGHTS, k=n)
        sts = rng.choices(statuses, status_weights, k=n)
        rolls = [rng.random() for _ in range(n)]
        rows = []
        for k in range(n):
            lead_id = start + k
            first, last, (company, domain, headcount, industry, refined) = firsts[k], lasts[k], comps[k]
            roll = rolls[k]
            slug = f"{first}-{last}".lower().replace("'", "").replace(" ", "-") + f"-{lead_id:x}"
            email = "" if roll < 0.09 else f"{first}.{last}".lower().replace("'", "").replace(" ", "") + "@" + domain
            status = "" if not email else sts[k]
            country = ctrs[k]
            custom = "{}"
            if roll > 0.7:
                custom = json.dumps({"ai:5-word summary of post": AI_SNIPPETS[lead_id % len(AI_SNIPPETS)],
                                     "ai:10-word use-case": AI_USE_CASES[lead_id % len(AI_USE_CASES)]})
            created = f"2025-{1 + (lead_id * 12) // (size + 1):02d}-{1 + lead_id % 28:02d}T{lead_id % 24:02d}:00:00+00:00"
            opened = created if 0.5 < roll < 0.7 else None
            review = "new" if roll < 0.8 else ("approved", "rejected", "skipped")[lead_id % 3]
            rows.append((
                lead_id, f"{lead_id:08x}-4b8e-9a51-{start:06x}{k:06x}", first, last,
                titles[k].format(c=company), email, status,
                f"+{1 + lead_id % 90} {lead_id % 1000:03d} {lead_id % 10000:04d}" if roll < 0.3 else "",
                f"https://www.linkedin.com/in/{slug}", slug, country,
                places[country][lead_id % len(places[country])], company, domain, headcount, industry, refined,
                f"https://www.linkedin.com/feed/update/urn:li:activity:{7200000000000000000 + lead_id}" if roll < 0.4 else "",
                custom, 1 if roll > 0.97 else 0, review, opened, created, created,
            ))
        conn.executemany(sql, rows)


def _insert_links(conn: sqlite3.Connection, rng: random.Random, size: int) -> None:
    """Memberships (each lead in 1–3 campaigns) and tags (about a third of the leads)."""
    # Collected per campaign/tag first so the WITHOUT ROWID primary keys are filled in order.
    members = [array.array("q") for _ in range(CAMPAIGNS)]
    tagged = [array.array("q") for _ in range(len(TAGS))]
    picks = rng.choices(range(CAMPAIGNS), k=size * 3)
    counts = rng.choices((1, 2, 3), (50, 35, 15), k=size)
    tag_picks = rng.choices(range(len(TAGS)), k=size)
    for i in range(size):
        lead_id = i + 1
        for c in set(picks[3 * i:3 * i + counts[i]]):
            members[c].append(lead_id)
        if i % 3 == 0:
            tagged[tag_picks[i]].append(lead_id)
    for c, ids in enumerate(members):
        stage_cut = len(ids) // 4  # the first quarter of each campaign has been contacted
        conn.executemany(
            "INSERT INTO membership(campaign_id, lead_id, stage, added_at) VALUES (?,?,?,'2025-06-01T09:00:00+00:00')",
            ((c + 1, lead_id, "contacted" if n < stage_cut else "discovered") for n, lead_id in enumerate(ids)),
        )
    for t, ids in enumerate(tagged):
        conn.executemany("INSERT INTO lead_tag(tag_id, lead_id) VALUES (?,?)", ((t + 1, lead_id) for lead_id in ids))
