/*
** What the analysis of a file saw, counted (summary.h).
*/
#include "mapsafe/summary.h"

#include "internal.h"
#include "mapsafe/messages.h"

#include <stdlib.h>
#include <string.h>

/* Distinct ids met so far, to count names once. */
typedef struct idlist {
  ms_id *items;
  uint32_t count, cap;
} idlist;

/* Adds id; 1 when it is new, 0 when it was there, -1 when memory runs out. */
static int idlist_add(idlist *l, ms_id id) {
  for (uint32_t i = 0; i < l->count; i++)
    if (l->items[i] == id) return 0;
  if (MS_GROW(*l)) return -1;
  l->items[l->count++] = id;
  return 1;
}

static void name_add(ms_summary_names *n, const char *name) {
  if (n->count < MS_SUMMARY_MAX_NAMES) n->first[n->count] = name ? name : "";
  n->count++;
}

/* A map or lock object as one program object: fields and globals once;
** a local once for all the threads that make their own. */
typedef struct object_key {
  ms_object_kind kind;
  ms_id name, owner, field;
  ms_id index;
} object_key;

static int key_cmp(const void *pa, const void *pb) {
  const object_key *a = pa, *b = pb;
  if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
  if (a->name != b->name) return a->name < b->name ? -1 : 1;
  if (a->owner != b->owner) return a->owner < b->owner ? -1 : 1;
  if (a->field != b->field) return a->field < b->field ? -1 : 1;
  return a->index < b->index ? -1 : a->index > b->index;
}

static int same_object(const object_key *a, const object_key *b) {
  return a->kind == b->kind && a->name == b->name && a->owner == b->owner && a->field == b->field;
}

static int index_cmp(const void *pa, const void *pb) {
  ms_id a = *(const ms_id *)pa, b = *(const ms_id *)pb;
  return a < b ? -1 : a > b;
}

/* The first object of each program object among the maps (`maps`) or the
** named locks, in object order; malloc'ed, *n of them. */
static ms_id *distinct_objects(const ms_result *r, int maps, uint32_t *n) {
  uint32_t total = r->objects.count, k = 0;
  object_key *keys = malloc((total ? total : 1) * sizeof *keys);
  ms_id *out = malloc((total ? total : 1) * sizeof *out);
  if (!keys || !out) {
    free(keys);
    free(out);
    return NULL;
  }
  for (uint32_t i = 0; i < total; i++) {
    const ms_object *o = &r->objects.items[i];
    if (maps ? !o->is_map : !o->is_lock || o->kind == MS_OBJ_ANY) continue;
    keys[k].kind = o->kind;
    keys[k].name = o->name;
    keys[k].owner = o->field_owner;
    keys[k].field = o->field;
    keys[k].index = i;
    k++;
  }
  qsort(keys, k, sizeof *keys, key_cmp);
  uint32_t m = 0; /* the first of each run of one key: its smallest index */
  for (uint32_t i = 0; i < k; i++)
    if (i == 0 || !same_object(&keys[i - 1], &keys[i])) out[m++] = keys[i].index;
  free(keys);
  qsort(out, m, sizeof *out, index_cmp);
  *n = m;
  return out;
}

/* The group for `what` (a string, compared by text), made when absent. */
static ms_summary_group *group_of(ms_summary_group **groups, uint32_t *count, uint32_t *cap,
                                  const char *what) {
  for (uint32_t i = 0; i < *count; i++)
    if (strcmp((*groups)[i].what, what) == 0) return &(*groups)[i];
  if (*count == *cap) {
    uint32_t ncap = *cap ? *cap * 2 : 4;
    ms_summary_group *g = realloc(*groups, ncap * sizeof *g);
    if (!g) return NULL;
    *groups = g;
    *cap = ncap;
  }
  ms_summary_group *g = &(*groups)[(*count)++];
  memset(g, 0, sizeof *g);
  g->what = what;
  return g;
}

