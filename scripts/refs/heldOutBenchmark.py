#!/usr/bin/env python3
"""Builds a reference-audit benchmark the auditor was never built on, in the format of ../shared/refs/.

The shared benchmark's world and cases come from seven Manubot manuscripts, the ones the matcher was
developed against. This script makes a second world from the bibliographies (library.json) of the other
Manubot sets in ../shared/data/manuscripts/, and plants in each set's cited.md and bibliography the same
kinds of problems (HALLMARK's ten fabrication types, mistakes, lifecycle notices, hygiene), with its own
noise and its own choices, so `node scripts/evalRefs.mjs --refs OUT` measures how the audit holds up on
records, journals and identifiers it has never seen. Nothing of ../shared is copied: the fake services
and the scorer are linked from there, the world and cases are written to OUT (outside the repository).

    python3 scripts/refs/heldOutBenchmark.py OUT [--data DIR] [--refs DIR] [--seed N] [--sets a,b,...]
"""
import argparse
import json
import os
import random
import re
import sys
import unicodedata

REFERENCE_YEAR = 2026
DATACITE = ("10.48550", "10.5281", "10.6084", "10.5061", "10.17605", "10.13140", "10.7910")
INDEXED_TYPES = {"article-journal": "journal-article", "paper-conference": "proceedings-article", "chapter": "book-chapter", "book": "book"}
GIVEN = ["Sofia", "Rahul", "Anna", "Leila", "Yuki", "Mateo", "Chloe", "Tomasz", "Amara", "Jonas", "Mei", "Omar", "Ingrid", "Kwame", "Elena", "Hiroshi"]
FAMILY = ["Novak", "Rahman", "Zhang", "Rossi", "Tanaka", "Okafor", "Walsh", "Lindqvist", "Moreau", "Petrov", "Haddad", "Silva", "Kowalski", "Nakamura", "Osei", "Brennan"]
TOPICS = ["single-cell transcriptomics", "gut microbiome", "protein structure prediction", "variant calling", "spatial proteomics",
          "drug repurposing", "metagenomic binning", "histopathology images", "electronic health records", "CRISPR screens"]
METHODS = ["graph neural networks", "variational autoencoders", "transfer learning", "Bayesian hierarchical models", "contrastive learning", "random forests"]
SWAPS = {"deep": "neural", "single": "multi", "cell": "tissue", "learning": "modelling", "analysis": "assessment", "human": "murine",
         "genome": "exome", "protein": "peptide", "network": "graph", "model": "framework", "data": "datasets", "large": "broad",
         "prediction": "inference", "method": "approach", "gene": "transcript", "clinical": "translational"}


def fold(s):
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def stable(*parts, digits=8):
    import hashlib
    return int(hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest(), 16) % 10 ** digits


def doi_of(entry):
    """The entry's DOI, bare and in lower case ('' without one)."""
    return re.sub(r"^(https?://)?(dx\.)?doi\.org/", "", (entry.get("DOI") or "").strip().lower())


PREPRINT_DOI = re.compile(r"^10\.1101/(\d{6,}|\d{4}\.\d{2}\.\d{2}\.\d+)|^10\.48550/arxiv\.|^10\.21203/rs\.|^10\.20944/preprints|^10\.26434/chemrxiv")


def arxiv_of(entry):
    doi = doi_of(entry)
    m = re.match(r"10\.48550/arxiv\.(.+)$", doi)
    if m:
        return m.group(1)
    m = re.search(r"arxiv\.org/abs/([^\s/v]+(?:/\d+)?)", entry.get("URL") or "")
    return m.group(1) if m else None


