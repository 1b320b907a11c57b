#!/usr/bin/env python3
"""make_scenarios.py - writes the bundled example scenarios of circulab.

The scenarios model the collective hiring-in-origin of Moroccan seasonal workers for
the berry campaign of Huelva (Spain): who goes to which farm, after which pre-departure
training, and into which reintegration programme on return (docs/FORMATS.md section 2,
"circulab-scenario/1").

Why a generator rather than hand-written JSON: the files are large (hundreds of
workers), several scenarios share one population (huelva-tight is huelva-small with a
planner's changes), and every realistic parameter should be named in one place. The
generator is deterministic: a fixed seed, one random stream per scenario (so changing
one scenario does not reshuffle the others), and no dependence on the clock, the
locale or dict ordering beyond insertion order. Python 3 standard library only.

It also checks what it writes, independently of the C reader: only the keys of
docs/FORMATS.md section 2, real dates, ids of at most 64 bytes, unique ids, resolvable
references, and every pin eligible under the rules of docs/MODEL.md section 3.1
(re-implemented here in a few lines). `--stats` prints the size of each scenario and its number of
eligible (worker, vacancy) pairs.

Usage:  python3 scenarios/make_scenarios.py [--out DIR] [--stats]
"""

import argparse
import datetime
import json
import os
import random
import sys

SEED = 20260115          # fixed: the files are committed and must regenerate byte-identical
FORMAT = "circulab-scenario/1"

# ---------------------------------------------------------------------------------------
# Realistic parameters of the model case
# ---------------------------------------------------------------------------------------

SEASON = 2026

# Moroccan regions (ISO 3166-2:MA, 2015 division) and the share of the programme's
# workers they send. Béni Mellal-Khénifra and Fès-Meknès are the historical heart of
# the Huelva recruitment; the others send fewer.
MA_REGIONS = {
    "MA-01": ("Tanger-Tétouan-Al Hoceïma", 0.10),
    "MA-02": ("Oriental", 0.08),
    "MA-03": ("Fès-Meknès", 0.20),
    "MA-04": ("Rabat-Salé-Kénitra", 0.12),
    "MA-05": ("Béni Mellal-Khénifra", 0.30),
    "MA-06": ("Casablanca-Settat", 0.10),
    "MA-07": ("Marrakech-Safi", 0.10),
}

# Destination provinces (NUTS-3 2021).
HUELVA, SEVILLA, ALMERIA, LLEIDA = "ES615", "ES618", "ES611", "ES513"

OCCUPATION = "isco:9211"          # ISCO-08 9211, crop farm labourers
WAGE_EUR_MONTH = 1381             # Spanish minimum wage 2025 (14 payments) over 12 months
WAGE_TEAM_LEADER = 1520
SHARE_WOMEN = 0.80                # the programme recruits mostly women
COURSE_PHYTO = "phyto-basic"      # basic phytosanitary handling (carné básico)
COURSE_FOOD = "food-safety"       # hygiene and food safety for fresh produce
COURSE_LADDER = "ladder-safety"   # picking from ladders and platforms (tree fruit)
BIRTH_FROM, BIRTH_TO = datetime.date(1972, 1, 1), datetime.date(2005, 12, 31)

FEMALE_NAMES = ["Fatima", "Khadija", "Aicha", "Naima", "Malika", "Zahra", "Samira",
                "Latifa", "Hafida", "Rachida", "Saida", "Najat", "Nadia", "Hayat",
                "Karima", "Souad", "Fatiha", "Hanane", "Meryem", "Asmae", "Loubna",
                "Imane", "Siham", "Jamila", "Bouchra", "Houria", "Zineb", "Mina",
                "Halima", "Rkia", "Ghizlane", "Nezha", "Touria", "Khaoula"]
MALE_NAMES = ["Mohamed", "Ahmed", "Youssef", "Hassan", "Abdelali", "Rachid", "Mustapha",
              "Said", "Abdelkader", "Omar", "Khalid", "Hamid", "Brahim", "Driss",
              "Lahcen", "Aziz", "Hicham", "Noureddine"]
FAMILY_NAMES = ["El Amrani", "Benali", "Ouali", "Bouzid", "Tahiri", "Alaoui", "El Idrissi",
                "Berrada", "Chraibi", "Naciri", "Ait Ouhmad", "Zerouali", "Lamrani",
                "El Fassi", "Boukhris", "Haddou", "Oubella", "Ennaji", "Azzouzi", "Rifi",
                "Moussaoui", "Bennani", "Kettani", "Ziani", "Hajji", "Tazi", "Ouazzani",
                "El Khatib", "Baddou", "Ait Lahcen", "Oukacha", "Amzil", "Idrissi",
                "Belhaj", "Sabri", "Fikri"]


def D(text):
    """An ISO date string to a date (raises on an impossible date)."""
    return datetime.date.fromisoformat(text)


def iso(day):
    return day.isoformat()


def rand_date(rng, lo, hi):
    """A uniformly drawn date in lo..hi (both dates included)."""
    return lo + datetime.timedelta(days=rng.randint(0, (hi - lo).days))


def pick_weighted(rng, table):
    """A key of {key: (label, weight)} drawn by weight."""
    keys = list(table)
    return rng.choices(keys, weights=[table[k][1] for k in keys])[0]


# ---------------------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------------------

def make_worker(rng, wid, region, *, country="MA", sex=None, campaigns=0, returned=False,
                last_employer=None, last_return=None, days_abroad=0, banned_until=None,
                available=("2026-01-05", "2026-07-31"), trainings=(), languages=None,
                skills=("isco:9211",), preferences=(), excludes=(), name=True):
    """One worker record with only the keys of docs/FORMATS.md section 2.2; name: True draws one."""
    if sex is None:
        sex = "F" if rng.random() < SHARE_WOMEN else "M"
    w = {"id": wid}
    if name is True:
        first = rng.choice(FEMALE_NAMES if sex == "F" else MALE_NAMES)
        w["name"] = f"{first} {rng.choice(FAMILY_NAMES)}"
    elif name:
        w["name"] = name
    w["birth_date"] = iso(rand_date(rng, BIRTH_FROM, BIRTH_TO))
    w["sex"] = sex
    w["country"] = country
    if region:
        w["region"] = region
    if languages is None:
        languages = ["ar"]
        if rng.random() < 0.45:
            languages.append("fr")
        if campaigns >= 2 and rng.random() < 0.25 + 0.12 * campaigns:
            languages.append("es")
    w["languages"] = list(languages)
    w["skills"] = list(skills)
    if trainings:
        w["trainings"] = list(trainings)
    w["available"] = {"from": available[0], "to": available[1]}
    if preferences:
        w["preferences"] = list(preferences)
    if excludes:
        w["excludes"] = list(excludes)
    if campaigns or returned or last_return or days_abroad or banned_until:
        h = {"campaigns": campaigns, "returned": returned}
        if last_employer:
            h["last_employer"] = last_employer
        if last_return:
            h["last_return"] = last_return
        if days_abroad:
            h["days_abroad"] = days_abroad
        h["banned_until"] = banned_until
        w["history"] = h
    return w


