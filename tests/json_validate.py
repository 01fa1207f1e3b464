#!/usr/bin/env python3
"""json_validate.py — validates JSON documents against a JSON Schema (draft
2020-12) with python3-jsonschema, for the shell tests.

usage: json_validate.py SCHEMA [--lines] FILE...

Each FILE is one JSON document; with --lines, each non-empty line of it is
one (JSON Lines: traces, histories). FILE "-" is standard input. The schema
itself is checked first (against the metaschema, and for keywords that
jsonschema would ignore), so a misspelt keyword is an error, not a schema
that accepts everything. Every invalid document is reported on stdout as
"FILE[:LINE]: $.json.path: message" (at most three errors each, the
most relevant first, as jsonschema.exceptions.best_match picks it). Exit
status: 0 all valid, 1 some invalid, 2 a file or the schema cannot be read
or parsed, or the schema is not one.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("json_validate.py: needs python3-jsonschema "
          "(apt-get install python3-jsonschema)", file=sys.stderr)
    sys.exit(2)


# Keywords that are not validation keywords but may appear in a schema.
ANNOTATIONS = {"$schema", "$id", "$comment", "$defs", "$anchor", "title",
               "description", "default", "examples", "deprecated",
               "readOnly", "writeOnly", "contentMediaType",
               "contentEncoding", "$vocabulary"}
ONE = {"items", "not", "additionalProperties", "propertyNames", "if", "then",
       "else", "contains", "unevaluatedItems", "unevaluatedProperties"}
MANY = {"allOf", "anyOf", "oneOf", "prefixItems"}
NAMED = {"properties", "patternProperties", "$defs", "dependentSchemas"}


def unknown_keywords(schema, known, at="#"):
    """Keywords jsonschema would silently ignore (a misspelt "typ" accepts
    everything): yields "#/json/pointer: keyword"."""
    if not isinstance(schema, dict):
        return
    for key, value in schema.items():
        where = "%s/%s" % (at, key)
        if key not in known and key not in ANNOTATIONS:
            yield "%s: unknown keyword" % where
        elif key in ONE:
            yield from unknown_keywords(value, known, where)
        elif key in MANY and isinstance(value, list):
            for i, sub in enumerate(value):
                yield from unknown_keywords(sub, known, "%s/%d" % (where, i))
        elif key in NAMED and isinstance(value, dict):
            for name, sub in value.items():
                yield from unknown_keywords(sub, known, "%s/%s" % (where, name))


def json_path(error):
    out = "$"
    for part in error.absolute_path:
        out += "[%d]" % part if isinstance(part, int) else "." + str(part)
    return out


def report(validator, doc, where):
    errors = list(validator.iter_errors(doc))
    if not errors:
        return True
    best = jsonschema.exceptions.best_match(errors)
    shown = [best] + [e for e in errors if e is not best][:2]
    for e in shown:
        print("%s: %s: %s" % (where, json_path(e), e.message))
    return False


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
    unknown = list(unknown_keywords(
        schema, set(jsonschema.Draft202012Validator.VALIDATORS)))
    if unknown:
        for u in unknown:
            print("json_validate.py: %s: %s" % (args[0], u), file=sys.stderr)
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
