/*
** Merging fact sets (merge.h).
**
** The merge checks `from` before it changes `into`, then interns `from`'s
** strings and copies its locations into `into`, unifies functions by name
** and appends the other facts.  Each fact is copied with the builders of
** facts.h and then its ids are remapped in place in the copy: strings and
** locations through tables, functions through the unification, calls and
** spawns by the offset at which `from`'s arrays start in `into`.
*/
#include "mapsafe/merge.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* How ids of `from` become ids of `into`. */
typedef struct remap {
  ms_id *str;       /* string id -> string id */
  ms_id *loc;       /* loc id -> loc id */
  ms_id *fn;        /* function id -> function id */
  ms_id call_base;  /* calls are appended: call id + call_base */
  ms_id spawn_base; /* spawns are appended: spawn id + spawn_base */
} remap;

static ms_id map_str(const remap *m, ms_id id) { return id == MS_NONE ? MS_NONE : m->str[id]; }
static ms_id map_loc(const remap *m, ms_id id) { return id == MS_NONE ? MS_NONE : m->loc[id]; }
static ms_id map_call(const remap *m, ms_id id) { return id == MS_NONE ? MS_NONE : id + m->call_base; }
static ms_id map_spawn(const remap *m, ms_id id) { return id == MS_NONE ? MS_NONE : id + m->spawn_base; }

static void remap_path(const remap *m, ms_path *p) {
  p->name = map_str(m, p->name);
  p->display = map_str(m, p->display);
  p->field = map_str(m, p->field);
  p->field_owner = map_str(m, p->field_owner);
  p->field_display = map_str(m, p->field_display);
}

static void remap_paths(const remap *m, ms_pathset *s) {
  for (uint32_t i = 0; i < s->count; i++) remap_path(m, &s->items[i]);
}

static void remap_calls(const remap *m, ms_idset *s) {
  for (uint32_t i = 0; i < s->count; i++) s->items[i] = map_call(m, s->items[i]);
}

static void remap_lockset(const remap *m, ms_lockset *s) {
  for (uint32_t i = 0; i < s->count; i++) {
    ms_held *h = &s->items[i];
    remap_path(m, &h->lock);
    h->acquired_at = map_loc(m, h->acquired_at);
    h->call = map_call(m, h->call);
    remap_paths(m, &h->released);
    remap_calls(m, &h->released_by);
  }
}

static void remap_threadset(const remap *m, ms_threadset *s) {
  for (uint32_t i = 0; i < s->count; i++) {
    ms_running *t = &s->items[i];
    t->spawn = map_spawn(m, t->spawn);
    t->call = map_call(m, t->call);
    remap_paths(m, &t->joined);
    remap_calls(m, &t->joined_by);
  }
}

static void remap_value(const remap *m, ms_value *v) {
  remap_path(m, &v->path);
  for (uint32_t i = 0; i < v->field_count; i++) {
    v->fields[i].field = map_str(m, v->fields[i].field);
    remap_path(m, &v->fields[i].value);
  }
}

/* Remaps the body of a function of `into` that was copied from `from`. */
static void remap_body(const remap *m, ms_function *fn) {
  fn->loc = map_loc(m, fn->loc);
  remap_lockset(m, &fn->exit_locks);
  remap_lockset(m, &fn->requires);
  remap_threadset(m, &fn->exit_threads);
  for (uint32_t i = 0; i < fn->releases.count; i++) {
    remap_path(m, &fn->releases.items[i].lock);
    remap_calls(m, &fn->releases.items[i].unless_acquired_by);
  }
  remap_paths(m, &fn->joins);
  remap_paths(m, &fn->lock_inits);
  remap_paths(m, &fn->lock_destroys);
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

/* Gives a declared function of `into` the definition `def` from `from` (or
** the word that its body was not analysed: unsettled). */
static int take_definition(ms_facts *into, ms_id id, const ms_function *def, const remap *m) {
  if (ms_set_function_body(into, id, def)) return 1;
  ms_function *d = &into->functions.items[id];
  d->loc = def->loc;
  d->param_count = def->param_count;
  d->visibility = def->visibility;
  d->concurrent |= def->concurrent;
  remap_body(m, d);
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
    const ms_function *fn = &from->functions.items[i];
    ms_id name = map_str(m, fn->name);
    ms_id id = by_name[name];
    if (id == MS_NONE) {
      id = ms_add_function(into, fn);
      if (id == MS_NONE) {
        rc = 1;
      } else {
        into->functions.items[id].name = name;
        remap_body(m, &into->functions.items[id]);
        by_name[name] = id;
      }
    } else if (!into->functions.items[id].defined && !into->functions.items[id].unsettled &&
               (fn->defined || fn->unsettled)) {
      rc = take_definition(into, id, fn, m);
    }
    m->fn[i] = id;
  }
  free(by_name);
  return rc;
}

static int merge_calls(ms_facts *into, const ms_facts *from, const remap *m) {
  for (uint32_t i = 0; i < from->calls.count; i++) {
    const ms_call *c = &from->calls.items[i];
    ms_id id = ms_add_call(into, c);
    if (id == MS_NONE) return 1;
    ms_call *d = &into->calls.items[id];
    d->caller = m->fn[c->caller];
    d->callee = m->fn[c->callee];
    d->loc = map_loc(m, c->loc);
    remap_lockset(m, &d->locks);
    remap_threadset(m, &d->live);
    remap_paths(m, &d->maybe_locks);
    for (uint32_t a = 0; a < d->arg_count; a++) remap_value(m, &d->args[a]);
  }
  return 0;
}

static int merge_spawns(ms_facts *into, const ms_facts *from, const remap *m) {
  for (uint32_t i = 0; i < from->spawns.count; i++) {
    const ms_spawn *s = &from->spawns.items[i];
    ms_id id = ms_add_spawn(into, s);
    if (id == MS_NONE) return 1;
    ms_spawn *d = &into->spawns.items[id];
    d->func = m->fn[s->func];
    d->entry = s->entry == MS_NONE ? MS_NONE : m->fn[s->entry];
    d->loc = map_loc(m, s->loc);
    d->api = map_str(m, s->api);
    remap_path(m, &d->handle);
    remap_value(m, &d->arg);
    remap_lockset(m, &d->locks);
    remap_threadset(m, &d->live);
  }
  return 0;
}

static int merge_accesses(ms_facts *into, const ms_facts *from, const remap *m) {
  for (uint32_t i = 0; i < from->accesses.count; i++) {
    const ms_access *a = &from->accesses.items[i];
    ms_id id = ms_add_access(into, a);
    if (id == MS_NONE) return 1;
    ms_access *d = &into->accesses.items[id];
    d->func = m->fn[a->func];
    d->loc = map_loc(m, a->loc);
    if (a->published_at) d->published_at = map_loc(m, a->published_at - 1) + 1;
    d->api = map_str(m, a->api);
    d->library = map_str(m, a->library);
    remap_path(m, &d->map);
    d->key_type = map_str(m, a->key_type);
    d->value_type = map_str(m, a->value_type);
    remap_lockset(m, &d->locks);
    remap_threadset(m, &d->live);
    remap_paths(m, &d->maybe_locks);
  }
  return 0;
}

int ms_facts_merge(ms_facts *into, const ms_facts *from, ms_error *err) {
  assert(into && from);
  if (into == from) return ms_fail(err, 0, "cannot merge a fact set into itself");
  ms_error why;
  if (ms_facts_check(from, &why)) return ms_fail(err, 0, "cannot merge: %s", why.message);
  remap m;
  uint32_t nstr = ms_str_count(from);
  m.call_base = into->calls.count;
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
