/*
** Facts as JSON: the writer and the validating reader (facts_json.h), on
** top of jansson.
**
** The document is
**
**   {"format":"mapsafe-facts","version":1,
**    "functions":[...],"calls":[...],"spawns":[...],"accesses":[...]}
**
** Every fact is an object whose members are named after the fields of its
** struct in facts.h.  Strings are written inline (null for MS_NONE),
** locations inline as {"file","line","col"} (null for MS_NONE), enums by
** name, and references between facts (function, call and spawn ids) as
** array indices (null for an absent one).  The members of facts are all
** required; the entries of lock and thread sets, and paths, leave out the
** members that are empty or absent (an empty set, MS_NONE, param -1,
** depth 0), so that the common case reads plainly.
**
** The reader checks members, types, enum names and id ranges, and reports
** the first problem as "functions[2].exit_locks[0].mode: ..." in ms_error;
** then ms_facts_check() checks the fact set as a whole.  The numbers of
** functions, calls and spawns are taken before any fact is read, so a fact
** may refer to one that comes later in the document.  Function names are
** unique within a document, as functions are unified by name.
*/
#include "mapsafe/facts_json.h"

#include <assert.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "jsonout.h"

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

static json_t *uint_json(uint32_t v) { return json_integer((json_int_t)v); }

/* A fact id, or null for MS_NONE. */
static json_t *id_json(ms_id id) { return id == MS_NONE ? json_null() : uint_json(id); }

static json_t *loc_json(const ms_facts *f, ms_id id) {
  if (id == MS_NONE || id >= f->locs.count) return json_null();
  const ms_loc *l = &f->locs.items[id];
  json_t *o = json_object();
  int bad = ms__put(o, "file", str_json(f, l->file));
  bad |= ms__put(o, "line", uint_json(l->line));
  bad |= ms__put(o, "col", uint_json(l->col));
  return ms__done(o, bad);
}

static json_t *path_json(const ms_facts *f, const ms_path *p) {
  json_t *o = json_object();
  int bad = ms__put(o, "base", json_string(ms_base_name(p->base)));
  if (p->name != MS_NONE) bad |= ms__put(o, "name", str_json(f, p->name));
  if (p->display != MS_NONE) bad |= ms__put(o, "display", str_json(f, p->display));
  if (p->param != -1) bad |= ms__put(o, "param", json_integer(p->param));
  if (p->depth != 0) bad |= ms__put(o, "depth", uint_json(p->depth));
  if (p->field != MS_NONE) bad |= ms__put(o, "field", str_json(f, p->field));
  if (p->field_owner != MS_NONE) bad |= ms__put(o, "field_owner", str_json(f, p->field_owner));
  if (p->field_display != MS_NONE)
    bad |= ms__put(o, "field_display", str_json(f, p->field_display));
  if (p->owned) bad |= ms__put(o, "owned", json_true());
  return ms__done(o, bad);
}

/* A set of fact ids, as numbers. */
static json_t *ids_json(const ms_idset *s) {
  json_t *a = json_array();
  int bad = 0;
  for (uint32_t i = 0; i < s->count; i++) bad |= ms__push(a, uint_json(s->items[i]));
  return ms__done(a, bad);
}

static json_t *paths_json(const ms_facts *f, const ms_pathset *s) {
  json_t *a = json_array();
  int bad = 0;
  for (uint32_t i = 0; i < s->count; i++) bad |= ms__push(a, path_json(f, &s->items[i]));
  return ms__done(a, bad);
}

/* Optional members: written only when not empty. */
static int put_ids(json_t *o, const char *key, const ms_idset *s) {
  return s->count ? ms__put(o, key, ids_json(s)) : 0;
}

static int put_paths(json_t *o, const char *key, const ms_facts *f, const ms_pathset *s) {
  return s->count ? ms__put(o, key, paths_json(f, s)) : 0;
}

