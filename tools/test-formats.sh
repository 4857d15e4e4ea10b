#!/bin/sh
# test-formats.sh - every report format read by a real consumer of it.
#
#   TAP          prove (Perl's TAP harness): the reference passes, the
#                untouched exercises fail without parse errors
#   CSV          Python's csv module reads the gradebook of a class of two
#   JSON         Python's json; gradescope's results.json adds up (tests'
#                scores to the total, each test with name, score,
#                max_score, visibility)
#   autolab      the last line is the JSON autoresult {"scores": ...}
#   JUnit XML    well-formed (xmllint); valid against a published JUnit
#                schema when JUNIT_XSD names one (e.g. the Apache Ant JUnit
#                schema, JUnit.xsd)
# Usage: sh tools/test-formats.sh   (from the kit's top folder)
set -eu
g=grader/grade
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "test-formats: FAIL: $*"; exit 1; }
ch=00

$g $ch --solutions --format tap --quiet --out "$tmp/ref.tap"
prove --exec cat "$tmp/ref.tap" > "$tmp/prove.log" 2>&1 || fail "prove on the reference's TAP: $(cat "$tmp/prove.log")"
$g $ch --format tap --quiet --out "$tmp/ex.tap"
prove --exec cat "$tmp/ex.tap" > "$tmp/prove2.log" 2>&1 || true
grep -q "Parse errors" "$tmp/prove2.log" && fail "prove: $(cat "$tmp/prove2.log")"
grep -q "Failed tests" "$tmp/prove2.log" || fail "prove saw no failures in untouched exercises"

mkdir -p "$tmp/class"
cp -r solutions "$tmp/class/alice"
cp -r exercises "$tmp/class/bob"
$g $ch --batch "$tmp/class" --out "$tmp/batch" --quiet --jobs 2 > /dev/null
python3 - "$tmp/batch/gradebook.csv" <<'PY' || fail "the gradebook CSV"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert [r["student"] for r in rows] == ["alice", "bob"], rows
for r in rows:
    assert float(r["score"]) <= float(r["max_score"]), r
assert float(rows[0]["score"]) == float(rows[0]["max_score"]) > 0, rows[0]
assert float(rows[1]["score"]) == 0, rows[1]
PY

$g $ch --format json --quiet --out "$tmp/r.json"
$g $ch --solutions --format gradescope --quiet --out "$tmp/gs.json"
python3 - "$tmp/r.json" "$tmp/gs.json" <<'PY' || fail "JSON reports"
import json, sys
json.load(open(sys.argv[1]))
r = json.load(open(sys.argv[2]))
for t in r["tests"]:
    assert {"name", "score", "max_score", "visibility"} <= set(t), t
assert abs(sum(t["score"] for t in r["tests"]) - r["score"]) < 1e-6, r["score"]
assert r["score"] == sum(t["max_score"] for t in r["tests"]) > 0
PY

$g $ch --format autolab --quiet > "$tmp/autolab.txt"
tail -n 1 "$tmp/autolab.txt" | python3 -c 'import json,sys; r=json.load(sys.stdin); assert "scores" in r, r' ||
    fail "autolab: the last line is not the autoresult: $(tail -n 1 "$tmp/autolab.txt")"

$g $ch --format junit --quiet --out "$tmp/junit.xml"
xmllint --noout "$tmp/junit.xml" || fail "JUnit XML is not well-formed"
if [ -n "${JUNIT_XSD:-}" ]; then
    xmllint --noout --schema "$JUNIT_XSD" "$tmp/junit.xml" || fail "JUnit XML against $JUNIT_XSD"
fi
echo "formats: TAP (prove), CSV (csv), JSON, Gradescope, Autolab, JUnit XML${JUNIT_XSD:+ (schema)} read back"
