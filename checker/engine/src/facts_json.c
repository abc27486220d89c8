/*
** Facts as JSON: the writer, the validating reader and the merge of fact
** sets (facts_json.h), on top of jansson.
**
** The document is
**
**   {"format":"mapsafe-facts","version":1,
**    "functions":[...],"calls":[...],"spawns":[...],"accesses":[...]}
**
** Every fact is an object whose members are named after the fields of its
** struct in facts.h and are all required.  Strings are written inline
** (null for MS_NONE), locations inline as {"file","line","col"} (null for
** MS_NONE), enums by name, and references between facts (function ids,
** spawn ids) as array indices.  Paths are objects that leave out the
** members that are absent (MS_NONE, param -1, depth 0).
**
** The reader checks members, types, enum names and id ranges, and reports
** the first problem as "functions[2].acquires[0].mode: ..." in ms_error.
** The numbers of functions and spawns are taken before any fact is read,
** so a fact may refer to one that comes later in the document.  Function
** names are unique within a document, as functions are unified by name.
**
** The merge checks every id of `from` before it changes `into`, then
** interns `from`'s strings and copies its locations into `into`, unifies
** functions by name and appends the other facts, remapping their ids in
** the copies the builders made.
*/
#include "mapsafe/facts_json.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------- */
/* Writing.                                                                */
/* ---------------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when the
** bytes there are not one (overlong forms, surrogates, > U+10FFFF). */
static size_t utf8_seq_len(const unsigned char *s, size_t n) {
  size_t need;
  uint32_t cp;
  if (s[0] < 0x80) return 1;
  if (s[0] < 0xC2) return 0;
  if (s[0] < 0xE0) need = 2, cp = s[0] & 0x1F;
  else if (s[0] < 0xF0) need = 3, cp = s[0] & 0x0F;
  else if (s[0] <= 0xF4) need = 4, cp = s[0] & 0x07;
  else return 0;
  if (need > n) return 0;
  for (size_t i = 1; i < need; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if (need == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return 0;
  if (need == 4 && (cp < 0x10000 || cp > 0x10FFFF)) return 0;
  return need;
}

static int utf8_valid(const char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    size_t k = utf8_seq_len((const unsigned char *)s + i, n - i);
    if (!k) return 0;
    i += k;
  }
  return 1;
}

/* A JSON string for s; bytes that are not UTF-8 become U+FFFD, so that
** whatever a frontend interned can be written (and read back). */
static json_t *text_json(const char *s) {
  size_t n = strlen(s);
  if (utf8_valid(s, n)) return json_stringn(s, n);
  char *buf = malloc(n * 3 + 1);
  if (!buf) return NULL;
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    size_t k = utf8_seq_len((const unsigned char *)s + i, n - i);
    if (k) {
      memcpy(buf + o, s + i, k);
      o += k, i += k;
    } else {
      memcpy(buf + o, "\xEF\xBF\xBD", 3);
      o += 3, i += 1;
    }
  }
  json_t *j = json_stringn(buf, o);
  free(buf);
  return j;
}

/* A string id as a JSON string, or null for MS_NONE. */
static json_t *str_json(const ms_facts *f, ms_id id) {
  return id == MS_NONE ? json_null() : text_json(ms_str_get(f, id));
}

/* Sets obj[key] = val, taking val; nonzero on failure (also when val or
** obj is NULL, i.e. out of memory), so failures can be or'ed together. */
static int put(json_t *obj, const char *key, json_t *val) {
  return json_object_set_new(obj, key, val) != 0;
}

static int push(json_t *arr, json_t *val) { return json_array_append_new(arr, val) != 0; }

/* Returns obj, or NULL (releasing it) if building it failed. */
static json_t *done(json_t *obj, int failed) {
  if (failed) {
    json_decref(obj);
    return NULL;
  }
  return obj;
}

static json_t *uint_json(uint32_t v) { return json_integer((json_int_t)v); }

static json_t *loc_json(const ms_facts *f, ms_id id) {
  if (id == MS_NONE || id >= f->locs.count) return json_null();
  const ms_loc *l = &f->locs.items[id];
  json_t *o = json_object();
  int bad = put(o, "file", str_json(f, l->file));
  bad |= put(o, "line", uint_json(l->line));
  bad |= put(o, "col", uint_json(l->col));
  return done(o, bad);
}

static json_t *path_json(const ms_facts *f, const ms_path *p) {
  json_t *o = json_object();
  int bad = put(o, "base", json_string(ms_base_name(p->base)));
  if (p->name != MS_NONE) bad |= put(o, "name", str_json(f, p->name));
  if (p->display != MS_NONE) bad |= put(o, "display", str_json(f, p->display));
  if (p->param != -1) bad |= put(o, "param", json_integer(p->param));
  if (p->depth != 0) bad |= put(o, "depth", uint_json(p->depth));
  if (p->field != MS_NONE) bad |= put(o, "field", str_json(f, p->field));
  if (p->field_owner != MS_NONE) bad |= put(o, "field_owner", str_json(f, p->field_owner));
  return done(o, bad);
}

static const char *mode_name(ms_lock_mode m) {
  return m == MS_LOCK_EXCLUSIVE ? "exclusive" : m == MS_LOCK_SHARED ? "shared" : "?";
}

static const char *mult_name(ms_multiplicity m) {
  return m == MS_MULT_ONE ? "one" : m == MS_MULT_MANY ? "many" : "?";
}

static json_t *held_json(const ms_facts *f, const ms_held *h) {
  json_t *o = json_object();
  int bad = put(o, "lock", path_json(f, &h->lock));
  bad |= put(o, "mode", json_string(mode_name(h->mode)));
  bad |= put(o, "acquired_at", loc_json(f, h->acquired_at));
  return done(o, bad);
}