static json_t *held_json(const ms_facts *f, const ms_held *h) {
  json_t *o = json_object();
  int bad = 0;
  if (h->call == MS_NONE) {
    bad |= ms__put(o, "lock", path_json(f, &h->lock));
    bad |= ms__put(o, "mode", json_string(ms_lock_mode_name(h->mode)));
  } else {
    bad |= ms__put(o, "call", uint_json(h->call));
  }
  bad |= ms__put(o, "acquired_at", loc_json(f, h->acquired_at));
  bad |= put_paths(o, "released", f, &h->released);
  bad |= put_ids(o, "released_by", &h->released_by);
  return ms__done(o, bad);
}

static json_t *lockset_json(const ms_facts *f, const ms_lockset *s) {
  json_t *a = json_array();
  int bad = 0;
  for (uint32_t i = 0; i < s->count; i++) bad |= ms__push(a, held_json(f, &s->items[i]));
  return ms__done(a, bad);
}

static json_t *running_json(const ms_facts *f, const ms_running *t) {
  json_t *o = json_object();
  int bad = t->spawn != MS_NONE ? ms__put(o, "spawn", uint_json(t->spawn))
                                : ms__put(o, "call", uint_json(t->call));
  bad |= put_paths(o, "joined", f, &t->joined);
  bad |= put_ids(o, "joined_by", &t->joined_by);
  return ms__done(o, bad);
}

static json_t *threadset_json(const ms_facts *f, const ms_threadset *s) {
  json_t *a = json_array();
  int bad = 0;
  for (uint32_t i = 0; i < s->count; i++) bad |= ms__push(a, running_json(f, &s->items[i]));
  return ms__done(a, bad);
}

static json_t *releases_json(const ms_facts *f, const ms_releaseset *s) {
  json_t *a = json_array();
  int bad = 0;
  for (uint32_t i = 0; i < s->count; i++) {
    json_t *o = json_object();
    int b = ms__put(o, "lock", path_json(f, &s->items[i].lock));
    b |= put_ids(o, "unless_acquired_by", &s->items[i].unless_acquired_by);
    if (s->items[i].some_paths) b |= ms__put(o, "some_paths", json_true());
    bad |= ms__push(a, ms__done(o, b));
  }
  return ms__done(a, bad);
}

static json_t *field_value_json(const ms_facts *f, const ms_field_value *fv) {
  json_t *o = json_object();
  int bad = ms__put(o, "field", str_json(f, fv->field));
  bad |= ms__put(o, "value", path_json(f, &fv->value));
  bad |= ms__put(o, "per_instance", json_boolean(fv->per_instance));
  return ms__done(o, bad);
}

static json_t *value_json(const ms_facts *f, const ms_value *v) {
  json_t *o = json_object();
  json_t *fields = json_array();
  int bad = 0;
  for (uint32_t i = 0; i < v->field_count; i++)
    bad |= ms__push(fields, field_value_json(f, &v->fields[i]));
  bad |= ms__put(o, "path", path_json(f, &v->path));
  bad |= ms__put(o, "per_instance", json_boolean(v->per_instance));
  if (v->null) bad |= ms__put(o, "null", json_true());
  bad |= ms__put(o, "fields", ms__done(fields, bad));
  return ms__done(o, bad);
}

static json_t *function_json(const ms_facts *f, const ms_function *fn) {
  json_t *o = json_object();
  int bad = ms__put(o, "name", str_json(f, fn->name));
  bad |= ms__put(o, "loc", loc_json(f, fn->loc));
  bad |= ms__put(o, "param_count", uint_json(fn->param_count));
  bad |= ms__put(o, "defined", json_boolean(fn->defined));
  bad |= ms__put(o, "unsettled", json_boolean(fn->unsettled));
  bad |= ms__put(o, "returns", json_boolean(fn->returns));
  bad |= ms__put(o, "exit_locks", lockset_json(f, &fn->exit_locks));
  bad |= ms__put(o, "exit_threads", threadset_json(f, &fn->exit_threads));
  bad |= ms__put(o, "releases", releases_json(f, &fn->releases));
  bad |= ms__put(o, "joins", paths_json(f, &fn->joins));
  if (fn->visibility != MS_VIS_INTERNAL)
    bad |= ms__put(o, "visibility", json_string(ms_visibility_name(fn->visibility)));
  bad |= put_paths(o, "lock_inits", f, &fn->lock_inits);
  bad |= put_paths(o, "lock_destroys", f, &fn->lock_destroys);
  if (fn->frees) bad |= ms__put(o, "frees", json_true());
  if (fn->concurrent) bad |= ms__put(o, "concurrent", json_true());
  if (fn->requires.count) bad |= ms__put(o, "requires", lockset_json(f, &fn->requires));
  return ms__done(o, bad);
}

