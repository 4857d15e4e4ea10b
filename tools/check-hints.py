#!/usr/bin/env python3
"""check-hints.py - every section a hint or an exercise README cites exists.

Hints (grader/rubric/NN-slug.rubric) and exercise READMEs cite sections as
§2.3 "Exit signals": the chapter's number, then the section's, as the
handouts and the book number them (handouts/crossref.lua, book.lua). This
numbers the headings of chapters/NN-slug.md the same way and checks that
each cited number exists and, when a title follows it, that the title is
that section's. Exit status 1, one line per wrong citation.

--fix rewrites citations written in the older numbering, without the
chapter (§3 "Exit signals" in chapter 2), as §2.3 "Exit signals", when the
title (or, without a title, the number) says which section is meant.
"""
import glob
import re
import sys


def sections(md, chapter):
    """{"2.3": "Exit signals", ...} for chapters/NN-slug.md."""
    out, counters, fence = {}, [0] * 7, False
    for line in open(md, encoding="utf-8"):
        if line.startswith("```") or line.startswith("~~~"):
            fence = not fence
        m = None if fence else re.match(r"^(#{1,6})\s+(.*?)\s*$", line)
        if not m:
            continue
        level, text = len(m.group(1)), m.group(2)
        attrs = re.search(r"\{([^}]*)\}\s*$", text)
        if attrs:
            text = text[:attrs.start()].strip()
            if ".unnumbered" in attrs.group(1) or re.search(r"(^|\s)-(\s|$)", attrs.group(1)):
                continue
        counters[level] += 1
        for k in range(level + 1, 7):
            counters[k] = 0
        num = ".".join([chapter] + [str(counters[k]) for k in range(1, level + 1)])
        out[num] = re.sub(r"[`*]", "", text)
    return out


def fix(path, chapter, secs):
    """Rewrite old-style citations in 'path'; return how many."""
    text = open(path, encoding="utf-8").read()
    count = 0

    def one(m):
        nonlocal count
        num, title = m.group(1), m.group(2)
        if num in secs and (not title or title == secs[num]):
            return m.group(0)
        new = chapter + "." + num
        if new in secs and (not title or title == secs[new]):
            count += 1
            return m.group(0).replace("§" + num, "§" + new, 1)
        return m.group(0)

    text = re.sub(r'§(\d+(?:\.\d+)*)(?:\s+"([^"]+)")?', one, text)
    open(path, "w", encoding="utf-8").write(text)
    return count


def main():
    problems = 0
    cited = 0
    fixing = sys.argv[1:] == ["--fix"]
    for md in sorted(glob.glob("chapters/[0-9][0-9]-*.md")):
        slug = md[len("chapters/"):-3]
        chapter = str(int(slug[:2]))
        secs = sections(md, chapter)
        for path in ["grader/rubric/%s.rubric" % slug, "exercises/%s/README.md" % slug]:
            try:
                if fixing:
                    n = fix(path, chapter, secs)
                    if n:
                        print("%s: %d citation(s) renumbered" % (path, n))
                text = open(path, encoding="utf-8").read()
            except OSError:
                continue
            for m in re.finditer(r'§(\d+(?:\.\d+)*)(?:\s+"([^"]+)")?', text):
                cited += 1
                num, title = m.group(1), m.group(2)
                if num not in secs:
                    print('%s: §%s: chapter %s has no section %s' % (path, num, chapter, num))
                    problems += 1
                elif title and title != secs[num]:
                    print('%s: §%s "%s": section %s is "%s"' % (path, num, title, num, secs[num]))
                    problems += 1
    print("hints: %d section citations checked against the chapters, %d wrong" % (cited, problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