def vacancy(vid, employer, site, crop, phase, start, end, headcount, *, sector="berries",
            wage=WAGE_EUR_MONTH, trainings=(), skills=(), languages=(), min_campaigns=0,
            named=(), hold_named=False):
    """One vacancy record; crop and phase are documentation (x- keys, ignored)."""
    v = {"id": vid, "employer": employer}
    if site:
        v["site"] = site
    v.update({"sector": sector, "occupation": OCCUPATION, "start": start, "end": end,
              "headcount": headcount, "wage_month_eur": wage})
    req = {}
    if skills:
        req["skills"] = list(skills)
    if trainings:
        req["trainings"] = list(trainings)
    if languages:
        req["languages"] = list(languages)
    if min_campaigns:
        req["min_campaigns"] = min_campaigns
    if req:
        v["requires"] = req
    if named:
        v["named"] = list(named)
        v["hold_named"] = hold_named
    v["x-crop"] = crop
    v["x-phase"] = phase
    return v


def employer(eid, name, region, sites, association=None, town=None):
    """sites: [(site id, region, beds or None)]; [] gives the implicit unlimited site."""
    e = {"id": eid, "name": name, "region": region}
    if association:
        e["association"] = association
    if sites:
        e["sites"] = []
        for sid, sregion, beds in sites:
            s = {"id": sid, "region": sregion}
            if beds is not None:
                s["beds"] = beds
            e["sites"].append(s)
    if town:
        e["x-town"] = town
    return e


def session(sid, course, region, start, end, capacity, cost, venue):
    s = {"id": sid, "course": course, "country": "MA"}
    if region:
        s["region"] = region
    s.update({"start": start, "end": end, "capacity": capacity, "cost": cost,
              "x-venue": venue})
    return s


def quota(qid, where, *, max_=None, min_=None, unit="placements", note=None):
    q = {"id": qid}
    if max_ is not None:
        q["max"] = max_
    if min_ is not None:
        q["min"] = min_
    q["unit"] = unit
    q["where"] = where
    if note:
        q["x-note"] = note
    return q


# ---------------------------------------------------------------------------------------
# 1. huelva-small: one berry season in Huelva, ~320 workers, 12 farms
# ---------------------------------------------------------------------------------------

# Berry season phases: planting and pruning in January-February, harvest March-June.
PHASE_PLANTING = ("2026-01-01", "2026-02-28")
PHASE_HARVEST = ("2026-03-01", "2026-06-30")

HUELVA_WORKERS = 320          # of whom a few Senegalese outside the programme
HUELVA_SENEGAL = 3
NATIONAL_MAX = 310            # placements of Moroccan workers allotted this round
PROVINCE_MAX = 290            # of which in Huelva
BERRIES_MAX = 285             # of which berries in Huelva
PLANTING_MAX = 64             # of which in the planting phase (January-February starts)
FRESHUELVA_MAX = 190          # the association's allotment
PRIORITY_REGION = "MA-05"     # Béni Mellal-Khénifra: agreement with the local agency
PRIORITY_MIN_WORKERS = 80     # at least this many distinct workers from it (soft)
RETURNING_HARVEST_MIN = 150   # continuity target for returning workers at harvest (soft)
WOMEN_MIN = 245               # balance target: placements of women (soft, not a cap on men)
RETURNING_HAS_PHYTO = 0.60    # returning workers who already hold the phyto-basic card
RETURNING_HAS_FOOD = 0.45     # ... and the food-safety certificate


def huelva_employers():
    fh = "freshuelva"
    return [
        employer("E01", "Cooperativa Frutos Rojos de Moguer SCA", HUELVA,
                 [("E01-S1", HUELVA, 45), ("E01-S2", HUELVA, 30)], fh, "Moguer"),
        employer("E02", "Fresas del Condado SAT", HUELVA,
                 [("E02-S1", HUELVA, 32)], fh, "Palos de la Frontera"),
        employer("E03", "Agrícola Doñana Berries SL", HUELVA,
                 [("E03-S1", HUELVA, 60)], None, "Almonte"),
        employer("E04", "SAT Lepe Fruits", HUELVA,
                 [("E04-S1", HUELVA, 35)], fh, "Lepe"),
        employer("E05", "Cooperativa Cartaya Berry SCA", HUELVA, [], fh, "Cartaya"),
        employer("E06", "Bonares Agrícola SL", HUELVA,
                 [("E06-S1", HUELVA, 18)], None, "Bonares"),
        employer("E07", "Finca Las Marismas SAT", HUELVA,
                 [("E07-S1", HUELVA, 22), ("E07-S2", HUELVA, None)], fh,
                 "Lucena del Puerto"),
        employer("E08", "Rociana Frutas SCA", HUELVA,
                 [("E08-S1", HUELVA, 20)], None, "Rociana del Condado"),
        employer("E09", "Isla Cristina Berries SL", HUELVA,
                 [("E09-S1", HUELVA, 35)], fh, "Isla Cristina"),
        employer("E10", "Gibraleón Agroberries SAT", HUELVA,
                 [("E10-S1", HUELVA, 15)], None, "Gibraleón"),
        employer("E11", "Hortofrutícola Los Palacios SCA", SEVILLA,
                 [("E11-S1", SEVILLA, 20)], None, "Los Palacios y Villafranca"),
        employer("E12", "Invernaderos del Poniente SL", ALMERIA,
                 [("E12-S1", ALMERIA, 30)], None, "El Ejido"),
    ]


