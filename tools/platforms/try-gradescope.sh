#!/bin/sh
# try-gradescope.sh - run the Gradescope autograder the way Gradescope does,
# in a clean Debian root (for instructors, before uploading the zip).
#
#   sh tools/platforms/try-gradescope.sh ROOTFS SUBMISSION
#
# ROOTFS: a tarball of a clean Debian root, e.g. made with
#   debootstrap --variant=minbase bookworm DIR http://deb.debian.org/debian
#   tar -C DIR -cf rootfs.tar .
# SUBMISSION: a folder of what a student uploads. Needs root (chroot).
# Unpacks the root into build/try-gradescope/root, unpacks the zip into
# /autograder/source, runs setup.sh there, then run_autograder twice: as
# root (as Gradescope does) and as the unprivileged user lcgrade. After
# each, results.json must parse and its test scores must add up to its
# score. The logs and both results are left in build/try-gradescope/.
set -eu
rootfs=$1 sub=$2
zip=build/gradescope/autograder.zip
out=build/try-gradescope
root=$out/root
[ -f "$zip" ] || { echo "no $zip: run make gradescope first" >&2; exit 2; }
rm -rf "$out" && mkdir -p "$root"
tar -xf "$rootfs" -C "$root"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mkdir -p "$root/autograder/source" "$root/autograder/submission" "$root/autograder/results"
python3 -m zipfile -e "$zip" "$root/autograder/source"
cp -r "$sub"/. "$root/autograder/submission/"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
trap 'umount "$root/dev" "$root/proc" 2>/dev/null || true' EXIT

check_results() {
    python3 - "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
tests = r["tests"]
for t in tests:
    assert {"name", "score", "max_score", "visibility"} <= set(t), t
total = round(sum(t["score"] for t in tests), 6)
assert abs(total - r["score"]) < 1e-6, (total, r["score"])
print("results.json: %d tests, score %g of %g, the tests add up"
      % (len(tests), r["score"], sum(t["max_score"] for t in tests)))
PY
}

echo "== setup.sh (as root)"
chroot "$root" /bin/bash -c 'cd /autograder/source && bash ./setup.sh' > "$out/setup.log" 2>&1 ||
    { tail -20 "$out/setup.log"; exit 1; }
tail -1 "$out/setup.log"
echo "== run_autograder as root"
chroot "$root" /autograder/run_autograder > "$out/run-root.log" 2>&1
cp "$root/autograder/results/results.json" "$out/results-root.json"
check_results "$out/results-root.json"
echo "== run_autograder as lcgrade"
rm -f "$root/autograder/results/results.json"
chroot "$root" chown -R lcgrade /autograder/results
chroot --userspec=lcgrade:lcgrade "$root" /autograder/run_autograder > "$out/run-user.log" 2>&1
cp "$root/autograder/results/results.json" "$out/results-user.json"
check_results "$out/results-user.json"