static json_t *call_json(const ms_facts *f, const ms_call *c) {
  json_t *o = json_object();
  json_t *args = json_array();
  int bad = 0;
  for (uint32_t i = 0; i < c->arg_count; i++) bad |= ms__push(args, value_json(f, &c->args[i]));
  bad |= ms__put(o, "caller", uint_json(c->caller));
  bad |= ms__put(o, "callee", uint_json(c->callee));
  bad |= ms__put(o, "loc", loc_json(f, c->loc));
  bad |= ms__put(o, "callback", json_boolean(c->callback));
  bad |= ms__put(o, "locks", lockset_json(f, &c->locks));
  bad |= ms__put(o, "live", threadset_json(f, &c->live));
  bad |= put_paths(o, "maybe_locks", f, &c->maybe_locks);
  if (c->nonnull_param) bad |= ms__put(o, "nonnull_param", json_integer(c->nonnull_param - 1));
  bad |= ms__put(o, "args", ms__done(args, bad));
  return ms__done(o, bad);
}

static json_t *spawn_json(const ms_facts *f, const ms_spawn *s) {
  json_t *o = json_object();
  int bad = ms__put(o, "func", uint_json(s->func));
  bad |= ms__put(o, "entry", id_json(s->entry));
  bad |= ms__put(o, "loc", loc_json(f, s->loc));
  bad |= ms__put(o, "api", str_json(f, s->api));
  bad |= ms__put(o, "handle", path_json(f, &s->handle));
  bad |= ms__put(o, "multiplicity", json_string(ms_multiplicity_name(s->multiplicity)));
  bad |= ms__put(o, "arg_param", json_integer(s->arg_param));
  bad |= ms__put(o, "arg", value_json(f, &s->arg));
  bad |= ms__put(o, "locks", lockset_json(f, &s->locks));
  bad |= ms__put(o, "live", threadset_json(f, &s->live));
  return ms__done(o, bad);
}

static json_t *access_json(const ms_facts *f, const ms_access *a) {
  json_t *o = json_object();
  int bad = ms__put(o, "func", uint_json(a->func));
  bad |= ms__put(o, "loc", loc_json(f, a->loc));
  bad |= ms__put(o, "kind", json_string(ms_access_kind_name(a->kind)));
  bad |= ms__put(o, "api", str_json(f, a->api));
  bad |= ms__put(o, "library", str_json(f, a->library));
  bad |= ms__put(o, "map", path_json(f, &a->map));
  bad |= ms__put(o, "key_type", str_json(f, a->key_type));
  bad |= ms__put(o, "value_type", str_json(f, a->value_type));
  bad |= ms__put(o, "locks", lockset_json(f, &a->locks));
  bad |= ms__put(o, "live", threadset_json(f, &a->live));
  bad |= put_paths(o, "maybe_locks", f, &a->maybe_locks);
  if (a->teardown) bad |= ms__put(o, "teardown", json_true());
  if (a->lazy) bad |= ms__put(o, "lazy", json_true());
  if (a->nonnull_param) bad |= ms__put(o, "nonnull_param", json_integer(a->nonnull_param - 1));
  if (a->published_at) bad |= ms__put(o, "published_at", loc_json(f, a->published_at - 1));
  return ms__done(o, bad);
}

