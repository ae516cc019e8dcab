"""The « Je donne mon avis » button (observatory column ``Ajout_Bouton_JDMA``).

The DINUM service « Je donne mon avis » (jedonnemonavis.numerique.gouv.fr,
formerly voxusagers.numerique.gouv.fr) gives each démarche a button, a link
``…/Demarches/<procedure id>?button=<button id>`` drawn as an image whose
alternative reads « Je donne mon avis ».  The observatory wants it at the
end of the journey (last step, confirmation), where users have just done the
démarche; its procedure identifier lets editors link the satisfaction figures.

- ``Oui``: the button is on the last step the walk reached, and that step is
  the end of the journey (final control reached, or confirmation);
- ``Partiel``: the button exists, but only elsewhere (home page, an early
  step, an annex) — not where the observatory wants it;
- ``Non``: the walk reached the end and met no button;
- ``À vérifier``: the walk stopped before the end; what it saw is reported.

An image button without a text alternative is a finding (RGAA 1.1, 6.1).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from ..model import Capture, CheckResult, PageCapture
from . import CheckFinding, CheckMeta, Rule, check, describe
from ._frtext import fold, fold_words, page_links
from .observatoire_rules import JdmaRules, observatoire_rules, search
from .online import journey_end

if TYPE_CHECKING:
    from ..config import Rules

OUI, PARTIEL, NON, VERIFY = "Oui", "Partiel", "Non", "À vérifier"


def _on_host(href: str, cfg: JdmaRules) -> bool:
    try:
        host = (urlsplit(href).hostname or "").lower()
    except ValueError:
        return False
    return any(host == h or host.endswith("." + h) for h in cfg.hosts)


def _ids(href: str, cfg: JdmaRules) -> tuple[str, str]:
    """(procedure id, button id) read from a JDMA address ("" when absent)."""
    parts = urlsplit(href)
    m = re.search(cfg.id_pattern, parts.path.lower())
    button = (parse_qs(parts.query).get(cfg.button_query) or [""])[0]
    return (m.group(1) if m else ""), button


def _images(page: PageCapture, cfg: JdmaRules) -> dict[str, dict[str, Any]]:
    """For each JDMA link of the markup (by href): its image, if any, and the image's alternative."""
    low = page.html.lower()
    if not page.html or not any(h in low for h in cfg.hosts):
        return {}
    from bs4 import BeautifulSoup

    out: dict[str, dict[str, Any]] = {}
    for a in BeautifulSoup(page.html, "html.parser").find_all("a", href=True):
        if not _on_host(a["href"], cfg):
            continue
        img = a.find(["img", "svg"])
        info: dict[str, Any] = {"image": img is not None}
        if img is not None:
            alt = img.get("alt") if img.name == "img" else (img.find("title").get_text(strip=True)
                                                            if img.find("title") else img.get("aria-label"))
            info["alt"] = alt
            info["src"] = img.get("src", "")
        info["text"] = a.get_text(" ", strip=True) or a.get("aria-label") or a.get("title") or ""
        out.setdefault(a["href"], info)
    return out


def scan_page(page: PageCapture, cfg: JdmaRules) -> list[dict[str, Any]]:
    """Every JDMA button of one page."""
    images = _images(page, cfg)
    out: list[dict[str, Any]] = []
    for link in page_links(page):
        if not _on_host(link.href, cfg):
            continue
        proc, button = _ids(link.href, cfg)
        img = images.get(link.href) or next((v for k, v in images.items() if k.split("?")[0] in link.href), {})
        name = (link.text or "").strip()
        item = {"url": page.url, "page_index": page.index, "kind": page.kind, "href": link.href,
                "procedure_id": proc, "button_id": button, "text": name[:200],
                "image": bool(img.get("image")), "alt": img.get("alt")}
        if link.selector:
            item["selector"] = link.selector
        item["named"] = bool(name or (img.get("alt") or "").strip() or img.get("text"))
        item["label_ok"] = bool(search(cfg.labels, fold(name or img.get("alt") or img.get("text") or "")))
        if not any(o["href"] == item["href"] for o in out):
            out.append(item)
    return out


