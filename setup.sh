#!/usr/bin/env bash
# Sets up everything Maas needs on a fresh Debian 12 machine with the .NET 10 SDK, idempotently:
# Debian packages (only those missing), then the NuGet restore and a build of the CLI.
set -euo pipefail
cd "$(dirname "$0")"

# libturbojpeg0: the SIMD libjpeg-turbo that JPEG decoding uses when present (twice the speed of the bundled one).
packages=(dataset-fashion-mnist mate-backgrounds gnome-backgrounds libturbojpeg0)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null 2>&1 || ! dotnet --list-sdks | grep -q '^10\.'; then
  echo "setup: the .NET 10 SDK is required (dotnet on PATH); this machine kind ships it." >&2
  exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet restore Maas.slnx --nologo -v quiet
./maas --version >/dev/null
echo "setup: ready"