static json_t *lockset_json(const ms_facts *f, const ms_lockset *s) {
  json_t *a = json_array();
  int bad = 0;
  for (uint32_t i = 0; i < s->count; i++) bad |= push(a, held_json(f, &s->items[i]));
  return done(a, bad);
}

/* A set of fact ids (spawn ids), as numbers. */
static json_t *ids_json(const ms_idset *s) {
  json_t *a = json_array();
  int bad = 0;
  for (uint32_t i = 0; i < s->count; i++) bad |= push(a, uint_json(s->items[i]));
  return done(a, bad);
}

/* A set of string ids, as strings. */
static json_t *strs_json(const ms_facts *f, const ms_idset *s) {
  json_t *a = json_array();
  int bad = 0;
  for (uint32_t i = 0; i < s->count; i++) bad |= push(a, str_json(f, s->items[i]));
  return done(a, bad);
}

static json_t *field_value_json(const ms_facts *f, const ms_field_value *fv) {
  json_t *o = json_object();
  int bad = put(o, "field", str_json(f, fv->field));
  bad |= put(o, "value", path_json(f, &fv->value));
  bad |= put(o, "per_instance", json_boolean(fv->per_instance));
  return done(o, bad);
}

static json_t *value_json(const ms_facts *f, const ms_value *v) {
  json_t *o = json_object();
  json_t *fields = json_array();
  int bad = 0;
  for (uint32_t i = 0; i < v->field_count; i++)
    bad |= push(fields, field_value_json(f, &v->fields[i]));
  bad |= put(o, "path", path_json(f, &v->path));
  bad |= put(o, "per_instance", json_boolean(v->per_instance));
  bad |= put(o, "fields", done(fields, bad));
  return done(o, bad);
}

static json_t *function_json(const ms_facts *f, const ms_function *fn) {
  json_t *o = json_object();
  int bad = put(o, "name", str_json(f, fn->name));
  bad |= put(o, "loc", loc_json(f, fn->loc));
  bad |= put(o, "param_count", uint_json(fn->param_count));
  bad |= put(o, "defined", json_boolean(fn->defined));
  bad |= put(o, "acquires", lockset_json(f, &fn->acquires));
  bad |= put(o, "releases", lockset_json(f, &fn->releases));
  bad |= put(o, "live_at_exit", ids_json(&fn->live_at_exit));
  bad |= put(o, "joins", strs_json(f, &fn->joins));
  return done(o, bad);
}

static json_t *call_json(const ms_facts *f, const ms_call *c) {
  json_t *o = json_object();
  json_t *args = json_array();
  int bad = 0;
  for (uint32_t i = 0; i < c->arg_count; i++) bad |= push(args, value_json(f, &c->args[i]));
  bad |= put(o, "caller", uint_json(c->caller));
  bad |= put(o, "callee", uint_json(c->callee));
  bad |= put(o, "loc", loc_json(f, c->loc));
  bad |= put(o, "locks", lockset_json(f, &c->locks));
  bad |= put(o, "live", ids_json(&c->live));
  bad |= put(o, "args", done(args, bad));
  return done(o, bad);
}

static json_t *spawn_json(const ms_facts *f, const ms_spawn *s) {
  json_t *o = json_object();
  int bad = put(o, "func", uint_json(s->func));
  bad |= put(o, "entry", uint_json(s->entry));
  bad |= put(o, "loc", loc_json(f, s->loc));
  bad |= put(o, "api", str_json(f, s->api));
  bad |= put(o, "handle", str_json(f, s->handle));
  bad |= put(o, "multiplicity", json_string(mult_name(s->multiplicity)));
  bad |= put(o, "arg_param", json_integer(s->arg_param));
  bad |= put(o, "arg", value_json(f, &s->arg));
  bad |= put(o, "locks", lockset_json(f, &s->locks));
  bad |= put(o, "live", ids_json(&s->live));
  return done(o, bad);
}

static json_t *access_json(const ms_facts *f, const ms_access *a) {
  json_t *o = json_object();
  int bad = put(o, "func", uint_json(a->func));
  bad |= put(o, "loc", loc_json(f, a->loc));
  bad |= put(o, "kind", json_string(ms_access_kind_name(a->kind)));
  bad |= put(o, "api", str_json(f, a->api));
  bad |= put(o, "library", str_json(f, a->library));
  bad |= put(o, "map", path_json(f, &a->map));
  bad |= put(o, "key_type", str_json(f, a->key_type));
  bad |= put(o, "value_type", str_json(f, a->value_type));
  bad |= put(o, "locks", lockset_json(f, &a->locks));
  bad |= put(o, "live", ids_json(&a->live));
  return done(o, bad);
}

static json_t *facts_json(const ms_facts *f) {
  json_t *o = json_object();
  json_t *fns = json_array(), *calls = json_array();
  json_t *spawns = json_array(), *accs = json_array();
  int bad = 0;
  for (uint32_t i = 0; i < f->functions.count; i++)
    bad |= push(fns, function_json(f, &f->functions.items[i]));
  for (uint32_t i = 0; i < f->calls.count; i++)
    bad |= push(calls, call_json(f, &f->calls.items[i]));
  for (uint32_t i = 0; i < f->spawns.count; i++)
    bad |= push(spawns, spawn_json(f, &f->spawns.items[i]));
  for (uint32_t i = 0; i < f->accesses.count; i++)
    bad |= push(accs, access_json(f, &f->accesses.items[i]));
  bad |= put(o, "format", json_string(MS_FACTS_FORMAT));
  bad |= put(o, "version", json_integer(MS_FACTS_VERSION));
  bad |= put(o, "functions", fns);
  bad |= put(o, "calls", calls);
  bad |= put(o, "spawns", spawns);
  bad |= put(o, "accesses", accs);
  return done(o, bad);
}

