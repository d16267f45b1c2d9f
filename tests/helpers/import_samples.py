"""Small lead files in the layouts of FORMATS.md, written into a test's tmp_path (CI has no shared folder)."""

from pathlib import Path

FILES = {
    'apollo_export.csv': (
        'First Name,Last Name,Title,Company,Company Name for Emails,Email,Email Status,Seniority,Departments,First Phone,Mobile Phone,# Employees,Industry,Keywords,Person Linkedin Url,Website,Company Linkedin Url,Twitter Url,City,State,Country,Apollo Contact Id\n'
        'Hannah,Kowalski,VP of Marketing,Fernhill Robotics,Fernhill,hannah.kowalski@fernhill-robotics.com,Verified,VP,"Marketing, Growth",+1 415-555-0142,,340,Machinery,"robotics, warehouse automation",http://www.linkedin.com/in/hannahkowalski,http://www.fernhill-robotics.com,http://www.linkedin.com/company/fernhill-robotics,,San Francisco,California,United States,64f0c1a2b3c4d5e6f7a80001\n'
        'Diego,Santos,Head of Sales,Ondas Telecom,Ondas,diego@ondastelecom.com.br,Guessed,Head,Sales,,+55 11 91234-5678,85,Telecommunications,"5g, fiber",http://www.linkedin.com/in/diego-santos-sales,http://www.ondastelecom.com.br,,https://twitter.com/diegosantos,São Paulo,São Paulo,Brazil,64f0c1a2b3c4d5e6f7a80002\n'
        'Ingrid,Larsen,Chief Executive Officer,Fjordline Outdoor,Fjordline,,Unavailable,C suite,"C-Suite, Executive",+47 22 12 34 56,,12,Sporting Goods,outdoor gear,http://www.linkedin.com/in/ingridlarsen,http://fjordline.no,,,Oslo,Oslo,Norway,64f0c1a2b3c4d5e6f7a80003\n'
    ),
    'hubspot_export.csv': (
        'Record ID,First Name,Last Name,Email,Phone Number,Job Title,Company Name,Website URL,City,State/Region,Country/Region,LinkedIn URL,Lifecycle Stage,Lead Status\n'
        '10001,Ravi,Patel,ravi.patel@kestrelcloud.io,+44 20 7946 0958,Solutions Architect,Kestrel Cloud,kestrelcloud.io,London,England,United Kingdom,https://www.linkedin.com/in/ravipatel-cloud,Lead,New\n'
        '10002,Élodie,Fontaine,elodie@maisonfontaine.fr,,Gérante,Maison Fontaine,maisonfontaine.fr,Bordeaux,Nouvelle-Aquitaine,France,,Subscriber,Open\n'
    ),
    'linkedin_connections.csv': (
        'Notes:\n'
        '"When exporting your connection data, you may notice that some of the email addresses are missing. You will only see email addresses for connections who have allowed their connections to see or download their email address."\n'
        '\n'
        'First Name,Last Name,URL,Email Address,Company,Position,Connected On\n'
        'Tomasz,Nowak,https://www.linkedin.com/in/tomasz-nowak-dev,,Vistula Games,Lead Game Designer,14 Mar 2024\n'
        'Aisha,Bello,https://www.linkedin.com/in/aishabello,aisha.bello@gmail.com,Kora Payments,Product Manager,02 Jan 2023\n'
    ),
    'massprospecting_export.csv': (
        'id_lead,first_name,last_name,job_title,email,email_verification_result,phone,linkedin,country_name,location_name,company_name,company_domain,company_headcount,all_industries,company_industries,posts,ai:5-word summary of post,ai:10-word use-case\n'
        '7f3a1c2e-0001-4b8e-9a51-2f6d8c1e0a01,Camille,Durand,Head of Growth at Lumen Analytics,camille.durand@lumen-analytics.fr,valid,+33 6 12 34 56 78,https://www.linkedin.com/in/camille-durand-growth,France,"Paris, Île-de-France, France",Lumen Analytics,lumen-analytics.fr,51-200,Software,Business Intelligence,https://www.linkedin.com/feed/update/urn:li:activity:7200000000000000001,Hiring growth marketers in Paris,Automate outbound so your SDRs focus on replies\n'
        '7f3a1c2e-0002-4b8e-9a51-2f6d8c1e0a02,Jonas,Becker,VP Sales DACH | SaaS,jonas.becker@nordlicht.de,catchall,,https://www.linkedin.com/in/jonasbecker,Germany,"Munich, Bavaria, Germany",Nordlicht Software GmbH,nordlicht.de,201-500,Software,Enterprise Software,https://www.linkedin.com/feed/update/urn:li:activity:7200000000000000002,Celebrating record quarter for DACH,Fill the pipeline for your new Munich sales team\n'
        '7f3a1c2e-0003-4b8e-9a51-2f6d8c1e0a03,Priya,Raman,"Founder & CEO, Tiffin Box",priya@tiffinbox.in,valid,+91 98450 12345,https://www.linkedin.com/in/priyaraman,India,"Bengaluru, Karnataka, India",Tiffin Box,tiffinbox.in,11-50,Food & Beverages,Food Delivery,https://www.linkedin.com/feed/update/urn:li:activity:7200000000000000003,Launching office lunch subscriptions,Reach HR managers who order team lunches\n'
        '7f3a1c2e-0004-4b8e-9a51-2f6d8c1e0a04,Marcus,O\'Neill,Director of Revenue Operations,,pending,,https://www.linkedin.com/in/marcus-oneill-revops,United States,"Austin, Texas, United States",Brightpath Health,brightpathhealth.com,1001-5000,Hospital & Health Care,Health Tech,,,\n'
        '7f3a1c2e-0005-4b8e-9a51-2f6d8c1e0a05,Sofia,García López,Responsable de Marketing,sofia.garcia@alba-viajes.es,invalid,+34 612 345 678,https://www.linkedin.com/in/sofiagarcialopez,Spain,"Valencia, Valencian Community, Spain",Alba Viajes,alba-viajes.es,11-50,Leisure & Travel,Travel Agencies,https://www.linkedin.com/feed/update/urn:li:activity:7200000000000000005,Summer campaign results are in,Book more group trips from corporate clients\n'
        '7f3a1c2e-0006-4b8e-9a51-2f6d8c1e0a06,Wei,Zhang,Procurement Manager,info@harbourfreight-logistics.sg,role,+65 6123 4567,https://www.linkedin.com/in/wei-zhang-procurement,Singapore,"Singapore, Singapore",Harbour Freight Logistics,harbourfreight-logistics.sg,501-1000,Logistics & Supply Chain,Freight,https://www.linkedin.com/feed/update/urn:li:activity:7200000000000000006,Looking for new freight software,Cut quoting time for your freight forwarding team\n'
        '7f3a1c2e-0007-4b8e-9a51-2f6d8c1e0a07,Olivia,Bennett,"Talent Partner — hiring engineers, London",olivia.bennett@quantra.co.uk,valid,,https://www.linkedin.com/in/oliviabennett,United Kingdom,"London, England, United Kingdom",Quantra,quantra.co.uk,51-200,Financial Services,Fintech,https://www.linkedin.com/feed/update/urn:li:activity:7200000000000000007,We are hiring ten engineers,Fill engineering roles faster with warm intros\n'
        '7f3a1c2e-0008-4b8e-9a51-2f6d8c1e0a08,Kenji,Watanabe,CTO,kenji@mebuki.jp,unknown,,https://www.linkedin.com/in/kenji-watanabe-cto,Japan,"Tokyo, Tokyo, Japan",Mebuki Labs,mebuki.jp,1-10,Computer Software,Developer Tools,,,\n'
        '7f3a1c2e-0009-4b8e-9a51-2f6d8c1e0a09,Amara,Okafor,Chief Operating Officer,amara.okafor@sunroute.ng,valid,+234 803 123 4567,https://www.linkedin.com/in/amaraokafor,Nigeria,"Lagos, Lagos State, Nigeria",SunRoute Energy,sunroute.ng,201-500,Renewables & Environment,Solar,https://www.linkedin.com/feed/update/urn:li:activity:7200000000000000009,Opening our third solar plant,Keep field teams in sync across three plants\n'
        '7f3a1c2e-0010-4b8e-9a51-2f6d8c1e0a10,Lucas,Moreau,,lucas.moreau@gmail.com,disposable,,https://www.linkedin.com/in/lucas-moreau-42,France,"Lyon, Auvergne-Rhône-Alpes, France",,,,,,,,\n'
    ),
}


def write_sample(directory, name: str, as_name: str | None = None) -> Path:
    """Write the sample file ``name`` into ``directory`` (UTF-8, as the tool exports it)."""
    path = Path(directory) / (as_name or name)
    path.write_bytes("".join(FILES[name]).encode("utf-8"))
    return path
