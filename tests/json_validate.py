#!/usr/bin/env python3
"""json_validate.py — validates JSON documents against a JSON Schema (draft
2020-12) with python3-jsonschema, for the shell tests.

usage: json_validate.py SCHEMA [--lines] FILE...

Each FILE is one JSON document; with --lines, each non-empty line of it is
one (JSON Lines: traces, histories). FILE "-" is standard input. The schema
itself is checked first, so a misspelt keyword is an error, not a schema
that accepts everything. Every invalid document is reported on stdout as
"FILE[:LINE]: $.json.path: message" (at most three errors each, the
deepest first). Exit status: 0 all valid, 1 some invalid, 2 a file or the
schema cannot be read or parsed.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("json_validate.py: needs python3-jsonschema "
          "(apt-get install python3-jsonschema)", file=sys.stderr)
    sys.exit(2)


def json_path(error):
    out = "$"
    for part in error.absolute_path:
        out += "[%d]" % part if isinstance(part, int) else "." + str(part)
    return out


def report(validator, doc, where):
    errors = sorted(validator.iter_errors(doc),
                    key=lambda e: -len(e.absolute_path))
    for e in errors[:3]:
        print("%s: %s: %s" % (where, json_path(e), e.message))
    return not errors


def read(path):
    if path == "-":
        return sys.stdin.read()
    with open(path, encoding="utf-8") as f:
        return f.read()


def main(argv):
    lines = "--lines" in argv
    args = [a for a in argv if a != "--lines"]
    if len(args) < 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        schema = json.loads(read(args[0]))
        jsonschema.Draft202012Validator.check_schema(schema)
    except (OSError, ValueError, jsonschema.SchemaError) as e:
        print("json_validate.py: %s: %s" % (args[0], e), file=sys.stderr)
        return 2
    validator = jsonschema.Draft202012Validator(schema)
    ok = True
    for path in args[1:]:
        try:
            text = read(path)
            if lines:
                docs = [(json.loads(line), "%s:%d" % (path, n))
                        for n, line in enumerate(text.split("\n"), 1)
                        if line.strip()]
            else:
                docs = [(json.loads(text), path)]
        except (OSError, ValueError) as e:
            print("json_validate.py: %s: %s" % (path, e), file=sys.stderr)
            return 2
        for doc, where in docs:
            ok = report(validator, doc, where) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
