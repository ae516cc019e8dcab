"""Generate a local benchmark site: N démarches × 5 DSFR-like steps.

Each démarche is a folder ``d001/`` … with five GET forms chained by a
primary « Suivant » button (so the auto-walk goes through them without any
script): identity, address, supporting documents (file uploads), situation,
and a summary whose only button is the guarded final « Envoyer ma demande ».
A few pages carry real accessibility violations (image without text
alternative, field without label, poor contrast) so that axe has something
to report.  The menu and footer links point off-site and are never visited,
except the déclaration d'accessibilité: a page of each démarche, as on a
real service, which the walk visits as an annex (six audited pages per
démarche, the same six in the bare loop).

``chrome="dsfr"`` (the default) gives every page the header and footer of
a real DSFR page — skip links, brand, tools, search, a main menu whose
sections open on demand, the « Paramètres d'affichage » dialog, footer
columns and partners — so that a step weighs about 350 elements, like the
real public-sector pages of ../shared/data/realworld (214 to 737 elements,
median 351).  ``chrome="minimal"`` keeps a header and footer of a few
links (about 70 elements a page): the site of the first measures, on which
axe has little to do and the walk's fixed costs weigh more.

``huge=True`` adds a démarche ``enorme`` whose second step holds a
20 000-node table (the "huge page" of the benchmark).
"""

from __future__ import annotations

import shutil
from pathlib import Path

CSS = """
body{font-family:Marianne,Arial,sans-serif;margin:0;color:#161616}
.fr-header{border-bottom:1px solid #ddd;padding:1rem 2rem;display:flex;gap:2rem}
.fr-logo{font-weight:700;text-transform:uppercase;line-height:1.1}
.fr-container{max-width:62rem;margin:0 auto;padding:1.5rem 2rem}
.fr-nav__list{display:flex;gap:1.5rem;list-style:none;padding:0}
.fr-breadcrumb__list{display:flex;gap:.5rem;list-style:none;padding:0;font-size:.8rem}
.fr-stepper__state{color:#666;font-size:.9rem}
.fr-stepper__steps{height:.5rem;background:#eee;margin:.5rem 0 1rem}
.fr-input-group,.fr-upload-group,.fr-select-group,.fr-fieldset{margin:1rem 0}
.fr-label{display:block;margin-bottom:.4rem}
.fr-hint-text{display:block;color:#666;font-size:.8rem}
.fr-input,.fr-select{display:block;width:100%;max-width:30rem;padding:.5rem;border:0;box-shadow:inset 0 -2px 0 0 #3a3a3a;background:#eee}
.fr-btn{background:#000091;color:#fff;border:0;padding:.5rem 1.5rem;font-size:1rem;cursor:pointer}
.fr-btn--secondary{background:#fff;color:#000091;box-shadow:inset 0 0 0 1px #000091}
.fr-footer{border-top:2px solid #000091;padding:1.5rem 2rem;margin-top:2rem}
.fr-footer__bottom-list{display:flex;flex-wrap:wrap;gap:1rem;list-style:none;padding:0;font-size:.75rem}
.fr-skiplinks__list{display:flex;gap:1rem;list-style:none;margin:0;padding:.25rem 2rem;font-size:.8rem}
.fr-header__tools-links ul,.fr-footer__content-list,.fr-footer__partners-logos{display:flex;flex-wrap:wrap;gap:1rem;list-style:none;padding:0}
.fr-header__service-tagline,.fr-footer__content-desc{color:#3a3a3a;font-size:.85rem}
.fr-search-bar{display:flex;gap:.5rem;align-items:end}
.fr-collapse{visibility:hidden;max-height:0;overflow:hidden}
.fr-nav__btn{background:none;border:0;font-size:1rem;color:#161616;padding:.5rem 0}
.fr-footer__body{display:flex;gap:2rem;flex-wrap:wrap}
.fr-footer__top>.fr-container{display:grid;grid-template-columns:repeat(4,1fr);gap:1rem;font-size:.8rem}
.fr-footer__top-list{list-style:none;padding:0}
.pale{color:#c8c8c8}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 4px;font-size:.7rem}
"""

PICTO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48">'
    '<circle cx="24" cy="24" r="20" fill="#000091"/></svg>'
)

HUGE_NODES = 20_000  # elements of the huge page (4 000 rows × 5)
STEPS = ["Identité", "Adresse", "Pièces justificatives", "Situation", "Récapitulatif"]
PAGES_PER_DEMARCHE = len(STEPS) + 1  # the steps and the déclaration d'accessibilité


