#!/usr/bin/env bash
# Makes sure auditor finds a Chromium, for the Python that has auditor installed:
#   bash scripts/install-browser.sh PYTHON               -> only when none is found
#   bash scripts/install-browser.sh PYTHON --playwright  -> Playwright's own Chromium and its system
#                                                           libraries first (CI runners: the tested pairing)
# Playwright's Chromium when it can be downloaded, else the system package (apt-get):
# chromium-headless-shell, or chromium where it does not exist.
# Shared by scripts/setup.sh and the GitHub Action (action.yml).
set -euo pipefail

PY="${1:?usage : bash scripts/install-browser.sh PYTHON [--playwright]}"
found() { "$PY" -m auditor.collect.browser >/dev/null 2>&1; }

if [ "${2:-}" = "--playwright" ]; then
  echo "› Installation du Chromium de Playwright"
  timeout 600 "$PY" -m playwright install --with-deps chromium >/dev/null 2>&1 || true
elif ! found; then
  echo "› Aucun Chromium trouvé : essai du téléchargement de Playwright"
  timeout 300 "$PY" -m playwright install chromium >/dev/null 2>&1 || true
fi
if ! found; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "› Installation du Chromium du système (apt-get)"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    # the headless shell (what Playwright runs headless) is lighter; older distributions only have chromium.
    # Fonts named explicitly: the shell does not pull a desktop's fonts, and text must render as for a user.
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium-headless-shell fonts-liberation \
      fonts-dejavu-core >/dev/null 2>&1 \
      || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  fi
fi
echo "› Navigateur : $("$PY" -m auditor.collect.browser)"
