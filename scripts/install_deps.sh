#!/usr/bin/env bash
# Installs the Debian packages fieldlab builds against, skipping those already present.
# Idempotent: a second run does nothing but check. Called by the README commands and .ci/run.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libeigen3-dev libhdf5-dev hdf5-tools libboost-dev libfftw3-dev
  doctest-dev libcli11-dev libyaml-cpp-dev libfmt-dev libpng-dev libomp-dev
  libopenblas-openmp-dev libbenchmark-dev
  clang libclang-rt-14-dev
  python3-venv
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install_deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install_deps: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install_deps: done"
