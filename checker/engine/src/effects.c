/*
** Function effects and the resolution of lock and thread sets (effects.h).
**
** Functions are visited callees first: a depth-first walk over the direct
** calls (callbacks have no effects on their callers) that finishes a
** function after everything it calls.  A call back into a function that is
** still being walked (recursion) sees that function's effects as empty,
** which is what a function that has not returned yet has done to its
** caller.
**
** A function's effects come from its own facts:
**   acquires  its exit lock set, resolved;
**   running   its exit thread set, resolved, with each thread's handle;
**   releases  the locks it released that its caller held, except those a
**             call before it is what acquired, plus what its direct calls
**             release that it did not hold itself at the call;
**   joins     the handles it joins, plus those its direct calls join.
** Resolving a set replaces each reference to a call with the callee's
** effects, translated into the caller's terms through the call's arguments
** (a callee's parameter is what the caller passed), and drops what later
** calls undo (released_by, joined_by).
*/
#include "effects.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- growing the plain sets ---------------------------------------------- */

/* Makes room for one more element: the capacity is 4, then the power of
** two at or above count.  Each add returns 0 on success and 1 when memory
** runs out. */
static int grow(void **items, uint32_t count, size_t elem) {
  if (count != 0 && (count < 4 || (count & (count - 1)))) return 0;
  void *p = realloc(*items, (size_t)(count ? count * 2 : 4) * elem);
  if (!p) return 1;
  *items = p;
  return 0;
}

static int add_lock(ms_local_locks *s, const ms_path *lock, ms_lock_mode mode, ms_id at) {
  for (uint32_t i = 0; i < s->count; i++)
    if (ms_path_equal(&s->items[i].lock, lock)) {
      if (mode == MS_LOCK_EXCLUSIVE) s->items[i].mode = MS_LOCK_EXCLUSIVE;
      return 0;
    }
  if (grow((void **)&s->items, s->count, sizeof *s->items)) return 1;
  s->items[s->count].lock = *lock;
  s->items[s->count].mode = mode;
  s->items[s->count].acquired_at = at;
  s->count++;
  return 0;
}

static int add_thread(ms_local_threads *s, ms_id spawn, const ms_path *handle) {
  for (uint32_t i = 0; i < s->count; i++)
    if (s->items[i].spawn == spawn) return 0;
  if (grow((void **)&s->items, s->count, sizeof *s->items)) return 1;
  s->items[s->count].spawn = spawn;
  s->items[s->count].handle = *handle;
  s->count++;
  return 0;
}

static int add_path(ms_pathset *s, const ms_path *p) {
  for (uint32_t i = 0; i < s->count; i++)
    if (ms_path_equal(&s->items[i], p)) return 0;
  if (grow((void **)&s->items, s->count, sizeof *s->items)) return 1;
  s->items[s->count++] = *p;
  return 0;
}

static int pathset_has(const ms_pathset *s, const ms_path *p) {
  for (uint32_t i = 0; i < s->count; i++)
    if (ms_path_equal(&s->items[i], p)) return 1;
  return 0;
}

static int locks_have(const ms_local_locks *s, const ms_path *p) {
  for (uint32_t i = 0; i < s->count; i++)
    if (ms_path_equal(&s->items[i].lock, p)) return 1;
  return 0;
}

/* ---- the step's state ---------------------------------------------------- */

typedef struct resolver {
  const ms_facts *f;
  ms_resolved *out;
  ms_id *calls_by_caller; /* direct call ids, grouped by caller */
  uint32_t *first_call;   /* per function: start of its group; [n] = end */
} resolver;

/* A callee's path in its caller's terms, through the call's arguments. */
static ms_path substitute(const ms_call *c, const ms_path *p) {
  if (p->base != MS_BASE_PARAM) return *p;
  ms_path a = p->param >= 0 && (uint32_t)p->param < c->arg_count ? c->args[p->param].path
                                                                 : ms_path_unknown();
  if (!p->depth) return a;
  a.depth += p->depth;
  a.field = p->field;
  a.field_owner = p->field_owner;
  a.field_display = p->field_display;
  return a;
}

static const ms_effects *callee_effects(const resolver *rs, ms_id call) {
  return &rs->out->functions[rs->f->calls.items[call].callee];
}

