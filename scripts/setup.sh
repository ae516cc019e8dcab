#!/usr/bin/env bash
# Installs everything auditor needs on a fresh machine, then runs a job:
#   bash scripts/setup.sh demo   -> install, then scan the bundled sample démarches (reports/)
#   bash scripts/setup.sh test   -> install, then run the whole test suite
#   bash scripts/setup.sh        -> install only
# Idempotent: a second run only checks what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-python3}"
VENV="${AUDITOR_VENV:-.venv}"

if [ ! -x "$VENV/bin/python" ]; then
  echo "› Création de l'environnement Python ($VENV)"
  "$PY" -m venv "$VENV"
fi
echo "› Installation d'auditor et de ses dépendances"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[test]"

# A browser: Playwright's own Chromium where it can be downloaded, else the system one.
bash scripts/install-browser.sh "$VENV/bin/python"

case "${1:-}" in
  demo) shift; exec "$VENV/bin/auditor" demo "$@" ;;
  test) shift; exec "$VENV/bin/python" -m pytest -q "$@" ;;
  "") echo "Installé. Activez l'environnement : source $VENV/bin/activate" ;;
  *) echo "usage : bash scripts/setup.sh [demo|test]" >&2; exit 2 ;;
esac
