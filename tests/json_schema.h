/* json_schema.h — a small JSON Schema validator for the tests (the subset of
 * draft 2020-12 that the docs/ schemas use), so every scenario, trace and
 * history the project ships can be checked against its published schema.
 *
 * Supported keywords:
 *   type (a name or an array of names), enum, const,
 *   properties, required, additionalProperties (false or a schema),
 *   propertyNames, minProperties, maxProperties,
 *   items (one schema for every element), minItems, maxItems,
 *   minimum, maximum, exclusiveMinimum, exclusiveMaximum (numbers),
 *   minLength, maxLength (in code points), pattern (POSIX extended regex:
 *   write [0-9], not \d),
 *   oneOf, anyOf, allOf, not, $ref (local: "#" or "#/json/pointer"), $defs.
 * Annotations ($schema, $id, $comment, title, description, default,
 * examples) are ignored. Any other keyword is an error in the schema, so a
 * misspelt keyword cannot silently accept everything. */
#ifndef FL_TESTS_JSON_SCHEMA_H
#define FL_TESTS_JSON_SCHEMA_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* 0 if `instance` is valid against `schema` (a whole schema document, the
 * root for $ref). Otherwise -1 and err holds "$.path: what was expected",
 * or "schema: ..." when the schema itself is at fault. */
int fl_json_schema_validate(const cJSON *schema, const cJSON *instance,
                            char *err, size_t errlen);

/* Reads and parses a JSON file: NULL and a message in err on failure.
 * Free the result with cJSON_Delete. */
cJSON *fl_json_load_file(const char *path, char *err, size_t errlen);

#endif
