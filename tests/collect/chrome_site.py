"""A small site whose pages share one header and one footer, written at test
time (tests/collect/test_chrome_reuse.py): the shared-chrome cases are pages
that differ from the first one by a single detail, so they are generated from
one template rather than kept as copies."""

from __future__ import annotations

from pathlib import Path

GIF = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
HEADER = """<header role="banner" class="entete">
  <div class="marque"><p class="service">Service d'exemple</p><p class="faible">Ministère de l'exemple</p></div>
  <nav aria-label="Menu principal" class="menu">
    <ul>
{items}
    </ul>
  </nav>
  <button type="button" class="ouvrir" aria-expanded="{expanded}" aria-controls="{controls}">Menu</button>
  <div id="menu-mobile{sfx}" hidden><p>Menu mobile</p></div>
  <input type="search" id="recherche{sfx}" class="recherche">
  <img src="{gif}" class="logo">
</header>"""
FOOTER = """<footer role="contentinfo" class="pied">
  <ul>
{links}
  </ul>
  <p class="mentions">© République française</p>
</footer>"""
# .faible: a contrast failure inside the header, the finding a reused region must bring back
STYLE = """<style>
  body {{ font-family: sans-serif; margin: 0; }}
  .entete {{ background: #fff; padding: 8px; }}
  .faible {{ color: #aaa; }}
  .lien {{ color: #000091; }}
  .pied {{ background: #eee; padding: 8px; }}
{extra}</style>"""


def page(title: str, main: str, extra: str = "", expanded: str = "false", sfx: str = "",
         controls: str | None = None) -> str:
    """A page of the site; ``sfx`` ends the header's ids (a framework that generates them), ``controls`` is
    what the menu button points to (by default the mobile menu, whatever its id)."""
    items = "\n".join(f'      <li><a href="#rubrique-{i}" class="lien">Rubrique {i}</a></li>' for i in range(1, 13))
    links = "\n".join(f'    <li><a href="#pied-{i}">Lien de pied {i}</a></li>' for i in range(1, 15))
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>{title}</title>
{STYLE.format(extra=extra)}
</head>
<body>
{HEADER.format(items=items, expanded=expanded, gif=GIF, sfx=sfx,
               controls="menu-mobile" + sfx if controls is None else controls)}
<main id="contenu">
<h1>{title}</h1>
{main}
</main>
{FOOTER.format(links=links)}
</body>
</html>
"""


PAGES = {
    "1-etape.html": ("Étape 1 — Votre identité",
                     '<form><label for="nom">Nom</label><input id="nom" name="nom"><button>Continuer</button></form>',
                     "", "false"),
    "2-etape.html": ("Étape 2 — Votre adresse",
                     '<form><label for="rue">Rue</label><input id="rue"><input id="ville"><button>Continuer</button>'
                     "</form>", "", "false"),
    # only the menu links' colour differs: the header must be audited again
    "3-couleur.html": ("Étape 3 — Une couleur de lien change", "<p>Seule la couleur des liens du menu diffère.</p>",
                       "  .lien { color: #b0b0ff; }\n", "false"),
    # only one ARIA attribute differs (an invalid value): audited again, and found
    "4-aria.html": ("Étape 4 — Un attribut ARIA change", "<p>Seul aria-expanded diffère dans l’en-tête.</p>", "",
                    "maybe"),
    "5-etape.html": ("Étape 5 — Récapitulatif", f'<p>Récapitulatif de la demande.</p><img src="{GIF}">', "", "false"),
    # the header's ids generated anew (a framework's suffix), everything else the same: reused, the search
    # field's missing label reported with this page's id
    "6-ids.html": ("Étape 6 — Identifiants générés", "<p>Les identifiants de l’en-tête changent.</p>", "", "false",
                   "-7f3a"),
    # renamed ids, but the button still names the old one (it resolves to nothing now): audited again
    "7-ids-casses.html": ("Étape 7 — Référence cassée", "<p>Le bouton désigne un identifiant absent.</p>", "",
                          "false", "-9c1d", "menu-mobile"),
}


def write(folder: Path) -> list[str]:
    """Write the pages into ``folder``; their names, in walk order."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, args in PAGES.items():
        (folder / name).write_text(page(*args), encoding="utf-8")
    return sorted(PAGES)