static json_t *facts_json(const ms_facts *f) {
  json_t *o = json_object();
  json_t *fns = json_array(), *calls = json_array();
  json_t *spawns = json_array(), *accs = json_array();
  int bad = 0;
  for (uint32_t i = 0; i < f->functions.count; i++)
    bad |= ms__push(fns, function_json(f, &f->functions.items[i]));
  for (uint32_t i = 0; i < f->calls.count; i++)
    bad |= ms__push(calls, call_json(f, &f->calls.items[i]));
  for (uint32_t i = 0; i < f->spawns.count; i++)
    bad |= ms__push(spawns, spawn_json(f, &f->spawns.items[i]));
  for (uint32_t i = 0; i < f->accesses.count; i++)
    bad |= ms__push(accs, access_json(f, &f->accesses.items[i]));
  bad |= ms__put(o, "format", json_string(MS_FACTS_FORMAT));
  bad |= ms__put(o, "version", json_integer(MS_FACTS_VERSION));
  bad |= ms__put(o, "functions", fns);
  bad |= ms__put(o, "calls", calls);
  bad |= ms__put(o, "spawns", spawns);
  bad |= ms__put(o, "accesses", accs);
  return ms__done(o, bad);
}

char *ms_facts_to_json(const ms_facts *f) {
  assert(f);
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
  size_t ncalls;
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

/* An enum value by its name, with the names function of facts.h. */
static int as_enum(reader *r, const char *key, const json_t *v,
                   int (*from_name)(const char *, int *), int *out) {
  if (!json_is_string(v)) return wrong_type(r, key, "a string", v);
  const char *s = json_string_value(v);
  if (from_name(s, out)) return bad(r, key, "unknown name \"%.64s\"", s);
  return 0;
}

#define ENUM_READER(fn, type, from)                                                   \
  static int fn(const char *s, int *out) {                                            \
    type v;                                                                           \
    if (from(s, &v)) return 1;                                                        \
    *out = (int)v;                                                                    \
    return 0;                                                                         \
  }
ENUM_READER(base_from, ms_base, ms_base_from_name)
ENUM_READER(mode_from, ms_lock_mode, ms_lock_mode_from_name)
ENUM_READER(mult_from, ms_multiplicity, ms_multiplicity_from_name)
ENUM_READER(visibility_from, ms_visibility, ms_visibility_from_name)
ENUM_READER(kind_from, ms_access_kind, ms_access_kind_from_name)
#undef ENUM_READER

/* Enters `key` into r->where: ".key" after a name, "[i]" as it is. */
static size_t enter_key(reader *r, const char *key) {
  return enter(r, "%s%s", r->wlen && key[0] != '[' ? "." : "", key);
}

/* An optional member of a path. */
static int path_str(reader *r, const json_t *o, const char *key, ms_id *out) {
  json_t *v = json_object_get(o, key);
  return v ? as_str(r, key, v, 0, out) : 0;
}

static int as_path(reader *r, const char *key, const json_t *v, ms_path *out) {
  static const char *const names[] = {"base",  "name",  "display",     "param",        "depth",
                                      "field", "field_owner", "field_display", "owned", NULL};
  json_t *base, *x;
  int b = 0;
  json_int_t param = -1;
  *out = ms_path_unknown();
  if (!json_is_object(v)) return wrong_type(r, key, "a path object", v);
  size_t mark = enter_key(r, key);
  int rc = check_object(r, NULL, v, names) || member(r, v, "base", &base) ||
           as_enum(r, "base", base, base_from, &b) || path_str(r, v, "name", &out->name) ||
           path_str(r, v, "display", &out->display) || path_str(r, v, "field", &out->field) ||
           path_str(r, v, "field_owner", &out->field_owner) ||
           path_str(r, v, "field_display", &out->field_display);
  if (!rc && (x = json_object_get(v, "param")) != NULL)
    rc = as_int(r, "param", x, 0, INT32_MAX, &param);
  if (!rc && (x = json_object_get(v, "depth")) != NULL) rc = as_u32(r, "depth", x, &out->depth);
  if (!rc && (x = json_object_get(v, "owned")) != NULL) {
    if (!json_is_boolean(x)) rc = wrong_type(r, "owned", "true or false", x);
    else out->owned = json_is_true(x);
  }
  leave(r, mark);
  out->base = (ms_base)b;
  out->param = (int32_t)param;
  return rc;
}

/* Allocates `n` zeroed elements into *items (NULL when n is 0). */
static int alloc_items(reader *r, void **items, size_t n, size_t size) {
  *items = NULL;
  if (!n) return 0;
  *items = calloc(n, size);
  return *items ? 0 : oom(r);
}

/* Reads the JSON array v into `count` elements of `size` bytes at *items
** with `one` (which gets "[i]" as its key).  What it allocated stays in
** *items even when it fails; the caller frees it. */
typedef int (*read_one)(reader *r, const char *key, const json_t *v, void *out);

static int as_array(reader *r, const char *key, const json_t *v, void **items, uint32_t *count,
                    size_t size, read_one one) {
  *count = 0;
  *items = NULL;
  if (!json_is_array(v)) return wrong_type(r, key, "an array", v);
  size_t n = json_array_size(v);
  if (alloc_items(r, items, n, size)) return 1;
  *count = (uint32_t)n;
  size_t mark = enter_key(r, key);
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    char idx[32];
    snprintf(idx, sizeof idx, "[%zu]", i);
    rc = one(r, idx, json_array_get(v, i), (char *)*items + i * size);
  }
  leave(r, mark);
  return rc;
}

