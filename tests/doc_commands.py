#!/usr/bin/env python3
"""doc_commands.py — the example commands of README.md and of faultline.1's
EXAMPLES, one per line as "SOURCE:LINE<TAB>WANT<TAB>COMMAND", for
tests/test_docs.sh. A README command is an indented code line starting
with ./faultline, make -C or sed, or a line of a ``` block starting with
./faultline or /usr/bin/python3 notebooks-data/ (a trailing backslash
continues it); WANT is
the exit status the text claims: "exits N" in the line's comment, else 0.
Comments are dropped from the command."""
import re
import sys

def readme(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    fenced = False
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            fenced = not fenced
            i += 1
            continue
        m = re.match(r"^    (\./faultline |make -C |sed )", line) or (
            fenced and re.match(r"^(\./faultline |/usr/bin/python3 notebooks-data/)", line))
        if not m:
            i += 1
            continue
        start = i + 1
        cmd = line.strip()
        while cmd.endswith("\\") and i + 1 < len(lines):
            i += 1
            cmd = cmd[:-1].rstrip() + " " + lines[i].strip()
        i += 1
        want = 0
        comment = ""
        if " # " in cmd or "  #" in cmd:
            cmd, comment = re.split(r"\s+#\s", cmd, maxsplit=1)
        w = re.search(r"\bexits? (\d)\b", comment)
        if w:
            want = int(w.group(1))
        yield "%s:%d" % (path.split("/")[-1], start), want, cmd.strip()

def manpage(path):
    text = open(path, encoding="utf-8").read().split("\n")
    inside = False
    for n, line in enumerate(text, 1):
        if line.startswith(".SH"):
            inside = line.strip() == ".SH EXAMPLES"
            continue
        if not inside or line.startswith(".") or not line.strip():
            continue
        cmd = line.replace("\\-", "-").replace("\\(aq", "'").strip()
        want = 0
        if "#" in cmd:
            cmd, comment = cmd.split("#", 1)
            w = re.search(r"\bexits? (\d)\b", comment)
            want = int(w.group(1)) if w else 0
        if cmd.startswith("faultline "):
            cmd = "./" + cmd
        cmd = cmd.replace(" faultline ", " ./faultline ")
        yield "%s:%d" % (path.split("/")[-1], n), want, cmd.strip()

for where, want, cmd in list(readme(sys.argv[1])) + list(manpage(sys.argv[2])):
    print("%s\t%d\t%s" % (where, want, cmd))