# Sections of the main menu and of the footer's link columns: the weight of
# a real DSFR page's header and footer (skip links, brand, tools, search,
# a menu whose sections open on demand, the « Paramètres d'affichage »
# dialog, footer columns, partners, legal links).  Real public-sector pages
# in ../shared/data/realworld count 214 to 737 elements (median 351) before
# their scripts run; a step of this site counts about 350 with this chrome,
# about 70 with the minimal one (``chrome="minimal"``, the earlier site).
_MENU = ("Famille", "Travail", "Logement", "Santé", "Transports", "Impôts")
_FOOTER_COLUMNS = ("Particuliers", "Professionnels", "Associations", "Le service")


def _full_chrome(service: str) -> tuple[str, str]:
    """(header, footer) of a DSFR-like page; every link points off-site
    (never visited) but the déclaration d'accessibilité."""
    base = "https://www.example.gouv.fr"
    skip = "".join(f'<li><a class="fr-link" href="{h}">{t}</a></li>' for h, t in (
        ("#main", "Contenu"), ("#menu-principal", "Menu"), ("#recherche", "Recherche"), ("#pied", "Pied de page")))
    menu = "".join(
        f'<li class="fr-nav__item"><button class="fr-nav__btn" type="button" aria-expanded="false" '
        f'aria-controls="menu-{k}">{name}</button><div class="fr-collapse fr-menu" id="menu-{k}">'
        f'<ul class="fr-menu__list">'
        + "".join(f'<li><a class="fr-nav__link" href="{base}/{k}/{j}">{name} : rubrique {j}</a></li>'
                  for j in range(1, 9))
        + "</ul></div></li>"
        for k, name in enumerate(_MENU, 1))
    themes = "".join(
        f'<div class="fr-radio-group fr-radio-rich"><input value="{v}" type="radio" id="theme-{v}" '
        f'name="theme"{" checked" if v == "systeme" else ""}><label class="fr-label" for="theme-{v}">{t}'
        f'<span class="fr-hint-text">{h}</span></label></div>'
        for v, t, h in (("clair", "Thème clair", "Fond blanc, texte sombre"),
                        ("sombre", "Thème sombre", "Fond sombre, texte clair"),
                        ("systeme", "Système", "Utilise les paramètres système")))
    header = f"""<div class="fr-skiplinks"><nav role="navigation" aria-label="Accès rapide"><ul class="fr-skiplinks__list">{skip}</ul></nav></div>
<header class="fr-header" role="banner"><div class="fr-header__body"><div class="fr-container"><div class="fr-header__body-row">
<div class="fr-header__brand"><div class="fr-header__brand-top"><div class="fr-header__logo"><p class="fr-logo">République<br>Française</p></div>
<div class="fr-header__navbar"><button class="fr-btn--menu fr-btn" type="button" aria-controls="menu-modal" aria-haspopup="menu" title="Menu">Menu</button></div></div>
<div class="fr-header__service"><a href="{base}/" title="Accueil – {service}"><p class="fr-header__service-title">{service}</p></a>
<p class="fr-header__service-tagline">Vos démarches administratives en ligne</p></div></div>
<div class="fr-header__tools"><div class="fr-header__tools-links"><ul class="fr-btns-group">
<li><a class="fr-btn" href="{base}/connexion">Mon espace</a></li><li><a class="fr-btn" href="{base}/aide">Aide</a></li>
<li><button class="fr-btn" type="button" aria-controls="parametres">Paramètres d'affichage</button></li></ul></div>
<div class="fr-header__search" id="recherche"><div class="fr-search-bar" role="search"><label class="fr-label" for="recherche-q">Rechercher sur le site</label>
<input class="fr-input" placeholder="Rechercher" type="search" id="recherche-q" name="q"><button class="fr-btn" type="button" title="Rechercher">Rechercher</button></div></div></div>
</div></div></div>
<div class="fr-header__menu" id="menu-modal"><div class="fr-container"><nav class="fr-nav" id="menu-principal" role="navigation" aria-label="Menu principal"><ul class="fr-nav__list">{menu}</ul></nav></div></div>
</header>
<dialog id="parametres" class="fr-modal" aria-labelledby="parametres-titre"><div class="fr-container"><button class="fr-btn--close fr-btn" type="button" aria-controls="parametres">Fermer</button>
<h2 id="parametres-titre">Paramètres d'affichage</h2><fieldset class="fr-fieldset"><legend class="fr-fieldset__legend">Choisissez un thème pour personnaliser l'apparence du site.</legend>{themes}</fieldset></div></dialog>"""
    columns = "".join(
        f'<div><h2 class="fr-footer__top-cat">{name}</h2><ul class="fr-footer__top-list">'
        + "".join(f'<li><a class="fr-footer__top-link" href="{base}/pied/{k}/{j}">{name} : page {j}</a></li>'
                  for j in range(1, 9))
        + "</ul></div>"
        for k, name in enumerate(_FOOTER_COLUMNS, 1))
    content = "".join(f'<li><a class="fr-footer__content-link" href="https://{d}">{d}</a></li>'
                      for d in ("info.gouv.fr", "service-public.fr", "legifrance.gouv.fr", "data.gouv.fr"))
    partners = "".join(f'<li><a class="fr-footer__partners-link" href="{base}/partenaires/{k}">'
                       f'<img class="fr-footer__logo" src="../picto.svg" width="48" height="48" alt="Partenaire {k}"></a></li>'
                       for k in range(1, 4))
    footer = f"""<div class="fr-footer__top"><div class="fr-container">{columns}</div></div>
<div class="fr-container"><div class="fr-footer__body"><div class="fr-footer__brand"><p class="fr-logo">République<br>Française</p></div>
<div class="fr-footer__content"><p class="fr-footer__content-desc">{service} est un service proposé par l'administration pour faire ses
démarches en ligne. Le code source est ouvert et les contenus sont réutilisables.</p><ul class="fr-footer__content-list">{content}</ul></div></div>
<div class="fr-footer__partners"><h2 class="fr-footer__partners-title">Nos partenaires</h2><ul class="fr-footer__partners-logos">{partners}</ul></div></div>"""
    return header, footer


