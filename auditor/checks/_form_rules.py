"""The rules of the form-errors check (RGAA 11.10): their ids, French names and help.

Both halves of the check report them, the reading of the captured DOM
(``form_errors``) and the reading of the empty submission (``_form_submit``),
so they are defined once, below both; importing this module registers them
with the RGAA table (``_probe_issues``), as the check's import always did.
"""

from __future__ import annotations

from . import Rule
from ._probe_issues import PROBE_ONLY, register_rules

JUDGE = "form_errors"
CRITERION = "11.10"
REQUIRED = "form-errors/required-not-indicated"
ASTERISK = "form-errors/asterisk-unexplained"
NOT_TIED = "form-errors/not-tied"
COLOUR = "form-errors/colour-only"
NO_ERROR = "form-errors/no-error-shown"
NO_FOCUS = "form-errors/no-focus-or-summary"
EMPTY_SUBMIT = "empty_submit"  # the probe whose facts this judge also reads (collect/probes/empty_submit.py)
# rules only the empty submission can find: 11.10 is not « tested » for them when it did not run
DYNAMIC = frozenset({NO_ERROR, NO_FOCUS})

_RULES = (
    Rule(REQUIRED, "Champ obligatoire non signalé",
         "Le champ est obligatoire dans le code (required ou aria-required) mais ni son étiquette, ni sa légende, "
         "ni le texte qui lui est associé ne l'indiquent, et aucune phrase de la page ne dit que tous les champs "
         "sont obligatoires (RGAA 11.10.2)."),
    Rule(ASTERISK, "Astérisque non expliqué",
         "Des champs sont marqués d'un astérisque (*) sans qu'une phrase placée avant le premier astérisque dise "
         "qu'il signale les champs obligatoires (RGAA 11.10, glossaire « Indication de champ obligatoire »)."),
    Rule(NOT_TIED, "Message d'erreur non relié à son champ",
         "Le champ est en erreur mais son message n'est ni dans son étiquette ni relié par aria-describedby ou "
         "aria-errormessage : un lecteur d'écran annonce le champ sans son erreur (RGAA 11.10.3, 11.10.4)."),
    Rule(COLOUR, "Erreur signalée seulement par la couleur",
         "Le champ est marqué en erreur (classe, aria-invalid) sans aucun texte d'erreur près de lui : l'erreur "
         "n'est peut-être signalée que par la couleur de sa bordure (RGAA 11.10, 3.1)."),
    Rule(NO_ERROR, "Aucune erreur signalée à l'envoi du formulaire vide",
         "Envoyé vide alors que des champs obligatoires le sont, le formulaire n'a affiché aucun message ni signalé "
         "aucun champ : la page n'a pas réagi ou est passée à la suite (non conforme) ; s'il serait parti au "
         "serveur sans contrôle dans le navigateur, la réponse du serveur reste à vérifier (RGAA 11.10)."),
    Rule(NO_FOCUS, "Ni focus sur la première erreur ni récapitulatif",
         "À l'envoi du formulaire vide, des erreurs s'affichent mais le focus reste sur le bouton et aucun "
         "récapitulatif des erreurs n'apparaît : une personne qui utilise un lecteur d'écran ne sait pas que "
         "l'envoi a échoué ni où (RGAA 11.10, recommandation du DSFR)."),
)
register_rules(JUDGE, {r.id: (CRITERION, r.name, r.help) for r in _RULES})
PROBE_ONLY.update({r: EMPTY_SUBMIT for r in DYNAMIC})