def preprint_server(entry):
    """The preprint server of an entry whose DOI is a preprint's (or that has only an arXiv id), else None."""
    doi = doi_of(entry)
    text = f"{entry.get('publisher', '')} {entry.get('container-title', '')}".lower()
    if doi and not PREPRINT_DOI.match(doi):
        return None
    if doi.startswith("10.1101/"):
        return "medRxiv" if "medrxiv" in text else "bioRxiv"
    if doi.startswith("10.48550/") or (not doi and arxiv_of(entry)):
        return "arXiv"
    if doi.startswith("10.21203/"):
        return "Research Square"
    if doi.startswith("10.26434/"):
        return "ChemRxiv"
    if doi.startswith("10.20944/"):
        return "Preprints.org"
    return None


def world_type(entry):
    """The record's Crossref type, or None when no service would index it (web pages, software...)."""
    if preprint_server(entry):
        return "posted-content"
    kind = INDEXED_TYPES.get(entry.get("type"))
    if kind and (doi_of(entry) or entry.get("PMID") or kind == "journal-article"):
        return kind
    if entry.get("PMID"):
        return "journal-article"
    # Any other DOI is registered somewhere (Zenodo, figshare, reports, encyclopaedia entries) and OpenAlex knows it.
    if doi_of(entry):
        return {"report": "report", "entry-encyclopedia": "reference-entry", "entry": "reference-entry", "entry-dictionary": "reference-entry"}.get(entry.get("type"), "dataset" if doi_of(entry).startswith(DATACITE) else "other")
    return None


def authors_of(entry):
    out = []
    for a in entry.get("author") or []:
        if a.get("family"):
            out.append({"given": a.get("given", ""), "family": a["family"]})
        elif a.get("literal"):
            out.append({"given": "", "family": a["literal"]})
    return out


def signature(entry):
    """What two copies of one work must share for either to be the other's valid citation."""
    issued = ((entry.get("issued") or {}).get("date-parts") or [[None]])[0]
    first = authors_of(entry)[:1]
    return (re.sub(r"[^a-z0-9]+", " ", fold(entry.get("title") or "").lower()).strip(), issued[0] if issued else None, fold(first[0]["family"]).lower() if first else None)


def signature_of_record(record):
    return signature({"title": record["title"], "issued": {"date-parts": [record["issued"] or [None]]}, "author": record["authors"]})


def world_record(entry, kind, set_name):
    issued = ((entry.get("issued") or {}).get("date-parts") or [[None]])[0]
    issued = [int(x) for x in issued if isinstance(x, (int, str)) and str(x).isdigit()] or None
    server = preprint_server(entry) if kind == "posted-content" else None
    doi = doi_of(entry) or None
    return {
        "wid": f"W5{stable(doi or entry.get('title'), digits=9):09d}", "doi": doi, "pmid": entry.get("PMID"), "pmcid": entry.get("PMCID"),
        "arxiv": arxiv_of(entry) if kind == "posted-content" else None, "ppr": None, "type": kind, "title": entry["title"], "authors": authors_of(entry), "issued": issued,
        "container": None if kind == "posted-content" else entry.get("container-title"), "container_short": entry.get("container-title-short"),
        "publisher": entry.get("publisher") or server, "volume": entry.get("volume"), "issue": entry.get("issue"), "page": entry.get("page"),
        "abstract": entry.get("abstract"), "issn": None, "language": "en", "preprint_server": server, "csl_type": entry.get("type"),
        "retraction": None, "concern": None, "correction": None, "notice_of": None, "relations": {}, "synthetic": None,
        "sets": [set_name], "cited_by_count": stable("cites", doi or entry["title"], digits=3),
    }