def _document(title: str, service: str, main: str, chrome: str = "dsfr") -> str:
    """A DSFR-like page of a démarche's folder: header with menu, ``main``,
    footer with the usual links.  The menu and most footer links point
    off-site (never visited); the déclaration d'accessibilité is a page of
    the démarche itself, as on a real service, so the walk visits it as an
    annex.  One per démarche, naming it: no démarche reuses another's axe
    results from the cache, the scan pays for every page as the bare loop
    does."""
    footer = "".join(
        f'<li><a class="fr-footer__bottom-link" href="{h}">{t}</a></li>'
        for h, t in (("https://www.example.gouv.fr/plan", "Plan du site"),
                     ("accessibilite.html", "Accessibilité : partiellement conforme"),
                     ("https://www.example.gouv.fr/mentions", "Mentions légales"),
                     ("https://www.example.gouv.fr/donnees", "Données personnelles"),
                     ("https://www.example.gouv.fr/cookies", "Gestion des cookies"),
                     ("https://www.example.gouv.fr/contact", "Contact"))
    )
    if chrome == "dsfr":
        header, footer_top = _full_chrome(service)
    else:
        nav = "".join(f'<li><a class="fr-nav__link" href="https://www.example.gouv.fr/{s}">{s.capitalize()}</a></li>'
                      for s in ("particuliers", "professionnels", "associations", "aide"))
        header = f"""<header class="fr-header" role="banner"><div class="fr-header__brand"><p class="fr-logo">République<br>Française</p>
<p class="fr-header__service-title">{service}</p></div>
<nav class="fr-nav" role="navigation" aria-label="Menu principal"><ul class="fr-nav__list">{nav}</ul></nav></header>"""
        footer_top = ""
    return f"""<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="../dsfr.css"></head>
<body>
{header}
<main id="main" class="fr-container" role="main">
{main}
</main>
<footer class="fr-footer" id="pied" role="contentinfo">{footer_top}<ul class="fr-footer__bottom-list">{footer}</ul>
<p>Sauf mention contraire, tous les contenus de ce site sont sous licence etalab-2.0</p></footer>
</body></html>
"""


def _page(title: str, service: str, step: int, body: str, action: str | None, chrome: str = "dsfr") -> str:
    crumbs = "".join(f'<li><a href="https://www.example.gouv.fr/{i}">Rubrique {i}</a></li>' for i in range(1, 4))
    form_open = f'<form action="{action}" method="get" enctype="multipart/form-data">' if action else "<form>"
    return _document(f"Étape {step} sur 5 – {STEPS[step - 1]} – {service}", service, f"""<nav class="fr-breadcrumb" aria-label="vous êtes ici :"><ol class="fr-breadcrumb__list">{crumbs}</ol></nav>
<div class="fr-stepper"><h2 class="fr-stepper__title">{STEPS[step - 1]}
<span class="fr-stepper__state">Étape {step} sur 5</span></h2><div class="fr-stepper__steps"></div></div>
<h1>{title}</h1>
{form_open}
{body}
</form>""", chrome)


