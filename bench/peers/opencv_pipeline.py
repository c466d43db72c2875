#!/usr/bin/env python3
"""The OpenCV-in-Python pipelines that bench/Maas.Benchmarks' PipelineBenchmarks replaces, timed the same way:
one image at a time on one core (cv2.setNumThreads(1)), median of repeated runs, microseconds per image.

Needs python3-opencv and python3-numpy (Debian packages); run: python3 bench/peers/opencv_pipeline.py
"""
import glob
import gzip
import random
import statistics
import time

import cv2
import numpy as np

cv2.setNumThreads(1)
MEAN = np.array([0.485, 0.456, 0.406], np.float32)
STD = np.array([0.229, 0.224, 0.225], np.float32)


def fashion_png():
    raw = gzip.open("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz").read()[16:16 + 784]
    ok, png = cv2.imencode(".png", np.frombuffer(raw, np.uint8).reshape(28, 28))
    return png.tobytes()


def photo_jpeg():
    return open(sorted(glob.glob("/usr/share/backgrounds/mate/nature/*.jpg"))[0], "rb").read()


def fashion(png):
    image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
    return ((image.astype(np.float32) / 255.0) - 0.5) / 0.5


def photo(jpeg):
    image = cv2.cvtColor(cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    image = cv2.resize(image, (224, 224), interpolation=cv2.INTER_LINEAR)
    return ((image.astype(np.float32) / 255.0 - MEAN) / STD).transpose(2, 0, 1).copy()


def random_resized_crop_box(height, width, rng):
    # torchvision's RandomResizedCrop.get_params, scale (0.08, 1), ratio (3/4, 4/3)
    area = height * width
    for _ in range(10):
        target = area * rng.uniform(0.08, 1.0)
        ratio = np.exp(rng.uniform(np.log(3 / 4), np.log(4 / 3)))
        w = int(round(np.sqrt(target * ratio)))
        h = int(round(np.sqrt(target / ratio)))
        if 0 < w <= width and 0 < h <= height:
            return rng.randint(0, height - h), rng.randint(0, width - w), h, w
    side = min(height, width)
    return (height - side) // 2, (width - side) // 2, side, side


def training(jpeg, rng):
    image = cv2.cvtColor(cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    top, left, h, w = random_resized_crop_box(*image.shape[:2], rng)
    image = cv2.resize(image[top:top + h, left:left + w], (224, 224), interpolation=cv2.INTER_LINEAR)
    if rng.random() < 0.5:
        image = cv2.flip(image, 1)
    image = image.astype(np.float32)
    image *= rng.uniform(0.6, 1.4)  # brightness
    gray_mean = cv2.cvtColor(np.clip(image, 0, 255).astype(np.uint8), cv2.COLOR_RGB2GRAY).mean()
    image = (image - gray_mean) * rng.uniform(0.6, 1.4) + gray_mean  # contrast
    gray = cv2.cvtColor(np.clip(image, 0, 255).astype(np.uint8), cv2.COLOR_RGB2GRAY).astype(np.float32)[..., None]
    image = (image - gray) * rng.uniform(0.6, 1.4) + gray  # saturation
    image = np.clip(image, 0, 255)
    return ((image / 255.0 - MEAN) / STD).transpose(2, 0, 1).copy()


def median_microseconds(work, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1e6)
    return statistics.median(times)


def main():
    png, jpeg, rng = fashion_png(), photo_jpeg(), random.Random(7)
    for work in (lambda: fashion(png), lambda: photo(jpeg), lambda: training(jpeg, rng)):
        work()  # warm up
    print(f"OpenCV {cv2.__version__}, NumPy {np.__version__}, 1 thread")
    print(f"FashionPng28                 {median_microseconds(lambda: fashion(png), 20000):10.1f} us")
    print(f"PhotoJpegTo224               {median_microseconds(lambda: photo(jpeg), 60) / 1000:10.1f} ms")
    print(f"PhotoJpegTrainingAugment224  {median_microseconds(lambda: training(jpeg, rng), 60) / 1000:10.1f} ms")


if __name__ == "__main__":
    main()
