#!/usr/bin/env bash
# Preprocessing throughput, Maas against OpenCV+NumPy and torchvision+PIL on the same files, in one run.
# Installs the Debian packages the peers and the inputs need when they are missing (needs root for that), then runs
# bench/Maas.PipelineThroughput in Release. Arguments are passed on (--help lists them).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
/usr/bin/python3 -c 'import cv2, numpy' 2>/dev/null || missing+=(python3-opencv python3-numpy)
/usr/bin/python3 -c 'import torch, torchvision, PIL' 2>/dev/null || missing+=(python3-torchvision python3-pil)
[ -e /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ] || missing+=(dataset-fashion-mnist)
compgen -G '/usr/share/backgrounds/mate/nature/*.jpg' >/dev/null || missing+=(mate-backgrounds)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}" >&2
    apt-get install -y --no-install-recommends "${missing[@]}" >&2 || {
        apt-get update >&2 && apt-get install -y --no-install-recommends "${missing[@]}" >&2
    }
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build -c Release bench/Maas.PipelineThroughput -v quiet -nologo >&2
exec dotnet bench/Maas.PipelineThroughput/bin/Release/net10.0/Maas.PipelineThroughput.dll "$@"