DECLARATION = """<h1>Déclaration d'accessibilité</h1>
<p>Le service s'engage à rendre ses démarches en ligne accessibles conformément à l'article 47 de la
loi n° 2005-102 du 11 février 2005.</p>
<h2>État de conformité</h2>
<p>Les démarches de ce site sont <strong>partiellement conformes</strong> avec le référentiel général
d'amélioration de l'accessibilité (RGAA), version 4.1, en raison des non-conformités énumérées ci-dessous.</p>
<h2>Contenus non accessibles</h2>
<ul><li>Certaines images n'ont pas d'alternative textuelle.</li>
<li>Certains champs de formulaire n'ont pas d'étiquette.</li>
<li>Certains textes n'ont pas un contraste suffisant.</li></ul>
<h2>Établissement de cette déclaration</h2>
<p>Cette déclaration a été établie le 2 novembre 2026.</p>
<h2>Voies de recours</h2>
<p>Si vous constatez un défaut d'accessibilité vous empêchant d'accéder à un contenu ou une
fonctionnalité du site, vous pouvez saisir le Défenseur des droits.</p>"""


def _field(fid: str, label: str, hint: str = "", typ: str = "text", autocomplete: str = "") -> str:
    h = f'<span class="fr-hint-text">{hint}</span>' if hint else ""
    ac = f' autocomplete="{autocomplete}"' if autocomplete else ""
    return (f'<div class="fr-input-group"><label class="fr-label" for="{fid}">{label}{h}</label>'
            f'<input class="fr-input" type="{typ}" id="{fid}" name="{fid}"{ac} required></div>')


def _upload(fid: str, label: str, hint: str) -> str:
    return (f'<div class="fr-upload-group"><label class="fr-label" for="{fid}">{label}'
            f'<span class="fr-hint-text">{hint}</span></label>'
            f'<input class="fr-upload" type="file" id="{fid}" name="{fid}" accept=".pdf,.jpg,.png"></div>')


def _steps(i: int) -> list[str]:
    """Bodies of the five steps of démarche ``i`` (violations vary with i)."""
    nxt = '<button class="fr-btn" type="submit">Suivant</button>'
    back = '<a class="fr-btn fr-btn--secondary" href="javascript:history.back()">Précédent</a> '
    s1 = "\n".join([
        _field("nom", "Nom de naissance", autocomplete="family-name"),
        _field("prenom", "Prénom(s)", autocomplete="given-name"),
        _field("naissance", "Date de naissance", "Au format JJ/MM/AAAA", autocomplete="bday"),
        _field("courriel", "Adresse électronique", "Exemple : nom@domaine.fr", "email", "email"),
        nxt,
    ])
    # violation on some démarches: a field without label
    unlabeled = '<div class="fr-input-group"><input class="fr-input" type="text" name="complement"></div>' \
        if i % 3 == 0 else ""
    s2 = "\n".join([
        _field("adresse", "Adresse", "Numéro et libellé de la voie", autocomplete="street-address"),
        unlabeled,
        _field("code-postal", "Code postal", autocomplete="postal-code"),
        _field("commune", "Commune", autocomplete="address-level2"),
        _field("telephone", "Téléphone", "Facultatif", "tel", "tel"),
        back + nxt,
    ])
    # violation on some démarches: an image without text alternative
    picto = '<img src="../picto.svg" width="48" height="48">' if i % 2 == 0 else \
        '<img src="../picto.svg" width="48" height="48" alt="">'
    s3 = "\n".join([
        picto,
        _upload("piece-identite", "Pièce d'identité (carte nationale d'identité ou passeport)",
                "Formats acceptés : PDF, JPG. Taille maximale : 5 Mo."),
        _upload("justificatif-domicile", "Justificatif de domicile de moins de 3 mois",
                "Facture d'électricité, de gaz ou quittance de loyer."),
        _upload("avis-imposition", "Dernier avis d'imposition", "Document de l'année N-1."),
        back + nxt,
    ])
    pale = '<p class="pale">Les informations sont conservées 5 ans.</p>' if i % 4 == 1 else \
        "<p>Les informations sont conservées 5 ans.</p>"
    s4 = "\n".join([
        '<fieldset class="fr-fieldset"><legend>Situation familiale</legend>'
        + "".join(f'<div><input type="radio" id="sit-{k}" name="situation" value="{k}"{" checked" if k == 0 else ""}>'
                  f'<label for="sit-{k}">{t}</label></div>'
                  for k, t in enumerate(("Célibataire", "Marié(e)", "Pacsé(e)", "Divorcé(e)")))
        + "</fieldset>",
        '<div class="fr-select-group"><label class="fr-label" for="enfants">Nombre d\'enfants à charge</label>'
        '<select class="fr-select" id="enfants" name="enfants">'
        + "".join(f"<option>{k}</option>" for k in range(6)) + "</select></div>",
        _field("revenu", "Revenu fiscal de référence", "En euros", "number"),
        pale,
        back + nxt,
    ])
    s5 = "\n".join([
        "<p>Vérifiez les informations saisies avant d'envoyer votre demande.</p>",
        "<dl>" + "".join(f"<dt>{k}</dt><dd>Valeur saisie</dd>" for k in STEPS[:4]) + "</dl>",
        back + '<button class="fr-btn" type="submit">Envoyer ma demande</button>',
    ])
    return [s1, s2, s3, s4, s5]


