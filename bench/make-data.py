#!/usr/bin/env python3
"""Test data for bench/run.sh (docs/performance.md, "Test data"), made fresh in every run, seeded so two runs get
the same bytes:

  make-data.py webmix DIR MB        a web build: index.html, minified-looking JS and CSS, JSON and SVG (compressible
                                    text, about 40 %), PNG/JPG/WebP images and WOFF2 fonts (incompressible bytes)
  make-data.py random DIR MB        index.html, one JS file and random incompressible blobs of 8 MB
  make-data.py storedzip ZIP MB     a bundle zip (stored entries: index.html, app.js, random blobs), written in
                                    one pass, so a 1 GB zip takes seconds; its SHA-256 on stdout
"""
import hashlib
import os
import random
import sys
import zipfile

INDEX = b'<!doctype html><html><head><meta charset="utf-8"><title>bench</title></head>' \
        b'<body><script src="app.js"></script></body></html>\n'
APP_JS = b"import { CapacitorUpdater } from '@capgo/capacitor-updater';\nCapacitorUpdater.notifyAppReady();\n"
MB = 1 << 20


def random_bytes(rng, n):
    return rng.getrandbits(n * 8).to_bytes(n, "little") if n else b""


def text(rng, vocabulary, size):
    # Code repeats itself: phrases of a few tokens, drawn Zipf-like, give deflate the 3-4x of a minified bundle.
    phrases = ["".join(rng.choices(vocabulary, k=rng.randint(3, 8))) for _ in range(3000)]
    return words(rng, phrases, size)


def words(rng, vocabulary, size):
    # Zipf-like: a few very often, most rarely.
    weights = [1.0 / (rank + 1) for rank in range(len(vocabulary))]
    cumulative = []
    acc = 0.0
    for w in weights:
        acc += w
        cumulative.append(acc)
    out = []
    length = 0
    while length < size:
        picked = rng.choices(vocabulary, cum_weights=cumulative, k=4096)
        chunk = "".join(picked)
        out.append(chunk)
        length += len(chunk)
    return "".join(out)[:size].encode()


def webmix(root, total_mb):
    rng = random.Random(18)
    total = total_mb * MB
    # Identifiers, keywords and punctuation of a minified bundle: deflate shrinks it about 3 to 4 times, as real JS.
    names = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$", k=rng.randint(2, 8)))
             for _ in range(600)]
    punct = ["(", ")", "{", "}", ";", ",", ".", "=", "=>", "&&", "||", "!", "?", ":", "[", "]", "+", "-", '"', "'"]
    keywords = ["function", "return", "const", "let", "var", "if", "else", "for", "new", "this", "null", "true",
                "false", "typeof", "void", "class", "extends", "import", "export", "await", "async"]
    vocabulary = punct + keywords + names + [str(i) for i in range(200)]
    css_vocab = ["{", "}", ";", ":", "px", "em", "rem", "%", "#", ".", "display", "flex", "grid", "margin",
                 "padding", "color", "background", "border", "none", "solid", "auto", "0", "1", "2", "4", "8",
                 "16"] + names[:800]
    os.makedirs(os.path.join(root, "assets"), exist_ok=True)
    os.makedirs(os.path.join(root, "img"), exist_ok=True)
    os.makedirs(os.path.join(root, "fonts"), exist_ok=True)
    with open(os.path.join(root, "index.html"), "wb") as f:
        f.write(INDEX)
    with open(os.path.join(root, "app.js"), "wb") as f:
        f.write(APP_JS)
    written = len(INDEX) + len(APP_JS)
    # Shares of the bytes: JS 34 %, CSS 3 %, JSON/SVG 3 %, images 52 %, fonts 8 %.
    plan = [("assets", "chunk-{}.js", 0.34, 60_000, vocabulary),
            ("assets", "style-{}.css", 0.03, 20_000, css_vocab),
            ("assets", "data-{}.json", 0.015, 8_000, vocabulary),
            ("img", "icon-{}.svg", 0.015, 4_000, css_vocab),
            ("img", "photo-{}.jpg", 0.22, 180_000, None),
            ("img", "shot-{}.png", 0.22, 120_000, None),
            ("img", "hero-{}.webp", 0.08, 250_000, None),
            ("fonts", "font-{}.woff2", 0.08, 90_000, None)]
    for folder, pattern, share, mean, vocab in plan:
        budget = int(total * share)
        i = 0
        while budget > 0:
            size = min(budget, max(512, int(rng.uniform(0.3, 1.7) * mean)))
            data = text(rng, vocab, size) if vocab else random_bytes(rng, size)
            with open(os.path.join(root, folder, pattern.format(i)), "wb") as f:
                f.write(data)
            budget -= size
            written += size
            i += 1
    return written


def random_folder(root, total_mb):
    rng = random.Random(19)
    os.makedirs(root, exist_ok=True)
    with open(os.path.join(root, "index.html"), "wb") as f:
        f.write(INDEX)
    with open(os.path.join(root, "app.js"), "wb") as f:
        f.write(APP_JS)
    left = total_mb * MB
    i = 0
    while left > 0:
        size = min(left, 8 * MB)
        with open(os.path.join(root, "blob-{}.bin".format(i)), "wb") as f:
            f.write(random_bytes(rng, size))
        left -= size
        i += 1


def stored_zip(path, total_mb):
    rng = random.Random(20)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr("index.html", INDEX)
        z.writestr("app.js", APP_JS)
        left = total_mb * MB
        i = 0
        while left > 0:
            size = min(left, 32 * MB)
            with z.open("blob-{}.bin".format(i), "w", force_zip64=True) as f:
                for _ in range(0, size, MB):
                    f.write(random_bytes(rng, min(MB, size)))
            left -= size
            i += 1
    sha = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(4 * MB), b""):
            sha.update(block)
    print(sha.hexdigest())


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("webmix", "random", "storedzip"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    kind, path, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if kind == "webmix":
        webmix(path, mb)
    elif kind == "random":
        random_folder(path, mb)
    else:
        stored_zip(path, mb)


if __name__ == "__main__":
    main()
