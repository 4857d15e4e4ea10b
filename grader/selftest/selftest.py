#!/usr/bin/env python3
"""selftest.py - the grader's own tests (make test-grader).

What they show:
  - usage mistakes end with status 2 and one line; the kit check passes
    (rubric sums, every rubric test in its binary and back);
  - the reference gets full marks, the untouched exercises 0 on every test;
  - catch-up links the reference of the chapters used, and says so;
  - every report format is valid and its scores add up;
  - each adversarial submission in cases/ (the reference of chapter 0 with
    one sabotage) gets 0 on what it touches, the rest of the report stays
    as it is for the reference, no process survives, and the run ends in
    bounded time;
  - hidden suites, batches, --test, and the student edition work.

Each case in cases/NAME.c starts with a comment of "key: value" lines:
  renames: echo_call   the reference's function becomes echo_call__ref and
                       the case's own version replaces it (it may call it)
  mode: replace        the case is the whole file (default: appended to the
                       reference)
  expect: S [S...]     the statuses allowed for chapter 0's failing tests
  others: pass|none    whether some chapter 0 tests still pass
  san: yes             graded with the sanitizer build (chapter 0 only)
  forbid: TEXT         TEXT must appear nowhere in the report
  formats: all         every report format is written and must be valid
  base: stub           start from the untouched exercise instead of the
                       reference: an attack that tries to forge a pass
"""
import csv
import ctypes
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GRADE = os.path.join(ROOT, "grader", "grade")
# Each run has its own folder: several people may run the tests at once.
WORK = os.path.join(ROOT, "build", "grade", "selftest", str(os.getpid()))
CASE_TIME_LIMIT = 90  # s for one adversarial case, all chapters
SCALE = "0.1"         # time limits x0.1: a hanging test costs 1 s

# SELFTEST_CHAPTERS="00 01": only those chapters (while others are being
# written); the default is every chapter.
ONLY = os.environ.get("SELFTEST_CHAPTERS", "").split()

problems = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        problems.append(what)
        print("  FAILED: " + what)
    return cond


def run(args, timeout=600, env=None, cwd=ROOT):
    e = dict(os.environ)
    e.pop("SAN", None)
    e.pop("LC_TIMEOUT_SCALE", None)
    e.pop("LC_GRADE_SANDBOX", None)
    e.update(env or {})
    t0 = time.monotonic()
    p = subprocess.run(args, cwd=cwd, env=e, capture_output=True, text=True,
                       timeout=timeout)
    return p.returncode, p.stdout, p.stderr, time.monotonic() - t0


def grade(args, fmt="json", env=None, cwd=ROOT, grader=GRADE):
    out = os.path.join(WORK, "report." + fmt)
    if os.path.exists(out):
        os.unlink(out)
    if not any(re.match(r"^\d\d", a) for a in args):
        args = args + all_chapters()
    rc, so, se, secs = run([grader, "--quiet", "--format", fmt, "--out", out]
                           + args, env=env, cwd=cwd)
    text = open(out).read() if os.path.exists(out) else ""
    return rc, text, se, secs


def grade_json(args, env=None, cwd=ROOT, grader=GRADE):
    rc, text, err, secs = grade(args, "json", env, cwd, grader)
    if not check(rc == 0, "grade %s: exit %d: %s" % (" ".join(args), rc,
                                                     err.strip()[-300:])):
        return None, secs
    return json.loads(text), secs


def chapters(every=False):
    """(dir, id, uses, files) of every chapter, from the rubrics."""
    out = []
    rdir = os.path.join(ROOT, "grader", "rubric")
    for f in sorted(os.listdir(rdir)):
        if not f.endswith(".rubric"):
            continue
        text = open(os.path.join(rdir, f)).read()
        uses = re.search(r"^uses\s*=(.*)$", text, re.M)
        files = re.search(r"^files\s*=(.*)$", text, re.M)
        if ONLY and f[:2] not in ONLY and not every:
            continue
        out.append((f[:-7], f[:2], (uses.group(1) if uses else "").split(),
                    (files.group(1) if files else "").split()))
    return out


def all_chapters():
    """The chapter arguments: none (every chapter) unless restricted."""
    return [c[0] for c in chapters()] if ONLY else []


def statuses(report):
    return {(c["id"], t["name"]): t["status"]
            for c in report["chapters"] for t in c["tests"]}


def sums_add_up(report, what):
    ok = True
    for c in report["chapters"]:
        ok &= abs(sum(t["score"] for t in c["tests"]) - c["score"]) < 1e-9
        ok &= abs(sum(t["max_score"] for t in c["tests"]) - c["max_score"]) < 1e-9
        for t in c["tests"]:
            ok &= t["score"] == (t["max_score"] if t["status"] == "pass" else 0)
    ok &= abs(sum(c["score"] for c in report["chapters"]) - report["score"]) < 1e-9
    ok &= abs(sum(c["max_score"] for c in report["chapters"])
              - report["max_score"]) < 1e-9
    check(ok, what + ": the scores do not add up")