static int one_call_id(reader *r, const char *key, const json_t *v, void *out) {
  return as_id(r, key, v, r->ncalls, "call", out);
}

static int one_path(reader *r, const char *key, const json_t *v, void *out) {
  return as_path(r, key, v, out);
}

/* Optional members holding call ids / paths: absent means empty. */
static int opt_calls(reader *r, const json_t *o, const char *key, ms_idset *out) {
  json_t *v = json_object_get(o, key);
  if (!v) return 0;
  return as_array(r, key, v, (void **)&out->items, &out->count, sizeof *out->items, one_call_id);
}

static int opt_paths(reader *r, const json_t *o, const char *key, ms_pathset *out) {
  json_t *v = json_object_get(o, key);
  if (!v) return 0;
  return as_array(r, key, v, (void **)&out->items, &out->count, sizeof *out->items, one_path);
}

/* Whether object v has exactly one of two members; fails otherwise. */
static int one_of(reader *r, const json_t *v, const char *a, const char *b, int *has_a) {
  *has_a = json_object_get(v, a) != NULL;
  if (*has_a == (json_object_get(v, b) != NULL))
    return bad(r, NULL, "needs exactly one of \"%s\" and \"%s\"", a, b);
  return 0;
}

static int one_held(reader *r, const char *key, const json_t *v, void *out) {
  static const char *const names[] = {"lock",     "mode",        "call", "acquired_at",
                                      "released", "released_by", NULL};
  ms_held *h = out;
  json_t *x;
  int m = 0, own = 0;
  h->lock = ms_path_unknown();
  h->call = MS_NONE;
  h->acquired_at = MS_NONE;
  size_t mark = enter(r, "%s", key);
  int rc = check_object(r, NULL, v, names) || one_of(r, v, "lock", "call", &own);
  if (!rc && own)
    rc = as_path(r, "lock", json_object_get(v, "lock"), &h->lock) ||
         member(r, v, "mode", &x) || as_enum(r, "mode", x, mode_from, &m);
  if (!rc && !own) {
    rc = as_id(r, "call", json_object_get(v, "call"), r->ncalls, "call", &h->call);
    if (!rc && json_object_get(v, "mode"))
      rc = bad(r, "mode", "a lock held through a call has the mode its callee took it in");
  }
  if (!rc) rc = member(r, v, "acquired_at", &x) || as_loc(r, "acquired_at", x, &h->acquired_at);
  if (!rc)
    rc = opt_paths(r, v, "released", &h->released) ||
         opt_calls(r, v, "released_by", &h->released_by);
  if (!rc && own && h->released.count)
    rc = bad(r, "released", "only a lock held through a call lists what was released since");
  h->mode = (ms_lock_mode)m;
  leave(r, mark);
  return rc;
}

static int as_lockset(reader *r, const char *key, const json_t *v, ms_lockset *out) {
  return as_array(r, key, v, (void **)&out->items, &out->count, sizeof *out->items, one_held);
}

