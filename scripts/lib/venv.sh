# Create .venv and install the project into it; sourced by scripts/run and
# scripts/test. Reinstalls only when requirements.lock or pyproject.toml
# changed since the last install, which a stamp file inside .venv records.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv"
STAMP="$VENV/.hardship-install-stamp"

find_python() {
    if command -v python3.11 >/dev/null 2>&1; then
        echo python3.11
        return
    fi
    if command -v python3 >/dev/null 2>&1 \
        && python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
        echo python3
        return
    fi
    echo "error: Python 3.11 is required; neither python3.11 nor a python3 of" \
        "version 3.11 is on PATH" >&2
    return 1
}

install_fingerprint() {
    cat "$ROOT/requirements.lock" "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1
}

ensure_venv() {
    if [[ ! -x "$VENV/bin/python" ]]; then
        local python
        python="$(find_python)"
        echo "Creating $VENV with $python" >&2
        "$python" -m venv "$VENV"
    fi

    local wanted
    wanted="$(install_fingerprint)"
    if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$wanted" ]]; then
        return
    fi
    echo "Installing requirements.lock and the project into $VENV" >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        -r "$ROOT/requirements.lock"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        --no-deps -e "$ROOT"
    echo "$wanted" >"$STAMP"
}