def become_subreaper():
    """Processes that outlive a grader run become our children."""
    PR_SET_CHILD_SUBREAPER = 36
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def leftovers():
    """Processes the last grader run left behind (then killed here)."""
    path = "/proc/self/task/%d/children" % os.getpid()
    try:
        kids = open(path).read().split()
    except OSError:
        return []
    found = []
    for k in kids:
        try:
            cmd = open("/proc/%s/cmdline" % k).read().replace("\0", " ")
        except OSError:
            continue
        found.append("%s %s" % (k, cmd[:80]))
        try:
            os.kill(int(k), 9)
            os.waitpid(int(k), 0)
        except OSError:
            pass
    return found


# --- Trees ----------------------------------------------------------------------

def copy_tree(src_root, dst, which):
    """dst/NN-slug/<files> from src_root for the chapters in 'which'."""
    for d, _, _, files in chapters(every=True):
        if d not in which:
            continue
        os.makedirs(os.path.join(dst, d), exist_ok=True)
        for f in files:
            shutil.copy(os.path.join(src_root, d, f), os.path.join(dst, d, f))


def case_header(text):
    head = text.split("*/", 1)[0]
    return dict(re.findall(r"^\s*/?\*?\s*(\w+):\s*(.*?)\s*$", head, re.M))


def case_source(path):
    text = open(path).read()
    h = case_header(text)
    text = text.replace("@KIT@", ROOT)
    if h.get("mode") == "replace":
        return h, text
    base = "exercises" if h.get("base") == "stub" else "solutions"
    ref = open(os.path.join(ROOT, base, "00-processes", "echo.c")).read()
    names = h.get("renames", "").split()
    pre = "".join("#define %s %s__ref\n" % (n, n) for n in names)
    post = "".join("#undef %s\n" % n for n in names)
    return h, pre + ref + "\n" + post + text


# --- The checks -------------------------------------------------------------------

def test_usage():
    print("usage errors")
    for args, needle in ([["--bogus"], "unknown option"],
                         [["99"], "unknown chapter"],
                         [["--format", "pdf"], "unknown format"],
                         [["--test", "no_such_test_at_all"], "no test named"],
                         [["--jobs", "0"], "positive number"]):
        rc, out, err, _ = run([GRADE] + args)
        check(rc == 2 and err.count("\n") == 1 and needle in err,
              "grade %s: want status 2 and one line with '%s', got %d: %r"
              % (" ".join(args), needle, rc, err))


def test_kit():
    print("kit check (rubric sums, rubric tests = binary tests)")
    rc, out, err, _ = run([GRADE, "--check-kit"] + all_chapters())
    check(rc == 0, "grade --check-kit failed:\n" + out + err)


def test_reference_and_stubs(ref):
    print("reference: full marks; untouched exercises: 0 on every test")
    if ref is None:
        return
    sums_add_up(ref, "reference")
    bad = [k for k, s in statuses(ref).items() if s != "pass"]
    check(not bad and ref["score"] == ref["max_score"],
          "the reference does not pass: %s" % bad[:5])
    check(ref["catch_up"] == [] and isinstance(ref["kit_version"], str),
          "reference report: catch_up / kit_version")
    stub, _ = grade_json(["--submission", os.path.join(ROOT, "exercises")])
    if stub is None:
        return
    sums_add_up(stub, "exercises")
    passed = [k for k, s in statuses(stub).items() if s == "pass"]
    check(not passed, "untouched exercises pass tests: %s" % passed[:5])
    check(all(c["score"] == 0 for c in stub["chapters"]),
          "untouched exercises score points")
    fails = [t for c in stub["chapters"] for t in c["tests"]
             if t["status"] == "fail"]
    check(fails and any("Last output:" in t["message"] for t in fails) and
          any("not written yet" in t["message"] for t in fails),
          "a FAIL of an untouched exercise does not show the test's last "
          "output (the TODO line)")