def huelva_vacancies(named):
    """named: {vacancy id: [worker ids]} chosen among the employer's returning workers."""
    P, F, L = COURSE_PHYTO, COURSE_FOOD, "es"
    return [
        vacancy("V0101", "E01", "E01-S1", "strawberry", "planting", "2026-01-26",
                "2026-03-20", 22, trainings=[P]),
        vacancy("V0102", "E01", "E01-S1", "strawberry", "harvest", "2026-03-02",
                "2026-06-12", 32, trainings=[F], named=named.get("V0102", ())),
        vacancy("V0103", "E01", "E01-S2", "raspberry", "harvest", "2026-03-16",
                "2026-06-26", 20),
        vacancy("V0201", "E02", None, "strawberry", "planting", "2026-02-02",
                "2026-03-13", 18, trainings=[P]),
        vacancy("V0202", "E02", None, "strawberry", "harvest", "2026-03-02",
                "2026-06-05", 24, trainings=[F]),
        vacancy("V0301", "E03", None, "blueberry", "harvest", "2026-03-09",
                "2026-06-19", 24, min_campaigns=1, named=named.get("V0301", ()),
                hold_named=True),
        vacancy("V0302", "E03", None, "blueberry", "pruning", "2026-01-26",
                "2026-03-06", 10, skills=["pruning"], trainings=[P]),
        vacancy("V0303", "E03", None, "blueberry", "team-leader", "2026-03-09",
                "2026-06-19", 5, wage=WAGE_TEAM_LEADER, min_campaigns=3, languages=[L]),
        vacancy("V0401", "E04", None, "strawberry", "harvest", "2026-02-16",
                "2026-05-29", 20),
        vacancy("V0402", "E04", None, "raspberry", "harvest", "2026-03-23",
                "2026-06-26", 12, trainings=[F]),
        vacancy("V0501", "E05", None, "strawberry", "harvest", "2026-03-02",
                "2026-06-12", 30, named=named.get("V0501", ())),
        vacancy("V0502", "E05", None, "strawberry", "planting", "2026-02-02",
                "2026-03-06", 12, trainings=[P]),
        vacancy("V0601", "E06", None, "raspberry", "harvest", "2026-03-02",
                "2026-06-05", 15, trainings=[F]),
        vacancy("V0602", "E06", None, "raspberry", "planting", "2026-01-26",
                "2026-02-27", 8, trainings=[P]),
        vacancy("V0701", "E07", "E07-S1", "blueberry", "harvest", "2026-03-16",
                "2026-06-12", 22),
        vacancy("V0702", "E07", "E07-S2", "strawberry", "harvest", "2026-03-02",
                "2026-05-29", 14, trainings=[F]),
        vacancy("V0801", "E08", None, "strawberry", "harvest", "2026-02-23",
                "2026-06-05", 12),
        vacancy("V0802", "E08", None, "strawberry", "planting", "2026-02-02",
                "2026-02-27", 6, trainings=[P]),
        vacancy("V0901", "E09", None, "blueberry", "harvest", "2026-03-09",
                "2026-06-12", 18, trainings=[P]),
        vacancy("V1001", "E10", None, "raspberry", "harvest", "2026-03-16",
                "2026-06-19", 10),
        vacancy("V1101", "E11", None, "strawberry", "harvest", "2026-03-02",
                "2026-05-29", 10),
        vacancy("V1201", "E12", None, "raspberry", "harvest", "2026-02-16",
                "2026-05-29", 10),
        vacancy("V1202", "E12", None, "tomato", "harvest", "2026-02-02", "2026-05-15",
                8, sector="vegetables"),
    ]


def huelva_sessions():
    P, F = COURSE_PHYTO, COURSE_FOOD
    return [
        session("T-FEZ-PHY-01", P, "MA-03", "2026-01-06", "2026-01-08", 10, 30.0, "Fès"),
        session("T-BML-PHY-01", P, "MA-05", "2026-01-07", "2026-01-09", 45, 25.0,
                "Béni Mellal"),
        session("T-KEN-PHY-01", P, "MA-04", "2026-01-12", "2026-01-14", 25, 30.0,
                "Kénitra"),
        # A national session with no region, open to every Moroccan worker, late and
        # dear: it ends 2026-01-21, so with 7 lead days it serves starts from 01-29 only.
        session("T-RBT-PHY-NAT", P, None, "2026-01-19", "2026-01-21", 25, 40.0, "Rabat"),
        session("T-BML-FS-01", F, "MA-05", "2026-01-13", "2026-01-14", 30, 20.0,
                "Béni Mellal"),
        session("T-CAS-FS-01", F, "MA-06", "2026-01-08", "2026-01-09", 30, 25.0,
                "Casablanca"),
        session("T-TNG-FS-01", F, "MA-01", "2026-01-15", "2026-01-16", 20, 30.0, "Tanger"),
        session("T-FEZ-FS-01", F, "MA-03", "2026-01-13", "2026-01-14", 30, 25.0, "Meknès"),
    ]


HUELVA_EMPLOYER_WEIGHTS = {  # where returning workers worked last season
    "E01": 14, "E02": 10, "E03": 12, "E04": 9, "E05": 12, "E06": 5, "E07": 8, "E08": 5,
    "E09": 7, "E10": 3, "E11": 3, "E12": 2,
}


def huelva_workers(rng):
    workers = []
    employers_last = list(HUELVA_EMPLOYER_WEIGHTS)
    weights_last = [HUELVA_EMPLOYER_WEIGHTS[e] for e in employers_last]
    n_ma = HUELVA_WORKERS - HUELVA_SENEGAL
    for i in range(n_ma):
        wid = f"W{i + 1:05d}"
        region = pick_weighted(rng, MA_REGIONS)
        kind = rng.random()
        kw = {}
        if kind < 0.55:
            # Returning worker, back home last summer.
            campaigns = rng.choices([1, 2, 3, 4, 5, 6], weights=[26, 22, 18, 14, 11, 9])[0]
            last = rng.choices(employers_last, weights=weights_last)[0]
            kw.update(campaigns=campaigns, returned=True, last_employer=last,
                      last_return=iso(rand_date(rng, D("2025-05-25"), D("2025-07-05"))))
            tr = []
            if rng.random() < RETURNING_HAS_PHYTO:
                tr.append(COURSE_PHYTO)
            if rng.random() < RETURNING_HAS_FOOD:
                tr.append(COURSE_FOOD)
            kw["trainings"] = tr
            if rng.random() < 0.55:
                kw["preferences"] = [last, "sector:berries"]
            elif rng.random() < 0.3:
                kw["preferences"] = ["region:" + HUELVA]
        elif kind < 0.88:
            # First-timer.
            if rng.random() < 0.2:
                kw["preferences"] = ["region:" + HUELVA, "sector:berries"]
        elif kind < 0.94:
            # Did not come back after an earlier campaign; some are still banned.
            campaigns = rng.randint(1, 3)
            last = rng.choices(employers_last, weights=weights_last)[0]
            banned = None
            if rng.random() < 0.5:
                banned = iso(rand_date(rng, D("2026-04-01"), D("2027-07-31")))
            kw.update(campaigns=campaigns, returned=False, last_employer=last,
                      banned_until=banned)
        else:
            # Returned late from the olive harvest in Jaén: home-time limits the start.
            campaigns = rng.randint(1, 4)
            kw.update(campaigns=campaigns, returned=True, last_employer="E-JAEN-OLIVAR",
                      last_return=iso(rand_date(rng, D("2025-12-20"), D("2026-01-20"))),
                      trainings=[COURSE_PHYTO] if rng.random() < 0.5 else [])
        # Availability: most cover the whole season; some come late, some leave early.
        a = rng.random()
        if a < 0.78:
            kw["available"] = ("2026-01-05", "2026-07-31")
        elif a < 0.90:
            kw["available"] = ("2026-02-15", "2026-07-31")
        else:
            kw["available"] = ("2026-01-05", "2026-05-31")
        if rng.random() < 0.18:
            kw["skills"] = ("isco:9211", "pruning")
        ex = rng.random()
        if ex < 0.08:
            kw["excludes"] = ["region:" + ALMERIA]
        elif ex < 0.11:
            kw["excludes"] = ["sector:vegetables"]
        elif ex < 0.13:
            kw["excludes"] = [rng.choice(["E06", "E10"])]
        workers.append(make_worker(rng, wid, region, **kw))
    # Senegalese applicants outside the Moroccan programme: policy allowed_countries
    # keeps them out (rule `country`).
    for j in range(HUELVA_SENEGAL):
        wid = f"W{n_ma + j + 1:05d}"
        workers.append(make_worker(rng, wid, "SN-TH", country="SN", sex="F",
                                   languages=["fr", "wo"],
                                   name=["Awa Diop", "Fatou Ndiaye", "Mariama Sow"][j]))
    return workers


