"""The packages of the wheel and sdist: every folder of auditor/, plus the rules.

The rules are the package ``auditor._rules``, whose files are the top-level
``rules/`` folder: the one copy in git stays where auditors edit it (a checkout
and an editable install read it there), and every built wheel and sdist carries
it, so an installed auditor runs from any folder.  pyproject.toml cannot both
discover packages and add one mapped from elsewhere, hence this file; the rest
of the configuration is in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

setup(
    packages=[*find_namespace_packages(include=["auditor*"]), "auditor._rules"],
    package_dir={"auditor._rules": "rules"},
)