def test_formats(ref):
    print("formats: json, gradescope, autolab, junit, tap, csv, text")
    if ref is None:
        return
    ntests = sum(len(c["tests"]) for c in ref["chapters"])
    for sub in (["--solutions"], ["--submission", os.path.join(ROOT, "exercises")]):
        rc, text, err, _ = grade(sub, "gradescope")
        gs = json.loads(text)
        check(abs(sum(t["score"] for t in gs["tests"]) - gs["score"]) < 1e-9
              and len(gs["tests"]) == ntests
              and all("max_score" in t and t["visibility"] == "visible"
                      for t in gs["tests"]),
              "gradescope results do not add up")
        rc, text, err, _ = grade(sub, "autolab")
        last = json.loads(text.strip().splitlines()[-1])
        check(set(last) == {"scores", "scoreboard"} and
              abs(sum(last["scores"].values()) - last["scoreboard"][0]) < 1e-9,
              "autolab: the last line is not the score JSON")
        rc, text, err, _ = grade(sub, "junit")
        root = ET.fromstring(text)
        cases = root.findall("./testsuite/testcase")
        bad = len([c for c in cases if c.find("failure") is not None
                   or c.find("error") is not None])
        suites = root.findall("./testsuite")
        counted = sum(int(s.get("failures")) + int(s.get("errors"))
                      for s in suites)
        check(root.tag == "testsuites" and len(cases) == ntests and
              counted == bad and all(s.find("system-out") is not None and
                                     s.get("timestamp") for s in suites),
              "junit: wrong counts, or not in the Ant JUnit schema's form")
        rc, text, err, _ = grade(sub, "tap")
        lines = text.splitlines()
        results = [l for l in lines if re.match(r"(not )?ok \d+ ", l)]
        check(lines[0] == "TAP version 13" and lines[1] == "1..%d" % ntests
              and len(results) == ntests, "tap: wrong plan or results")
        rc, text, err, _ = grade(sub, "csv")
        rows = list(csv.reader(io.StringIO(text)))
        check(len(rows) == 2 and rows[0][:3] == ["student", "score", "max_score"]
              and rows[0][-2:] == ["catch_up", "status"]
              and rows[1][-1] == "graded"
              and abs(sum(float(x) for x in rows[1][3:-2]) - float(rows[1][1]))
              < 1e-9, "csv: not one row whose chapters add up, or no status")
        rc, text, err, _ = grade(sub, "text")
        check("Total" in text and "\033[" not in text,
              "text: no table, or colour in a file")


def test_catch_up(ref):
    print("catch-up")
    chs = chapters()
    users = [c for c in chs if c[2]]
    if not users or ref is None:
        print("  (no chapter uses another: nothing to check)")
        return
    target = users[-1]
    used = target[2]
    tree = os.path.join(WORK, "catchup")
    shutil.rmtree(tree, ignore_errors=True)
    dirs = {c[0]: c for c in chs}
    used_dirs = [d for d, i, _, _ in chs if i in used]
    copy_tree(os.path.join(ROOT, "exercises"), tree, used_dirs)
    copy_tree(os.path.join(ROOT, "solutions"), tree, [target[0]])
    rep, _ = grade_json(["--submission", tree, "--catch-up", ",".join(used),
                         target[0]])
    if rep is None:
        return
    sums_add_up(rep, "catch-up")
    want = {k: s for k, s in statuses(ref).items() if k[0] == target[1]}
    got = {k: s for k, s in statuses(rep).items() if k[0] == target[1]}
    check(got == want, "with --catch-up %s, chapter %s is not graded as the "
          "reference is" % (",".join(used), target[1]))
    check(rep["catch_up"] == sorted(used), "catch_up lists %s, not %s"
          % (rep["catch_up"], used))
    # Catching up a chapter that is being graded is a usage error.
    rc, out, err, _ = run([GRADE, "--submission", tree, "--catch-up",
                           used[0], target[0], used_dirs[0]])
    check(rc == 2 and "is being graded" in err,
          "--catch-up of a graded chapter: want status 2, got %d: %r"
          % (rc, err))
    # A used chapter that does not compile: a build error naming --catch-up.
    broken = os.path.join(tree, used_dirs[-1], dirs[used_dirs[-1]][3][0])
    with open(broken, "a") as f:
        f.write("\nthis does not compile\n")
    rep, _ = grade_json(["--submission", tree, target[0]])
    if rep is not None:
        tests = rep["chapters"][0]["tests"]
        check(all(t["status"] == "build" and "--catch-up" in t["message"]
                  for t in tests),
              "a used chapter that does not build: no build error naming "
              "--catch-up")


def case_chapters():
    """Chapter 0 and a chapter that does not use it: the damage must stay
    in chapter 0 (grading every chapter for every case costs too much)."""
    chs = chapters()
    free = [c[0] for c in chs[1:] if chs[0][1] not in c[2]]
    return [chs[0][0]] + free[:1]