/* Which of a callee's effects a question is about. */
typedef enum effect_kind { RELEASES, SOME_RELEASES, ACQUIRES, JOINS } effect_kind;

/* Whether one of `calls` has, among its callee's effects of `kind`, the path
** p (in the caller's terms): releases the lock p, returns holding it, or
** joins the threads whose handle is p.  A path that names nothing is never
** joined. */
static int some_call(const resolver *rs, const ms_idset *calls, effect_kind kind,
                     const ms_path *p) {
  if (kind == JOINS && ms_path_is_unknown(p)) return 0;
  for (uint32_t i = 0; i < calls->count; i++) {
    const ms_call *c = &rs->f->calls.items[calls->items[i]];
    const ms_effects *e = callee_effects(rs, calls->items[i]);
    uint32_t n = kind == RELEASES        ? e->releases.count
                 : kind == SOME_RELEASES ? e->some_releases.count
                 : kind == ACQUIRES      ? e->acquires.count
                                         : e->joins.count;
    for (uint32_t k = 0; k < n; k++) {
      ms_path q = substitute(c, kind == RELEASES        ? &e->releases.items[k]
                                : kind == SOME_RELEASES ? &e->some_releases.items[k]
                                : kind == ACQUIRES      ? &e->acquires.items[k].lock
                                                        : &e->joins.items[k]);
      if (ms_path_equal(&q, p)) return 1;
    }
  }
  return 0;
}

/* ---- resolving the sets of the facts ------------------------------------- */

static int resolve_locks(const resolver *rs, const ms_lockset *set, ms_local_locks *out) {
  memset(out, 0, sizeof *out);
  for (uint32_t i = 0; i < set->count; i++) {
    const ms_held *h = &set->items[i];
    if (h->call == MS_NONE) {
      if (some_call(rs, &h->released_by, RELEASES, &h->lock)) continue;
      if (some_call(rs, &h->released_by, SOME_RELEASES, &h->lock)) {
        if (add_path(&out->dropped, &h->lock)) return 1;
      } else if (add_lock(out, &h->lock, h->mode, h->acquired_at)) {
        return 1;
      }
      continue;
    }
    const ms_call *c = &rs->f->calls.items[h->call];
    const ms_effects *e = callee_effects(rs, h->call);
    for (uint32_t k = 0; k < e->acquires.count; k++) {
      ms_path p = substitute(c, &e->acquires.items[k].lock);
      if (pathset_has(&h->released, &p) || some_call(rs, &h->released_by, RELEASES, &p)) continue;
      if (some_call(rs, &h->released_by, SOME_RELEASES, &p)) {
        if (add_path(&out->dropped, &p)) return 1;
        continue;
      }
      if (add_lock(out, &p, e->acquires.items[k].mode, c->loc)) return 1;
    }
  }
  return 0;
}

static int resolve_threads(const resolver *rs, const ms_threadset *set, ms_local_threads *out) {
  memset(out, 0, sizeof *out);
  for (uint32_t i = 0; i < set->count; i++) {
    const ms_running *t = &set->items[i];
    if (t->spawn != MS_NONE) {
      /* A spawn that starts no thread (its flags say so) runs nothing. */
      if (rs->f->spawns.items[t->spawn].entry == MS_NONE) continue;
      const ms_path *h = &rs->f->spawns.items[t->spawn].handle;
      if (!some_call(rs, &t->joined_by, JOINS, h) && add_thread(out, t->spawn, h)) return 1;
      continue;
    }
    const ms_call *c = &rs->f->calls.items[t->call];
    const ms_effects *e = callee_effects(rs, t->call);
    for (uint32_t k = 0; k < e->running.count; k++) {
      ms_path h = substitute(c, &e->running.items[k].handle);
      if (!ms_path_is_unknown(&h) &&
          (pathset_has(&t->joined, &h) || some_call(rs, &t->joined_by, JOINS, &h)))
        continue;
      if (add_thread(out, e->running.items[k].spawn, &h)) return 1;
    }
  }
  return 0;
}

static int cmp_id(const void *a, const void *b) {
  ms_id x = *(const ms_id *)a, y = *(const ms_id *)b;
  return x < y ? -1 : x > y;
}