char *ms_facts_to_json(const ms_facts *f) {
  const size_t flags = JSON_INDENT(1) | JSON_PRESERVE_ORDER;
  json_t *root = facts_json(f);
  if (!root) return NULL;
  size_t n = json_dumpb(root, NULL, 0, flags);
  char *text = n ? malloc(n + 2) : NULL;
  if (text && json_dumpb(root, text, n, flags) == n) {
    text[n] = '\n';
    text[n + 1] = '\0';
  } else {
    free(text);
    text = NULL;
  }
  json_decref(root);
  return text;
}

/* ---------------------------------------------------------------------- */
/* Reading.                                                                */
/* ---------------------------------------------------------------------- */

typedef struct reader {
  ms_facts *f;
  ms_error *err;
  size_t nfunctions; /* sizes of the arrays, known before any fact is read */
  size_t nspawns;
  char where[256];   /* what is being read: "calls[3].args[0]" */
  size_t wlen;
} reader;

/* Appends to r->where; returns the previous length for leave(). */
static size_t enter(reader *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static size_t enter(reader *r, const char *fmt, ...) {
  size_t mark = r->wlen;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(r->where + mark, sizeof r->where - mark, fmt, ap);
  va_end(ap);
  if (n > 0) r->wlen = mark + (size_t)n;
  if (r->wlen >= sizeof r->where) r->wlen = sizeof r->where - 1;
  return mark;
}

static void leave(reader *r, size_t mark) {
  r->wlen = mark;
  r->where[mark] = '\0';
}

/* Fails with "<where>.<key>: <message>"; key may be NULL.  Returns 1. */
static int bad(reader *r, const char *key, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int bad(reader *r, const char *key, const char *fmt, ...) {
  char msg[384];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  const char *dot = key && r->wlen && key[0] != '[' ? "." : "";
  if (!key && !r->wlen) return ms_fail(r->err, 0, "%s", msg);
  return ms_fail(r->err, 0, "%s%s%s: %s", r->where, dot, key ? key : "", msg);
}

static int oom(reader *r) { return ms_fail(r->err, 0, "out of memory"); }

static const char *type_name(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT: return "an object";
  case JSON_ARRAY: return "an array";
  case JSON_STRING: return "a string";
  case JSON_INTEGER: return "an integer";
  case JSON_REAL: return "a real number";
  case JSON_TRUE: return "true";
  case JSON_FALSE: return "false";
  case JSON_NULL: return "null";
  }
  return "?";
}

static int wrong_type(reader *r, const char *key, const char *want, const json_t *v) {
  return bad(r, key, "expected %s, found %s", want, type_name(v));
}

/* Checks that obj is an object with no members outside `allowed`
** (NULL-terminated).  Unknown members are errors: they are typos. */
static int check_object(reader *r, const char *key, const json_t *obj,
                        const char *const *allowed) {
  const char *k;
  json_t *v;
  if (!json_is_object(obj)) return wrong_type(r, key, "an object", obj);
  json_object_foreach((json_t *)obj, k, v) {
    size_t i = 0;
    while (allowed[i] && strcmp(allowed[i], k) != 0) i++;
    if (!allowed[i]) return bad(r, key, "unknown member \"%.64s\"", k);
  }
  return 0;
}

/* obj[key], failing when absent. */
static int member(reader *r, const json_t *obj, const char *key, json_t **out) {
  *out = json_object_get(obj, key);
  if (!*out) return bad(r, NULL, "missing member \"%s\"", key);
  return 0;
}

/* Conversions of one JSON value; `key` names it in messages. */

static int as_int(reader *r, const char *key, const json_t *v, json_int_t lo, json_int_t hi,
                  json_int_t *out) {
  if (!json_is_integer(v)) return wrong_type(r, key, "an integer", v);
  *out = json_integer_value(v);
  if (*out < lo || *out > hi)
    return bad(r, key, "%lld is out of range [%lld, %lld]", (long long)*out, (long long)lo,
               (long long)hi);
  return 0;
}

static int as_u32(reader *r, const char *key, const json_t *v, uint32_t *out) {
  json_int_t x = 0;
  if (as_int(r, key, v, 0, UINT32_MAX, &x)) return 1;
  *out = (uint32_t)x;
  return 0;
}

static int as_bool(reader *r, const char *key, const json_t *v, int *out) {
  if (!json_is_boolean(v)) return wrong_type(r, key, "true or false", v);
  *out = json_is_true(v);
  return 0;
}

/* A string, interned; null gives MS_NONE when `nullable`. */
static int as_str(reader *r, const char *key, const json_t *v, int nullable, ms_id *out) {
  if (nullable && json_is_null(v)) return *out = MS_NONE, 0;
  if (!json_is_string(v)) return wrong_type(r, key, nullable ? "a string or null" : "a string", v);
  *out = ms_strn(r->f, json_string_value(v), json_string_length(v));
  return *out == MS_NONE ? oom(r) : 0;
}

/* An id of a fact of which there are `count`; `what` names the kind. */
static int as_id(reader *r, const char *key, const json_t *v, size_t count, const char *what,
                 ms_id *out) {
  if (!json_is_integer(v)) return wrong_type(r, key, "an integer", v);
  json_int_t x = json_integer_value(v);
  if (x < 0 || (size_t)x >= count)
    return bad(r, key, "%s id %lld out of range (%zu %s%s in the file)", what, (long long)x,
               count, what, count == 1 ? "" : "s");
  *out = (ms_id)x;
  return 0;
}

static int as_fid(reader *r, const char *key, const json_t *v, ms_id *out) {
  return as_id(r, key, v, r->nfunctions, "function", out);
}

static int as_name(reader *r, const char *key, const json_t *v, const char *const *names,
                   int count, int *out) {
  if (!json_is_string(v)) return wrong_type(r, key, "a string", v);
  const char *s = json_string_value(v);
  for (int i = 0; i < count; i++)
    if (strcmp(s, names[i]) == 0) return *out = i, 0;
  return bad(r, key, "unknown name \"%.64s\"", s);
}

static int as_loc(reader *r, const char *key, const json_t *v, ms_id *out) {
  static const char *const members[] = {"file", "line", "col", NULL};
  json_t *file, *line, *col;
  ms_id fid = MS_NONE;
  uint32_t ln = 0, cn = 0;
  if (json_is_null(v)) return *out = MS_NONE, 0;
  if (!json_is_object(v)) return wrong_type(r, key, "a location object or null", v);
  size_t mark = enter(r, "%s%s", r->wlen ? "." : "", key);
  int rc = check_object(r, NULL, v, members) || member(r, v, "file", &file) ||
           member(r, v, "line", &line) || member(r, v, "col", &col) ||
           as_str(r, "file", file, 1, &fid) || as_u32(r, "line", line, &ln) ||
           as_u32(r, "col", col, &cn);
  leave(r, mark);
  if (rc) return 1;
  *out = ms_add_loc(r->f, fid, ln, cn);
  return *out == MS_NONE ? oom(r) : 0;
}

/* An optional member of a path. */
static int path_str(reader *r, const json_t *o, const char *key, ms_id *out) {
  json_t *v = json_object_get(o, key);
  return v ? as_str(r, key, v, 0, out) : 0;
}

static int as_path(reader *r, const char *key, const json_t *v, ms_path *out) {
  static const char *const members[] = {"base",  "name",  "display",     "param",
                                        "depth", "field", "field_owner", NULL};
  static const char *const bases[] = {"unknown", "global", "param", "local"};
  json_t *base, *x;
  int b = 0;
  json_int_t param = -1;
  *out = ms_path_unknown();
  if (!json_is_object(v)) return wrong_type(r, key, "a path object", v);
  size_t mark = enter(r, "%s%s", r->wlen ? "." : "", key);
  int rc = check_object(r, NULL, v, members) || member(r, v, "base", &base) ||
           as_name(r, "base", base, bases, 4, &b) || path_str(r, v, "name", &out->name) ||
           path_str(r, v, "display", &out->display) || path_str(r, v, "field", &out->field) ||
           path_str(r, v, "field_owner", &out->field_owner);
  if (!rc && (x = json_object_get(v, "param")) != NULL)
    rc = as_int(r, "param", x, 0, INT32_MAX, &param);
  if (!rc && (x = json_object_get(v, "depth")) != NULL) rc = as_u32(r, "depth", x, &out->depth);
  leave(r, mark);
  out->base = (ms_base)b;
  out->param = (int32_t)param;
  return rc;
}

static int as_held(reader *r, const char *key, const json_t *v, ms_held *out) {
  static const char *const members[] = {"lock", "mode", "acquired_at", NULL};
  static const char *const modes[] = {"exclusive", "shared"};
  json_t *lock, *mode, *at;
  int m = 0;
  size_t mark = enter(r, "%s", key);
  int rc = check_object(r, NULL, v, members) || member(r, v, "lock", &lock) ||
           member(r, v, "mode", &mode) || member(r, v, "acquired_at", &at) ||
           as_path(r, "lock", lock, &out->lock) || as_name(r, "mode", mode, modes, 2, &m) ||
           as_loc(r, "acquired_at", at, &out->acquired_at);
  out->mode = (ms_lock_mode)m;
  leave(r, mark);
  return rc;
}

/* Allocates `n` zeroed elements into *items (NULL when n is 0). */
static int alloc_items(reader *r, void **items, size_t n, size_t size) {
  *items = NULL;
  if (!n) return 0;
  *items = calloc(n, size);
  return *items ? 0 : oom(r);
}

/* The array members.  Each leaves what it allocated in *out even when it
** fails; the caller frees it. */

static int as_lockset(reader *r, const char *key, const json_t *v, ms_lockset *out) {
  if (!json_is_array(v)) return wrong_type(r, key, "an array", v);
  size_t n = json_array_size(v);
  if (alloc_items(r, (void **)&out->items, n, sizeof *out->items)) return 1;
  out->count = (uint32_t)n;
  size_t mark = enter(r, "%s%s", r->wlen ? "." : "", key);
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    char idx[32];
    snprintf(idx, sizeof idx, "[%zu]", i);
    rc = as_held(r, idx, json_array_get(v, i), &out->items[i]);
  }
  leave(r, mark);
  return rc;
}

