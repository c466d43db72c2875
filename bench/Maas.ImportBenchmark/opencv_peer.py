"""Reference peer for the import benchmark: read and decode every file of a PNG tree with OpenCV on one core.

Run with Debian's /usr/bin/python3 (python3-opencv). Prints one JSON line: images, seconds (the loop), cpu_seconds and
system_cpu_seconds (the whole process, start-up included), peak_rss_bytes. This is decoding only (no hashing, no storing, no database): a floor for what an import costs.
"""
import json
import os
import resource
import sys
import time

import cv2
import numpy as np


def main(root):
    cv2.setNumThreads(1)
    start = time.perf_counter()
    count = 0
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            with open(os.path.join(folder, name), "rb") as f:
                data = f.read()
            # IMREAD_COLOR: three channels, like the importer's RGB validation decode.
            image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
            if image is None:
                raise SystemExit(f"{name}: not decodable")
            count += 1
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({
        "images": count,
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "system_cpu_seconds": usage.ru_stime,
        "peak_rss_bytes": usage.ru_maxrss * 1024,
    }))


if __name__ == "__main__":
    main(sys.argv[1])
