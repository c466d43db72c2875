#!/usr/bin/python3
"""The Python peers of bench/Maas.PipelineThroughput: the seed's own preprocessing stack doing the same work as the
Maas pipeline on the same files, timed the same way. Run with Debian's /usr/bin/python3 (python3-opencv,
python3-numpy; python3-torchvision and python3-pil for the second peer).

usage: pipeline_peers.py IMPL WORKLOAD LIST_FILE PASSES WORKERS WARMUP
  IMPL      opencv | torchvision
  WORKLOAD  photos (decode, resize shorter side 256, center crop 224, rotate +-15, flip, normalize, float32 CHW)
            photos-draft (the same with a reduced JPEG decode: OpenCV's IMREAD_REDUCED_COLOR_2/4/8 chosen by the
              Maas draft rule, PIL's Image.draft)
            photos-cached (photos in the epochs after the first: the deterministic prefix, decode + resize + crop,
              computed once per file before the clock starts, as a training loop would cache it; the random ops and
              the tensor timed)
            fashion (decode gray, normalize 0.5/0.5, float32 1x28x28)
  LIST_FILE one image path per line
  PASSES    how many times every file is processed (a fresh epoch each pass: the augmentation differs)
  WORKERS   1 runs in this process; more forks that many processes that share the work
  WARMUP    images processed before the clock starts (loads lazily initialised code)

All file bytes are read into memory before the clock starts. Prints one JSON line: images, seconds, CPU seconds
of the timed part (every worker's own), peak RSS (this process plus each worker's own peak, so pages the workers
share with it are counted once per process), and the output shape.
"""
import io
import json
import multiprocessing
import os
import random
import resource
import sys
import time

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
PHOTO_CHUNK, FASHION_CHUNK = 1, 64  # images a worker takes at a time; the .NET side takes the same
PHOTO_WORKLOADS = ("photos", "photos-draft", "photos-cached")


def shorter_side_size(width, height, side=256):
    """torchvision's (and Maas') shorter-side rule: the longer side becomes int(side * long / short)."""
    if width <= height:
        return side, int(side * height / width)
    return int(side * width / height), side


def draft_denominator(width, height, needed):
    """The Maas draft rule: the largest of 8, 4, 2 whose libjpeg-scaled size (sides rounded up) still covers
    `needed` on both sides; 1 (a full decode) when none does."""
    for denominator in (8, 4, 2):
        if -(-width // denominator) >= needed[0] and -(-height // denominator) >= needed[1]:
            return denominator
    return 1


def jpeg_size(data):
    """(width, height) from a JPEG's start-of-frame segment, walking the marker segments without decoding. As
    stored: the mate photos carry no EXIF turn, so it is also the upright size the rule wants."""
    i = 2
    while i + 9 <= len(data):
        marker = data[i + 1]
        if data[i] != 0xFF or marker == 0xFF:
            i += 1  # fill bytes before a marker
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # SOFn, not DHT, JPG or DAC
            return int.from_bytes(data[i + 7:i + 9], "big"), int.from_bytes(data[i + 5:i + 7], "big")
        i += 2 + int.from_bytes(data[i + 2:i + 4], "big")
    raise ValueError("no JPEG start-of-frame segment")


def opencv_work(workload):
    import cv2
    import numpy as np

    # One thread per process: the one-core figure is one core, and the all-core figure comes from processes.
    cv2.setNumThreads(1)
    if workload == "fashion":
        def fashion(data, rng):
            image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
            tensor = image.astype(np.float32)
            tensor *= 1.0 / (255.0 * 0.5)  # (x / 255 - 0.5) / 0.5 folded into one scale and one shift
            tensor -= 1.0
            return tensor.reshape(1, *image.shape)
        return fashion

    scale = (1.0 / (255.0 * np.array(IMAGENET_STD, np.float32))).astype(np.float32)
    shift = (np.array(IMAGENET_MEAN, np.float32) / np.array(IMAGENET_STD, np.float32)).astype(np.float32)
    reduced = {1: cv2.IMREAD_COLOR, 2: cv2.IMREAD_REDUCED_COLOR_2, 4: cv2.IMREAD_REDUCED_COLOR_4, 8: cv2.IMREAD_REDUCED_COLOR_8}
    draft = workload == "photos-draft"

    def prefix(data):
        if draft:
            # The target comes from the full size in the header, as in Maas, and the flag makes libjpeg decode at
            # 1/n (sides rounded up); the resize then goes from the reduced image.
            width, height = jpeg_size(data)
            size = shorter_side_size(width, height)
            image = cv2.imdecode(np.frombuffer(data, np.uint8), reduced[draft_denominator(width, height, size)])
        else:
            image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)  # BGR; turned RGB after the crop
            height, width = image.shape[:2]
            size = shorter_side_size(width, height)
        # INTER_LINEAR is Maas' bilinear: half-pixel centres, two taps, no antialiasing.
        image = cv2.resize(image, size, interpolation=cv2.INTER_LINEAR)
        top = round((image.shape[0] - 224) / 2)  # Python's round is half-to-even, as torchvision and Maas
        left = round((image.shape[1] - 224) / 2)
        return image[top:top + 224, left:left + 224]

    def augment(image, rng):
        # Counter-clockwise about the centre, nearest neighbour, black outside: torchvision's RandomRotation
        # defaults and the Maas rotate op's. OpenCV puts the centre at (w-1)/2 in pixel-centre coordinates, the
        # same point as Maas' w/2 in pixel-edge coordinates.
        matrix = cv2.getRotationMatrix2D((111.5, 111.5), rng.uniform(-15.0, 15.0), 1.0)
        image = cv2.warpAffine(image, matrix, (224, 224), flags=cv2.INTER_NEAREST,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0))
        if rng.random() < 0.5:
            image = cv2.flip(image, 1)
        image = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        tensor = image.astype(np.float32)
        tensor *= scale  # (x / 255 - mean) / std as one multiply and one subtract per value
        tensor -= shift
        return np.ascontiguousarray(tensor.transpose(2, 0, 1))

    if workload == "photos-cached":
        return augment, prefix
    return lambda data, rng: augment(prefix(data), rng)