/* A set of spawn ids (strings == 0) or of strings (strings == 1). */
static int as_idset(reader *r, const char *key, const json_t *v, int strings, ms_idset *out) {
  if (!json_is_array(v)) return wrong_type(r, key, "an array", v);
  size_t n = json_array_size(v);
  if (alloc_items(r, (void **)&out->items, n, sizeof *out->items)) return 1;
  out->count = (uint32_t)n;
  size_t mark = enter(r, "%s%s", r->wlen ? "." : "", key);
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    char idx[32];
    snprintf(idx, sizeof idx, "[%zu]", i);
    json_t *e = json_array_get(v, i);
    rc = strings ? as_str(r, idx, e, 0, &out->items[i])
                 : as_id(r, idx, e, r->nspawns, "spawn", &out->items[i]);
  }
  leave(r, mark);
  return rc;
}

static int as_field_value(reader *r, const char *key, const json_t *v, ms_field_value *out) {
  static const char *const members[] = {"field", "value", "per_instance", NULL};
  json_t *field, *value, *per;
  size_t mark = enter(r, "%s", key);
  int rc = check_object(r, NULL, v, members) || member(r, v, "field", &field) ||
           member(r, v, "value", &value) || member(r, v, "per_instance", &per) ||
           as_str(r, "field", field, 1, &out->field) || as_path(r, "value", value, &out->value) ||
           as_bool(r, "per_instance", per, &out->per_instance);
  leave(r, mark);
  return rc;
}