static int summarize_threads(const ms_result *r, ms_summary *s) {
  const ms_facts *f = r->facts;
  uint32_t cap = 0, nseen = 0;
  idlist *seen = NULL; /* per group: the entry functions named (nseen of them) */
  int bad = 0;
  for (uint32_t i = 0; i < r->threads.count && !bad; i++) {
    const ms_thread *t = &r->threads.items[i];
    const char *fn = ms_str_get(f, f->functions.items[t->func].name);
    if (t->kind == MS_THREAD_DECLARED) {
      name_add(&s->declared, fn);
      continue;
    }
    if (t->kind != MS_THREAD_SPAWNED) continue;
    uint32_t before = s->start_count;
    ms_summary_group *g =
        group_of(&s->starts, &s->start_count, &cap, ms_str_get(f, f->spawns.items[t->spawn].api));
    if (!g) {
      bad = 1;
      break;
    }
    if (s->start_count != before) {
      idlist *ns = realloc(seen, s->start_count * sizeof *ns);
      if (!ns) {
        bad = 1;
        break;
      }
      seen = ns;
      memset(&seen[nseen++], 0, sizeof *seen);
    }
    g->count++;
    g->many += t->multiplicity == MS_MULT_MANY;
    s->spawned++;
    int fresh = idlist_add(&seen[g - s->starts], t->func);
    if (fresh < 0) bad = 1;
    else if (fresh) name_add(&g->names, fn);
  }
  for (uint32_t i = 0; i < nseen; i++) free(seen[i].items);
  free(seen);
  if (bad) return 1;
  for (uint32_t i = 0; i < f->spawns.count; i++) s->unfollowed += f->spawns.items[i].entry == MS_NONE;
  if (!r->bounds.sequential_external)
    for (uint32_t i = 0; i < f->functions.count; i++)
      if (f->functions.items[i].defined && !f->functions.items[i].concurrent &&
          ms__open_function(f, i))
        name_add(&s->external, ms_str_get(f, f->functions.items[i].name));
  return 0;
}

static int summarize_maps_and_locks(const ms_result *r, ms_summary *s) {
  uint32_t n = 0, cap = 0;
  ms_id *maps = distinct_objects(r, 1, &n);
  if (!maps) return 1;
  for (uint32_t i = 0; i < n; i++) {
    const ms_object *o = &r->objects.items[maps[i]];
    const char *lib = o->library != MS_NONE ? ms_str_get(r->facts, o->library) : "";
    ms_summary_group *g = group_of(&s->libraries, &s->library_count, &cap, lib);
    if (!g) {
      free(maps);
      return 1;
    }
    g->count++;
    name_add(&g->names, ms_object_name(r, maps[i]));
    s->maps++;
  }
  free(maps);
  ms_id *locks = distinct_objects(r, 0, &n);
  if (!locks) return 1;
  for (uint32_t i = 0; i < n; i++) name_add(&s->locks, ms_object_name(r, locks[i]));
  free(locks);
  for (uint32_t i = 0; i < r->objects.count; i++)
    s->unnamed_locks |= r->objects.items[i].is_lock && r->objects.items[i].kind == MS_OBJ_ANY;
  return 0;
}

static int summarize_accesses(const ms_result *r, ms_summary *s) {
  const ms_facts *f = r->facts;
  unsigned char *checked = calloc(f->accesses.count ? f->accesses.count : 1, 1);
  if (!checked) return 1;
  for (uint32_t i = 0; i < r->instances.count; i++) checked[r->instances.items[i].access] = 1;
  for (uint32_t i = 0; i < f->accesses.count; i++) {
    s->accesses++;
    ms_access_kind k = f->accesses.items[i].kind;
    if (k == MS_ACC_CREATE) s->creations++;
    else if (ms_access_writes(k)) s->writes++;
    else s->reads++;
    s->unchecked += !checked[i];
  }
  free(checked);
  return 0;
}

int ms_summarize(const ms_result *r, unsigned enabled, ms_summary *out) {
  memset(out, 0, sizeof *out);
  if (summarize_threads(r, out) || summarize_maps_and_locks(r, out) ||
      summarize_accesses(r, out)) {
    ms_summary_free(out);
    return 1;
  }
  for (uint32_t i = 0; i < r->guards.count; i++) {
    ms_guard_verdict v = r->guards.items[i].verdict;
    if (v != MS_GUARD_GUARDS && v != MS_GUARD_DECLARED) continue;
    if (out->guards < MS_SUMMARY_MAX_NAMES) out->first_guards[out->guards] = i;
    out->guards++;
  }
  for (uint32_t i = 0, n = ms_finding_count(r); i < n; i++) {
    const ms_finding *fd = ms_finding_at(r, i);
    if (!(enabled & (1u << fd->check)) || ms_finding_superseded(r, fd, enabled)) continue;
    out->findings[fd->check]++;
    out->finding_total++;
  }
  out->limits = r->limits;
  out->graph_limits = r->graph_limits;
  out->unsettled = r->unsettled;
  return 0;
}

void ms_summary_free(ms_summary *s) {
  free(s->starts);
  free(s->libraries);
  memset(s, 0, sizeof *s);
}

int ms_summary_blind(const ms_summary *s) { return s->spawned == 0 && s->declared.count == 0; }