static int one_running(reader *r, const char *key, const json_t *v, void *out) {
  static const char *const names[] = {"spawn", "call", "joined", "joined_by", NULL};
  ms_running *t = out;
  int own = 0;
  t->spawn = t->call = MS_NONE;
  size_t mark = enter(r, "%s", key);
  int rc = check_object(r, NULL, v, names) || one_of(r, v, "spawn", "call", &own);
  if (!rc && own) rc = as_id(r, "spawn", json_object_get(v, "spawn"), r->nspawns, "spawn", &t->spawn);
  if (!rc && !own) rc = as_id(r, "call", json_object_get(v, "call"), r->ncalls, "call", &t->call);
  if (!rc)
    rc = opt_paths(r, v, "joined", &t->joined) || opt_calls(r, v, "joined_by", &t->joined_by);
  if (!rc && own && t->joined.count)
    rc = bad(r, "joined", "only threads left running by a call list what was joined since");
  leave(r, mark);
  return rc;
}

static int as_threadset(reader *r, const char *key, const json_t *v, ms_threadset *out) {
  return as_array(r, key, v, (void **)&out->items, &out->count, sizeof *out->items, one_running);
}

static int one_release(reader *r, const char *key, const json_t *v, void *out) {
  static const char *const names[] = {"lock", "unless_acquired_by", "some_paths", NULL};
  ms_release *rel = out;
  json_t *x;
  size_t mark = enter(r, "%s", key);
  int rc = check_object(r, NULL, v, names) || member(r, v, "lock", &x) ||
           as_path(r, "lock", x, &rel->lock) ||
           opt_calls(r, v, "unless_acquired_by", &rel->unless_acquired_by);
  if (!rc && (x = json_object_get(v, "some_paths")) != NULL) {
    if (!json_is_boolean(x)) rc = wrong_type(r, "some_paths", "true or false", x);
    else rel->some_paths = json_is_true(x);
  }
  leave(r, mark);
  return rc;
}

static int one_field_value(reader *r, const char *key, const json_t *v, void *out) {
  static const char *const names[] = {"field", "value", "per_instance", NULL};
  ms_field_value *fv = out;
  json_t *field, *value, *per;
  size_t mark = enter(r, "%s", key);
  int rc = check_object(r, NULL, v, names) || member(r, v, "field", &field) ||
           member(r, v, "value", &value) || member(r, v, "per_instance", &per) ||
           as_str(r, "field", field, 1, &fv->field) || as_path(r, "value", value, &fv->value) ||
           as_bool(r, "per_instance", per, &fv->per_instance);
  leave(r, mark);
  return rc;
}

/* `key` is appended to the location as is ("[2]" or ".arg"). */
static int one_value(reader *r, const char *key, const json_t *v, void *out) {
  static const char *const names[] = {"path", "per_instance", "fields", "null", NULL};
  ms_value *val = out;
  json_t *path, *per, *fields, *null = json_object_get(v, "null");
  size_t mark = enter(r, "%s", key);
  int rc = check_object(r, NULL, v, names) || (null && as_bool(r, "null", null, &val->null)) ||
           member(r, v, "path", &path) ||
           member(r, v, "per_instance", &per) || member(r, v, "fields", &fields) ||
           as_path(r, "path", path, &val->path) ||
           as_bool(r, "per_instance", per, &val->per_instance) ||
           as_array(r, "fields", fields, (void **)&val->fields, &val->field_count,
                    sizeof *val->fields, one_field_value);
  leave(r, mark);
  return rc;
}

/* Looks up the members of a fact in order into vals: the first `required`
** of names must be there, the others may be absent (NULL). */
static int members_some(reader *r, const json_t *obj, const char *const *names, size_t required,
                        json_t **vals) {
  if (check_object(r, NULL, obj, names)) return 1;
  for (size_t i = 0; names[i]; i++) {
    if (i < required && member(r, obj, names[i], &vals[i])) return 1;
    if (i >= required) vals[i] = json_object_get(obj, names[i]);
  }
  return 0;
}

/* Looks up the members of a fact, all required, in order into vals. */
static int members(reader *r, const json_t *obj, const char *const *names, json_t **vals) {
  return members_some(r, obj, names, SIZE_MAX, vals);
}