def valid_reports(tree, args, name):
    """Every format of the case's report decodes as UTF-8 and parses."""
    for fmt in ("text", "json", "gradescope", "autolab", "junit", "tap", "csv"):
        out = os.path.join(WORK, "report-all." + fmt)
        run([GRADE, "--quiet", "--format", fmt, "--out", out] + args,
            env={"LC_TIMEOUT_SCALE": SCALE})
        try:
            text = open(out, "rb").read().decode("utf-8")
            if fmt in ("json", "gradescope"):
                json.loads(text)
            elif fmt == "autolab":
                json.loads(text.strip().splitlines()[-1])
            elif fmt == "junit":
                ET.fromstring(text.encode("utf-8"))
            elif fmt == "csv":
                list(csv.reader(io.StringIO(text)))
            # No control character a terminal would act on: no C0 but
            # tab and newline (a carriage return only before a newline),
            # no C1, no mark that reverses the direction of text.
            bad = [c for c in text.replace("\r\n", "\n")
                   if (ord(c) < 32 and c not in "\t\n") or
                   0x80 <= ord(c) <= 0x9f or
                   0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069]
            check(not bad, "%s: %s report holds control characters %r"
                  % (name, fmt, bad[:3]))
        except (ValueError, ET.ParseError, OSError) as e:
            check(False, "%s: the %s report is not valid: %s" % (name, fmt, e))


def test_cases(ref):
    print("adversarial submissions (cases/)")
    if ref is None:
        return
    chs = chapters()
    ch0 = chs[0]
    only = case_chapters()
    independent = {c[1] for c in chs if c[1] != ch0[1] and ch0[1] not in c[2]}
    ref_status = statuses(ref)
    points = {(c["id"], t["name"]): t["max_score"]
              for c in ref["chapters"] for t in c["tests"]}
    for name in sorted(os.listdir(os.path.join(HERE, "cases"))):
        h, src = case_source(os.path.join(HERE, "cases", name))
        tree = os.path.join(WORK, "cases", name[:-2])
        shutil.rmtree(tree, ignore_errors=True)
        copy_tree(os.path.join(ROOT, "solutions"), tree,
                  [c[0] for c in chapters(every=True)])
        with open(os.path.join(tree, ch0[0], "echo.c"), "w") as f:
            f.write(src)
        san = h.get("san") == "yes"
        # A case refused when building runs no test: chapter 0 is enough.
        refused = h["expect"].split() == ["build"]
        args = ["--submission", tree] + (["--san", ch0[0]] if san else
                                         only[:1] if refused else only)
        rep, secs = grade_json(args, env={"LC_TIMEOUT_SCALE": SCALE})
        print("  %-26s %5.1f s" % (name[:-2], secs))
        check(secs < CASE_TIME_LIMIT, "%s: took %.0f s" % (name, secs))
        left = leftovers()
        check(not left, "%s: test processes still running: %s" % (name, left))
        if rep is None:
            continue
        sums_add_up(rep, name)
        got = statuses(rep)
        mine = {k: s for k, s in got.items() if k[0] == ch0[1]}
        expect = h["expect"].split()
        failing = {k: s for k, s in mine.items() if s != "pass"}
        check(failing and all(s in expect for s in failing.values()),
              "%s: chapter %s statuses %s, expected %s"
              % (name, ch0[1], sorted(set(failing.values())), expect))
        if h.get("others") == "pass":
            check(len(failing) < len(mine), "%s: no test of chapter %s "
                  "passes: the damage spread" % (name, ch0[1]))
        if h.get("base") == "stub":
            check(not [k for k, s in mine.items() if s == "pass"],
                  "%s: an attack on the untouched exercise passes tests" % name)
        ch_score = [c for c in rep["chapters"] if c["id"] == ch0[1]][0]["score"]
        check(ch_score == sum(points[k] for k, s in mine.items() if s == "pass"),
              "%s: chapter %s scores points for tests that did not pass"
              % (name, ch0[1]))
        for k, s in got.items():
            if k[0] in independent and s != ref_status.get(k):
                check(False, "%s: %s/%s is %s, %s for the reference"
                      % (name, k[0], k[1], s, ref_status.get(k)))
                break
        if "forbid" in h:
            check(h["forbid"] not in json.dumps(rep),
                  "%s: the report shows '%s'" % (name, h["forbid"]))
        if h.get("formats") == "all":
            valid_reports(tree, args, name)
        if name.startswith("overwrite_cache"):
            again, _ = grade_json(["--solutions", ch0[0]])
            check(again is not None and again["score"] == again["max_score"],
                  "%s: the reference no longer passes after it" % name)


