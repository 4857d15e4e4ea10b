#!/usr/bin/env python3
"""chaos.py - kill the to-do system (todo-cli) at random moments while it
writes, start it again, and check its files after every kill.

    python3 tools/chaos.py --cli build/rel/tools/todo-cli --kills 1000

Each round starts todo-cli on one data folder, sends it a batch of adds
(titles unique over the whole run), reads some of its "ok" lines -- an
"ok" is printed only once the entry is on disk -- and sends SIGKILL at a
random moment: after 0 to all of its acknowledgements, sometimes after a short
random sleep instead, while later adds are being written. Whatever "ok"
lines the program wrote before it died are read too: each is a promise.
After every kill the driver reads every list file itself (the format of
include/lc/systems/todo.h: header, CRC-32, count, entries) and counts

  - acknowledged entries lost: an "ok" whose title is not in its list;
  - half-written files: a list file that does not parse or fails its
    CRC-32 (files aside, ".NAME.todo.XXXXXX", are what an interrupted
    write leaves by design: the next start sweeps them; counted apart);
  - duplicated entries: a title present twice.

The last line is the verdict, e.g.
  chaos: 1000 kills, 0 acknowledged entries lost, 0 half-written files
and the exit status is 0 only if all three counts are 0. --seed makes the
driver's choices repeatable (the moment of a kill depends on the machine).
"""
import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zlib

LISTS = ["chores", "work", "bob", "alice", "garden", "books"]
DAY = "2026-12-19"
HEADER = re.compile(r"lc-todo 1 entries=(\d+) next-id=(\d+) "
                    r"crc32=([0-9a-f]{8}) list=(.*)")


def read_list(path):
    """(list name, [titles]) of a list file, or None if it fails a check."""
    with open(path, "rb") as f:
        data = f.read()
    nl = data.find(b"\n")
    if nl < 0:
        return None
    m = HEADER.fullmatch(data[:nl].decode("utf-8", "replace"))
    if m is None:
        return None
    body = data[nl + 1:]
    if body and not body.endswith(b"\n"):
        return None
    if zlib.crc32(body) != int(m.group(3), 16):
        return None
    lines = body.decode("utf-8").splitlines()
    if len(lines) != int(m.group(1)):
        return None
    titles, last = [], 0
    for ln in lines:
        parts = ln.split(" ", 2)
        if len(parts) != 3 or not parts[0].isdigit() or parts[1] != DAY:
            return None
        if int(parts[0]) <= last or int(parts[0]) >= int(m.group(2)):
            return None
        last = int(parts[0])
        titles.append(parts[2])
    return m.group(4), titles


def check(folder, acked):
    """(lost, half-written, duplicated, aside) for the folder now."""
    present, half, dup, aside = {}, 0, 0, 0
    for name in os.listdir(folder):
        if name.startswith("."):
            aside += 1
            continue
        got = read_list(os.path.join(folder, name))
        if got is None:
            half += 1
            print(f"chaos: {name} fails its check", file=sys.stderr)
            continue
        lst, titles = got
        seen = set()
        for t in titles:
            dup += t in seen
            seen.add(t)
        present[lst] = seen
    lost = [t for t, lst in acked.items() if t not in present.get(lst, ())]
    for t in lost[:5]:
        print(f"chaos: acknowledged {t!r} ({acked[t]}) is lost",
              file=sys.stderr)
    return len(lost), half, dup, aside


def round_(cli, folder, rnd, k, acked):
    """One run of todo-cli, killed at a random moment."""
    p = subprocess.Popen([cli, folder], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    batch = rnd.randint(10, 60)
    adds = []
    for i in range(batch):
        lst = rnd.choice(LISTS)
        adds.append(f"add {lst} {DAY} k{k}-{i}\n")
    try:
        p.stdin.write("".join(adds).encode())
        p.stdin.flush()
    except BrokenPipeError:
        pass
    if rnd.random() < 0.3:
        time.sleep(rnd.random() * 0.004)  # at any moment, starting or not
    else:
        want = rnd.randint(0, batch)
        for _ in range(want):
            ln = p.stdout.readline()
            if not ln:
                break
            record(ln, acked)
    p.send_signal(signal.SIGKILL)
    for ln in p.stdout:  # what it wrote before it died
        record(ln, acked)
    p.wait()
    p.stdin.close()
    p.stdout.close()


def record(ln, acked):
    parts = ln.decode().rstrip("\n").split(" ", 3)
    if len(parts) == 4 and parts[0] == "ok":
        acked[parts[3]] = parts[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--kills", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", action="store_true",
                    help="keep the data folder")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    folder = tempfile.mkdtemp(prefix="lc-chaos.")
    acked = {}
    lost = half = dup = aside = cut = 0
    t0 = time.monotonic()
    try:
        for k in range(a.kills):
            round_(a.cli, folder, rnd, k, acked)
            lost, h, dup, aside = check(folder, acked)
            half += h
            cut += aside
            if lost or h or dup:
                break
    finally:
        if not a.keep:
            shutil.rmtree(folder, ignore_errors=True)
    dt = time.monotonic() - t0
    print(f"chaos: {len(acked)} entries acknowledged, {dup} duplicated, "
          f"{cut} kills cut a write short (its file aside, swept at the "
          f"next start), {dt:.1f} s", file=sys.stderr, flush=True)
    print(f"chaos: {k + 1} kills, {lost} acknowledged entries lost, "
          f"{half} half-written files")
    return 0 if lost == 0 and half == 0 and dup == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
