#!/usr/bin/env python3
"""Writes the benchmark's image content, the same bytes on every machine and every run.

usage: gen_image.py OUT [--big-mib N]

OUT/layers/random   48 MiB incompressible (6 files of 8 MiB, seeded pseudo-random bytes)
OUT/layers/text     24 MiB compressible text (24 files of 1 MiB, seeded words)
OUT/layers/small    ~100 KiB of small files (100 files of about 1 KiB)
OUT/tars/*.tar      the same three directories as uncompressed layer tarballs (fixed owner,
                    mode and time, sorted), for the floor
OUT/docker-save.tar a `docker save`-style archive of the image (uncompressed layers), for skopeo
OUT/big/big         with --big-mib N: one file of N MiB of incompressible bytes

Every generator is seeded, so the content, and every digest derived from it, is reproducible.
"""

import hashlib
import io
import json
import os
import random
import sys
import tarfile

MIB = 1 << 20
SEED = 20261127
RANDOM_FILES, RANDOM_FILE_MIB = 6, 8
TEXT_FILES, TEXT_FILE_MIB = 24, 1
SMALL_FILES, SMALL_FILE_BYTES = 100, 1024
# Jib's default file time (1970-01-01T00:00:01Z), used in the tarballs too.
FILE_TIME = 1


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as out:
        out.write(data)


def random_layer(root):
    rng = random.Random(SEED)
    for index in range(RANDOM_FILES):
        write(os.path.join(root, "chunk-%02d.bin" % index), rng.randbytes(RANDOM_FILE_MIB * MIB))


def words(rng, count):
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(2, 10))) for _ in range(count)]


def text_layer(root):
    rng = random.Random(SEED + 1)
    vocabulary = words(rng, 4000)
    for index in range(TEXT_FILES):
        lines, size = [], 0
        while size < TEXT_FILE_MIB * MIB:
            line = " ".join(rng.choices(vocabulary, k=rng.randint(6, 14))) + "\n"
            lines.append(line)
            size += len(line)
        write(os.path.join(root, "text-%02d.txt" % index),
              "".join(lines).encode()[: TEXT_FILE_MIB * MIB])


def small_layer(root):
    rng = random.Random(SEED + 2)
    vocabulary = words(rng, 500)
    for index in range(SMALL_FILES):
        body = " ".join(rng.choices(vocabulary, k=400)).encode()[: SMALL_FILE_BYTES - 16]
        body += rng.randbytes(16)
        write(os.path.join(root, "dir-%d" % (index % 10), "file-%03d.conf" % index), body)


def big_file(path, mib):
    rng = random.Random(SEED + 3)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as out:
        for _ in range(mib):
            out.write(rng.randbytes(MIB))


def layer_tar(source, into):
    """An uncompressed layer tarball of `source` under `into`, deterministic."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        entries = []
        for folder, dirs, files in os.walk(source):
            dirs.sort()
            rel = os.path.relpath(folder, source)
            if rel != ".":
                entries.append((rel, True))
            entries.extend((os.path.normpath(os.path.join(rel, name)), False) for name in sorted(files))
        for rel, is_dir in [(".", True)] + entries:
            name = into.strip("/") if rel == "." else into.strip("/") + "/" + rel
            info = tarfile.TarInfo(name)
            info.mtime, info.uid, info.gid, info.uname, info.gname = FILE_TIME, 0, 0, "", ""
            if is_dir:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            else:
                path = os.path.join(source, rel)
                info.size, info.mode = os.path.getsize(path), 0o644
                with open(path, "rb") as data:
                    tar.addfile(info, data)
    return buffer.getvalue()


def docker_save(out, layer_tars):
    """A `docker save` archive: manifest.json, a config, one uncompressed layer.tar per layer."""
    diff_ids = ["sha256:" + hashlib.sha256(data).hexdigest() for data in layer_tars]
    config = json.dumps({
        "architecture": "amd64", "os": "linux", "created": "1970-01-01T00:00:00Z",
        "config": {}, "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created": "1970-01-01T00:00:00Z"} for _ in layer_tars],
    }, sort_keys=True).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    layer_names = [d.split(":")[1] + "/layer.tar" for d in diff_ids]
    manifest = json.dumps([{"Config": config_name, "RepoTags": ["bench/app:1"],
                            "Layers": layer_names}]).encode()
    with tarfile.open(out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in [(config_name, config), ("manifest.json", manifest)] + list(
                zip(layer_names, layer_tars)):
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), FILE_TIME, 0o644
            tar.addfile(info, io.BytesIO(data))


def main(argv):
    out = argv[1]
    big_mib = int(argv[argv.index("--big-mib") + 1]) if "--big-mib" in argv else 0
    layers = {"random": random_layer, "text": text_layer, "small": small_layer}
    tars = []
    for name, generate in layers.items():
        root = os.path.join(out, "layers", name)
        if not os.path.isdir(root):
            generate(root)
        data = layer_tar(root, "/" + name)
        write(os.path.join(out, "tars", name + ".tar"), data)
        tars.append(data)
    docker_save(os.path.join(out, "docker-save.tar"), tars)
    if big_mib:
        path = os.path.join(out, "big", "big")
        if not os.path.isfile(path) or os.path.getsize(path) != big_mib * MIB:
            big_file(path, big_mib)


if __name__ == "__main__":
    main(sys.argv)
