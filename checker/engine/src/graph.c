/*
** The map access graph of a result, as JSON (with jansson) and as DOT.
**
** Nothing here decides anything: every fact the graph states comes from
** the result (analysis.h), every phrase from messages.h.  Both writers check
** what they build: out of memory gives NULL, never half a graph.
*/
#include "mapsafe/report.h"

#include <assert.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "jsonout.h"
#include "mapsafe/messages.h"
#include "textbuf.h"

static const char *str(const ms_result *r, ms_id id) { return ms_str_get(r->facts, id); }

static const char *func_name(const ms_result *r, ms_id fn) {
  return fn < r->facts->functions.count ? str(r, r->facts->functions.items[fn].name) : "?";
}

/* "file:line:col" of a loc id into a new string ("?" when absent). */
static char *loc_text(const ms_result *r, ms_id loc) {
  if (loc == MS_NONE || loc >= r->facts->locs.count) return strdup("?");
  const ms_loc *l = &r->facts->locs.items[loc];
  const char *file = str(r, l->file);
  size_t n = strlen(file) + 24;
  char *s = malloc(n);
  if (s) snprintf(s, n, "%s:%u:%u", file, l->line, l->col);
  return s;
}

/* The instances of each access: inst[first[a] .. first[a+1]) in instance order. */
typedef struct by_access {
  ms_id *inst;
  uint32_t *first;
} by_access;

static int group_by_access(const ms_result *r, by_access *g) {
  uint32_t na = r->facts->accesses.count, ni = r->instances.count;
  g->inst = malloc((ni ? ni : 1) * sizeof *g->inst);
  g->first = calloc(na + 2, sizeof *g->first);
  if (!g->inst || !g->first) return 1;
  for (uint32_t i = 0; i < ni; i++) g->first[r->instances.items[i].access + 2]++;
  for (uint32_t a = 0; a < na; a++) g->first[a + 2] += g->first[a + 1];
  for (uint32_t i = 0; i < ni; i++) g->inst[g->first[r->instances.items[i].access + 1]++] = i;
  return 0;
}

/* An access of an entry root while none of its threads runs: the phase
** before the first spawn, or after the joins. */
static int single_threaded(const ms_result *r, const ms_instance *in) {
  return r->threads.items[in->thread].kind == MS_THREAD_ENTRY && in->live.count == 0;
}

/* An access in a function that any thread may enter from elsewhere (external
** linkage or a taken address), when guard inference counts such accesses:
** that function, else MS_NONE. */
static ms_id open_site(const ms_result *r, const ms_instance *in) {
  return r->bounds.sequential_external ? MS_NONE : ms__open_site(r, in);
}

/* ---- JSON ---------------------------------------------------------------- */

static json_t *str_or_null(const ms_result *r, ms_id id) {
  return id == MS_NONE ? json_null() : json_string(str(r, id));
}

/* Takes a malloc'ed string (NULL: out of memory). */
static json_t *own_string(char *s) {
  json_t *j = s ? json_string(s) : NULL;
  free(s);
  return j;
}

static const char *object_kind_name(ms_object_kind k) {
  switch (k) {
  case MS_OBJ_GLOBAL: return "global";
  case MS_OBJ_FIELD: return "field";
  case MS_OBJ_LOCAL: return "local";
  default: return "unknown";
  }
}

static const char *verdict_name(ms_guard_verdict v) {
  switch (v) {
  case MS_GUARD_GUARDS: return "guards";
  case MS_GUARD_DECLARED: return "declared";
  case MS_GUARD_TOO_FEW: return "too-few";
  case MS_GUARD_TOO_RARE: return "too-rare";
  case MS_GUARD_READ_ONLY: return "read-only";
  default: return "unknown";
  }
}

