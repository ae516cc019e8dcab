"""auditor — audit des démarches en ligne (accessibilité, « dites-le-nous une fois », alternatives)."""

__version__ = "0.1.0"