def named_requests(workers, employer_id, count, rng, min_campaigns=0):
    """Returning workers whose last employer was employer_id, asked for by name."""
    cands = [w["id"] for w in workers
             if w.get("history", {}).get("last_employer") == employer_id
             and w["history"].get("returned") and w["history"]["campaigns"] >= max(1, min_campaigns)]
    return sorted(rng.sample(cands, min(count, len(cands))))


def huelva_small():
    rng = random.Random(SEED + 1)
    workers = huelva_workers(rng)
    named = {
        "V0102": named_requests(workers, "E01", 5, rng),
        "V0301": named_requests(workers, "E03", 6, rng, min_campaigns=1),
        "V0501": named_requests(workers, "E05", 4, rng),
    }
    vacancies = huelva_vacancies(named)
    quotas = [
        quota("Q-MA", {"origin_country": ["MA"]}, max_=NATIONAL_MAX,
              note="national allotment of the collective hiring-in-origin order"),
        quota("Q-MA-ES615", {"origin_country": ["MA"], "dest_region": [HUELVA]},
              max_=PROVINCE_MAX, note="province of Huelva"),
        quota("Q-MA-ES615-BERRIES", {"origin_country": ["MA"], "dest_region": [HUELVA],
                                      "sector": ["berries"]}, max_=BERRIES_MAX),
        quota("Q-MA-ES615-PLANTING", {"origin_country": ["MA"], "dest_region": [HUELVA],
                                       "sector": ["berries"],
                                       "start_from": PHASE_PLANTING[0],
                                       "start_to": PHASE_PLANTING[1]},
              max_=PLANTING_MAX, note="planting and pruning phase"),
        quota("Q-FRESHUELVA", {"association": ["freshuelva"]}, max_=FRESHUELVA_MAX,
              note="allotment requested by the association"),
        quota("Q-MA05-PRIORITY", {"origin_region": [PRIORITY_REGION]},
              min_=PRIORITY_MIN_WORKERS, unit="workers",
              note="priority region: distinct workers, soft minimum"),
        quota("Q-WOMEN", {"sex": ["F"]}, min_=WOMEN_MIN,
              note="balance target, soft; not a cap on men"),
        quota("Q-RETURNING-HARVEST", {"returning": True, "start_from": PHASE_HARVEST[0],
                                      "start_to": PHASE_HARVEST[1]}, min_=RETURNING_HARVEST_MIN,
              note="continuity: most harvest places go to returning workers"),
    ]
    # Programmes on return: WAFIRA-type support for women and men back from Huelva.
    programmes = [
        {"id": "R-WAFIRA-2", "country": "MA", "start": "2026-07-01", "end": "2026-09-30",
         "capacity": 100, "x-note": "income-generating projects, national"},
        {"id": "R-MA05-COOP", "country": "MA", "region": "MA-05", "start": "2026-06-22",
         "end": "2026-08-31", "capacity": 30, "x-note": "agricultural cooperatives, Béni Mellal"},
    ]
    policy = {"min_age": 18, "max_stay_days": 270, "min_home_days": 30,
              "allowed_countries": ["MA"], "min_offer_size": 5, "training_lead_days": 7,
              "reintegration": "reward", "reintegration_window_days": 60}
    doc = {
        "format": FORMAT,
        "name": "huelva-2026-small",
        "x-description": "A small Huelva-like berry season: Moroccan workers, 12 farms.",
        "policy": policy,
        "workers": workers,
        "employers": huelva_employers(),
        "vacancies": vacancies,
        "quotas": quotas,
        "sessions": huelva_sessions(),
        "programmes": programmes,
    }
    # Scores: an external model's predicted retention for some pairs.
    scores = []
    for w in rng.sample(workers[:HUELVA_WORKERS - HUELVA_SENEGAL], 24):
        v = rng.choice(vacancies)
        scores.append({"worker": w["id"], "vacancy": v["id"],
                       "value": round(rng.uniform(20, 180), 1)})
    scores.sort(key=lambda s: (s["worker"], s["vacancy"]))
    doc["scores"] = dedupe_pairs(scores)
    # Pins: two placements already agreed by the agency (eligible pairs).
    doc["pins"] = pick_pins(doc, rng, [("V0401", 1), ("V0701", 1)])
    # Bans: one worker-employer dispute, one worker-vacancy.
    returning = [w for w in workers if w.get("history", {}).get("returned")]
    ban_w1 = next(w for w in returning if w["history"]["last_employer"] == "E04")
    ban_w2 = next(w for w in returning if w["history"]["last_employer"] == "E09")
    doc["bans"] = [{"worker": ban_w1["id"], "employer": "E04"},
                   {"worker": ban_w2["id"], "vacancy": "V0901"}]
    return doc


def dedupe_pairs(items):
    seen, out = set(), []
    for it in items:
        key = (it["worker"], it["vacancy"])
        if key not in seen:
            seen.add(key)
            out.append(it)
    return out


def pick_pins(doc, rng, wanted):
    """For each (vacancy, n), n eligible workers not already pinned, drawn at random."""
    pins, used = [], set()
    ctx = Context(doc)
    for vid, n in wanted:
        v = ctx.vacancy[vid]
        cands = [w["id"] for w in doc["workers"]
                 if w["id"] not in used and not ctx.failed_rules(w, v)]
        for wid in sorted(rng.sample(cands, n)):
            pins.append({"worker": wid, "vacancy": vid})
            used.add(wid)
    return pins