/* The guard candidates of every map, by map, then lock: what guard inference
** weighed, and where the lock is held. */
static json_t *guards_json(const ms_result *r) {
  json_t *arr = json_array();
  int bad = 0;
  for (uint32_t i = 0; i < r->guards.count && !bad; i++) {
    const ms_guard *gd = &r->guards.items[i];
    const char *lock = ms_object_name(r, gd->lock);
    json_t *j = json_object(), *held = json_array();
    int b = ms__put(j, "map", json_integer(gd->map));
    b |= ms__put(j, "lock", json_integer(gd->lock));
    b |= ms__put(j, "lock_name", lock ? json_string(lock) : json_null());
    b |= ms__put(j, "verdict", json_string(verdict_name(gd->verdict)));
    b |= ms__put(j, "guarded_sites", json_integer(gd->guarded_sites));
    b |= ms__put(j, "strong_sites", json_integer(gd->strong_sites));
    b |= ms__put(j, "sites", json_integer(gd->sites));
    b |= ms__put(j, "guarded_weight", json_integer(gd->guarded_weight));
    b |= ms__put(j, "weight", json_integer(gd->weight));
    for (uint32_t k = 0; k < gd->held_count && !b; k++) {
      const ms_access *acc = &r->facts->accesses.items[r->instances.items[gd->held_at[k]].access];
      b |= ms__push(held, own_string(loc_text(r, acc->loc)));
    }
    b |= ms__put(j, "held_at", held);
    bad |= ms__push(arr, ms__done(j, b));
  }
  return ms__done(arr, bad);
}

static json_t *object_json(const ms_result *r, ms_id id, int map) {
  const ms_object *o = &r->objects.items[id];
  const char *name = ms_object_name(r, id);
  json_t *j = json_object();
  int bad = ms__put(j, "id", json_integer(id));
  bad |= ms__put(j, "name", name ? json_string(name) : json_null());
  bad |= ms__put(j, "kind", json_string(object_kind_name(o->kind)));
  /* A map each call of a function has its own of; or each instance of a
  ** thread, handed it whole by the function that made it. */
  if (o->kind == MS_OBJ_LOCAL && o->made_in != MS_NONE &&
      (o->made_by != MS_NONE || o->field != MS_NONE)) {
    const ms_thread *t = o->made_by < r->threads.count ? &r->threads.items[o->made_by] : NULL;
    if (t && t->kind == MS_THREAD_SPAWNED && t->func != o->made_in)
      bad |= ms__put(j, "owned_by_each_instance_of", json_string(func_name(r, t->func)));
    else
      bad |= ms__put(j, "owned_by_each_call_of", json_string(func_name(r, o->made_in)));
  }
  if (map) {
    bad |= ms__put(j, "library", str_or_null(r, o->library));
    bad |= ms__put(j, "key_type", str_or_null(r, o->key_type));
    bad |= ms__put(j, "value_type", str_or_null(r, o->value_type));
  }
  return ms__done(j, bad);
}

static json_t *threads_json(const ms_result *r) {
  json_t *arr = json_array();
  int bad = 0;
  for (uint32_t i = 0; i < r->threads.count; i++) {
    const ms_thread *t = &r->threads.items[i];
    json_t *j = json_object();
    int b = ms__put(j, "id", json_integer(i));
    b |= ms__put(j, "entry", json_string(func_name(r, t->func)));
    b |= ms__put(j, "kind", json_string(t->kind == MS_THREAD_ENTRY     ? "entry"
                                        : t->kind == MS_THREAD_SPAWNED ? "spawned"
                                                                       : "declared"));
    b |= ms__put(j, "multiplicity", json_string(ms_multiplicity_name(t->multiplicity)));
    if (t->kind == MS_THREAD_SPAWNED) {
      const ms_spawn *s = &r->facts->spawns.items[t->spawn];
      b |= ms__put(j, "parent", json_integer(t->parent));
      b |= ms__put(j, "spawned_at", own_string(loc_text(r, s->loc)));
      b |= ms__put(j, "api", json_string(str(r, s->api)));
    }
    bad |= ms__push(arr, ms__done(j, b));
  }
  return ms__done(arr, bad);
}