def huge_table(rows: int = HUGE_NODES // 5, cols: int = 4) -> str:
    """A table of rows × (cols + 1) elements (plus their text nodes)."""
    head = "<tr>" + "".join(f"<th scope=\"col\">Colonne {c}</th>" for c in range(cols)) + "</tr>"
    body = "".join("<tr>" + "".join(f"<td>{r}-{c}</td>" for c in range(cols)) + "</tr>" for r in range(rows))
    return f"<table><caption>Historique</caption>{head}{body}</table>"


def generate(root: Path, n: int = 40, *, huge: bool = False, chrome: str = "dsfr") -> list[str]:
    """Write the site under ``root``; returns the démarche ids.  ``chrome``:
    ``"dsfr"`` (header and footer of a real DSFR page) or ``"minimal"``."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    (root / "dsfr.css").write_text(CSS, encoding="utf-8")
    (root / "picto.svg").write_text(PICTO, encoding="utf-8")
    ids = []
    specs = [(f"d{i:03d}", i) for i in range(1, n + 1)] + ([("enorme", 0)] if huge else [])
    for did, i in specs:
        folder = root / did
        folder.mkdir()
        service = f"Démarche de test n° {i}" if i else "Démarche à très grande page"
        bodies = _steps(i)
        if did == "enorme":
            bodies[1] = huge_table() + "\n" + bodies[1]
        for step, body in enumerate(bodies, 1):
            name = "index.html" if step == 1 else f"etape-{step}.html"
            action = f"etape-{step + 1}.html" if step < 5 else "envoye.html"
            (folder / name).write_text(_page(STEPS[step - 1], service, step, body, action, chrome), encoding="utf-8")
        (folder / "accessibilite.html").write_text(
            _document(f"Déclaration d'accessibilité – {service}", service,
                      DECLARATION.replace("Le service", f"Le service « {service} »"), chrome), encoding="utf-8")
        (folder / "envoye.html").write_text(_page("Demande envoyée", service, 5, "<p>Merci.</p>", None, chrome),
                                            encoding="utf-8")
        ids.append(did)
    return ids


def demarches_yaml(base_url: str, ids: list[str], *, timeout_s: int = 30, host_gap_ms: int | None = None,
                   per_host: int | None = None) -> str:
    """``host_gap_ms``: the polite gap between two document requests to one host (default 500 ms, all
    démarches of a scan together); ``per_host``: how many démarches walk one host at once (default 2).
    A throughput bench on its own local server sets 0 and its concurrency: every démarche of the bench
    site is on one host, and the bare loop it is compared with waits for nothing and runs as many pages
    at once as it is told."""
    gap = "" if host_gap_ms is None else f", host_gap_ms: {host_gap_ms}"
    gap += "" if per_host is None else f", per_host: {per_host}"
    lines = [f"defaults: {{timeout_s: {timeout_s}, max_pages: 10{gap}}}", "demarches:"]
    for did in ids:
        lines += [f"  - id: {did}", f"    name: Démarche {did}", f"    url: {base_url}{did}/index.html"]
    return "\n".join(lines) + "\n"