# ---------------------------------------------------------------------------------------
# 3. huelva-tight: the planner's variant of huelva-small
# ---------------------------------------------------------------------------------------

TIGHT_NATIONAL_FACTOR = 0.85      # national allotment cut by 15 %
TIGHT_PLANTING_MAX = 48           # planting phase cut further


def huelva_tight(base):
    doc = json.loads(json.dumps(base))        # deep copy: same workers, same farms
    doc["name"] = "huelva-2026-tight"
    doc["x-description"] = ("huelva-small with the national allotment cut by 15 %, "
                            "a tighter planting phase and one more phyto-basic session")
    for q in doc["quotas"]:
        if q["id"] == "Q-MA":
            q["max"] = int(q["max"] * TIGHT_NATIONAL_FACTOR)
        elif q["id"] == "Q-MA-ES615-PLANTING":
            q["max"] = TIGHT_PLANTING_MAX
    doc["sessions"].append(session("T-FEZ-PHY-02", COURSE_PHYTO, "MA-03", "2026-01-13",
                                   "2026-01-15", 25, 30.0, "Fès"))
    return doc


# ---------------------------------------------------------------------------------------
# 2. chained-campaigns: Huelva in spring, Lleida in summer
# ---------------------------------------------------------------------------------------

CHAINED_WORKERS = 150
CHAINED_VISAS = 90                # distinct workers the order may bring (unit workers)
CHAINED_NATIONAL_MAX = 150        # placements


def chained_campaigns():
    rng = random.Random(SEED + 2)
    fh = "freshuelva"
    employers = [
        employer("E01", "Cooperativa Frutos Rojos de Moguer SCA", HUELVA,
                 [("E01-S1", HUELVA, 40)], fh, "Moguer"),
        employer("E02", "Fresas del Condado SAT", HUELVA, [("E02-S1", HUELVA, 30)], fh,
                 "Palos de la Frontera"),
        employer("E03", "SAT Lepe Fruits", HUELVA, [], fh, "Lepe"),
        # A Huelva group that also runs orchards in Lleida: its second site is there.
        employer("E04", "Grupo Agrícola Condado-Segrià SL", HUELVA,
                 [("E04-HU", HUELVA, 25), ("E04-LL", LLEIDA, 20)], None, "Moguer / Alcarràs"),
        employer("E05", "Fruites del Segrià SCCL", LLEIDA, [("E05-S1", LLEIDA, 30)], None,
                 "Alcarràs"),
        employer("E06", "Cooperativa de Fruiters d'Aitona SCCL", LLEIDA,
                 [("E06-S1", LLEIDA, 25)], None, "Aitona"),
        employer("E07", "Fruita Dolça de Lleida SL", LLEIDA, [], None, "Torres de Segre"),
    ]
    P, F, L = COURSE_PHYTO, COURSE_FOOD, COURSE_LADDER
    vacancies = [
        vacancy("V0101", "E01", None, "strawberry", "harvest", "2026-02-02", "2026-05-15",
                24, trainings=[F]),
        vacancy("V0201", "E02", None, "strawberry", "harvest", "2026-02-09", "2026-05-22",
                20),
        vacancy("V0301", "E03", None, "raspberry", "harvest", "2026-02-16", "2026-05-29",
                16, trainings=[F]),
        vacancy("V0302", "E03", None, "strawberry", "harvest", "2026-02-02", "2026-05-08",
                12),
        vacancy("V0401", "E04", "E04-HU", "blueberry", "harvest", "2026-03-02",
                "2026-05-29", 18, trainings=[P]),
        vacancy("V0402", "E04", "E04-LL", "nectarine", "harvest", "2026-06-01",
                "2026-09-04", 18, sector="stone-fruit", trainings=[L]),
        vacancy("V0501", "E05", None, "peach", "harvest", "2026-05-25", "2026-08-28",
                22, sector="stone-fruit"),
        vacancy("V0502", "E05", None, "peach", "harvest", "2026-06-08", "2026-09-18",
                15, sector="stone-fruit", trainings=[L]),
        vacancy("V0601", "E06", None, "nectarine", "harvest", "2026-06-01", "2026-09-11",
                20, sector="stone-fruit", trainings=[L]),
        vacancy("V0701", "E07", None, "pear", "harvest", "2026-07-13", "2026-09-25",
                14, sector="pome-fruit", trainings=[L]),
        vacancy("V0702", "E07", None, "cherry", "harvest", "2026-05-18", "2026-07-10",
                10, sector="stone-fruit", min_campaigns=1),
    ]
    sessions = [
        session("T-BML-FS-01", F, "MA-05", "2026-01-13", "2026-01-14", 40, 20.0,
                "Béni Mellal"),
        session("T-FEZ-FS-01", F, "MA-03", "2026-01-13", "2026-01-14", 25, 25.0, "Meknès"),
        session("T-BML-PHY-01", P, "MA-05", "2026-01-07", "2026-01-09", 20, 25.0,
                "Béni Mellal"),
        session("T-BML-LAD-01", L, "MA-05", "2026-01-20", "2026-01-22", 30, 35.0,
                "Béni Mellal"),
        session("T-FEZ-LAD-01", L, "MA-03", "2026-01-20", "2026-01-22", 20, 35.0, "Fès"),
        # Between the two campaigns, national: fits a worker back from Huelva by mid-May.
        session("T-RBT-LAD-NAT", L, None, "2026-05-18", "2026-05-20", 20, 40.0, "Rabat"),
    ]
    regions = {"MA-03": ("Fès-Meknès", 0.3), "MA-04": ("Rabat-Salé-Kénitra", 0.2),
               "MA-05": ("Béni Mellal-Khénifra", 0.4), "MA-06": ("Casablanca-Settat", 0.1)}
    workers = []
    for i in range(CHAINED_WORKERS):
        wid = f"W{i + 1:05d}"
        kw = {}
        if rng.random() < 0.6:
            campaigns = rng.choices([1, 2, 3, 4], weights=[35, 30, 20, 15])[0]
            last = rng.choice(["E01", "E02", "E03", "E04", "E05", "E06"])
            kw.update(campaigns=campaigns, returned=True, last_employer=last,
                      last_return=iso(rand_date(rng, D("2025-05-20"), D("2025-09-30"))))
            tr = [c for c, p in ((F, 0.5), (P, 0.5), (L, 0.35)) if rng.random() < p]
            kw["trainings"] = tr
        # Days already spent abroad in the window (e.g. an autumn campaign): some
        # workers cannot chain two placements within 270 days.
        if rng.random() < 0.25:
            kw["days_abroad"] = rng.choice([60, 75, 90, 110])
            kw.setdefault("campaigns", 1)
            kw.setdefault("returned", True)
            kw["last_return"] = iso(rand_date(rng, D("2025-11-10"), D("2025-12-05")))
        a = rng.random()
        if a < 0.60:
            kw["available"] = ("2026-01-05", "2026-10-15")    # whole year: may chain
        elif a < 0.82:
            kw["available"] = ("2026-01-05", "2026-06-30")    # spring only
        else:
            kw["available"] = ("2026-05-01", "2026-10-15")    # summer only
        p = rng.random()
        if p < 0.25:
            kw["preferences"] = ["region:" + LLEIDA]
        elif p < 0.5:
            kw["preferences"] = ["sector:berries", "region:" + HUELVA]
        workers.append(make_worker(rng, wid, pick_weighted(rng, regions), **kw))
    quotas = [
        quota("Q-MA", {"origin_country": ["MA"]}, max_=CHAINED_NATIONAL_MAX),
        quota("Q-MA-VISAS", {"origin_country": ["MA"]}, max_=CHAINED_VISAS,
              unit="workers", note="distinct workers: chaining fills more places"),
        quota("Q-MA-ES615", {"dest_region": [HUELVA]}, max_=88),
        quota("Q-MA-ES513", {"dest_region": [LLEIDA]}, max_=80),
        quota("Q-STONE-FRUIT", {"sector": ["stone-fruit"]}, max_=70),
        quota("Q-WOMEN", {"sex": ["F"]}, min_=100, note="balance target, soft"),
    ]
    policy = {"min_age": 18, "max_stay_days": 270, "min_gap_days": 7,
              "min_home_days": 30, "max_placements": 2, "training_lead_days": 7,
              "weights": {"fill": 1000, "returning": 200, "tenure": 25, "named": 300,
                          "same_employer": 100, "preference": 80, "score": 1,
                          "keep": 150, "training_cost": 1, "quota_shortfall": 2000,
                          "reintegration": 20}}
    return {
        "format": FORMAT,
        "name": "chained-campaigns-2026",
        "x-description": "Huelva berries in spring, Lleida tree fruit in summer; "
                         "some workers chain both within 270 days abroad.",
        "policy": policy,
        "workers": workers,
        "employers": employers,
        "vacancies": vacancies,
        "quotas": quotas,
        "sessions": sessions,
    }