static int as_fields(reader *r, const json_t *v, ms_value *out) {
  if (!json_is_array(v)) return wrong_type(r, "fields", "an array", v);
  size_t n = json_array_size(v);
  if (alloc_items(r, (void **)&out->fields, n, sizeof *out->fields)) return 1;
  out->field_count = (uint32_t)n;
  size_t mark = enter(r, ".fields");
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    char idx[32];
    snprintf(idx, sizeof idx, "[%zu]", i);
    rc = as_field_value(r, idx, json_array_get(v, i), &out->fields[i]);
  }
  leave(r, mark);
  return rc;
}

/* `key` is appended to the location as is ("[2]" or ".arg"). */
static int as_value(reader *r, const char *key, const json_t *v, ms_value *out) {
  static const char *const members[] = {"path", "per_instance", "fields", NULL};
  json_t *path, *per, *fields;
  size_t mark = enter(r, "%s", key);
  int rc = check_object(r, NULL, v, members) || member(r, v, "path", &path) ||
           member(r, v, "per_instance", &per) || member(r, v, "fields", &fields) ||
           as_path(r, "path", path, &out->path) ||
           as_bool(r, "per_instance", per, &out->per_instance) || as_fields(r, fields, out);
  leave(r, mark);
  return rc;
}

static int as_args(reader *r, const json_t *v, ms_call *out) {
  if (!json_is_array(v)) return wrong_type(r, "args", "an array", v);
  size_t n = json_array_size(v);
  if (alloc_items(r, (void **)&out->args, n, sizeof *out->args)) return 1;
  out->arg_count = (uint32_t)n;
  size_t mark = enter(r, ".args");
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    char idx[32];
    snprintf(idx, sizeof idx, "[%zu]", i);
    rc = as_value(r, idx, json_array_get(v, i), &out->args[i]);
  }
  leave(r, mark);
  return rc;
}

/* Looks up the members of a fact, all required, in order into vals. */
static int members(reader *r, const json_t *obj, const char *const *names, json_t **vals) {
  if (check_object(r, NULL, obj, names)) return 1;
  for (size_t i = 0; names[i]; i++)
    if (member(r, obj, names[i], &vals[i])) return 1;
  return 0;
}

static int read_function(reader *r, const json_t *o) {
  static const char *const names[] = {"name",     "loc",      "param_count",  "defined",
                                      "acquires", "releases", "live_at_exit", "joins", NULL};
  json_t *v[8];
  ms_function fn;
  memset(&fn, 0, sizeof fn);
  fn.loc = MS_NONE;
  int rc = members(r, o, names, v) || as_str(r, "name", v[0], 0, &fn.name) ||
           as_loc(r, "loc", v[1], &fn.loc) || as_u32(r, "param_count", v[2], &fn.param_count) ||
           as_bool(r, "defined", v[3], &fn.defined) ||
           as_lockset(r, "acquires", v[4], &fn.acquires) ||
           as_lockset(r, "releases", v[5], &fn.releases) ||
           as_idset(r, "live_at_exit", v[6], 0, &fn.live_at_exit) ||
           as_idset(r, "joins", v[7], 1, &fn.joins);
  if (!rc && ms_add_function(r->f, &fn) == MS_NONE) rc = oom(r);
  free(fn.acquires.items);
  free(fn.releases.items);
  free(fn.live_at_exit.items);
  free(fn.joins.items);
  return rc;
}

static int read_call(reader *r, const json_t *o) {
  static const char *const names[] = {"caller", "callee", "loc", "locks", "live", "args", NULL};
  json_t *v[6];
  ms_call c;
  memset(&c, 0, sizeof c);
  int rc = members(r, o, names, v) || as_fid(r, "caller", v[0], &c.caller) ||
           as_fid(r, "callee", v[1], &c.callee) || as_loc(r, "loc", v[2], &c.loc) ||
           as_lockset(r, "locks", v[3], &c.locks) || as_idset(r, "live", v[4], 0, &c.live) ||
           as_args(r, v[5], &c);
  if (!rc && ms_add_call(r->f, &c) == MS_NONE) rc = oom(r);
  free(c.locks.items);
  free(c.live.items);
  for (uint32_t i = 0; i < c.arg_count; i++) free(c.args[i].fields);
  free(c.args);
  return rc;
}

static int read_spawn(reader *r, const json_t *o) {
  static const char *const names[] = {"func",  "entry", "loc",   "api",  "handle", "multiplicity",
                                      "arg_param", "arg", "locks", "live", NULL};
  static const char *const mults[] = {"one", "many"};
  json_t *v[10];
  ms_spawn s;
  int m = 0;
  json_int_t ap = -1;
  memset(&s, 0, sizeof s);
  int rc = members(r, o, names, v) || as_fid(r, "func", v[0], &s.func) ||
           as_fid(r, "entry", v[1], &s.entry) || as_loc(r, "loc", v[2], &s.loc) ||
           as_str(r, "api", v[3], 1, &s.api) || as_str(r, "handle", v[4], 1, &s.handle) ||
           as_name(r, "multiplicity", v[5], mults, 2, &m) ||
           as_int(r, "arg_param", v[6], -1, INT32_MAX, &ap) || as_value(r, ".arg", v[7], &s.arg) ||
           as_lockset(r, "locks", v[8], &s.locks) || as_idset(r, "live", v[9], 0, &s.live);
  s.multiplicity = (ms_multiplicity)m;
  s.arg_param = (int32_t)ap;
  if (!rc && ms_add_spawn(r->f, &s) == MS_NONE) rc = oom(r);
  free(s.arg.fields);
  free(s.locks.items);
  free(s.live.items);
  return rc;
}