def torchvision_work(workload):
    import torch
    from PIL import Image
    from torchvision import transforms

    torch.set_num_threads(1)
    if workload == "fashion":
        transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])

        def fashion(data, rng):
            return transform(Image.open(io.BytesIO(data)))  # a grayscale PNG opens as mode L: 1x28x28
        return fashion

    # Differences from Maas that the libraries impose: PIL's bilinear resize is antialiased (its filter widens with
    # the scale factor, so it reads more source pixels per output pixel than Maas' or OpenCV's two taps), and the
    # random numbers come from torch's generator rather than from (seed, sample, epoch).
    deterministic = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224)])
    random_part = transforms.Compose([
        transforms.RandomRotation(15),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        transforms.Normalize(IMAGENET_MEAN, IMAGENET_STD),
    ])

    draft = workload == "photos-draft"

    def prefix(data):
        image = Image.open(io.BytesIO(data))  # parses the header only
        if draft:
            # What PIL itself offers: the largest of 1/8, 1/4, 1/2 with both sides at least the requested ones
            # (floor division, so at the edges it may keep a larger scale than the Maas rule; the same 1/4 on the
            # mate photos). Resize(256) then works from the reduced size.
            image.draft("RGB", shorter_side_size(*image.size))
        return deterministic(image.convert("RGB"))

    if workload == "photos-cached":
        return (lambda image, rng: random_part(image)), prefix
    return lambda data, rng: random_part(prefix(data))


def peak_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


# Set in the parent before forking, so the workers share the file bytes and the warmed-up code.
_state = {}


def run_share(worker):
    work, files, total, chunk, counter = _state["work"], _state["files"], _state["total"], _state["chunk"], _state["counter"]
    rng = random.Random(1000 + worker)
    if _state["torch_seed"]:
        import torch
        torch.manual_seed(1000 + worker)
    done = 0
    while True:
        if counter is None:
            start = done
        else:
            with counter.get_lock():
                start = counter.value
                counter.value += chunk
        if start >= total:
            return done
        for i in range(start, min(start + chunk, total)):
            # Image i is file i mod len(files) in pass i // len(files): each pass is a fresh epoch.
            work(files[i % len(files)], rng)
            done += 1


def worker_main(worker, results):
    cpu = time.process_time()
    done = run_share(worker)
    results.put((done, peak_rss_bytes(), time.process_time() - cpu))


def main():
    impl, workload, list_file, passes, workers, warmup = sys.argv[1:7]
    passes, workers, warmup = int(passes), int(workers), int(warmup)
    work = opencv_work(workload) if impl == "opencv" else torchvision_work(workload)
    with open(list_file, encoding="utf-8") as paths:
        files = [open(line.strip(), "rb").read() for line in paths if line.strip()]
    input_bytes = sum(len(f) for f in files)
    if isinstance(work, tuple):
        # photos-cached: each file's deterministic prefix, once, before the clock starts (a cache held in memory).
        work, prefix = work
        files = [prefix(data) for data in files]
    rng = random.Random(7)
    shape = None
    for i in range(warmup):
        shape = tuple(work(files[i % len(files)], rng).shape)

    total = len(files) * passes
    _state.update(work=work, files=files, total=total, chunk=PHOTO_CHUNK if workload in PHOTO_WORKLOADS else FASHION_CHUNK,
                  torch_seed=impl == "torchvision", counter=None)
    if workers == 1:
        start, cpu = time.perf_counter(), time.process_time()
        done = run_share(0)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        peak = peak_rss_bytes()
    else:
        context = multiprocessing.get_context("fork")
        _state["counter"] = context.Value("q", 0)
        results = context.Queue()
        processes = [context.Process(target=worker_main, args=(w, results)) for w in range(workers)]
        start = time.perf_counter()
        for process in processes:
            process.start()
        reports = [results.get() for _ in processes]
        seconds = time.perf_counter() - start
        for process in processes:
            process.join()
        done = sum(r[0] for r in reports)
        peak = peak_rss_bytes() + sum(r[1] for r in reports)
        cpu = sum(r[2] for r in reports)  # the parent only waits meanwhile
    if done != total:
        raise SystemExit(f"processed {done} images, expected {total}")
    print(json.dumps({"images": done, "seconds": seconds, "cpu_seconds": cpu, "peak_rss_bytes": peak,
                      "input_bytes": input_bytes, "shape": list(shape or ())}))


if __name__ == "__main__":
    main()
