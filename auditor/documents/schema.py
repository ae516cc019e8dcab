"""Schema of ``rules/justificatifs.yaml``: the vocabulary auditors tune.

Validated when the rules are loaded (``auditor.ruleset`` names it as
``auditor.documents:JustificatifsRules``), so that a misspelt key, an empty
pattern, an unknown person or a duplicated id is an error with file and line
instead of a document silently never recognised.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .text import normalise

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _check_patterns(patterns: list[str], what: str) -> list[str]:
    for p in patterns:
        words = p.split()
        if not words or all(w == "*" for w in words):
            raise ValueError(f"{what} : motif vide ou composé seulement de « * »")
        if words[0] == "*" or words[-1] == "*":
            raise ValueError(f"{what} : le motif « {p} » ne peut ni commencer ni finir par « * »")
        if not normalise(p.replace("*", " ")).strip():
            raise ValueError(f"{what} : le motif « {p} » ne contient aucun mot utile")
    return patterns


class Source(_Strict):
    """Where an administration can obtain the document itself, and who may.

    ``users``: patterns matched against the démarche (title and organisme);
    when given, the source counts only for those démarches (COMEDEC serves
    civil-status services and identity titles, not a school).  ``not_when``:
    patterns in the request's own wording that put the document out of the
    source's reach (a birth act "traduit", "apostillé": no French registry)."""

    api: str = Field(min_length=1)
    administration: str = Field(min_length=1)
    users: list[str] = Field(default_factory=list)
    users_label: str | None = None
    not_when: list[str] = Field(default_factory=list)

    @field_validator("users", "not_when")
    @classmethod
    def _pat(cls, v: list[str]) -> list[str]:
        return _check_patterns(v, "motif de source")


class VariantEntry(_Strict):
    id: str
    label: str = Field(min_length=1)
    synonyms: list[str] = Field(min_length=1)
    # False: the variant does not stand for its category on its own (an
    # "attestation d'hébergement" comes with the host's bill), so asking the
    # category and then this variant is not a repetition
    standalone: bool = True
    # the person who signs this kind of the piece, when another than whose piece it is: the host signs the
    # « attestation d'hébergement » that proves the user's address, so « … accompagnée de sa pièce d'identité » asks
    # for the host's
    author: str | None = None

    @field_validator("synonyms")
    @classmethod
    def _syn(cls, v: list[str]) -> list[str]:
        return _check_patterns(v, "synonyme")


class DocumentEntry(_Strict):
    id: str
    label: str = Field(min_length=1)
    category: str = ""
    synonyms: list[str] = Field(min_length=1)
    exclude: list[str] = Field(default_factory=list)
    variants: list[VariantEntry] = Field(default_factory=list)
    subject_default: str | None = None
    multiple: bool = False
    # True: one document for the whole household (the livret de famille): the applicant's, the spouse's
    # and the children's are the same booklet
    household: bool = False
    # the people whose piece is one and the same for this document (« justificatif de domicile » of the user and « …
    # au nom du représentant légal » in a form a legal representative fills in: one address)
    shared_by: list[str] = Field(default_factory=list)
    # True: the document is defined by its object (a deliberation, a medical certificate,
    # minutes): two requests whose qualifying words differ are two documents
    qualified: bool = False
    source: Source | None = None
    note: str | None = None

    @field_validator("synonyms", "exclude")
    @classmethod
    def _syn(cls, v: list[str]) -> list[str]:
        return _check_patterns(v, "motif")


class SubjectEntry(_Strict):
    id: str
    label: str = Field(min_length=1)
    patterns: list[str] = Field(min_length=1)
    # wordings holding a pattern that name no one (« création d'entreprise »: a project, not whose piece)
    exclude: list[str] = Field(default_factory=list)

    @field_validator("patterns", "exclude")
    @classmethod
    def _pat(cls, v: list[str]) -> list[str]:
        return _check_patterns(v, "motif de personne")


class Subjects(_Strict):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    default: str = "demandeur"
    entries: list[SubjectEntry] = Field(default_factory=list, alias="list")


class TypedField(_Strict):
    id: str
    label: str = Field(min_length=1)
    champ_types: list[str] = Field(default_factory=list)
    labels: list[str] = Field(default_factory=list)
    documents: list[str] = Field(min_length=1)


