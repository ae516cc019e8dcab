"""Findings read back from scorecards, their fingerprints, CI gates and baselines.

Every CI output (the ``--fail-on`` gate, ``--baseline``, JUnit, SARIF,
Markdown, ``auditor diff``) needs the same list of findings; they all get it
from ``enumerate_findings`` so that they never disagree on what a finding is.
This module is pure: scorecards (dicts following the contract) in, findings
out; it never reads a capture nor drives a browser.

A finding's *fingerprint* must survive changes of the page that have nothing
to do with it (a banner inserted above it, a wrapper ``<div>``, re-numbered
auto-generated ids, a different host for a preview deployment), otherwise a
baseline would report known findings as new on every DOM change.  It hashes:

- the démarche id and the rule;
- the page *path* (no host, no query; long numbers and UUIDs folded), so
  ``https://preview-42.example/cni/etape-2`` and production match;
- a normalised *target*: the element's own identity read from its HTML
  (tag, type, role, then id / name / for / src / href… with digits folded)
  rather than axe's CSS path, which changes with every sibling added;
  enclosing iframes keep their (normalised) selectors.

Fingerprints are compared as a multiset: two identical ``<img>`` without
``alt`` on a page are two findings with the same fingerprint, and a third
one appearing is new.

Blocks a check did not fill (``{"status": "not_checked"}``) yield no
finding: a gate that needs them reports a *notice* ("non vérifié"), never a
pass nor a failure.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Sequence
from urllib.parse import urlsplit

from ..indicators import IMPACT_ALIASES, IMPACT_FR, IMPACTS, INDICATOR_FR, INDICATOR_SCALES, TO_CHECK
from ..checks import metas
from ..model import ExportContext, Finding

FINGERPRINT_VERSION = "v1"
SARIF_FINGERPRINT_KEY = "auditorFingerprint/v1"

# Built-in findings (the walk, axe-core, the indicators), then every check's own (checks/*.py, CheckMeta).
BUILTIN_CHECKS: dict[str, tuple[int, str]] = {"walk": (0, "Parcours de la démarche"),
                                              "axe": (10, "Accessibilité : anomalies axe-core")}
INDICATORS_CHECK = ("indicators", "Indicateurs de l'observatoire")
BUILTIN_RULES: dict[str, dict[str, str]] = {
    "walk/partial": {"name": "Parcours incomplet",
                     "help": "Le parcours s'est arrêté avant la fin de la démarche : les étapes suivantes n'ont pas été auditées."},
    "walk/failed": {"name": "Analyse en échec",
                    "help": "La démarche n'a pas pu être analysée (page de départ injoignable, erreur du navigateur…)."},
}


def checks_fr() -> dict[str, str]:
    """check id → French title (a JUnit testcase), in output order, indicators last."""
    out = [(order, cid, title) for cid, (order, title) in BUILTIN_CHECKS.items()]
    out += [(m.order, m.id, m.title) for m in metas()]
    return {cid: title for _, cid, title in sorted(out)} | {INDICATORS_CHECK[0]: INDICATORS_CHECK[1]}


def rules_fr() -> dict[str, dict[str, str]]:
    """Our own rules (the axe ones are the axe rule ids): id → French name and help."""
    out = dict(BUILTIN_RULES)
    for meta in metas():
        out.update({r.id: {"name": r.name, "help": r.help} for r in meta.rules})
    for name in INDICATOR_SCALES:
        out[f"indicator/{name}"] = {"name": f"Indicateur {INDICATOR_FR[name]}",
                                    "help": f"Niveau de l'indicateur « {INDICATOR_FR[name]} » de l'observatoire en "
                                            "dessous du meilleur niveau."}
    return out


def finding_tokens() -> tuple[str, ...]:
    """The --fail-on tokens other than impacts and indicator levels."""
    return tuple(t for m in metas() for t in m.gates) + ("partial",)


class GateError(ValueError):
    """A --fail-on value or a baseline that cannot be used (message in French)."""


# --------------------------------------------------------------------------- helpers


def is_checked(block: Any) -> bool:
    """A block a check filled (``not_checked`` blocks and missing ones are not)."""
    return isinstance(block, dict) and block.get("status", "checked") != "not_checked"


def _clean(text: Any, limit: int = 300) -> str:
    """One line of text: control characters (newlines included) become spaces,
    so that hostile page text can never start a new line in CI logs."""
    s = re.sub(r"[\x00-\x1f\x7f\u2028\u2029]+", " ", str(text or "")).strip()
    return s if len(s) <= limit else s[: limit - 1] + "…"


# --------------------------------------------------------------------------- normalisation

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
_LONG_NUMBER = re.compile(r"\d{4,}")
_INDEX_PAGE = re.compile(r"/index\.(?:html?|php|aspx?|jsp)$", re.I)


def page_key(url: str | None) -> str:
    """The page's path, stable across hosts (preview deployments), query strings
    and file numbers: ``https://a.fr/d/123456/etape-2?x=1`` → ``/d/{n}/etape-2``.
    A hash route (``#/etape-2``) is kept: it is the page in a single-page app."""
    if not url:
        return ""
    parts = urlsplit(url)
    path = _INDEX_PAGE.sub("/", parts.path or "/")
    if len(path) > 1:
        path = path.rstrip("/")
    if parts.fragment.startswith(("/", "!/")):
        path += "#" + parts.fragment
    path = _UUID.sub("{id}", path)
    return _LONG_NUMBER.sub("{n}", path)


_VOLATILE_PREFIX = re.compile(
    r"^(css-|sc-|jsx-|svelte-|emotion-|ng-tns-|ng-star-inserted|_ngcontent|_nghost|ember\d|ext-gen|yui_|radix-|"
    r"headlessui-|react-aria|:r[0-9a-z]*:)", re.I)
_HASHLIKE = re.compile(r"[a-z0-9]{5,}", re.I)
_STATE_CLASS = re.compile(r"^(is-|has-|js-)|^(active|selected|open|opened|closed|current|focus|focused|hover|"
                          r"visible|hidden|show|shown|collapsed|expanded|disabled|checked|invalid|valid|error|"
                          r"loaded|loading)$", re.I)


def _volatile(name: str) -> bool:
    """An auto-generated id or class (CSS-in-JS hashes, framework counters)."""
    if _VOLATILE_PREFIX.match(name):
        return True
    for run in _HASHLIKE.findall(name):
        digits = sum(c.isdigit() for c in run)
        if digits >= 2 and len(run) - digits >= 2:
            return True
    return False


def _fold_digits(s: str) -> str:
    return re.sub(r"\d+", "0", s)


def _split_top(selector: str, seps: str) -> list[str]:
    """Split a CSS selector on combinator characters outside brackets, parens and quotes."""
    out, buf, depth, quote = [], [], 0, ""
    i = 0
    while i < len(selector):
        c = selector[i]
        if quote:
            buf.append(c)
            if c == "\\" and i + 1 < len(selector):
                buf.append(selector[i + 1])
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
            buf.append(c)
        elif c == "\\" and i + 1 < len(selector):
            buf.append(c + selector[i + 1])
            i += 1
        elif c in "[(":
            depth += 1
            buf.append(c)
        elif c in "])":
            depth = max(0, depth - 1)
            buf.append(c)
        elif depth == 0 and c in seps:
            if buf:
                out.append("".join(buf))
            buf = []
        else:
            buf.append(c)
        i += 1
    if buf:
        out.append("".join(buf))
    return [s for s in (x.strip() for x in out) if s]


_STRUCTURAL = re.compile(r":(?:nth-(?:last-)?(?:child|of-type)\([^)]*\)|(?:first|last|only)-(?:child|of-type))", re.I)
_SIMPLE = re.compile(r"([#.])((?:\\.|[^#.\[:\s])+)|(\[[^\]]*\])|(:[\w-]+(?:\([^)]*\))?)|^([\w*-]+)")


def _norm_compound(compound: str) -> str:
    compound = _STRUCTURAL.sub("", compound)
    tag, ids, classes, attrs, pseudos = "", [], [], [], []
    for m in _SIMPLE.finditer(compound):
        if m.group(5):
            tag = m.group(5).lower()
        elif m.group(1):
            name = m.group(2).replace("\\", "")
            if not _volatile(name):
                (ids if m.group(1) == "#" else classes).append(_fold_digits(name))
        elif m.group(3):
            attrs.append(_fold_digits(m.group(3)))
        elif m.group(4):
            pseudos.append(m.group(4))
    return tag + "".join("#" + i for i in ids) + "".join("." + c for c in sorted(classes)) + "".join(attrs) + \
        "".join(pseudos) or "*"


def normalise_selector(selector: str) -> str:
    """A CSS path reduced to what survives unrelated DOM changes: the first
    compound when it is an id anchor, then the element's own compound, with
    positions (``:nth-child``), generated ids/classes and digits removed.
    ``#main > div:nth-child(3) > img.logo-12`` → ``#main … img.logo-0``."""
    shadow_parts = [p for p in selector.split(" >>> ")]
    out = []
    for part in shadow_parts:
        compounds = _split_top(part, " >+~")
        if not compounds:
            continue
        last = _norm_compound(compounds[-1])
        first = _norm_compound(compounds[0]) if len(compounds) > 1 else ""
        out.append(f"{first} … {last}" if first.startswith("#") else last)
    return " >>> ".join(out)


_TAG = re.compile(r"\s*<([a-zA-Z][\w:-]*)")
_ATTR = re.compile(r"""\s*([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_STRONG_ATTRS = ("id", "name", "for", "data-testid", "src", "href", "action")
_URL_ATTRS = ("src", "href", "action")


def _url_tail(value: str) -> str:
    v = value.strip()
    if not v or v.startswith(("#", "javascript:", "data:")):
        return v[:1] or ""
    path = urlsplit(v).path
    segs = [s for s in path.split("/") if s]
    return _LONG_NUMBER.sub("{n}", "/".join(segs[-2:]))


def element_signature(html: str | None) -> str:
    """The element's identity read from its opening tag: tag, type, role, then
    the strongest of id / name / for / data-testid / src / href / action (with
    digits folded and URLs reduced to their last path segments); classes when
    none of those exist; a short text when there is nothing else.
    ``<img class="logo" src="/s/logo.png?v=3">`` → ``img src=s/logo.png``."""
    if not html:
        return ""
    m = _TAG.match(html)
    if not m:
        return ""
    tag = m.group(1).lower()
    pos, attrs = m.end(), {}
    while pos < len(html):
        rest = html[pos:].lstrip()
        if not rest or rest[0] in ">/":
            break
        a = _ATTR.match(html, pos)
        if not a or a.end() == pos:
            break
        val = next((g for g in a.group(2, 3, 4) if g is not None), "")
        attrs.setdefault(a.group(1).lower(), val)
        pos = a.end()
    parts = [tag]
    for k in ("type", "role"):
        if attrs.get(k):
            parts.append(f"{k}={attrs[k].lower()}")
    for k in _STRONG_ATTRS:
        v = attrs.get(k)
        if not v:
            continue
        if k in _URL_ATTRS:
            v = _url_tail(v)
        elif k == "id" and _volatile(v):
            continue
        else:
            v = _fold_digits(v)
        parts.append(f"{k}={v}")
        return " ".join(parts)
    classes = sorted(_fold_digits(c) for c in attrs.get("class", "").split() if not _volatile(c)
                     and not _STATE_CLASS.search(c))
    if classes:
        return " ".join(parts) + " ." + ".".join(classes)
    close = html.find(">", pos)
    text = re.sub(r"<[^>]*>?", " ", html[close + 1:]) if close >= 0 else ""
    text = _fold_digits(" ".join(text.split())[:40].lower())
    if text:
        parts.append(f"«{text}»")
    return " ".join(parts)


def node_key(target: str | None, html: str | None) -> str:
    """Normalised target of an axe node: enclosing frames by their normalised
    selectors, then the element by its signature (or its normalised selector
    when axe gave no HTML)."""
    segments = (target or "").split(" >> ")
    frames = [normalise_selector(s) for s in segments[:-1]]
    own = element_signature(html) or normalise_selector(segments[-1])
    return " >> ".join(frames + [own])


def fingerprint(*parts: str) -> tuple[str, str]:
    """(hash, readable key) of a finding's stable parts."""
    key = " | ".join(parts)
    digest = hashlib.sha256(f"{FINGERPRINT_VERSION}\x1f{key}".encode("utf-8")).hexdigest()[:32]
    return digest, key


# --------------------------------------------------------------------------- enumeration


def enumerate_findings(card: dict[str, Any]) -> list[Finding]:
    """Every finding of one scorecard, in a stable order (pages in visit
    order, then the démarche-level findings)."""
    did = str(card.get("id"))
    start = card.get("url")
    out: list[Finding] = []

    status = card.get("status")
    if status in ("partial", "failed"):
        rule = f"walk/{status}"
        reason = _clean(card.get("status_reason") or "raison non précisée")
        fp, key = fingerprint(did, rule)
        steps = [p for p in card.get("pages") or [] if p.get("kind") == "step"]
        where = steps[-1].get("url") if steps else start  # the last step reached
        out.append(Finding(
            demarche=did, check="walk", rule=rule, category="partial", level=status,
            message=("Parcours incomplet : " if status == "partial" else "Analyse en échec : ") + reason,
            url=where, evidence=[{"url": where, "text": reason}], fingerprint=fp, key=key))

    for page in card.get("pages") or []:
        path = page_key(page.get("url"))
        for v in page.get("violations") or []:
            impact = v.get("impact") if v.get("impact") in IMPACTS else "minor"
            help_text = _clean(v.get("help_fr") or v.get("help") or v.get("rule"))
            for node in v.get("nodes") or []:
                target = node.get("target") or ""
                fp, key = fingerprint(did, v["rule"], path, node_key(target, node.get("html")))
                out.append(Finding(
                    demarche=did, check="axe", rule=v["rule"], category=impact, level=v.get("impact"),
                    message=f"{v['rule']} ({IMPACT_FR.get(impact, impact)}) : {help_text}",
                    url=page.get("url"), target=target,
                    evidence=[{"url": page.get("url"), "selector": target, "html": node.get("html") or "",
                               **({"summary": node["summary"]} if node.get("summary") else {})}],
                    fingerprint=fp, key=key))

    for meta in metas():  # each check turns its own block into findings (checks/*.py)
        if not is_checked(card.get(meta.block)):
            continue
        for cf in meta.findings(card):
            if cf.status != "fail":  # « review »: shown by the check's section, never counted
                continue
            fp, key = fingerprint(did, cf.rule, *cf.identity)
            out.append(Finding(
                demarche=did, check=meta.id, rule=cf.rule, category=cf.category, level=cf.level, message=cf.message,
                url=cf.url, target=cf.target, evidence=cf.evidence, fingerprint=fp, key=key))

    indicators = card.get("indicators") or {}
    reasons = indicators.get("reasons") or {}
    for name, scale in INDICATOR_SCALES.items():
        level = indicators.get(name)
        if level in scale and level != scale[0]:
            fp, key = fingerprint(did, f"indicator/{name}", level)
            out.append(Finding(
                demarche=did, check="indicators", rule=f"indicator/{name}", category=f"indicator:{name}",
                level=level, message=f"Indicateur {INDICATOR_FR[name]} : {level}"
                + (f" — {_clean(reasons.get(name), 200)}" if reasons.get(name) else ""),
                url=start, evidence=[{"url": start, "text": _clean(reasons.get(name))}] if reasons.get(name) else [],
                fingerprint=fp, key=key))
    return out


def all_findings(cards: Sequence[dict[str, Any]]) -> list[Finding]:
    return [f for c in sorted(cards, key=lambda c: str(c.get("id"))) for f in enumerate_findings(c)]


# --------------------------------------------------------------------------- gates


def parse_fail_on(values: Iterable[str]) -> list[str]:
    """Normalise ``--fail-on`` values (comma or space separated, repeatable)
    to canonical tokens; a ``GateError`` in French names what is wrong."""
    tokens: list[str] = []
    for value in values:
        for raw in re.split(r"[,\s]+", value.strip()):
            if not raw:
                continue
            if "=" in raw:
                name, _, level = raw.partition("=")
                name = name.strip().lower()
                level = level.strip().replace("_", " ")
                scale = INDICATOR_SCALES.get(name)
                if scale is None:
                    raise GateError(f"--fail-on : indicateur inconnu « {name} » (possibles : "
                                    f"{', '.join(INDICATOR_SCALES)})")
                match = [s for s in scale if s.casefold().replace(" ", "") == level.casefold().replace(" ", "")]
                if not match:
                    raise GateError(f"--fail-on : niveau « {level} » inconnu pour {name} (possibles : "
                                    f"{', '.join(scale)})")
                tok = f"{name}={match[0]}"
            else:
                low = raw.lower()
                low = IMPACT_ALIASES.get(low, low)
                if low not in IMPACTS and low not in finding_tokens():
                    raise GateError(
                        f"--fail-on : valeur inconnue « {raw} » (possibles : {', '.join(IMPACTS + finding_tokens())}, "
                        "ou un niveau d'indicateur comme dlnuf=Faible)")
                tok = low
            if tok not in tokens:
                tokens.append(tok)
    return tokens


def gate_matches(finding: Finding, tokens: Sequence[str]) -> bool:
    """Does ``finding`` fall under one of the gate ``tokens``?  Impacts and
    indicator levels are thresholds: ``serious`` also catches ``critical``,
    ``performance=Partiel`` also catches ``Faible``."""
    for tok in tokens:
        if tok in IMPACTS:
            if finding.check == "axe" and IMPACTS.index(finding.category) <= IMPACTS.index(tok):
                return True
        elif "=" in tok:
            name, level = tok.split("=", 1)
            scale = INDICATOR_SCALES[name]
            if finding.category == f"indicator:{name}" and finding.level in scale \
                    and scale.index(finding.level) >= scale.index(level):
                return True
        elif finding.category == tok:
            return True
    return False


def gate_notices(card: dict[str, Any], tokens: Sequence[str]) -> list[dict[str, str]]:
    """Gates that could not be evaluated on this card because the block they
    read was not checked: reported, never counted as a pass or a failure."""
    did = str(card.get("id"))
    out: list[dict[str, str]] = []
    if card.get("status") == "failed" and "partial" not in tokens:
        out.append({"demarche": did, "gate": "*", "message": "analyse en échec : rien n'a pu être vérifié"})
        return out
    indicators = card.get("indicators") or {}
    for tok in tokens:
        msg = None
        if tok in ("repeated", "already-held"):
            dl = card.get("dlnuf")
            key = "repeated" if tok == "repeated" else "already_held"
            if not is_checked(dl) or key not in dl:
                msg = "« dites-le-nous une fois » non vérifié"
        elif tok == "no-alternative":
            if not is_checked(card.get("alternatives")) or indicators.get("alternative") is None:
                msg = "alternatives non numériques non vérifiées"
        elif tok == "no-mention":
            acc = card.get("accessibility")
            if not is_checked(acc) or "mention" not in acc:
                msg = "mention d'accessibilité non vérifiée"
        elif tok == "pdf":
            docs = card.get("documents")
            if not is_checked(docs) or docs.get("level") in (None, TO_CHECK):
                msg = "documents PDF non vérifiés" if not is_checked(docs) or docs.get("level") is None else \
                    f"documents PDF à vérifier : {_clean(docs.get('reason'), 200)}"
        elif tok == "jdma":
            if not is_checked(card.get("jdma")):
                msg = "bouton « Je donne mon avis » non vérifié"
        elif "=" in tok:
            name = tok.split("=", 1)[0]
            if indicators.get(name) is None:
                msg = f"indicateur {INDICATOR_FR[name]} non calculé"
            elif indicators.get(name) == TO_CHECK:
                reason = _clean((indicators.get("reasons") or {}).get(name), 200)
                msg = f"indicateur {INDICATOR_FR[name]} à vérifier" + (f" : {reason}" if reason else "")
        elif tok in IMPACTS:
            missed = [p.get("url") for p in card.get("pages") or [] if p.get("axe_error")]
            if missed:
                msg = f"axe n'a pas pu analyser {len(missed)} page(s) : {', '.join(map(str, missed[:3]))}"
        if msg and not (tok in IMPACTS and any(n["message"] == msg for n in out)):
            out.append({"demarche": did, "gate": tok, "message": msg})
    return out


# --------------------------------------------------------------------------- baseline


def baseline_counts(findings: Iterable[Finding]) -> Counter[str]:
    return Counter(f.fingerprint for f in findings)


def load_baseline(path: Path) -> Counter[str]:
    """Fingerprints (with their counts) of the findings of a baseline, read
    from a reports folder (``*/scorecard.json`` or ``scorecards.json``), a
    ``scorecards.json``, one ``scorecard.json``, a ``baseline.json`` or a
    SARIF file written by auditor."""
    import json

    def read(p: Path) -> Any:
        try:
            return json.loads(p.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            raise GateError(f"--baseline : {p} illisible ({exc})") from exc

    if path.is_dir():
        cards_files = sorted(path.glob("*/scorecard.json"))
        if cards_files:
            return baseline_counts(all_findings([read(p) for p in cards_files]))
        for name in ("scorecards.json", "baseline.json"):
            if (path / name).is_file():
                return load_baseline(path / name)
        raise GateError(f"--baseline : aucune fiche (*/scorecard.json, scorecards.json, baseline.json) dans {path}")
    if not path.is_file():
        raise GateError(f"--baseline : {path} introuvable")
    data = read(path)
    if isinstance(data, dict) and data.get("format") == "auditor-baseline":
        return Counter(str(f["fingerprint"]) for f in data.get("findings") or [] if isinstance(f, dict))
    if isinstance(data, dict) and isinstance(data.get("scorecards"), list):
        return baseline_counts(all_findings(data["scorecards"]))
    if isinstance(data, dict) and isinstance(data.get("runs"), list):  # SARIF
        counts: Counter[str] = Counter()
        for run in data["runs"]:
            for res in (run or {}).get("results") or []:
                fp = ((res or {}).get("partialFingerprints") or {}).get(SARIF_FINGERPRINT_KEY)
                if fp:
                    counts[fp] += 1
        return counts
    if isinstance(data, list):
        return baseline_counts(all_findings([c for c in data if isinstance(c, dict)]))
    if isinstance(data, dict) and "id" in data and "pages" in data:
        return baseline_counts(enumerate_findings(data))
    raise GateError(f"--baseline : {path} n'est ni une fiche, ni scorecards.json, ni baseline.json, ni un SARIF d'auditor")


def apply_baseline(findings: Sequence[Finding], known: Counter[str]) -> None:
    """Mark each finding ``new`` or ``unchanged``: as many findings of one
    fingerprint as the baseline had are known, the rest are new."""
    left = Counter(known)
    for f in findings:
        if left[f.fingerprint] > 0:
            left[f.fingerprint] -= 1
            f.baseline = "unchanged"
        else:
            f.baseline = "new"


def evaluate(cards: Sequence[dict[str, Any]], fail_on: Sequence[str] = (), baseline: Counter[str] | None = None,
             baseline_label: str | None = None, gate_ids: Iterable[str] | None = None) -> ExportContext:
    """Findings of every card, matched against the baseline and the gate.
    ``gate_ids`` limits the gate to some démarches (those scanned in this run);
    the findings of the others are still listed, never gated."""
    tokens = parse_fail_on(fail_on)
    findings = all_findings(cards)
    if baseline is not None:
        apply_baseline(findings, baseline)
    ids = None if gate_ids is None else set(gate_ids)
    notices: list[dict[str, str]] = []
    for f in findings:
        f.gated = bool(tokens) and (ids is None or f.demarche in ids) and f.baseline != "unchanged" \
            and gate_matches(f, tokens)
    if tokens:
        for c in sorted(cards, key=lambda c: str(c.get("id"))):
            if ids is None or str(c.get("id")) in ids:
                notices.extend(gate_notices(c, tokens))
    return ExportContext(findings=findings, fail_on=tokens, baseline=baseline_label, notices=notices)


def failure_line(f: Finding) -> str:
    """``démarche : finding — where``: one line per gate failure, safe to print in CI logs."""
    where = " — ".join(_clean(x, 200) for x in (f.url, f.target) if x)
    return f"{f.demarche} : {_clean(f.message)}" + (f" — {where}" if where else "")