/* The spawn ids of a thread set, sorted. */
static int spawn_ids(const resolver *rs, const ms_threadset *set, ms_idset *out) {
  ms_local_threads threads;
  memset(out, 0, sizeof *out);
  if (resolve_threads(rs, set, &threads)) {
    free(threads.items);
    return 1;
  }
  if (threads.count) {
    out->items = malloc(threads.count * sizeof *out->items);
    if (!out->items) {
      free(threads.items);
      return 1;
    }
    for (uint32_t i = 0; i < threads.count; i++) out->items[i] = threads.items[i].spawn;
    out->count = threads.count;
    qsort(out->items, out->count, sizeof *out->items, cmp_id);
  }
  free(threads.items);
  return 0;
}

/* ---- effects of one function --------------------------------------------- */

static int compute_effects(const resolver *rs, ms_id fid) {
  const ms_function *fn = &rs->f->functions.items[fid];
  ms_effects *e = &rs->out->functions[fid];
  if (!fn->defined || fn->unsettled) return 0;
  if (fn->returns) {
    if (resolve_locks(rs, &fn->exit_locks, &e->acquires) ||
        resolve_threads(rs, &fn->exit_threads, &e->running))
      return 1;
    for (uint32_t i = 0; i < fn->releases.count; i++) {
      const ms_release *r = &fn->releases.items[i];
      if (!some_call(rs, &r->unless_acquired_by, ACQUIRES, &r->lock) &&
          add_path(r->some_paths ? &e->some_releases : &e->releases, &r->lock))
        return 1;
    }
  }
  for (uint32_t i = 0; i < fn->joins.count; i++)
    if (add_path(&e->joins, &fn->joins.items[i])) return 1;
  /* What the direct calls release and join, as this function's caller sees it. */
  for (uint32_t k = rs->first_call[fid]; k < rs->first_call[fid + 1]; k++) {
    ms_id cid = rs->calls_by_caller[k];
    const ms_call *c = &rs->f->calls.items[cid];
    const ms_effects *ce = callee_effects(rs, cid);
    if (ce == e) continue; /* direct recursion: nothing known yet */
    if (fn->returns && (ce->releases.count || ce->some_releases.count)) {
      ms_local_locks held;
      int bad = resolve_locks(rs, &c->locks, &held);
      for (uint32_t i = 0; !bad && i < ce->releases.count + ce->some_releases.count; i++) {
        int some = i >= ce->releases.count;
        ms_path p = substitute(c, some ? &ce->some_releases.items[i - ce->releases.count]
                                       : &ce->releases.items[i]);
        bad = !locks_have(&held, &p) && add_path(some ? &e->some_releases : &e->releases, &p);
      }
      free(held.items);
      free(held.dropped.items);
      if (bad) return 1;
    }
    for (uint32_t i = 0; i < ce->joins.count; i++) {
      ms_path p = substitute(c, &ce->joins.items[i]);
      if (!ms_path_is_unknown(&p) && add_path(&e->joins, &p)) return 1;
    }
  }
  return 0;
}

/* Groups the direct calls by caller (a counting sort keeps fact order). */
static int index_calls(resolver *rs) {
  const ms_facts *f = rs->f;
  uint32_t nf = f->functions.count;
  rs->first_call = calloc(nf + 2, sizeof *rs->first_call);
  rs->calls_by_caller = malloc((f->calls.count ? f->calls.count : 1) * sizeof *rs->calls_by_caller);
  if (!rs->first_call || !rs->calls_by_caller) return 1;
  for (uint32_t i = 0; i < f->calls.count; i++)
    if (!f->calls.items[i].callback) rs->first_call[f->calls.items[i].caller + 2]++;
  for (uint32_t i = 0; i < nf; i++) rs->first_call[i + 2] += rs->first_call[i + 1];
  for (uint32_t i = 0; i < f->calls.count; i++)
    if (!f->calls.items[i].callback)
      rs->calls_by_caller[rs->first_call[f->calls.items[i].caller + 1]++] = i;
  return 0;
}

