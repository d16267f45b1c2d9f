"""The bundled sample data: ``load_sample()`` for the empty state, and the generator behind it.

``resources/sample_leads.csv`` is written by ``write_leads_csv`` (run ``python -m app.services.sample``
to regenerate it): realistic-looking, entirely fictional leads in the MassProspecting layout plus
LeadDesk's ``vip``/``tags``/``campaigns`` columns. The same generator makes the big files the tests
and the benchmark import.
"""

import csv
import random
import sys
from pathlib import Path

from app.paths import resource_path
from app.services.importing import ImportReport, import_file
from app.services.importing.formats import MASSPROSPECTING_COLUMNS

SAMPLE_NAME = "sample_leads.csv"
SAMPLE_COUNT = 300
CAMPAIGNS = ("Spring Outreach EU", "SaaS Founders", "Retail Expansion US")

AI_COLUMNS = ("ai:5-word summary of post", "ai:10-word use-case")

_FIRST = ("Camille Jonas Priya Lucas Sofia Mateo Emma Noah Aisha Tomasz Ingrid Diego Hannah Ravi Elodie "
          "Marta Kenji Chloe Omar Lena Felix Nora Arjun Clara Hugo Maya Liam Zoe Pablo Ines Yusuf Greta "
          "Malik Julia Sven Amara Theo Rosa Nikolai Leila Oscar Freya Kwame Alice Tariq Beatriz Jan").split()
_LAST = ("Durand Becker Raman Moreau Rossi Garcia Schmidt Okafor Nowak Larsen Santos Kowalski Patel Fontaine "
         "Silva Tanaka Dubois Haddad Novak Weber Lindqvist Sharma Costa Martin Ito Murphy Jensen Romero "
         "Ferreira Yilmaz Hoffmann Mensah Laurent Kaplan Andersson Nguyen Bauer Petrov Mendes Brennan").split()
_TITLES = ("Head of Growth", "VP Sales", "Founder & CEO", "Marketing Director", "Head of Partnerships",
           "Chief Revenue Officer", "Sales Manager", "Operations Lead", "CTO", "Demand Generation Manager",
           "Business Development Rep", "Head of E-commerce", "Product Marketing Manager", "COO")
_COMPANY_A = ("Lumen Northwind Fjord Kestrel Tiffin Ondas Vistula Kora Maple Atlas Cobalt Juniper Harbor "
              "Saffron Granite Aurora Pioneer Summit Willow Beacon").split()
_COMPANY_B = ("Analytics", "Software", "Robotics", "Cloud", "Foods", "Telecom", "Games", "Payments", "Retail",
              "Logistics", "Health", "Labs", "Studio", "Systems")
_PLACES = (
    ("France", "Paris, Île-de-France, France"), ("France", "Lyon, Auvergne-Rhône-Alpes, France"),
    ("Germany", "Munich, Bavaria, Germany"), ("Germany", "Berlin, Berlin, Germany"),
    ("Spain", "Barcelona, Catalonia, Spain"), ("Italy", "Milan, Lombardy, Italy"),
    ("United Kingdom", "London, England, United Kingdom"), ("Netherlands", "Amsterdam, North Holland, Netherlands"),
    ("United States", "Austin, Texas, United States"), ("United States", "New York, New York, United States"),
    ("Canada", "Toronto, Ontario, Canada"), ("India", "Bengaluru, Karnataka, India"),
    ("Brazil", "São Paulo, São Paulo, Brazil"), ("Sweden", "Stockholm, Stockholm County, Sweden"),
)
_INDUSTRIES = (("Software", "Business Intelligence"), ("Software", "Enterprise Software"),
               ("Retail", "E-commerce"), ("Food & Beverages", "Food Delivery"), ("Financial Services", "Payments"),
               ("Telecommunications", "Networking"), ("Logistics", "Freight"), ("Health Care", "Digital Health"))