# ---------------------------------------------------------------------------------------
# 4. huelva-infeasible: three pins against a quota of at most 2
# ---------------------------------------------------------------------------------------

INFEASIBLE_QUOTA = "Q-E01-INSPECTION"


def huelva_infeasible():
    rng = random.Random(SEED + 4)
    workers = []
    for i in range(10):
        workers.append(make_worker(
            rng, f"W{i + 1:05d}", rng.choice(["MA-03", "MA-05"]), campaigns=2,
            returned=True, last_employer="E01" if i < 5 else "E02",
            last_return="2025-06-15", trainings=[COURSE_FOOD], languages=["ar", "es"]))
    employers = [
        employer("E01", "Cooperativa Frutos Rojos de Moguer SCA", HUELVA,
                 [("E01-S1", HUELVA, 30)], "freshuelva", "Moguer"),
        employer("E02", "Fresas del Condado SAT", HUELVA, [("E02-S1", HUELVA, 30)],
                 "freshuelva", "Palos de la Frontera"),
    ]
    vacancies = [
        vacancy("V01", "E01", None, "strawberry", "harvest", "2026-03-02", "2026-06-05",
                6, trainings=[COURSE_FOOD]),
        vacancy("V02", "E01", None, "raspberry", "harvest", "2026-03-16", "2026-06-19", 5),
        vacancy("V03", "E02", None, "strawberry", "harvest", "2026-03-02", "2026-06-12", 8),
    ]
    quotas = [
        quota("Q-MA", {"origin_country": ["MA"]}, max_=20),
        quota(INFEASIBLE_QUOTA, {"employer": ["E01"]}, max_=2,
              note="after a labour inspection E01 may take at most 2 workers"),
    ]
    pins = [{"worker": "W00001", "vacancy": "V01"}, {"worker": "W00002", "vacancy": "V01"},
            {"worker": "W00003", "vacancy": "V02"}]
    return {
        "format": FORMAT,
        "name": "huelva-infeasible",
        "x-description": "Three pins on E01 against a quota allowing it 2 placements.",
        "policy": {"min_home_days": 30},
        "workers": workers,
        "employers": employers,
        "vacancies": vacancies,
        "quotas": quotas,
        "pins": pins,
    }


def infeasible_expected():
    return f"quota '{INFEASIBLE_QUOTA}' max 2\n"


# ---------------------------------------------------------------------------------------
# 5. reintegration-required: programme seats bind placements
# ---------------------------------------------------------------------------------------

REINT_WORKERS = 40


def reintegration_required():
    rng = random.Random(SEED + 5)
    regions = {"MA-03": ("Fès-Meknès", 0.35), "MA-04": ("Rabat-Salé-Kénitra", 0.2),
               "MA-05": ("Béni Mellal-Khénifra", 0.45)}
    workers = []
    for i in range(REINT_WORKERS):
        kw = {}
        if rng.random() < 0.5:
            kw.update(campaigns=rng.randint(1, 4), returned=True,
                      last_employer=rng.choice(["E01", "E02"]),
                      last_return=iso(rand_date(rng, D("2025-05-25"), D("2025-07-05"))))
        if rng.random() < 0.2:
            kw["preferences"] = ["E02"]
        workers.append(make_worker(rng, f"W{i + 1:05d}", pick_weighted(rng, regions), **kw))
    employers = [
        employer("E01", "Cooperativa Frutos Rojos de Moguer SCA", HUELVA,
                 [("E01-S1", HUELVA, None)], "freshuelva", "Moguer"),
        employer("E02", "Agrícola Doñana Berries SL", HUELVA, [], None, "Almonte"),
    ]
    vacancies = [
        # Ends 30 April: only programmes starting in May or June can take its workers.
        vacancy("V0101", "E01", None, "strawberry", "early-harvest", "2026-02-02",
                "2026-04-30", 8),
        vacancy("V0102", "E01", None, "strawberry", "harvest", "2026-03-02",
                "2026-06-12", 12),
        vacancy("V0201", "E02", None, "blueberry", "harvest", "2026-03-09",
                "2026-06-19", 10),
        # Ends 26 June: too late for the Béni Mellal programme starting 22 June.
        vacancy("V0202", "E02", None, "blueberry", "late-harvest", "2026-03-16",
                "2026-06-26", 8),
    ]
    programmes = [
        {"id": "R-WAFIRA-2", "country": "MA", "start": "2026-07-01", "end": "2026-09-30",
         "capacity": 12},
        {"id": "R-MA05-COOP", "country": "MA", "region": "MA-05", "start": "2026-06-22",
         "end": "2026-08-31", "capacity": 6},
        {"id": "R-MA03-MAY", "country": "MA", "region": "MA-03", "start": "2026-05-11",
         "end": "2026-07-10", "capacity": 4},
    ]
    return {
        "format": FORMAT,
        "name": "reintegration-required",
        "x-description": "Every placed worker must enter a reintegration programme; "
                         "22 programme seats for 38 places.",
        "policy": {"min_home_days": 30, "max_placements": 1, "reintegration": "required",
                   "reintegration_window_days": 60},
        "workers": workers,
        "employers": employers,
        "vacancies": vacancies,
        "quotas": [quota("Q-MA", {"origin_country": ["MA"]}, max_=40)],
        "programmes": programmes,
    }