static json_t *instance_json(const ms_result *r, ms_id i) {
  const ms_instance *in = &r->instances.items[i];
  json_t *j = json_object(), *locks = json_array(), *path = json_array();
  int bad = ms__put(j, "thread", json_integer(in->thread));
  for (uint32_t k = 0; k < in->lock_count; k++) {
    json_t *l = json_object();
    int b = ms__put(l, "lock", json_integer(in->locks[k].lock));
    b |= ms__put(l, "mode", json_string(ms_lock_mode_name(in->locks[k].mode)));
    bad |= ms__push(locks, ms__done(l, b));
  }
  bad |= ms__put(j, "locks", locks);
  /* The call path, outermost first: count, then fill from the end. */
  uint32_t n = 0;
  for (ms_id c = in->context; c != MS_NONE; c = r->contexts.items[c].parent) n++;
  for (uint32_t k = 0; k < n; k++) bad |= ms__push(path, json_null());
  for (ms_id c = in->context; c != MS_NONE && !bad; c = r->contexts.items[c].parent)
    bad |= json_array_set_new(path, --n, json_string(func_name(r, r->contexts.items[c].func))) != 0;
  bad |= ms__put(j, "call_path", path);
  if (in->owner != MS_NONE) bad |= ms__put(j, "private_to_each_instance", json_true());
  if (single_threaded(r, in)) bad |= ms__put(j, "single_threaded", json_true());
  json_t *sites = json_array();
  for (uint32_t k = 0; k < in->sites.count && !bad; k++)
    bad |= ms__push(sites, json_string(func_name(r, in->sites.items[k])));
  bad |= ms__put(j, "sites", sites);
  if (in->maybe_count) {
    json_t *maybe = json_array();
    for (uint32_t k = 0; k < in->maybe_count && !bad; k++)
      bad |= ms__push(maybe, json_integer(in->maybe[k]));
    bad |= ms__put(j, "maybe_locks", maybe);
  }
  ms_id open = open_site(r, in);
  if (open != MS_NONE) bad |= ms__put(j, "any_thread_via", json_string(func_name(r, open)));
  return ms__done(j, bad);
}

static json_t *accesses_json(const ms_result *r, const by_access *g) {
  json_t *arr = json_array();
  const ms_facts *f = r->facts;
  int bad = 0;
  for (uint32_t a = 0; a < f->accesses.count; a++) {
    const ms_access *acc = &f->accesses.items[a];
    json_t *j = json_object(), *insts = json_array();
    int b = ms__put(j, "function", json_string(func_name(r, acc->func)));
    b |= ms__put(j, "loc", own_string(loc_text(r, acc->loc)));
    b |= ms__put(j, "kind", json_string(ms_access_kind_name(acc->kind)));
    b |= ms__put(j, "api", json_string(str(r, acc->api)));
    /* Where the struct holding the map stopped being its call's own. */
    if (acc->published_at)
      b |= ms__put(j, "published_at", own_string(loc_text(r, acc->published_at - 1)));
    ms_id map = MS_NONE;
    for (uint32_t k = g->first[a]; k < g->first[a + 1]; k++) {
      map = r->instances.items[g->inst[k]].map;
      b |= ms__push(insts, instance_json(r, g->inst[k]));
    }
    b |= ms__put(j, "map", map == MS_NONE ? json_null() : json_integer(map));
    b |= ms__put(j, "instances", insts);
    bad |= ms__push(arr, ms__done(j, b));
  }
  return ms__done(arr, bad);
}

static json_t *findings_json(const ms_result *r) {
  json_t *arr = json_array();
  int bad = 0;
  for (uint32_t i = 0; i < r->findings.count; i++) {
    const ms_finding *fd = &r->findings.items[i];
    ms_message m;
    ms_finding_message(r, fd, &m);
    json_t *j = json_object();
    const char *check = ms_check_name(fd->check);
    char *name = malloc(strlen(check) + 9);
    if (name) {
      strcpy(name, "mapsafe-");
      strcat(name, check);
    }
    int b = ms__put(j, "check", own_string(name));
    b |= ms__put(j, "loc", own_string(loc_text(r, ms_finding_loc(r, fd))));
    b |= ms__put(j, "other", own_string(loc_text(r, r->facts->accesses.items[r->instances.items[fd->other].access].loc)));
    b |= ms__put(j, "map", json_integer(r->instances.items[fd->instance].map));
    b |= ms__put(j, "message", own_string(ms_format(&m)));
    if (fd->check == MS_CHECK_INCONSISTENT_LOCKING) {
      b |= ms__put(j, "guard", json_integer(r->guards.items[fd->guard].lock));
      if (fd->rival != MS_NONE) b |= ms__put(j, "rival", json_integer(r->guards.items[fd->rival].lock));
      /* clang-tidy shows the race instead when its check is enabled. */
      if (ms_finding_superseded(r, fd, ~0u)) b |= ms__put(j, "superseded", json_true());
    }
    bad |= ms__push(arr, ms__done(j, b));
  }
  return ms__done(arr, bad);
}