def test_unsandboxed(ref):
    """Without namespaces grading still runs, says so, and the hostile
    cases still score nothing and touch nothing else."""
    print("without a sandbox (LC_GRADE_SANDBOX=off)")
    if ref is None:
        return
    if os.getuid() != 0:
        # Then tests run as this user, and signal_everyone would stop it.
        print("  (only as root: tests then run as user ids of their own)")
        return
    off = {"LC_GRADE_SANDBOX": "off", "LC_TIMEOUT_SCALE": SCALE}
    only = case_chapters()
    rep, _ = grade_json(["--solutions"] + only, env=off)
    if rep is None:
        return
    check(rep["unsandboxed"] and rep["score"] == rep["max_score"],
          "unsandboxed: the reference is not graded in full, or the report "
          "does not say it was not sandboxed")
    ref_status = statuses(ref)
    for case in ("signal_everyone", "proc_other_tests", "overwrite_cache",
                 "atexit_rewrites_verdict"):
        tree = os.path.join(WORK, "cases", case)
        rep, _ = grade_json(["--submission", tree] + only, env=off)
        left = leftovers()
        check(not left, "unsandboxed %s: processes left: %s" % (case, left))
        if rep is None:
            continue
        got = statuses(rep)
        check(not [k for k, v in got.items()
                   if k[0] == chapters()[0][1] and v == "pass"],
              "unsandboxed %s: passes tests" % case)
        check(all(v == ref_status[k] for k, v in got.items()
                  if k[0] != chapters()[0][1]),
              "unsandboxed %s: changed another chapter's grade" % case)
    again, _ = grade_json(["--solutions", chapters()[0][0]])
    check(again is not None and again["score"] == again["max_score"],
          "unsandboxed: the reference no longer passes afterwards")
    test_two_graders(off)


# Kills every process its user id may signal, for most of its time limit.
KILL_FOR_A_WHILE = """/* renames: echo_call */
#include <signal.h>
#include <time.h>

int echo_call(lc_pid server, const void *text, size_t len, void *out,
              size_t cap, int64_t timeout_ms)
{
    struct timespec ts = { 0, 2000000 };
    for (int i = 0; i < 300; i++) {
        kill(-1, SIGKILL);
        nanosleep(&ts, NULL);
    }
    return echo_call__ref(server, text, len, out, cap, timeout_ms);
}
"""