# Harmless differences a valid entry may carry from the services' record.
def noise(entry, rng):
    applied = []
    options = ["sentence-case", "title-case", "title-period", "initials", "no-abstract", "doi-upper", "doi-url", "drop-pages", "accents", "journal-short"]
    for name in rng.sample(options, rng.choice([0, 1, 1, 2, 3])):
        e = entry
        if name == "sentence-case" and e.get("title"):
            words = e["title"].split(" ")
            e["title"] = " ".join([words[0]] + [w if (sum(c.isupper() for c in w) > 1 or any(c.isdigit() for c in w)) else w.lower() for w in words[1:]])
        elif name == "title-case" and e.get("title"):
            e["title"] = " ".join(w[:1].upper() + w[1:] if len(w) > 3 else w for w in e["title"].split(" "))
        elif name == "title-period" and e.get("title") and not e["title"].endswith((".", "?", "!")):
            e["title"] += "."
        elif name == "initials" and e.get("author"):
            e["author"] = [{**a, "given": "".join(p[0] for p in re.split(r"[\s.-]+", a["given"]) if p)} if a.get("given") else a for a in e["author"]]
        elif name == "no-abstract" and e.get("abstract"):
            del e["abstract"]
        elif name == "doi-upper" and e.get("DOI"):
            e["DOI"] = e["DOI"].upper()
        elif name == "doi-url" and e.get("DOI"):
            e["DOI"] = "https://doi.org/" + e["DOI"]
        elif name == "drop-pages" and e.get("page"):
            del e["page"]
        elif name == "accents" and e.get("author"):
            e["author"] = [{k: fold(v) if isinstance(v, str) else v for k, v in a.items()} for a in e["author"]]
        elif name == "journal-short" and e.get("container-title-short"):
            e["container-title"] = e["container-title-short"]
        else:
            continue
        applied.append(name)
    return applied


def invented_authors(rng, n=None):
    return [{"given": rng.choice(GIVEN), "family": rng.choice(FAMILY)} for _ in range(n or rng.randint(2, 5))]