char *ms_graph_json(const ms_result *r) {
  assert(r);
  by_access g = {NULL, NULL};
  json_t *root = json_object(), *maps = json_array(), *locks = json_array();
  int bad = group_by_access(r, &g);
  for (uint32_t i = 0; i < r->objects.count && !bad; i++) {
    if (r->objects.items[i].is_map) bad |= ms__push(maps, object_json(r, i, 1));
    if (r->objects.items[i].is_lock) bad |= ms__push(locks, object_json(r, i, 0));
  }
  bad |= ms__put(root, "format", json_string("mapsafe-graph"));
  bad |= ms__put(root, "version", json_integer(1));
  bad |= ms__put(root, "maps", maps);
  bad |= ms__put(root, "locks", locks);
  if (!bad) {
    bad |= ms__put(root, "guards", guards_json(r));
    bad |= ms__put(root, "threads", threads_json(r));
    bad |= ms__put(root, "accesses", accesses_json(r, &g));
    bad |= ms__put(root, "findings", findings_json(r));
    bad |= ms__put(root, "truncated", json_boolean(r->limits != 0 || r->graph_limits != 0 || r->unsettled != 0));
  }
  free(g.inst);
  free(g.first);
  char *text = bad ? NULL : json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
  json_decref(root);
  return text;
}

/* ---- DOT ----------------------------------------------------------------- */

/* A DOT label text, escaped. */
static void put_label(ms_textbuf *b, const char *s) {
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') ms__text_put(b, "\\", 1);
    ms__text_put(b, s, 1);
  }
}

static void put_thread(ms_textbuf *b, const ms_result *r, ms_id thread) {
  ms_message m;
  ms_thread_message(r, thread, &m);
  char *s = ms_format(&m);
  if (!s) {
    b->oom = 1;
    return;
  }
  put_label(b, s);
  free(s);
}

/* 'name', or the unnamed lock's words. */
static void put_object(ms_textbuf *b, const ms_result *r, ms_id object) {
  const char *name = ms_object_name(r, object);
  if (!name) {
    ms__text_puts(b, "an unnamed lock");
    return;
  }
  ms__text_puts(b, "'");
  put_label(b, name);
  ms__text_puts(b, "'");
}

/* Whether the picture shows a thread: entry roots that reach no map and
** start no thread only add clutter. */
static int thread_shown(const ms_result *r, const unsigned char *has_instances, ms_id t) {
  if (r->threads.items[t].kind != MS_THREAD_ENTRY || has_instances[t]) return 1;
  for (uint32_t i = 0; i < r->threads.count; i++)
    if (r->threads.items[i].parent == t) return 1;
  return 0;
}