static int read_access(reader *r, const json_t *o) {
  static const char *const names[] = {"func",     "loc",        "kind",  "api",  "library", "map",
                                      "key_type", "value_type", "locks", "live", NULL};
  static const char *const kinds[] = {"read", "write", "iterate", "create", "destroy"};
  json_t *v[10];
  ms_access a;
  int k = 0;
  memset(&a, 0, sizeof a);
  int rc = members(r, o, names, v) || as_fid(r, "func", v[0], &a.func) ||
           as_loc(r, "loc", v[1], &a.loc) || as_name(r, "kind", v[2], kinds, 5, &k) ||
           as_str(r, "api", v[3], 1, &a.api) || as_str(r, "library", v[4], 1, &a.library) ||
           as_path(r, "map", v[5], &a.map) || as_str(r, "key_type", v[6], 1, &a.key_type) ||
           as_str(r, "value_type", v[7], 1, &a.value_type) ||
           as_lockset(r, "locks", v[8], &a.locks) || as_idset(r, "live", v[9], 0, &a.live);
  a.kind = (ms_access_kind)k;
  if (!rc && ms_add_access(r->f, &a) == MS_NONE) rc = oom(r);
  free(a.locks.items);
  free(a.live.items);
  return rc;
}

/* Reads every element of one of the four fact arrays with `read`. */
static int read_all(reader *r, const char *name, const json_t *arr,
                    int (*read)(reader *, const json_t *)) {
  for (size_t i = 0; i < json_array_size(arr); i++) {
    size_t mark = enter(r, "%s[%zu]", name, i);
    json_t *e = json_array_get(arr, i);
    int rc = json_is_object(e) ? read(r, e) : wrong_type(r, NULL, "an object", e);
    leave(r, mark);
    if (rc) return 1;
  }
  return 0;
}

/* One function per name: merging and lookups unify functions by name. */
static int check_unique_names(reader *r) {
  uint32_t n = ms_str_count(r->f);
  ms_id *first = malloc((n ? n : 1) * sizeof *first);
  if (!first) return oom(r);
  for (uint32_t i = 0; i < n; i++) first[i] = MS_NONE;
  int rc = 0;
  for (uint32_t i = 0; i < r->f->functions.count && !rc; i++) {
    ms_id name = r->f->functions.items[i].name;
    if (first[name] != MS_NONE)
      rc = ms_fail(r->err, 0, "functions[%u].name: duplicate function \"%.128s\" (also functions[%u])",
                   i, ms_str_get(r->f, name), first[name]);
    first[name] = i;
  }
  free(first);
  return rc;
}

static int read_header(reader *r, const json_t *root, json_t **arrays) {
  static const char *const names[] = {"format",    "version", "functions", "calls",
                                      "spawns",    "accesses", NULL};
  json_t *v[6];
  if (!json_is_object(root)) return wrong_type(r, NULL, "an object at the top level", root);
  if (members(r, root, names, v)) return 1;
  if (!json_is_string(v[0]) || strcmp(json_string_value(v[0]), MS_FACTS_FORMAT) != 0)
    return bad(r, "format", "expected \"%s\": not a mapsafe fact file", MS_FACTS_FORMAT);
  if (!json_is_integer(v[1])) return wrong_type(r, "version", "an integer", v[1]);
  if (json_integer_value(v[1]) != MS_FACTS_VERSION)
    return bad(r, "version", "unsupported version %lld (this reader reads version %d)",
               (long long)json_integer_value(v[1]), MS_FACTS_VERSION);
  for (int i = 0; i < 4; i++) {
    arrays[i] = v[i + 2];
    if (!json_is_array(arrays[i])) return wrong_type(r, names[i + 2], "an array", arrays[i]);
  }
  r->nfunctions = json_array_size(arrays[0]);
  r->nspawns = json_array_size(arrays[2]);
  return 0;
}

static int read_facts(reader *r, const json_t *root) {
  json_t *a[4];
  return read_header(r, root, a) || read_all(r, "functions", a[0], read_function) ||
         check_unique_names(r) || read_all(r, "calls", a[1], read_call) ||
         read_all(r, "spawns", a[2], read_spawn) || read_all(r, "accesses", a[3], read_access);
}

ms_facts *ms_facts_from_json(const char *text, size_t len, ms_error *err) {
  json_error_t jerr;
  if (!text) text = "", len = 0;
  json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
  if (!root) {
    ms_fail(err, jerr.line > 0 ? (unsigned)jerr.line : 0, "invalid JSON: %s (column %d)",
            jerr.text, jerr.column);
    return NULL;
  }
  reader r;
  memset(&r, 0, sizeof r);
  r.err = err;
  r.f = ms_facts_new();
  int rc = r.f ? read_facts(&r, root) : ms_fail(err, 0, "out of memory");
  json_decref(root);
  if (rc) {
    ms_facts_free(r.f);
    return NULL;
  }
  return r.f;
}

/* ---------------------------------------------------------------------- */
/* Merging.                                                                */
/* ---------------------------------------------------------------------- */

/* Checks that every id in `f` refers inside `f`; returns what is wrong, or
** NULL.  ms_facts_merge checks `from` first so it never half-merges a
** broken fact set. */

static int str_ok(const ms_facts *f, ms_id id) { return id == MS_NONE || id < ms_str_count(f); }
static int loc_ok(const ms_facts *f, ms_id id) { return id == MS_NONE || id < f->locs.count; }

static int path_ok(const ms_facts *f, const ms_path *p) {
  return str_ok(f, p->name) && str_ok(f, p->display) && str_ok(f, p->field) &&
         str_ok(f, p->field_owner);
}