class JustificatifsRules(_Strict):
    """Schema of ``rules/justificatifs.yaml``."""

    version: int = 1
    stopwords: list[str] = Field(default_factory=list)
    abbreviations: dict[str, str] = Field(default_factory=dict)
    request_verbs: list[str] = Field(default_factory=list)
    conditions: list[str] = Field(default_factory=list)
    # what a « si » sentence says of the files themselves (« Si plusieurs documents à insérer, cliquez… »):
    # an upload instruction, never the case a piece is asked in
    upload_instructions: list[str] = Field(default_factory=list)
    # conditions that only say the piece exists (« si connus », « si signé »): they choose no case
    existence_conditions: list[str] = Field(default_factory=list)
    # parts of one project (« acquisitions » / « travaux »): a condition naming one and a condition naming
    # another can both hold (the project comprises both)
    project_parts: list[list[str]] = Field(default_factory=list)
    items: list[str] = Field(default_factory=list)
    # words marking an upload slot as the continuation of the previous one
    # ("Avis d'imposition (suite)"): another part of a file, never a repeat
    continuations: list[str] = Field(default_factory=list)
    # words marking a translation ("acte de naissance traduit"): the original and its
    # translation are two documents, never a repeat
    translations: list[str] = Field(default_factory=list)
    # words after which a label only mentions other documents ("Délibération approuvant
    # le plan de financement", "Règlement intérieur adopté pour compléter les statuts")
    reference_words: list[str] = Field(default_factory=list)
    # words that do not change which document of a qualified kind is meant ("signée",
    # "dernière", "en cours de validité"): left out when comparing what two requests qualify
    plain_words: list[str] = Field(default_factory=list)
    # phrases saying a request is for another person or copy than a previous one
    # ("si différent du représentant légal"): never a repeat of it
    other_instance: list[str] = Field(default_factory=list)
    # words that, heading a label, name something else than the document mentioned after them
    # ("Tableau des pièces d'identité acceptées", "Déclaration de vol du titre de séjour",
    # "Projet de délibération"): the request is not for that document
    other_heads: list[str] = Field(default_factory=list)
    # words that put the document named right after them out of the request ("hors CAF")
    negations: list[str] = Field(default_factory=list)
    # words between a category and one of its variants that make the variant say which one is asked
    # (« Attestation CAF de versement de l'ASF », « … précisant le QF »), unlike « X ou Y », « X : Y »
    variant_specifiers: list[str] = Field(default_factory=list)
    generic: list[str] = Field(default_factory=list)
    subjects: Subjects = Field(default_factory=Subjects)
    # groups of words naming the options of one choice: two conditions that
    # name different members of one group cannot hold together
    exclusive_conditions: list[list[str]] = Field(default_factory=list)
    typed_fields: list[TypedField] = Field(default_factory=list)
    documents: list[DocumentEntry] = Field(min_length=1)

    @field_validator("generic")
    @classmethod
    def _gen(cls, v: list[str]) -> list[str]:
        return _check_patterns(v, "motif générique")

    @field_validator("other_heads")
    @classmethod
    def _heads(cls, v: list[str]) -> list[str]:
        return _check_patterns(v, "motif de tête")

    @model_validator(mode="after")
    def _ids(self) -> "JustificatifsRules":
        seen: set[str] = set()
        for d in self.documents:
            for ident in [d.id] + [v.id for v in d.variants]:
                if not _ID_RE.match(ident):
                    raise ValueError(f"identifiant « {ident} » invalide : minuscules, chiffres et tirets seulement")
                if ident in seen:
                    raise ValueError(f"identifiant « {ident} » en double dans la taxonomie")
                seen.add(ident)
        subject_ids = {s.id for s in self.subjects.entries}
        if self.subjects.entries and self.subjects.default not in subject_ids:
            raise ValueError(f"personne par défaut « {self.subjects.default} » absente de subjects.list")
        for d in self.documents:
            if d.subject_default and subject_ids and d.subject_default not in subject_ids:
                raise ValueError(f"document « {d.id} » : personne « {d.subject_default} » inconnue")
            for who in d.shared_by:
                if subject_ids and who not in subject_ids:
                    raise ValueError(f"document « {d.id} » : personne « {who} » (shared_by) absente de subjects.list")
            for v in d.variants:
                if v.author and subject_ids and v.author not in subject_ids:
                    raise ValueError(f"variante « {v.id} » : signataire « {v.author} » absent de subjects.list")
        doc_ids = {d.id for d in self.documents}
        for t in self.typed_fields:
            for ident in t.documents:
                if ident not in doc_ids:
                    raise ValueError(f"champ saisi « {t.id} » : document « {ident} » absent de la taxonomie")
        return self