static void free_values(ms_value *v, uint32_t n) {
  for (uint32_t i = 0; v && i < n; i++) free(v[i].fields);
  free(v);
}

static void free_releases(ms_releaseset *s) {
  for (uint32_t i = 0; s->items && i < s->count; i++) free(s->items[i].unless_acquired_by.items);
  free(s->items);
}

static int read_function(reader *r, const json_t *o) {
  static const char *const names[] = {"name",       "loc",        "param_count",   "defined",
                                      "unsettled",  "returns",    "exit_locks",    "exit_threads",
                                      "releases",   "joins",      "visibility",    "lock_inits",
                                      "lock_destroys", "frees",   "concurrent",  "requires",
                                      NULL};
  json_t *v[16];
  ms_function fn;
  int vis = MS_VIS_INTERNAL;
  memset(&fn, 0, sizeof fn);
  fn.loc = MS_NONE;
  int rc = members_some(r, o, names, 10, v) || as_str(r, "name", v[0], 0, &fn.name) ||
           as_loc(r, "loc", v[1], &fn.loc) || as_u32(r, "param_count", v[2], &fn.param_count) ||
           as_bool(r, "defined", v[3], &fn.defined) ||
           as_bool(r, "unsettled", v[4], &fn.unsettled) ||
           as_bool(r, "returns", v[5], &fn.returns) ||
           as_lockset(r, "exit_locks", v[6], &fn.exit_locks) ||
           as_threadset(r, "exit_threads", v[7], &fn.exit_threads) ||
           as_array(r, "releases", v[8], (void **)&fn.releases.items, &fn.releases.count,
                    sizeof *fn.releases.items, one_release) ||
           as_array(r, "joins", v[9], (void **)&fn.joins.items, &fn.joins.count,
                    sizeof *fn.joins.items, one_path) ||
           (v[10] && as_enum(r, "visibility", v[10], visibility_from, &vis)) ||
           opt_paths(r, o, "lock_inits", &fn.lock_inits) ||
           opt_paths(r, o, "lock_destroys", &fn.lock_destroys) ||
           (v[13] && as_bool(r, "frees", v[13], &fn.frees)) ||
           (v[14] && as_bool(r, "concurrent", v[14], &fn.concurrent)) ||
           (v[15] && as_lockset(r, "requires", v[15], &fn.requires));
  fn.visibility = (ms_visibility)vis;
  if (!rc && ms_add_function(r->f, &fn) == MS_NONE) rc = oom(r);
  ms__lockset_free(&fn.exit_locks);
  ms__lockset_free(&fn.requires);
  ms__threadset_free(&fn.exit_threads);
  free_releases(&fn.releases);
  free(fn.joins.items);
  free(fn.lock_inits.items);
  free(fn.lock_destroys.items);
  return rc;
}

static int read_call(reader *r, const json_t *o) {
  static const char *const names[] = {"caller", "callee", "loc",  "callback",
                                      "locks",  "live",   "args", "maybe_locks", "nonnull_param",
                                      NULL};
  json_t *v[9];
  ms_call c;
  json_int_t np = -1;
  memset(&c, 0, sizeof c);
  int rc = members_some(r, o, names, 7, v) || as_fid(r, "caller", v[0], &c.caller) ||
           as_fid(r, "callee", v[1], &c.callee) || as_loc(r, "loc", v[2], &c.loc) ||
           as_bool(r, "callback", v[3], &c.callback) || as_lockset(r, "locks", v[4], &c.locks) ||
           as_threadset(r, "live", v[5], &c.live) ||
           as_array(r, "args", v[6], (void **)&c.args, &c.arg_count, sizeof *c.args, one_value) ||
           opt_paths(r, o, "maybe_locks", &c.maybe_locks) ||
           (v[8] && as_int(r, "nonnull_param", v[8], 0, INT32_MAX - 1, &np));
  c.nonnull_param = (uint32_t)(np + 1);
  if (!rc && ms_add_call(r->f, &c) == MS_NONE) rc = oom(r);
  ms__lockset_free(&c.locks);
  ms__threadset_free(&c.live);
  free(c.maybe_locks.items);
  free_values(c.args, c.arg_count);
  return rc;
}