def decide(capture: Capture, cfg: JdmaRules) -> dict[str, Any]:
    steps = capture.step_pages()
    if not steps:
        return {"status": "not_checked", "reason": "Aucune étape parcourue : bouton « Je donne mon avis » non vérifié."}
    reached, how = journey_end(capture)
    last = steps[-1].index
    end_pages = {last}
    sb_index = (capture.stopped_before or {}).get("page_index")
    if isinstance(sb_index, int):
        end_pages.add(sb_index)
    buttons: list[dict[str, Any]] = []
    look_alikes: list[str] = []
    for page in capture.pages:
        found = scan_page(page, cfg)
        for b in found:
            if page.kind == "annex":
                b["position"] = "annexe"
            elif page.index in end_pages:
                b["position"] = "fin"
            elif page.index == steps[0].index:
                b["position"] = "départ"
            else:
                b["position"] = "étape"
        buttons.extend(found)
        if not found and page.kind == "step":
            for link in page_links(page):
                if search(cfg.labels, fold_words(link.text)):
                    look_alikes.append(f"Lien « {link.text.strip()[:80]} » sur {page.url} vers {link.href} : "
                                       "pas le service « Je donne mon avis » de la DINUM, à vérifier.")
                    break
    at_end = [b for b in buttons if b["position"] == "fin"]
    elsewhere = [b for b in buttons if b["position"] != "fin"]
    ids = sorted({b["procedure_id"] for b in buttons if b["procedure_id"]})
    findings = []
    for b in buttons:
        if not b["named"]:
            findings.append({"id": "jdma/no-name", "status": "fail", "rgaa": ["1.1", "6.1"], "wcag": ["1.1.1", "2.4.4"],
                             "message": "Bouton « Je donne mon avis » sans alternative textuelle",
                             "evidence": {"url": b["url"], "selector": b.get("selector", ""), "href": b["href"]}})
    review = list(look_alikes)
    if at_end and reached:
        level = OUI
        reason = f"Bouton « Je donne mon avis » présent à la fin du parcours ({at_end[0]['url']})."
    elif at_end:
        level = VERIFY
        reason = (f"Bouton « Je donne mon avis » présent sur la dernière étape atteinte ({at_end[0]['url']}), "
                  f"mais le parcours n'est pas allé au bout : {how}.")
    elif elsewhere and reached:
        level = PARTIEL
        where = ", ".join(sorted({f"{b['position']} ({b['url']})" for b in elsewhere})[:3])
        reason = f"Bouton « Je donne mon avis » présent, mais pas à la fin du parcours : {where}."
    elif reached:
        level = NON
        reason = f"Aucun bouton « Je donne mon avis » sur les {len(capture.pages)} page(s) parcourue(s)."
    else:
        level = VERIFY
        reason = f"Fin du parcours non atteinte ({how}) : bouton « Je donne mon avis » à vérifier."
        if elsewhere:
            review.append("Bouton vu ailleurs dans le parcours : " + ", ".join(
                sorted({f"{b['position']} ({b['url']})" for b in elsewhere})[:3]) + ".")
    if ids and len(ids) > 1:
        review.append(f"Plusieurs identifiants de démarche « Je donne mon avis » : {', '.join(ids)}.")
    for b in buttons:
        if b["named"] and not b["label_ok"]:
            review.append(f"Lien vers « Je donne mon avis » nommé « {(b['text'] or b.get('alt') or '')[:80]} » "
                          f"sur {b['url']} : libellé inhabituel, à vérifier.")
    return {"level": level, "reason": reason, "reached_end": reached, "procedure_ids": ids,
            "procedure_id": ids[0] if ids else None, "buttons": buttons, "findings": findings, "review": review}


@check("jdma")
def jdma_check(capture: Capture, rules: "Rules") -> CheckResult:
    """Fills ``jdma``: ``level``, the procedure identifier, where each button is, findings."""
    return CheckResult(key="jdma", block=decide(capture, observatoire_rules(rules).jdma))

# --------------------------------------------------------------------------- findings


def card_findings(card: dict[str, Any]) -> list[CheckFinding]:
    """The block's failing findings (a button image without a text alternative)."""
    from ..report.findings import _clean, _url_tail, page_key

    out = []
    for item in card["jdma"].get("findings") or []:
        if item.get("status") != "fail":
            continue
        ev = item.get("evidence") or {}
        out.append(CheckFinding(
            rule=str(item["id"]), category="jdma", message=_clean(item.get("message")), url=ev.get("url"),
            target=ev.get("selector") or None, evidence=[{k: ev[k] for k in ("url", "selector", "href") if ev.get(k)}],
            identity=(page_key(ev.get("url")), _url_tail(str(ev.get("href") or "")))))
    return out


META = describe(CheckMeta(
    section="jdma",
    id="jdma", title="Bouton « Je donne mon avis »", block="jdma", order=50,
    not_checked="bouton « Je donne mon avis » non vérifié", gates=("jdma",), findings=card_findings, rgaa=("1.1", "6.1"),
    rules=(Rule("jdma/no-name", "Bouton « Je donne mon avis » sans alternative textuelle",
                "L'image du bouton « Je donne mon avis » n'a pas d'alternative textuelle (RGAA 1.1, 6.1)."),)))