_HEADCOUNTS = ("1-10", "11-50", "51-200", "201-500", "501-1000", "1001-5000", "5001-10000", "10001+")
_STATUSES = ("valid",) * 6 + ("catchall", "invalid", "unknown", "pending", "role", "") + ("",) * 2
_SUMMARIES = ("Hiring growth marketers this quarter", "Celebrating a record sales quarter",
              "Launching a new product line", "Opening an office in Berlin", "Looking for outbound agencies",
              "Sharing lessons from scaling support")
_USE_CASES = ("Automate outbound so your SDRs focus on replies", "Fill the pipeline for a new sales team",
              "Reach HR managers at fast-growing companies", "Book demos with retail buyers in new markets",
              "Turn event attendees into qualified meetings")
_TAGS = ("hot", "follow-up", "conference", "partner", "")


def generate_rows(count: int, seed: int = 1, extras: bool = True):
    """Yield ``count`` fictional leads as dicts (MassProspecting columns, ai:* columns, extras)."""
    rng = random.Random(seed)
    for n in range(1, count + 1):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        company = f"{rng.choice(_COMPANY_A)} {rng.choice(_COMPANY_B)}"
        domain = company.lower().replace(" ", "") + rng.choice((".com", ".io", ".fr", ".de", ".co"))
        country, location = rng.choice(_PLACES)
        industry, refined = rng.choice(_INDUSTRIES)
        title = rng.choice(_TITLES)
        status = rng.choice(_STATUSES)
        has_email = status != "" or rng.random() < 0.5
        row = {
            "id_lead": f"{seed:08x}-{n:04x}-4b8e-9a51-{n:012x}",
            "first_name": first,
            "last_name": last if rng.random() > 0.03 else "",
            "job_title": f"{title} at {company}" if rng.random() < 0.5 else title,
            "email": f"{first}.{last}{n}@{domain}".lower() if has_email else "",
            "email_verification_result": status if has_email else "",
            "phone": f"+33 6 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {n % 100:02d}"
                     if rng.random() < 0.4 else "",
            "linkedin": f"https://www.linkedin.com/in/{first.lower()}-{last.lower()}-{n}",
            "country_name": country,
            "location_name": location,
            "company_name": company,
            "company_domain": domain,
            "company_headcount": rng.choice(_HEADCOUNTS),
            "all_industries": industry,
            "company_industries": refined,
            "posts": f"https://www.linkedin.com/feed/update/urn:li:activity:72{n:017d}",
            AI_COLUMNS[0]: rng.choice(_SUMMARIES),
            AI_COLUMNS[1]: rng.choice(_USE_CASES),
        }
        if extras:
            picked = [c for c in CAMPAIGNS if rng.random() < 0.4] or [CAMPAIGNS[n % len(CAMPAIGNS)]]
            row["vip"] = "1" if rng.random() < 0.08 else ""
            row["tags"] = "; ".join(sorted({t for t in (rng.choice(_TAGS), rng.choice(_TAGS)) if t}))
            row["campaigns"] = "; ".join(picked)
        yield row


def write_leads_csv(path, count: int, seed: int = 1, extras: bool = True) -> Path:
    """Write a MassProspecting-style CSV of ``count`` generated leads (streamed)."""
    path = Path(path)
    columns = MASSPROSPECTING_COLUMNS + AI_COLUMNS + (("vip", "tags", "campaigns") if extras else ())
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        writer.writerows(generate_rows(count, seed, extras))
    return path


def load_sample(progress=None, cancelled=None) -> ImportReport:
    """Import the bundled sample (300 leads in 3 campaigns) into the open database.

    ``progress``/``cancelled``: as for ``import_file`` (a cancel rolls back and raises ImportCancelledError).
    """
    return import_file(resource_path(SAMPLE_NAME), campaign=None, progress=progress, cancelled=cancelled)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else resource_path(SAMPLE_NAME)
    write_leads_csv(target, SAMPLE_COUNT, seed=2026)
    print(f"wrote {target}")
