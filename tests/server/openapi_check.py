"""A checker of JSON values against the subset of OpenAPI 3.0 schemas the portal's
description uses (type, required, properties, additionalProperties, items, enum,
nullable, minimum, minItems, oneOf, $ref, format date), and of recorded responses
against the operations of the description. Standard library only."""
import re


class Mismatch(AssertionError):
    pass


def resolve(spec, schema):
    while "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/"), ref
        node = spec
        for part in ref[2:].split("/"):
            node = node[part]
        schema = node
    return schema


def validate(spec, schema, value, path="$"):
    schema = resolve(spec, schema)
    if value is None:
        if schema.get("nullable"):
            return
        raise Mismatch("%s: null where %s is expected" % (path, schema.get("type")))
    if "oneOf" in schema:
        ok = 0
        for alt in schema["oneOf"]:
            try:
                validate(spec, alt, value, path)
                ok += 1
            except Mismatch:
                pass
        if ok != 1:
            raise Mismatch("%s: matches %d of the oneOf alternatives" % (path, ok))
        return
    t = schema.get("type")
    types = {"object": dict, "array": list, "string": str, "boolean": bool}
    if t == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            raise Mismatch("%s: %r is not an integer" % (path, value))
    elif t == "number":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise Mismatch("%s: %r is not a number" % (path, value))
    elif t in types and not isinstance(value, types[t]):
        raise Mismatch("%s: %r is not of type %s" % (path, value, t))
    if "enum" in schema and value not in schema["enum"]:
        raise Mismatch("%s: %r is not one of %s" % (path, value, schema["enum"]))
    if "minimum" in schema and value < schema["minimum"]:
        raise Mismatch("%s: %r below the minimum" % (path, value))
    if schema.get("format") == "date" and not re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        raise Mismatch("%s: %r is not a date" % (path, value))
    if t == "object":
        props = schema.get("properties", {})
        for k in schema.get("required", []):
            if k not in value:
                raise Mismatch("%s: required member '%s' missing" % (path, k))
        for k, v in value.items():
            if k in props:
                validate(spec, props[k], v, "%s.%s" % (path, k))
            elif schema.get("additionalProperties") is False:
                raise Mismatch("%s: member '%s' is not described" % (path, k))
    if t == "array":
        if len(value) < schema.get("minItems", 0):
            raise Mismatch("%s: fewer than %d items" % (path, schema["minItems"]))
        for i, v in enumerate(value):
            validate(spec, schema.get("items", {}), v, "%s[%d]" % (path, i))


def check_all(spec, seen):
    """Check every recorded response (method, template, status, json, headers) whose
    operation the description has; return the (method, template, status) checked.
    A documented operation answering an undocumented status is a mismatch."""
    checked = []
    for method, template, status, doc, hdrs in seen:
        op = spec["paths"].get(template, {}).get(method.lower())
        if op is None:
            continue
        resp = op["responses"].get(str(status))
        if resp is None:
            raise Mismatch("%s %s answered %d, which the description does not list"
                           % (method, template, status))
        schema = resp.get("content", {}).get("application/json", {}).get("schema")
        if schema is not None:
            if doc is None:
                raise Mismatch("%s %s %d: no JSON body" % (method, template, status))
            try:
                validate(spec, schema, doc)
            except Mismatch as e:
                raise Mismatch("%s %s %d: %s" % (method, template, status, e))
        for h in resp.get("headers", {}):
            if h.lower() not in hdrs:
                raise Mismatch("%s %s %d: header %s missing" % (method, template, status, h))
        checked.append((method, template, status))
    return checked