# ---------------------------------------------------------------------------------------
# Checking what we write (docs/FORMATS.md section 2 keys, dates, ids, references, eligibility)
# ---------------------------------------------------------------------------------------

ALLOWED = {
    "": {"format", "name", "policy", "workers", "employers", "vacancies", "quotas",
         "sessions", "programmes", "scores", "pins", "bans", "previous"},
    "policy": {"min_age", "max_stay_days", "min_gap_days", "min_home_days",
               "max_placements", "allowed_countries", "min_offer_size",
               "training_lead_days", "reintegration", "reintegration_window_days",
               "tenure_cap", "no_return_ban_days", "weights"},
    "weights": {"fill", "returning", "tenure", "named", "same_employer", "preference",
                "score", "keep", "training_cost", "quota_shortfall", "reintegration"},
    "worker": {"id", "name", "birth_date", "sex", "country", "region", "languages",
               "skills", "trainings", "available", "preferences", "excludes", "history"},
    "available": {"from", "to"},
    "history": {"campaigns", "returned", "last_employer", "last_return", "days_abroad",
                "banned_until"},
    "employer": {"id", "name", "region", "association", "sites"},
    "site": {"id", "region", "beds"},
    "vacancy": {"id", "employer", "site", "sector", "occupation", "start", "end",
                "headcount", "wage_month_eur", "requires", "named", "hold_named"},
    "requires": {"skills", "trainings", "languages", "min_campaigns"},
    "quota": {"id", "max", "min", "unit", "where"},
    "where": {"origin_country", "origin_region", "dest_region", "sector", "employer",
              "association", "occupation", "sex", "returning", "start_from", "start_to"},
    "session": {"id", "course", "country", "region", "start", "end", "capacity", "cost"},
    "programme": {"id", "country", "region", "start", "end", "capacity"},
    "score": {"worker", "vacancy", "value"},
    "pin": {"worker", "vacancy"},
    "ban": {"worker", "vacancy", "employer"},
}


class Context:
    """Indices over a scenario and the eligibility rules of docs/MODEL.md section 3.1."""

    def __init__(self, doc):
        self.doc = doc
        p = {"min_age": 18, "max_stay_days": 270, "min_gap_days": 0, "min_home_days": 0,
             "training_lead_days": 0}
        p.update(doc.get("policy", {}))
        self.policy = p
        self.employer = {e["id"]: e for e in doc["employers"]}
        self.site_region = {}
        for e in doc["employers"]:
            for s in e.get("sites", [{"id": e["id"], "region": e["region"]}]):
                self.site_region[s["id"]] = s["region"]
        self.vacancy = {v["id"]: v for v in doc["vacancies"]}
        self.bans = {(b["worker"], b.get("vacancy"), b.get("employer"))
                     for b in doc.get("bans", [])}

    def dest_region(self, v):
        e = self.employer[v["employer"]]
        site = v.get("site") or (e["sites"][0]["id"] if e.get("sites") else e["id"])
        return self.site_region[site]

    def matches(self, entry, v):
        if entry.startswith("sector:"):
            return v.get("sector") == entry[7:]
        if entry.startswith("region:"):
            return self.dest_region(v) == entry[7:]
        return v["employer"] == entry

    def failed_rules(self, w, v):
        p, h = self.policy, w.get("history", {})
        start, end = D(v["start"]), D(v["end"])
        req = v.get("requires", {})
        failed = []
        b = D(w["birth_date"])
        age = start.year - b.year - ((start.month, start.day) < (b.month, b.day))
        if age < p["min_age"]:
            failed.append("age")
        if "allowed_countries" in p and w["country"] not in p["allowed_countries"]:
            failed.append("country")
        if not (D(w["available"]["from"]) <= start and end <= D(w["available"]["to"])):
            failed.append("availability")
        if not set(req.get("skills", [])) <= set(w.get("skills", [])) or \
                not set(req.get("languages", [])) <= set(w.get("languages", [])):
            failed.append("skills")
        if h.get("campaigns", 0) < req.get("min_campaigns", 0):
            failed.append("experience")
        for course in req.get("trainings", []):
            if course in w.get("trainings", []):
                continue
            if not any(k["course"] == course and k["country"] == w["country"]
                       and k.get("region", w.get("region")) == w.get("region")
                       and (D(k["end"]) - start).days + p["training_lead_days"] < 0
                       for k in self.doc.get("sessions", [])):
                failed.append("training")
                break
        if h.get("last_return") and \
                (start - D(h["last_return"])).days < p["min_home_days"]:
            failed.append("home_time")
        if (end - start).days + 1 + h.get("days_abroad", 0) > p["max_stay_days"]:
            failed.append("stay")
        if h.get("banned_until") and D(h["banned_until"]) >= start:
            failed.append("banned")
        if (w["id"], v["id"], None) in self.bans or \
                (w["id"], None, v["employer"]) in self.bans:
            failed.append("ban")
        if any(self.matches(x, v) for x in w.get("excludes", [])):
            failed.append("excluded")
        return failed