/* Computes every function's effects, callees first (an explicit stack: no
** call graph is deep enough to exhaust the host's). */
static int compute_all_effects(resolver *rs) {
  uint32_t nf = rs->f->functions.count;
  unsigned char *state = calloc(nf ? nf : 1, 1); /* 0 new, 1 on the stack, 2 done */
  uint32_t *stack = malloc((nf ? nf : 1) * sizeof *stack);
  uint32_t *next = malloc((nf ? nf : 1) * sizeof *next); /* next call to follow */
  int rc = !state || !stack || !next;
  for (uint32_t root = 0; root < nf && !rc; root++) {
    if (state[root]) continue;
    uint32_t depth = 0;
    stack[depth++] = root;
    state[root] = 1;
    next[root] = rs->first_call[root];
    while (depth && !rc) {
      ms_id fid = stack[depth - 1];
      if (next[fid] < rs->first_call[fid + 1]) {
        ms_id callee = rs->f->calls.items[rs->calls_by_caller[next[fid]++]].callee;
        if (!state[callee]) {
          state[callee] = 1;
          next[callee] = rs->first_call[callee];
          stack[depth++] = callee;
        }
        continue;
      }
      rc = compute_effects(rs, fid);
      state[fid] = 2;
      depth--;
    }
  }
  free(state);
  free(stack);
  free(next);
  return rc;
}

static int resolve_all_sets(resolver *rs) {
  const ms_facts *f = rs->f;
  ms_resolved *o = rs->out;
  for (uint32_t i = 0; i < f->accesses.count; i++)
    if (resolve_locks(rs, &f->accesses.items[i].locks, &o->access_locks[i]) ||
        spawn_ids(rs, &f->accesses.items[i].live, &o->access_threads[i]))
      return 1;
  for (uint32_t i = 0; i < f->calls.count; i++)
    if (resolve_locks(rs, &f->calls.items[i].locks, &o->call_locks[i]) ||
        spawn_ids(rs, &f->calls.items[i].live, &o->call_threads[i]))
      return 1;
  for (uint32_t i = 0; i < f->spawns.count; i++)
    if (resolve_locks(rs, &f->spawns.items[i].locks, &o->spawn_locks[i]) ||
        spawn_ids(rs, &f->spawns.items[i].live, &o->spawn_threads[i]))
      return 1;
  return 0;
}

int ms__resolve_effects(const ms_facts *f, ms_resolved *out) {
  resolver rs;
  memset(&rs, 0, sizeof rs);
  memset(out, 0, sizeof *out);
  rs.f = f;
  rs.out = out;
#define ALLOC(field, n) (out->field = calloc((n) ? (n) : 1, sizeof *out->field)) == NULL
  int rc = ALLOC(functions, f->functions.count) || ALLOC(access_locks, f->accesses.count) ||
           ALLOC(call_locks, f->calls.count) || ALLOC(spawn_locks, f->spawns.count) ||
           ALLOC(access_threads, f->accesses.count) || ALLOC(call_threads, f->calls.count) ||
           ALLOC(spawn_threads, f->spawns.count);
#undef ALLOC
  rc = rc || index_calls(&rs) || compute_all_effects(&rs) || resolve_all_sets(&rs);
  free(rs.first_call);
  free(rs.calls_by_caller);
  if (rc) ms__resolved_free(f, out);
  return rc;
}

void ms__resolved_free(const ms_facts *f, ms_resolved *r) {
  if (r->functions)
    for (uint32_t i = 0; i < f->functions.count; i++) {
      free(r->functions[i].acquires.items);
      free(r->functions[i].acquires.dropped.items);
      free(r->functions[i].releases.items);
      free(r->functions[i].some_releases.items);
      free(r->functions[i].running.items);
      free(r->functions[i].joins.items);
    }
#define FREE_SETS(field, n)                                                           \
  if (r->field) {                                                                     \
    for (uint32_t i = 0; i < (n); i++) free(r->field[i].items);                       \
    free(r->field);                                                                   \
  }
#define FREE_LOCKS(field, n)                                                          \
  if (r->field)                                                                       \
    for (uint32_t i = 0; i < (n); i++) free(r->field[i].dropped.items);
  FREE_LOCKS(access_locks, f->accesses.count)
  FREE_LOCKS(call_locks, f->calls.count)
  FREE_LOCKS(spawn_locks, f->spawns.count)
#undef FREE_LOCKS
  FREE_SETS(access_locks, f->accesses.count)
  FREE_SETS(call_locks, f->calls.count)
  FREE_SETS(spawn_locks, f->spawns.count)
  FREE_SETS(access_threads, f->accesses.count)
  FREE_SETS(call_threads, f->calls.count)
  FREE_SETS(spawn_threads, f->spawns.count)
#undef FREE_SETS
  free(r->functions);
  memset(r, 0, sizeof *r);
}