static const char *lockset_bad(const ms_facts *f, const ms_lockset *s) {
  for (uint32_t i = 0; i < s->count; i++) {
    if (!path_ok(f, &s->items[i].lock)) return "a lock's path has a bad string id";
    if (!loc_ok(f, s->items[i].acquired_at)) return "a lock's acquired_at is a bad loc id";
  }
  return NULL;
}

static const char *spawns_bad(const ms_facts *f, const ms_idset *s) {
  for (uint32_t i = 0; i < s->count; i++)
    if (s->items[i] >= f->spawns.count) return "a live set has a bad spawn id";
  return NULL;
}

static const char *value_bad(const ms_facts *f, const ms_value *v) {
  if (!path_ok(f, &v->path)) return "a value's path has a bad string id";
  for (uint32_t i = 0; i < v->field_count; i++)
    if (!str_ok(f, v->fields[i].field) || !path_ok(f, &v->fields[i].value))
      return "a value's field has a bad string id";
  return NULL;
}

static const char *function_bad(const ms_facts *f, const ms_function *fn) {
  if (fn->name == MS_NONE || !str_ok(f, fn->name)) return "bad name";
  if (!loc_ok(f, fn->loc)) return "bad loc id";
  for (uint32_t i = 0; i < fn->joins.count; i++)
    if (fn->joins.items[i] == MS_NONE || !str_ok(f, fn->joins.items[i])) return "bad join handle";
  const char *w = lockset_bad(f, &fn->acquires);
  if (!w) w = lockset_bad(f, &fn->releases);
  return w ? w : spawns_bad(f, &fn->live_at_exit);
}

static const char *call_bad(const ms_facts *f, const ms_call *c) {
  if (c->caller >= f->functions.count || c->callee >= f->functions.count)
    return "bad function id";
  if (!loc_ok(f, c->loc)) return "bad loc id";
  const char *w = lockset_bad(f, &c->locks);
  if (!w) w = spawns_bad(f, &c->live);
  for (uint32_t i = 0; !w && i < c->arg_count; i++) w = value_bad(f, &c->args[i]);
  return w;
}

static const char *spawn_bad(const ms_facts *f, const ms_spawn *s) {
  if (s->func >= f->functions.count || s->entry >= f->functions.count) return "bad function id";
  if (!loc_ok(f, s->loc)) return "bad loc id";
  if (!str_ok(f, s->api) || !str_ok(f, s->handle)) return "bad string id";
  const char *w = lockset_bad(f, &s->locks);
  if (!w) w = spawns_bad(f, &s->live);
  return w ? w : value_bad(f, &s->arg);
}

static const char *access_bad(const ms_facts *f, const ms_access *a) {
  if (a->func >= f->functions.count) return "bad function id";
  if (!loc_ok(f, a->loc)) return "bad loc id";
  if (!str_ok(f, a->api) || !str_ok(f, a->library) || !str_ok(f, a->key_type) ||
      !str_ok(f, a->value_type) || !path_ok(f, &a->map))
    return "bad string id";
  const char *w = lockset_bad(f, &a->locks);
  return w ? w : spawns_bad(f, &a->live);
}