char *ms_graph_dot(const ms_result *r) {
  assert(r);
  ms_textbuf b = {NULL, 0, 0, 0};
  uint32_t na = r->facts->accesses.count, nt = r->threads.count;
  unsigned char *reported = calloc(na ? na : 1, 1), *has_instances = calloc(nt ? nt : 1, 1);
  /* One edge per (thread, access): the first instance of each. */
  unsigned char *edge = calloc(r->instances.count ? r->instances.count : 1, 1);
  by_access g = {NULL, NULL};
  if (!reported || !has_instances || !edge || group_by_access(r, &g)) b.oom = 1;
  for (uint32_t i = 0; !b.oom && i < r->findings.count; i++)
    reported[r->instances.items[r->findings.items[i].instance].access] = 1;
  for (uint32_t i = 0; !b.oom && i < r->instances.count; i++)
    has_instances[r->instances.items[i].thread] = 1;
  for (uint32_t a = 0; !b.oom && a < na; a++)
    for (uint32_t k = g.first[a]; k < g.first[a + 1]; k++) {
      int seen = 0;
      for (uint32_t j = g.first[a]; j < k && !seen; j++)
        seen = r->instances.items[g.inst[j]].thread == r->instances.items[g.inst[k]].thread;
      edge[g.inst[k]] = !seen;
    }

  ms__text_puts(&b, "digraph mapsafe {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n"
               "  edge [fontname=\"Helvetica\", fontsize=9];\n");
  for (uint32_t i = 0; !b.oom && i < nt; i++) {
    const ms_thread *t = &r->threads.items[i];
    if (!thread_shown(r, has_instances, i)) continue;
    ms__text_printf(&b, "  t%u [shape=box, style=rounded, label=\"", i);
    put_thread(&b, r, i);
    ms__text_printf(&b, "%s\"];\n", t->multiplicity == MS_MULT_MANY ? " (many)" : "");
    if (t->kind == MS_THREAD_SPAWNED) {
      const ms_loc *l = &r->facts->locs.items[r->facts->spawns.items[t->spawn].loc];
      ms__text_printf(&b, "  t%u -> t%u [style=dashed, label=\"spawns :%u\"];\n", t->parent, i, l->line);
    }
  }
  for (uint32_t i = 0; !b.oom && i < r->objects.count; i++) {
    const ms_object *o = &r->objects.items[i];
    if (!o->is_map) continue;
    ms__text_printf(&b, "  m%u [shape=ellipse, label=\"", i);
    put_object(&b, r, i);
    ms__text_puts(&b, "\\n");
    put_label(&b, o->library != MS_NONE ? str(r, o->library) : "");
    if (o->key_type != MS_NONE || o->value_type != MS_NONE) {
      ms__text_puts(&b, "\\n");
      put_label(&b, o->key_type != MS_NONE ? str(r, o->key_type) : "?");
      ms__text_puts(&b, " -> ");
      put_label(&b, o->value_type != MS_NONE ? str(r, o->value_type) : "?");
    }
    ms__text_puts(&b, "\"];\n");
  }
  /* The locks guard inference weighed, and an edge from each map to each of
  ** its candidates: dashed when the lock guards it, dotted and gray when it
  ** fell short, with the verdict and the guarded functions of all. */
  for (uint32_t i = 0; !b.oom && i < r->objects.count; i++) {
    int weighed = 0;
    for (uint32_t k = 0; k < r->guards.count && !weighed; k++) weighed = r->guards.items[k].lock == i;
    if (!weighed) continue;
    ms__text_printf(&b, "  l%u [shape=octagon, label=\"", i);
    put_object(&b, r, i);
    ms__text_puts(&b, "\"];\n");
  }
  for (uint32_t k = 0; !b.oom && k < r->guards.count; k++) {
    const ms_guard *gd = &r->guards.items[k];
    int usable = gd->verdict == MS_GUARD_GUARDS || gd->verdict == MS_GUARD_DECLARED;
    ms__text_printf(&b, "  m%u -> l%u [%s, label=\"%s (%u/%u)\"%s];\n", gd->map, gd->lock,
                    usable ? "style=dashed" : "style=dotted", verdict_name(gd->verdict),
                    gd->guarded_sites, gd->sites, usable ? "" : ", color=gray40, fontcolor=gray40");
  }
  for (uint32_t i = 0; !b.oom && i < r->instances.count; i++) {
    const ms_instance *in = &r->instances.items[i];
    if (!edge[i]) continue;
    const ms_access *acc = &r->facts->accesses.items[in->access];
    ms__text_printf(&b, "  t%u -> m%u [label=\"", in->thread, in->map);
    put_label(&b, str(r, acc->api));
    ms__text_printf(&b, " :%u", r->facts->locs.items[acc->loc].line);
    for (uint32_t k = 0; k < in->lock_count; k++) {
      ms__text_puts(&b, k ? ", " : " [");
      put_object(&b, r, in->locks[k].lock);
      if (in->locks[k].mode == MS_LOCK_SHARED) ms__text_puts(&b, " (shared)");
    }
    if (in->lock_count) ms__text_puts(&b, "]");
    /* Entered from elsewhere on any thread: not single-threaded for guard inference. */
    int open = open_site(r, in) != MS_NONE;
    int single = single_threaded(r, in) && !open;
    if (single) ms__text_puts(&b, " (single-threaded)");
    if (open) ms__text_puts(&b, " (any thread)");
    ms__text_puts(&b, reported[in->access] ? "\", color=red, fontcolor=red"
                 : single ? "\", style=dotted, color=gray40, fontcolor=gray40"
                          : "\"");
    ms__text_puts(&b, "];\n");
  }
  ms__text_puts(&b, "}\n");
  free(reported);
  free(has_instances);
  free(edge);
  free(g.inst);
  free(g.first);
  return ms__text_take(&b);
}