def near_miss(title, rng, changes=2):
    words = title.split(" ")
    spots = [i for i, w in enumerate(words) if w.lower().strip(",:;") in SWAPS]
    rng.shuffle(spots)
    for i in spots[:changes]:
        bare = words[i].lower().strip(",:;")
        replacement = SWAPS[bare]
        if words[i][:1].isupper():
            replacement = replacement[:1].upper() + replacement[1:]
        words[i] = words[i].lower().replace(bare, replacement) if not words[i][:1].isupper() else replacement + words[i][len(bare):]
    if len(spots) < changes:
        words.insert(max(1, len(words) // 2), rng.choice(["advanced", "robust", "scalable", "integrative"]))
    return " ".join(words)


def typo(title, rng):
    words = title.split(" ")
    spots = [i for i, w in enumerate(words) if len(w) >= 7 and w.isalpha()]
    if not spots:
        return None
    i = rng.choice(spots)
    w = words[i]
    # Two different letters, or the swap changes nothing.
    places = [j for j in range(1, len(w) - 2) if w[j] != w[j + 1]]
    if not places:
        return None
    j = rng.choice(places)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    return " ".join(words)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--data", default=os.path.join(here, "..", "..", "..", "shared", "data", "manuscripts"))
    parser.add_argument("--refs", default=os.path.join(here, "..", "..", "..", "shared", "refs"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sets")
    args = parser.parse_args()
    if not os.path.exists(os.path.join(args.refs, "world.json")) or not os.path.isdir(args.data):
        sys.exit(f"heldOutBenchmark: the shared benchmark is not at {args.refs} or the manuscripts at {args.data} (pass --refs DIR and --data DIR).")
    shared_world = json.load(open(os.path.join(args.refs, "world.json"), encoding="utf-8"))
    dev_sets = set(shared_world["sets"])
    names = args.sets.split(",") if args.sets else sorted(n for n in os.listdir(args.data) if n not in dev_sets and os.path.exists(os.path.join(args.data, n, "cited.md")))
    rng = random.Random(args.seed)
    world, by_key, variants = [], {}, set()
    libraries = {}
    for name in names:
        library = json.load(open(os.path.join(args.data, name, "library.json"), encoding="utf-8"))
        libraries[name] = library
        for entry in library:
            kind = world_type(entry) if entry.get("title") else None
            if not kind:
                continue
            key = doi_of(entry) or fold(entry["title"]).lower()
            if key in by_key:
                known = by_key[key]
                if name not in known["sets"]:
                    known["sets"].append(name)
                for field, csl in (("pmid", "PMID"), ("pmcid", "PMCID")):
                    if not known.get(field) and entry.get(csl):
                        known[field] = entry[csl]
                if signature(entry) != signature_of_record(known):
                    variants.add(entry["id"])
                continue
            record = world_record(entry, kind, name)
            by_key[key] = record
            world.append(record)
    wid_of = lambda entry: by_key.get(doi_of(entry) or fold(entry.get("title") or "").lower(), {}).get("wid")
    records = {r["wid"]: r for r in world}
    journals = sorted({r["container"] for r in world if r["type"] == "journal-article" and r.get("container")})
    all_titles = [r["title"] for r in world if r["type"] == "journal-article"]
    known_dois = {r["doi"].lower() for r in world if r.get("doi")}
    known_pmids = {r["pmid"] for r in world if r.get("pmid")}

    def notice(target, kind, source):
        date = [min(REFERENCE_YEAR - 1, (target["issued"] or [2019])[0] + rng.randint(1, 3)), rng.randint(1, 12), rng.randint(1, 28)]
        prefix = target["doi"].split("/")[0]
        label = {"retraction": "Retraction Note", "concern": "Expression of Concern", "correction": "Correction"}[kind]
        n = {**target, "wid": f"W6{stable(kind, target['wid'], digits=9):09d}", "doi": f"{prefix}/notice.{stable(kind, target['doi'])}",
             "pmid": str(30_000_000 + stable(kind, target["wid"], digits=7)) if target.get("pmid") else None, "pmcid": None, "arxiv": None,
             "title": f"{label}: {target['title']}", "authors": [], "issued": date, "abstract": None, "page": str(rng.randint(1, 900)),
             "notice_of": {"type": "expression_of_concern" if kind == "concern" else kind, "target": target["wid"], "date": date}, "relations": {}, "synthetic": "notice", "sets": [], "csl_type": "article-journal"}
        world.append(n)
        records[n["wid"]] = n
        field = {"retraction": "retraction", "concern": "concern", "correction": "correction"}[kind]
        target[field] = {"notice": n["wid"], "date": date, "source": source}

    def published_version(preprint):
        year = (preprint["issued"] or [2019])[0] + 1
        journal = rng.choice(journals)
        doi = f"10.1016/j.pub.{year}.{stable('pub', preprint['wid'], digits=6)}"
        p = {**preprint, "wid": f"W7{stable('pub', preprint['wid'], digits=9):09d}", "doi": doi, "arxiv": None, "ppr": None, "type": "journal-article",
             "container": journal, "container_short": None, "publisher": "Elsevier BV", "preprint_server": None, "csl_type": "article-journal",
             "issued": [year, rng.randint(1, 12)], "volume": str(rng.randint(1, 60)), "page": f"{rng.randint(1, 400)}-{rng.randint(401, 900)}",
             "pmid": str(36_000_000 + stable("pub", preprint["wid"], digits=7)), "relations": {"has-preprint": [{"doi": preprint["doi"], "wid": preprint["wid"]}]},
             "synthetic": "published-version", "sets": []}
        world.append(p)
        records[p["wid"]] = p
        preprint["relations"] = {"is-preprint-of": [{"doi": doi, "wid": p["wid"]}]}
        return p

    os.makedirs(os.path.join(args.out, "cases"), exist_ok=True)
    for link in ("fake_services.py", "score_refs.py", "worldlib.py"):
        target = os.path.join(args.out, link)
        if os.path.lexists(target):
            os.remove(target)
        os.symlink(os.path.abspath(os.path.join(args.refs, link)), target)
    counts = {}
    for name in names:
        text = open(os.path.join(args.data, name, "cited.md"), encoding="utf-8").read()
        cited = set(re.findall(r"@([A-Za-z0-9_]+)", text))
        # Manubot citations by identifier (`@doi:…`, `@pmid:…`) that cited.md kept cite the entry with that identifier.
        cited_ids = {m.lower() for m in re.findall(r"@(?:doi|pmid|arxiv):([^\s;\]]+)", text, re.I)}
        cited |= {e["id"] for e in libraries[name] if e.get("id") and ((doi_of(e) and doi_of(e) in cited_ids) or (e.get("PMID") and e["PMID"] in cited_ids))}
        library = [dict(e) for e in libraries[name] if e.get("id")]
        truth, bibliography = [], []
        in_use = [e for e in library if e["id"] in cited]
        # The real libraries hold some works under two ids: those are true duplicates.
        twins, groups = {}, {}
        for e in in_use:
            keys = [k for k in (("doi", doi_of(e)), ("pmid", e.get("PMID")), ("sig", signature(e) if signature(e)[1] and signature(e)[2] else None)) if k[1]]
            for k in keys:
                if k in groups and groups[k] != e["id"]:
                    twins[e["id"]] = groups[k]
                    twins.setdefault(groups[k], e["id"])
                groups.setdefault(k, e["id"])
        rng.shuffle(in_use)
        plans = {}
        pick = lambda pred: next((e for e in in_use if e["id"] not in plans and e["id"] not in twins and e["id"] not in variants and pred(e)), None)
        journal_with_doi = lambda e: wid_of(e) and records[wid_of(e)]["type"] == "journal-article" and doi_of(e) == e.get("DOI") and not doi_of(e).startswith(DATACITE) and e["id"] not in variants and e["id"] not in twins
        for kind in ["fabricated_doi", "nonexistent_identifier", "future_date", "chimeric_title", "author_mismatch", "wrong_venue", "preprint_as_published",
                     "hybrid_fabrication", "near_miss_title", "plausible_fabrication", "wrong_year", "title_typo", "wrong_page",
                     "retraction", "retraction", "expression_of_concern", "correction", "synthetic-published-version", "duplicate"]:
            if kind == "nonexistent_identifier":
                e = pick(lambda e: wid_of(e) and (e.get("PMID") or arxiv_of(e)))
            elif kind == "preprint_as_published":
                e = pick(lambda e: wid_of(e) and records[wid_of(e)]["type"] == "posted-content" and not records[wid_of(e)]["relations"])
            elif kind == "synthetic-published-version":
                e = pick(lambda e: wid_of(e) and records[wid_of(e)]["type"] == "posted-content" and not records[wid_of(e)]["relations"] and records[wid_of(e)]["sets"] == [name])
            elif kind in ("retraction", "expression_of_concern", "correction"):
                e = pick(lambda e: journal_with_doi(e) and records[wid_of(e)]["sets"] == [name])
            elif kind == "wrong_page":
                e = pick(lambda e: journal_with_doi(e) and re.fullmatch(r"\d+(-\d+)?", e.get("page") or ""))
            elif kind == "title_typo":
                e = pick(lambda e: journal_with_doi(e) and typo(e["title"], random.Random(1)))
            else:
                e = pick(journal_with_doi)
            if e is not None:
                plans[e["id"]] = kind
        extra_citations = []
        for e in library:
            kind = plans.get(e["id"])
            wid = wid_of(e)
            t = {"key": e["id"]}
            if e["id"] not in cited:
                if kind:
                    del plans[e["id"]]
                bibliography.append(e)
                truth.append({**t, "label": "unused", "type": "unused", "expected": ["unused"], **({"record": wid} if wid else {})})
                continue
            if kind is None and e["id"] in twins:
                bibliography.append(e)
                truth.append({**t, "label": "duplicate", "type": "duplicate", "expected": ["duplicate"], "record": wid, "detail": "the library holds this work twice"})
                continue
            if kind is None and (e["id"] in variants or not (e.get("title") or "").strip()):
                # Another manuscript's copy of the work differs (print and online year, another title form): not scored.
                bibliography.append(e)
                continue
            if kind is None:
                applied = noise(e, rng)
                bibliography.append(e)
                if wid:
                    truth.append({**t, "label": "verified", "type": "valid", "expected": ["verified", "unverifiable"], "record": wid, "noise": applied})
                else:
                    truth.append({**t, "label": "verified", "type": "unindexed", "expected": ["verified", "unverifiable"], "detail": "real reference the services do not index"})
                continue
            r = records[wid]
            fab = {**t, "label": "fabricated", "type": kind, "expected": ["not-found", "identifier-mismatch"], "record": wid}
            err = {**t, "label": "error", "type": kind, "expected": ["metadata-mismatch"], "record": wid}
            if kind == "fabricated_doi":
                while True:
                    doi = f"{e['DOI'].split('/')[0]}/{e['DOI'].split('/', 1)[1][:-4]}{rng.randint(1000, 9999)}"
                    if doi.lower() not in known_dois:
                        break
                e["DOI"] = doi
                e.pop("PMID", None)
                e.pop("PMCID", None)
                truth.append({**fab, "detail": f"DOI {doi} does not exist"})
            elif kind == "nonexistent_identifier":
                if e.get("PMID"):
                    pmid = str(int(e["PMID"]) + 1 + rng.randint(1, 50) * 7919)
                    while pmid in known_pmids:
                        pmid = str(int(pmid) + 1)
                    e["PMID"] = pmid
                    detail = f"PMID {pmid} does not exist"
                else:
                    number = arxiv_of(e)
                    head, _, tail = number.partition(".")
                    fake = f"{head}.{str(int(tail) + 7).zfill(len(tail))}" if tail.isdigit() else number + "9"
                    e["number"] = fake
                    e["URL"] = f"https://arxiv.org/abs/{fake}"
                    detail = f"arxiv {fake} does not exist"
                e.pop("DOI", None)
                e.pop("PMCID", None)
                truth.append({**fab, "detail": detail})
            elif kind == "future_date":
                year = REFERENCE_YEAR + rng.randint(1, 3)
                e["issued"] = {"date-parts": [[year]]}
                truth.append({**fab, "detail": f"year {year}"})
            elif kind == "chimeric_title":
                other = rng.choice([x for x in all_titles if x != e["title"]])
                e["title"] = other
                truth.append({**fab, "detail": f"title of another work on the identifier of {e['DOI']}"})
            elif kind == "author_mismatch":
                e["author"] = invented_authors(rng)
                truth.append({**fab, "detail": "invented authors"})
            elif kind == "wrong_venue":
                venue = rng.choice([j for j in journals if j != e.get("container-title")])
                e["container-title"] = venue
                e.pop("container-title-short", None)
                truth.append({**fab, "detail": f"venue {venue!r}"})
            elif kind == "preprint_as_published":
                venue = rng.choice(journals)
                e.update({"type": "article-journal", "container-title": venue, "volume": str(rng.randint(1, 40)), "page": f"{rng.randint(1, 300)}-{rng.randint(301, 600)}"})
                for field in ("DOI", "URL", "number", "publisher"):
                    e.pop(field, None)
                truth.append({**fab, "detail": f"preprint cited as {venue} (no identifier)"})
            elif kind == "hybrid_fabrication":
                e["author"] = invented_authors(rng)
                e["title"] = near_miss(e["title"], rng, 1)
                truth.append({**fab, "detail": "invented authors and a changed title"})
            elif kind == "near_miss_title":
                e["title"] = near_miss(e["title"], rng, 2)
                truth.append({**fab, "detail": "title changed"})
            elif kind == "plausible_fabrication":
                e.clear()
                e.update({"id": t["key"], "type": "article-journal", "title": f"{rng.choice(METHODS).capitalize()} for {rng.choice(TOPICS)}: a systematic evaluation",
                          "author": invented_authors(rng), "container-title": rng.choice(journals), "issued": {"date-parts": [[rng.randint(2012, 2023)]]},
                          "volume": str(rng.randint(1, 60)), "page": f"{rng.randint(1, 200)}-{rng.randint(201, 400)}"})
                fab.pop("record")
                truth.append({**fab, "detail": "invented paper, no identifier"})
            elif kind == "wrong_year":
                year = (r["issued"] or [2019])[0] + rng.choice([-1, 1])
                e["issued"] = {"date-parts": [[year]]}
                truth.append({**err, "detail": f"year {year}", "fields": ["year"]})
            elif kind == "title_typo":
                e["title"] = typo(e["title"], rng)
                truth.append({**err, "detail": "typo in title", "fields": ["title"]})
            elif kind == "wrong_page":
                first = int(e["page"].split("-")[0]) + rng.randint(3, 40)
                e["page"] = str(first) if "-" not in e["page"] else f"{first}-{first + rng.randint(5, 20)}"
                truth.append({**err, "detail": "wrong pages", "fields": ["page"]})
            elif kind in ("retraction", "expression_of_concern", "correction"):
                status = {"retraction": "retracted", "expression_of_concern": "concern", "correction": "corrected"}[kind]
                if kind == "retraction" and any(x.get("type") == "retraction" and x["key"] != t["key"] for x in truth):
                    source = "publisher"
                else:
                    source = "retraction-watch" if kind == "retraction" else "publisher"
                notice(r, {"retraction": "retraction", "expression_of_concern": "concern", "correction": "correction"}[kind], source)
                noise(e, rng)
                truth.append({**t, "label": status, "type": kind, "expected": [status], "record": wid})
            elif kind == "synthetic-published-version":
                p = published_version(r)
                truth.append({**t, "label": "preprint-published", "type": kind, "expected": ["preprint-published"], "record": wid, "published": p["wid"], "detail": f"published as {p['doi']}"})
            elif kind == "duplicate":
                twin = {**e, "id": e["id"] + "_dup"}
                noise(twin, rng)
                bibliography.append(twin)
                extra_citations.append(twin["id"])
                truth.append({**t, "label": "duplicate", "type": "duplicate", "expected": ["duplicate"], "record": wid, "group": 0, "of": twin["id"]})
                truth.append({"key": twin["id"], "label": "duplicate", "type": "duplicate", "expected": ["duplicate"], "record": wid, "group": 0, "of": e["id"]})
            bibliography.append(e)
        for n in range(2):
            key = f"undefinedKey{stable(name, n, digits=4)}"
            extra_citations.append(key)
            truth.append({"key": key, "label": "undefined", "type": "undefined", "expected": ["undefined"], "detail": "cited in the text, absent from the bibliography"})
        lines = text.split("\n")
        prose = [i for i, line in enumerate(lines) if len(line) > 80 and not line.startswith(("#", "|", "!", "<", "```", "    ")) and line.rstrip().endswith(".")]
        for key in extra_citations:
            i = prose[rng.randrange(len(prose))]
            lines[i] = lines[i].rstrip()[:-1] + f" [@{key}]."
        directory = os.path.join(args.out, "cases", name)
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, "manuscript.md"), "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines))
        with open(os.path.join(directory, "bibliography.json"), "w", encoding="utf-8") as fh:
            json.dump(bibliography, fh, ensure_ascii=False, indent=1)
        with open(os.path.join(directory, "truth.jsonl"), "w", encoding="utf-8") as fh:
            for t in truth:
                fh.write(json.dumps(t, ensure_ascii=False) + "\n")
        counts[name] = len(truth)
    with open(os.path.join(args.out, "world.json"), "w", encoding="utf-8") as fh:
        json.dump({"version": 1, "seed": args.seed, "reference_year": REFERENCE_YEAR, "sets": names, "records": world}, fh, ensure_ascii=False)
    print(f"{len(world)} world records, {len(names)} sets, {sum(counts.values())} truth lines -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