static int check_ids(const ms_facts *f, ms_error *err) {
  const char *w;
#define CHECK(arr, fn)                                                                \
  for (uint32_t i = 0; i < f->arr.count; i++)                                         \
    if ((w = fn(f, &f->arr.items[i])) != NULL)                                        \
      return ms_fail(err, 0, "cannot merge: " #arr "[%u]: %s", i, w);
  for (uint32_t i = 0; i < f->locs.count; i++)
    if (!str_ok(f, f->locs.items[i].file))
      return ms_fail(err, 0, "cannot merge: locs[%u]: bad file string id", i);
  CHECK(functions, function_bad)
  CHECK(calls, call_bad)
  CHECK(spawns, spawn_bad)
  CHECK(accesses, access_bad)
#undef CHECK
  return 0;
}

/* How ids of `from` become ids of `into`. */
typedef struct remap {
  ms_id *str;       /* string id -> string id */
  ms_id *loc;       /* loc id -> loc id */
  ms_id *fn;        /* function id -> function id */
  ms_id spawn_base; /* spawns are appended: spawn id + spawn_base */
} remap;

static ms_id map_str(const remap *m, ms_id id) { return id == MS_NONE ? MS_NONE : m->str[id]; }
static ms_id map_loc(const remap *m, ms_id id) { return id == MS_NONE ? MS_NONE : m->loc[id]; }

static void remap_path(const remap *m, ms_path *p) {
  p->name = map_str(m, p->name);
  p->display = map_str(m, p->display);
  p->field = map_str(m, p->field);
  p->field_owner = map_str(m, p->field_owner);
}

static void remap_lockset(const remap *m, ms_lockset *s) {
  for (uint32_t i = 0; i < s->count; i++) {
    remap_path(m, &s->items[i].lock);
    s->items[i].acquired_at = map_loc(m, s->items[i].acquired_at);
  }
}

static void remap_spawns(const remap *m, ms_idset *s) {
  for (uint32_t i = 0; i < s->count; i++) s->items[i] += m->spawn_base;
}

static void remap_strs(const remap *m, ms_idset *s) {
  for (uint32_t i = 0; i < s->count; i++) s->items[i] = map_str(m, s->items[i]);
}

static void remap_value(const remap *m, ms_value *v) {
  remap_path(m, &v->path);
  for (uint32_t i = 0; i < v->field_count; i++) {
    v->fields[i].field = map_str(m, v->fields[i].field);
    remap_path(m, &v->fields[i].value);
  }
}

/* Remaps the effects of a function of `into` that were copied from `from`. */
static void remap_effects(const remap *m, ms_function *fn) {
  remap_lockset(m, &fn->acquires);
  remap_lockset(m, &fn->releases);
  remap_spawns(m, &fn->live_at_exit);
  remap_strs(m, &fn->joins);
}

static int map_strings(ms_facts *into, const ms_facts *from, remap *m) {
  for (uint32_t i = 0; i < ms_str_count(from); i++)
    if ((m->str[i] = ms_str(into, ms_str_get(from, i))) == MS_NONE) return 1;
  return 0;
}

static int map_locs(ms_facts *into, const ms_facts *from, remap *m) {
  for (uint32_t i = 0; i < from->locs.count; i++) {
    const ms_loc *l = &from->locs.items[i];
    if ((m->loc[i] = ms_add_loc(into, map_str(m, l->file), l->line, l->col)) == MS_NONE) return 1;
  }
  return 0;
}

/* Gives a declared function of `into` the definition `def` from `from`. */
static int take_definition(ms_facts *into, ms_id id, const ms_function *def, const remap *m) {
  if (ms_set_function_effects(into, id, &def->acquires, &def->releases, &def->live_at_exit,
                              &def->joins))
    return 1;
  ms_function *d = &into->functions.items[id];
  d->loc = map_loc(m, def->loc);
  d->param_count = def->param_count;
  d->defined = def->defined;
  remap_effects(m, d);
  return 0;
}

/* Unifies the functions of `from` with those of `into` by name. */
static int map_functions(ms_facts *into, const ms_facts *from, remap *m) {
  uint32_t nstr = ms_str_count(into);
  ms_id *by_name = malloc((nstr ? nstr : 1) * sizeof *by_name);
  if (!by_name) return 1;
  for (uint32_t i = 0; i < nstr; i++) by_name[i] = MS_NONE;
  for (uint32_t i = 0; i < into->functions.count; i++) {
    ms_id name = into->functions.items[i].name;
    if (name < nstr && by_name[name] == MS_NONE) by_name[name] = i;
  }
  int rc = 0;
  for (uint32_t i = 0; i < from->functions.count && !rc; i++) {
    ms_function fn = from->functions.items[i];
    ms_id name = map_str(m, fn.name);
    ms_id id = by_name[name];
    if (id == MS_NONE) {
      id = ms_add_function(into, &fn);
      if (id == MS_NONE) rc = 1;
      else {
        ms_function *d = &into->functions.items[id];
        d->name = name;
        d->loc = map_loc(m, d->loc);
        remap_effects(m, d);
        by_name[name] = id;
      }
    } else if (!into->functions.items[id].defined && fn.defined) {
      rc = take_definition(into, id, &fn, m);
    }
    m->fn[i] = id;
  }
  free(by_name);
  return rc;
}

static int merge_calls(ms_facts *into, const ms_facts *from, const remap *m) {
  for (uint32_t i = 0; i < from->calls.count; i++) {
    ms_call c = from->calls.items[i];
    ms_id id = ms_add_call(into, &c);
    if (id == MS_NONE) return 1;
    ms_call *d = &into->calls.items[id];
    d->caller = m->fn[c.caller];
    d->callee = m->fn[c.callee];
    d->loc = map_loc(m, c.loc);
    remap_lockset(m, &d->locks);
    remap_spawns(m, &d->live);
    for (uint32_t a = 0; a < d->arg_count; a++) remap_value(m, &d->args[a]);
  }
  return 0;
}

static int merge_spawns(ms_facts *into, const ms_facts *from, const remap *m) {
  for (uint32_t i = 0; i < from->spawns.count; i++) {
    ms_spawn s = from->spawns.items[i];
    ms_id id = ms_add_spawn(into, &s);
    if (id == MS_NONE) return 1;
    ms_spawn *d = &into->spawns.items[id];
    d->func = m->fn[s.func];
    d->entry = m->fn[s.entry];
    d->loc = map_loc(m, s.loc);
    d->api = map_str(m, s.api);
    d->handle = map_str(m, s.handle);
    remap_value(m, &d->arg);
    remap_lockset(m, &d->locks);
    remap_spawns(m, &d->live);
  }
  return 0;
}

static int merge_accesses(ms_facts *into, const ms_facts *from, const remap *m) {
  for (uint32_t i = 0; i < from->accesses.count; i++) {
    ms_access a = from->accesses.items[i];
    ms_id id = ms_add_access(into, &a);
    if (id == MS_NONE) return 1;
    ms_access *d = &into->accesses.items[id];
    d->func = m->fn[a.func];
    d->loc = map_loc(m, a.loc);
    d->api = map_str(m, a.api);
    d->library = map_str(m, a.library);
    remap_path(m, &d->map);
    d->key_type = map_str(m, a.key_type);
    d->value_type = map_str(m, a.value_type);
    remap_lockset(m, &d->locks);
    remap_spawns(m, &d->live);
  }
  return 0;
}

int ms_facts_merge(ms_facts *into, const ms_facts *from, ms_error *err) {
  if (into == from) return ms_fail(err, 0, "cannot merge a fact set into itself");
  if (check_ids(from, err)) return 1;
  remap m;
  uint32_t nstr = ms_str_count(from);
  m.spawn_base = into->spawns.count;
  m.str = malloc((nstr ? nstr : 1) * sizeof *m.str);
  m.loc = malloc((from->locs.count ? from->locs.count : 1) * sizeof *m.loc);
  m.fn = malloc((from->functions.count ? from->functions.count : 1) * sizeof *m.fn);
  int rc = !m.str || !m.loc || !m.fn || map_strings(into, from, &m) || map_locs(into, from, &m) ||
           map_functions(into, from, &m) || merge_calls(into, from, &m) ||
           merge_spawns(into, from, &m) || merge_accesses(into, from, &m);
  free(m.str);
  free(m.loc);
  free(m.fn);
  return rc ? ms_fail(err, 0, "out of memory while merging facts") : 0;
}