def check_scenario(doc):
    """Raise ValueError on anything docs/FORMATS.md section 2 rejects; return statistics."""
    def keys(obj, kind, path):
        if not isinstance(obj, dict):
            raise ValueError(f"{path}: not an object")
        for k in obj:
            if k not in ALLOWED[kind] and not k.startswith("x-"):
                raise ValueError(f"{path}: unknown key '{k}'")

    def date(text, path):
        try:
            D(text)
        except (TypeError, ValueError):
            raise ValueError(f"{path}: bad date {text!r}") from None

    def ident(text, path, seen):
        if not isinstance(text, str) or not text or len(text.encode()) > 64:
            raise ValueError(f"{path}: bad id {text!r}")
        if text in seen:
            raise ValueError(f"{path}: duplicate id {text!r}")
        seen.add(text)

    keys(doc, "", "$")
    if doc["format"] != FORMAT:
        raise ValueError("$.format")
    keys(doc.get("policy", {}), "policy", "$.policy")
    keys(doc.get("policy", {}).get("weights", {}), "weights", "$.policy.weights")
    wids, eids, sids, vids, qids, kids, rids = (set() for _ in range(7))
    for i, w in enumerate(doc["workers"]):
        path = f"$.workers[{i}]"
        keys(w, "worker", path)
        ident(w["id"], path + ".id", wids)
        date(w["birth_date"], path + ".birth_date")
        if not "1970-01-01" <= w["birth_date"] <= "2005-12-31":
            raise ValueError(f"{path}: birth date out of range")
        keys(w["available"], "available", path + ".available")
        date(w["available"]["from"], path)
        date(w["available"]["to"], path)
        if w.get("sex", "F") not in ("F", "M", "X"):
            raise ValueError(f"{path}.sex")
        h = w.get("history", {})
        keys(h, "history", path + ".history")
        for k in ("last_return", "banned_until"):
            if h.get(k) is not None:
                date(h[k], f"{path}.history.{k}")
    for i, e in enumerate(doc["employers"]):
        path = f"$.employers[{i}]"
        keys(e, "employer", path)
        ident(e["id"], path + ".id", eids)
        for j, s in enumerate(e.get("sites", [])):
            keys(s, "site", f"{path}.sites[{j}]")
            ident(s["id"], f"{path}.sites[{j}].id", sids)
    min_offer = doc.get("policy", {}).get("min_offer_size", 1)
    for i, v in enumerate(doc["vacancies"]):
        path = f"$.vacancies[{i}]"
        keys(v, "vacancy", path)
        keys(v.get("requires", {}), "requires", path + ".requires")
        ident(v["id"], path + ".id", vids)
        date(v["start"], path + ".start")
        date(v["end"], path + ".end")
        if v["end"] < v["start"] or v["headcount"] < min_offer:
            raise ValueError(f"{path}: period or headcount")
        e = next((e for e in doc["employers"] if e["id"] == v["employer"]), None)
        if e is None:
            raise ValueError(f"{path}.employer: unknown")
        if "site" in v and v["site"] not in {s["id"] for s in e.get("sites", [])}:
            raise ValueError(f"{path}.site: not a site of {e['id']}")
        if "site" not in v and len(e.get("sites", [])) > 1:
            raise ValueError(f"{path}.site: employer has several sites")
    for i, q in enumerate(doc.get("quotas", [])):
        path = f"$.quotas[{i}]"
        keys(q, "quota", path)
        keys(q["where"], "where", path + ".where")
        ident(q["id"], path + ".id", qids)
        if "max" not in q and "min" not in q:
            raise ValueError(f"{path}: needs max or min")
        for k in ("start_from", "start_to"):
            if k in q["where"]:
                date(q["where"][k], f"{path}.where.{k}")
    for i, k in enumerate(doc.get("sessions", [])):
        keys(k, "session", f"$.sessions[{i}]")
        ident(k["id"], f"$.sessions[{i}].id", kids)
        date(k["start"], f"$.sessions[{i}]")
        date(k["end"], f"$.sessions[{i}]")
    for i, r in enumerate(doc.get("programmes", [])):
        keys(r, "programme", f"$.programmes[{i}]")
        ident(r["id"], f"$.programmes[{i}].id", rids)
        date(r["start"], f"$.programmes[{i}]")
        date(r["end"], f"$.programmes[{i}]")
    for kind, items in (("score", doc.get("scores", [])), ("pin", doc.get("pins", [])),
                        ("ban", doc.get("bans", []))):
        for i, it in enumerate(items):
            keys(it, kind, f"$.{kind}s[{i}]")
            if it["worker"] not in wids or ("vacancy" in it and it["vacancy"] not in vids) \
                    or ("employer" in it and it["employer"] not in eids):
                raise ValueError(f"$.{kind}s[{i}]: unknown reference")
    ctx = Context(doc)
    workers = {w["id"]: w for w in doc["workers"]}
    for i, pin in enumerate(doc.get("pins", [])):
        failed = ctx.failed_rules(workers[pin["worker"]], ctx.vacancy[pin["vacancy"]])
        if failed:
            raise ValueError(f"$.pins[{i}]: ineligible ({', '.join(failed)})")
    pairs = sum(1 for w in doc["workers"] for v in doc["vacancies"]
                if not ctx.failed_rules(w, v))
    return {"workers": len(doc["workers"]), "vacancies": len(doc["vacancies"]),
            "headcount": sum(v["headcount"] for v in doc["vacancies"]),
            "eligible_pairs": pairs}


# ---------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------

def dumps(doc):
    """Top-level keys one per line, each array element on its own compact line."""
    def compact(x):
        return json.dumps(x, ensure_ascii=False, separators=(", ", ": "))

    lines = ["{"]
    items = list(doc.items())
    for n, (k, v) in enumerate(items):
        comma = "," if n < len(items) - 1 else ""
        if isinstance(v, list) and v:
            lines.append(f" {compact(k)}: [")
            lines.extend(f"  {compact(x)}{',' if j < len(v) - 1 else ''}"
                         for j, x in enumerate(v))
            lines.append(f" ]{comma}")
        else:
            lines.append(f" {compact(k)}: {compact(v)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description="Write the bundled circulab scenarios.")
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)),
                    help="directory to write into (default: this script's directory)")
    ap.add_argument("--stats", action="store_true", help="print sizes and eligible pairs")
    args = ap.parse_args()

    small = huelva_small()
    docs = {
        "huelva-small.json": small,
        "chained-campaigns.json": chained_campaigns(),
        "huelva-tight.json": huelva_tight(small),
        "huelva-infeasible.json": huelva_infeasible(),
        "reintegration-required.json": reintegration_required(),
    }
    for fname, doc in docs.items():
        stats = check_scenario(doc)
        text = dumps(doc)
        json.loads(text)                      # what we write parses back
        with open(os.path.join(args.out, fname), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        if args.stats:
            print(f"{fname:30s} {len(text.encode()) // 1024:4d} KB  workers {stats['workers']:4d}"
                  f"  vacancies {stats['vacancies']:3d}  headcount {stats['headcount']:4d}"
                  f"  eligible pairs {stats['eligible_pairs']:5d}")
    with open(os.path.join(args.out, "huelva-infeasible.expected.txt"), "w",
              encoding="utf-8", newline="\n") as f:
        f.write(infeasible_expected())
    return 0


if __name__ == "__main__":
    sys.exit(main())
