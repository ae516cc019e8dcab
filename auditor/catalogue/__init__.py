"""``auditor catalogue``: « dites-le-nous une fois » across the démarches-simplifiées catalogue.

The open dataset "Descriptif des démarches publiées" describes every
published form: each ``PieceJustificative`` / ``TitreIdentite`` champ is a
document request.  :mod:`.reader` streams procedures (snapshot JSON lines, gz
or not, or the official dataset's JSON array) one at a time; :mod:`.analyse`
classifies each procedure with the same taxonomy and engine as crawled pages
(:mod:`auditor.documents`); :mod:`.report` aggregates and writes
``findings.jsonl``, ``documents.csv`` and ``index.html``.
"""
