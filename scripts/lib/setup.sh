# Shared by scripts/run and scripts/test: a project virtualenv, reinstalled only when pyproject.toml changes,
# and Debian packages installed when missing.

ensure_venv() {
  local extras="${1:-}"
  local python="${PYTHON:-python3}"
  if [ ! -x .venv/bin/python ]; then
    echo "Creating .venv with $($python --version 2>&1)…"
    "$python" -m venv .venv
  fi
  local stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)${extras//[^a-z]/-}"
  if [ ! -f "$stamp" ]; then
    echo "Installing chapterhouse${extras} and its pinned dependencies into .venv…"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras}"
    rm -f .venv/.installed-*
    touch "$stamp"
  fi
}

ensure_debian_packages() {
  # Arguments: pairs of "command:package"; installs the packages whose command is missing.
  local missing=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing Debian packages: ${missing[*]}…"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