def test_two_graders(off):
    """Two graders at once, as root: one grades, unsandboxed, a class
    whose tests kill every process of their user id; the other grades the
    reference in its sandbox, and still gets full marks (each run has user
    ids of its own)."""
    print("two graders at once, one of them unsandboxed")
    ch0 = chapters()[0]
    path = os.path.join(WORK, "kill_for_a_while.c")
    with open(path, "w") as f:
        f.write(KILL_FOR_A_WHILE)
    _, src = case_source(path)
    tree = os.path.join(WORK, "two-graders")
    shutil.rmtree(tree, ignore_errors=True)
    copy_tree(os.path.join(ROOT, "solutions"), tree,
              [c[0] for c in chapters(every=True)])
    with open(os.path.join(tree, ch0[0], "echo.c"), "w") as f:
        f.write(src)
    e = dict(os.environ)
    e.update(off)
    out = os.path.join(WORK, "two-graders.json")
    hostile = subprocess.Popen([GRADE, "--quiet", "--format", "json", "--out",
                                out, "--submission", tree, ch0[0]],
                               cwd=ROOT, env=e, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        while hostile.poll() is None:
            rep, _ = grade_json(["--solutions", ch0[0]])
            check(rep is not None and rep["score"] == rep["max_score"],
                  "a grader running beside an unsandboxed hostile one loses "
                  "points: %s" % (None if rep is None else
                                  [(t["name"], t["message"][:80])
                                   for t in rep["chapters"][0]["tests"]
                                   if t["status"] != "pass"][:3]))
    finally:
        hostile.wait(timeout=CASE_TIME_LIMIT)


def test_links():
    print("symbolic links on a submission's path")
    ch0 = chapters()[0][0]
    sol = os.path.join(ROOT, "solutions")
    # A chapter folder that is a link into solutions/.
    tree = os.path.join(WORK, "links", "chapter")
    shutil.rmtree(os.path.dirname(tree), ignore_errors=True)
    os.makedirs(tree)
    os.symlink(os.path.join(sol, ch0), os.path.join(tree, ch0))
    rep, _ = grade_json(["--submission", tree, ch0])
    if rep is not None:
        tests = rep["chapters"][0]["tests"]
        check(rep["score"] == 0 and all(t["status"] == "build" and
                                        "symbolic link" in t["message"]
                                        for t in tests),
              "a chapter folder linked into solutions/ is not refused")
    # exercises/ itself a link into solutions/.
    tree = os.path.join(WORK, "links", "exercises")
    os.makedirs(tree)
    os.symlink(sol, os.path.join(tree, "exercises"))
    rep, _ = grade_json(["--submission", tree, ch0])
    if rep is not None:
        check(rep["score"] == 0 and all(t["status"] == "build" for t in
                                        rep["chapters"][0]["tests"]),
              "exercises/ linked to solutions/ is not refused")
    # In a batch, a student's folder that is a link into solutions/.
    batch = os.path.join(WORK, "links", "batch")
    os.makedirs(batch)
    os.symlink(sol, os.path.join(batch, "linked"))
    out = os.path.join(WORK, "links", "batch-out")
    rc, so, se, _ = run([GRADE, "--quiet", "--batch", batch, "--out", out,
                         ch0])
    rows = list(csv.DictReader(open(os.path.join(out, "gradebook.csv"))))
    check(rc == 0 and len(rows) == 1 and float(rows[0]["score"]) == 0 and
          rows[0]["status"].startswith("build_failed"),
          "a student folder linked into solutions/ is followed: %s" % rows)
    # Not a submission at all: a file, an empty folder.
    empty = os.path.join(WORK, "links", "empty")
    os.makedirs(empty)
    for what in (empty, os.path.join(ROOT, "README.md")):
        rc, out, err, _ = run([GRADE, "--submission", what, ch0])
        check(rc == 2 and err.count("\n") == 1 and
              ("not a submission" in err or "is a file" in err),
              "--submission %s: want status 2 and a reason, got %d %r"
              % (what, rc, err))


def test_hidden():
    print("hidden suites")
    hidden = os.path.join(HERE, "hidden")
    for sub, want in ((["--solutions"], 1.0), ([], 0.0)):
        rc, text, err, _ = grade(["0", "--hidden", hidden] + sub, "gradescope")
        if not check(rc == 0, "--hidden: exit %d: %s" % (rc, err.strip())):
            return
        gs = json.loads(text)
        hid = [t for t in gs["tests"] if t["visibility"] == "after_published"]
        check(hid and all(t["score"] == t["max_score"] * want for t in hid),
              "hidden tests missing, visible, or scored wrong")


def test_batch():
    print("batch of 4 submissions, --jobs 2")
    batch = os.path.join(WORK, "batch")
    out = os.path.join(WORK, "batch-out")
    shutil.rmtree(batch, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    names = [c[0] for c in chapters(every=True)]
    for who, src in (("ada", "solutions"), ("bob", "exercises"),
                     ("cy, the third", "solutions"), ("dee", "exercises"),
                     ("x y", "solutions"), ("x_y", "exercises")):
        copy_tree(os.path.join(ROOT, src), os.path.join(batch, who, "exercises"),
                  names)
    rc, so, se, secs = run([GRADE, "--quiet", "--batch", batch, "--jobs", "2",
                            "--out", out, "--format", "json"] + all_chapters())
    if not check(rc == 0, "--batch: exit %d: %s" % (rc, se.strip())):
        return
    rows = list(csv.DictReader(open(os.path.join(out, "gradebook.csv"))))
    check(len(rows) == 6 and [r["student"] for r in rows] ==
          ["ada", "bob", "cy, the third", "dee", "x y", "x_y"],
          "gradebook: not one row each")
    for r in rows:
        full = r["student"] in ("ada", "cy, the third", "x y")
        check(r["status"] == "graded", "gradebook: status of %s is %r"
              % (r["student"], r["status"]))
        check(float(r["score"]) == (float(r["max_score"]) if full else 0),
              "gradebook: wrong total for %s" % r["student"])
    reports = os.listdir(os.path.join(out, "reports"))
    check(len(reports) == 6 and all(json.load(open(os.path.join(
        out, "reports", f)))["max_score"] > 0 for f in reports),
        "batch: not one JSON report per student: %s" % sorted(reports))
    # The same batch in another format replaces the reports.
    rc, so, se, secs = run([GRADE, "--quiet", "--batch", batch, "--jobs", "2",
                            "--out", out, "--format", "tap"] + all_chapters())
    reports = os.listdir(os.path.join(out, "reports"))
    check(rc == 0 and len(reports) == 6 and
          all(f.endswith(".tap") for f in reports),
          "a batch in another format leaves old reports: %s" % sorted(reports))
    # A build failure and an untouched submission differ in the gradebook.
    broken = os.path.join(batch, "bob", "exercises", chapters()[0][0])
    for f in os.listdir(broken):
        with open(os.path.join(broken, f), "a") as fh:
            fh.write("\nthis does not compile\n")
    rc, so, se, secs = run([GRADE, "--quiet", "--batch", batch, "--jobs", "2",
                            "--out", out, "--format", "json"] + all_chapters())
    rows = {r["student"]: r for r in
            csv.DictReader(open(os.path.join(out, "gradebook.csv")))}
    check(rows["bob"]["status"].startswith("build_failed: " + chapters()[0][1])
          and rows["dee"]["status"] == "graded",
          "gradebook: a build failure is not told from an untouched "
          "submission: %r %r" % (rows["bob"]["status"], rows["dee"]["status"]))


def test_hostile_batch():
    """30 students, 3 of them hostile: the other 27 are graded as when each
    is graded alone, in bounded time, with a report for everyone."""
    print("batch of 30 students, 3 hostile, --jobs 2")
    only = case_chapters()[:1]
    batch = os.path.join(WORK, "hostile")
    out = os.path.join(WORK, "hostile-out")
    shutil.rmtree(batch, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    names = [c[0] for c in chapters(every=True)]
    # Three kinds of honest work: finished, untouched, not compiling.
    kinds = {}
    for kind in ("done", "untouched", "broken"):
        tree = os.path.join(WORK, "kinds", kind)
        shutil.rmtree(tree, ignore_errors=True)
        src = "exercises" if kind == "untouched" else "solutions"
        copy_tree(os.path.join(ROOT, src), tree, names)
        if kind == "broken":
            with open(os.path.join(tree, only[0], "echo.c"), "a") as f:
                f.write("\nthis does not compile\n")
        kinds[kind] = tree
    alone = {}
    for kind, tree in kinds.items():
        rep, _ = grade_json(["--submission", tree] + only)
        alone[kind] = rep and statuses(rep)
    students = {}
    for i in range(27):
        kind = ("done", "untouched", "broken")[i % 3]
        who = "student%02d" % i
        shutil.copytree(kinds[kind], os.path.join(batch, who))
        students[who] = kind
    for who, case in (("hostile-cache", "overwrite_cache.c"),
                      ("hostile-proc", "proc_other_tests.c"),
                      ("hostile-signals", "signal_everyone.c")):
        tree = os.path.join(batch, who)
        copy_tree(os.path.join(ROOT, "solutions"), tree, names)
        h, src = case_source(os.path.join(HERE, "cases", case))
        with open(os.path.join(tree, chapters()[0][0], "echo.c"), "w") as f:
            f.write(src)
        students[who] = None
    rc, so, se, secs = run([GRADE, "--quiet", "--batch", batch, "--jobs", "2",
                            "--out", out, "--format", "json"] + only,
                           env={"LC_TIMEOUT_SCALE": SCALE})
    print("  graded in %.1f s" % secs)
    check(rc == 0 and secs < 300, "hostile batch: exit %d after %.0f s: %s"
          % (rc, secs, se.strip()[-300:]))
    rows = {r["student"]: r for r in
            csv.DictReader(open(os.path.join(out, "gradebook.csv")))}
    check(sorted(rows) == sorted(students), "hostile batch: not one row each")
    reports = os.listdir(os.path.join(out, "reports"))
    check(len(reports) == len(students), "hostile batch: %d reports for %d "
          "students" % (len(reports), len(students)))
    for who, kind in sorted(students.items()):
        path = os.path.join(out, "reports", who + ".json")
        if not os.path.exists(path):
            check(False, "hostile batch: no report for %s" % who)
            continue
        rep = json.load(open(path))
        if kind is None:
            ch0 = [c for c in rep["chapters"] if c["id"] == chapters()[0][1]]
            check(ch0 and ch0[0]["score"] == 0,
                  "hostile batch: %s scores in chapter 0" % who)
        elif statuses(rep) != alone[kind]:
            diff = [k for k, v in statuses(rep).items()
                    if alone[kind].get(k) != v]
            check(False, "hostile batch: %s (%s) is graded differently than "
                  "alone: %s" % (who, kind, diff[:3]))


def test_odd_batch():
    """A class folder holding what is not a student's folder: a FIFO, a
    socket, a link to itself, a plain file, a student whose file is a
    FIFO, names a spreadsheet or a terminal would act on, a name of 255
    bytes (its report's name would be longer). The batch ends,
    every entry but the plain file has a row that says what it is, and no
    report or gradebook carries a formula or a control character."""
    print("batch of odd entries")
    ch0 = chapters()[0][0]
    batch = os.path.join(WORK, "odd")
    out = os.path.join(WORK, "odd-out")
    shutil.rmtree(batch, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(batch)
    names = [c[0] for c in chapters(every=True)]
    formula = '=HYPERLINK("x","y")'
    escape = "esc\x1b]0;title\x07\x1b[31mred\nline"
    long_name = "n" * 255  # the longest a file name may be
    for who in ("good", formula, escape, "fifo-file", long_name):
        copy_tree(os.path.join(ROOT, "exercises"), os.path.join(batch, who),
                  names)
    fifo_file = os.path.join(batch, "fifo-file", ch0, "echo.c")
    os.unlink(fifo_file)
    os.mkfifo(fifo_file)
    os.mkfifo(os.path.join(batch, "fifo"))
    import socket
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(os.path.join(batch, "socket"))
    os.symlink("loop", os.path.join(batch, "loop"))
    with open(os.path.join(batch, "roster.csv"), "w") as f:
        f.write("name\n")
    try:
        rc, so, se, secs = run([GRADE, "--batch", batch, "--out", out, ch0],
                               timeout=300)
    except subprocess.TimeoutExpired:
        check(False, "a batch with a FIFO in it does not end")
        return
    finally:
        sock.close()
    check(rc == 0, "odd batch: exit %d: %s" % (rc, se.strip()[-300:]))
    text = open(os.path.join(out, "gradebook.csv"), "rb").read().decode()
    rows = {r["student"]: r for r in csv.DictReader(io.StringIO(text))}
    want = {"good", "'" + formula, "fifo-file", "fifo", "socket", "loop",
            long_name}
    check(want <= set(rows) and len(rows) == 8 and
          "roster.csv" not in rows and "roster.csv" in se,
          "odd batch: rows %s, want %s and the escaped name" % (sorted(rows),
                                                               sorted(want)))
    for who in ("fifo", "socket", "loop", "fifo-file"):
        check(who in rows and rows[who]["status"].startswith("build_failed"),
              "odd batch: %s is not refused: %r" % (who, rows.get(who)))
    check(rows.get("good", {}).get("status") == "graded",
          "odd batch: the good student is not graded")
    check(not [r for r in rows if r[:1] in "=+-@"],
          "odd batch: a gradebook field starts like a formula")
    texts = [open(os.path.join(out, "reports", f), "rb").read().decode()
             for f in os.listdir(os.path.join(out, "reports"))]
    reps = sorted(r["report"] for r in rows.values())
    check(len(set(reps)) == len(rows) and all(
        os.path.exists(os.path.join(out, p)) for p in reps),
        "odd batch: the gradebook does not name each student's report: %s"
        % reps)
    check(len(texts) == 8 and not [t for t in texts if "\x1b" in t] and
          "\x1b" not in se + text,
          "odd batch: a report, the gradebook or the progress shows an "
          "escape sequence")
    fifo_rep = [t for t in texts if "fifo-file" in t.split("\n")[0]]
    check(fifo_rep and "not a regular file" in fifo_rep[0],
          "odd batch: the report of a FIFO handed in does not say so")


def test_one_test(ref):
    print("--test NAME")
    if ref is None:
        return
    first = ref["chapters"][0]["tests"][0]["name"]
    rc, out, err, _ = run([GRADE, "--solutions", "--test", first])
    check(rc == 0 and "PASS" in out and "Debug it:" in out,
          "--test %s on the reference: %s" % (first, out + err))
    rc, out, err, _ = run([GRADE, "--test", first])
    check(rc == 0 and "FAIL" in out and "Hint:" in out,
          "--test %s on the exercises: %s" % (first, out + err))


def test_student_kit():
    print("student edition (make student-kit)")
    kit = os.path.join(WORK, "student-kit")  # not build/student-kit: ours
    rc, out, err, _ = run(["make", "-s", "student-kit", "STUDENT_KIT=" + kit])
    if not check(rc == 0 and os.path.exists(kit + ".tar.gz"),
                 "make student-kit: " + out + err):
        return
    check(not os.path.exists(os.path.join(kit, "solutions")) and
          not os.path.exists(os.path.join(kit, "grader", "selftest")),
          "the student kit holds the reference or the self-tests")
    rc, out, err, _ = run(["make", "-s", "grader"], cwd=kit)
    if not check(rc == 0, "make grader in the student kit: " + out + err):
        return
    first = chapters()[0][0]
    rep, _ = grade_json([first], cwd=kit,
                        grader=os.path.join(kit, "grader", "grade"))
    if rep is not None:
        check(rep["score"] == 0 and all(t["status"] != "pass"
                                        for t in rep["chapters"][0]["tests"]),
              "the student kit's exercises pass tests")
    for opt in (["--catch-up", "0"], ["--solutions"]):
        rc, out, err, _ = run([os.path.join(kit, "grader", "grade")] + opt,
                              cwd=kit)
        check(rc == 2 and "not part of this edition" in err,
              "student kit %s: %d %s" % (opt[0], rc, err))


def main():
    become_subreaper()
    os.makedirs(WORK, exist_ok=True)
    t0 = time.monotonic()
    test_usage()
    test_kit()
    ref, secs = grade_json(["--solutions"])
    print("  reference graded in %.1f s" % secs)
    test_reference_and_stubs(ref)
    test_formats(ref)
    test_catch_up(ref)
    test_cases(ref)
    test_unsandboxed(ref)
    test_links()
    test_hidden()
    test_batch()
    test_hostile_batch()
    test_odd_batch()
    test_one_test(ref)
    if os.environ.get("SELFTEST_NO_KIT") != "1":
        test_student_kit()
        # Its build/ holds .d files that the kit's Makefile would find.
        shutil.rmtree(os.path.join(WORK, "student-kit"), ignore_errors=True)
    print("grader self-test: %d checks, %d failed, %.0f s"
          % (checks, len(problems), time.monotonic() - t0))
    if problems:
        print("failed:\n  " + "\n  ".join(problems))
        print("(the trees and reports are in %s)" % WORK)
        sys.exit(1)
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