static int read_spawn(reader *r, const json_t *o) {
  static const char *const names[] = {"func",      "entry", "loc",   "api",  "handle", "multiplicity",
                                      "arg_param", "arg",   "locks", "live", NULL};
  json_t *v[10];
  ms_spawn s;
  int m = 0;
  json_int_t ap = -1;
  memset(&s, 0, sizeof s);
  s.entry = MS_NONE;
  int rc = members(r, o, names, v) || as_fid(r, "func", v[0], &s.func) ||
           (!json_is_null(v[1]) && as_fid(r, "entry", v[1], &s.entry)) ||
           as_loc(r, "loc", v[2], &s.loc) || as_str(r, "api", v[3], 1, &s.api) ||
           as_path(r, "handle", v[4], &s.handle) ||
           as_enum(r, "multiplicity", v[5], mult_from, &m) ||
           as_int(r, "arg_param", v[6], -1, INT32_MAX, &ap) || one_value(r, ".arg", v[7], &s.arg) ||
           as_lockset(r, "locks", v[8], &s.locks) || as_threadset(r, "live", v[9], &s.live);
  s.multiplicity = (ms_multiplicity)m;
  s.arg_param = (int32_t)ap;
  if (!rc && ms_add_spawn(r->f, &s) == MS_NONE) rc = oom(r);
  free(s.arg.fields);
  ms__lockset_free(&s.locks);
  ms__threadset_free(&s.live);
  return rc;
}

static int read_access(reader *r, const json_t *o) {
  static const char *const names[] = {"func",     "loc",        "kind",  "api",  "library", "map",
                                      "key_type", "value_type", "locks", "live", "maybe_locks",
                                      "teardown", "lazy", "nonnull_param", "published_at", NULL};
  json_t *v[15];
  ms_id published = MS_NONE;
  ms_access a;
  int k = 0;
  json_int_t np = -1;
  memset(&a, 0, sizeof a);
  int rc = members_some(r, o, names, 10, v) || as_fid(r, "func", v[0], &a.func) ||
           as_loc(r, "loc", v[1], &a.loc) || as_enum(r, "kind", v[2], kind_from, &k) ||
           as_str(r, "api", v[3], 1, &a.api) || as_str(r, "library", v[4], 1, &a.library) ||
           as_path(r, "map", v[5], &a.map) || as_str(r, "key_type", v[6], 1, &a.key_type) ||
           as_str(r, "value_type", v[7], 1, &a.value_type) ||
           as_lockset(r, "locks", v[8], &a.locks) || as_threadset(r, "live", v[9], &a.live) ||
           opt_paths(r, o, "maybe_locks", &a.maybe_locks) ||
           (v[11] && as_bool(r, "teardown", v[11], &a.teardown)) ||
           (v[12] && as_bool(r, "lazy", v[12], &a.lazy)) ||
           (v[13] && as_int(r, "nonnull_param", v[13], 0, INT32_MAX - 1, &np)) ||
           (v[14] && as_loc(r, "published_at", v[14], &published));
  a.nonnull_param = (uint32_t)(np + 1);
  a.published_at = published == MS_NONE ? 0 : published + 1;
  a.kind = (ms_access_kind)k;
  if (!rc && ms_add_access(r->f, &a) == MS_NONE) rc = oom(r);
  ms__lockset_free(&a.locks);
  ms__threadset_free(&a.live);
  free(a.maybe_locks.items);
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

static int read_header(reader *r, const json_t *root, json_t **arrays) {
  static const char *const names[] = {"format", "version",  "functions", "calls",
                                      "spawns", "accesses", NULL};
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
  r->ncalls = json_array_size(arrays[1]);
  r->nspawns = json_array_size(arrays[2]);
  return 0;
}

static int read_facts(reader *r, const json_t *root) {
  json_t *a[4];
  return read_header(r, root, a) || read_all(r, "functions", a[0], read_function) ||
         read_all(r, "calls", a[1], read_call) ||
         read_all(r, "spawns", a[2], read_spawn) || read_all(r, "accesses", a[3], read_access) ||
         ms_facts_check(r->f, r->err);
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
