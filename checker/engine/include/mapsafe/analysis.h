/*
** mapsafe analysis: from facts to the map access graph and findings.
**
** ms_analyze() works in four steps:
**
**  1. Effects.  Every function's effects on its callers (locks held at
**     return, released, threads left running, joined) are computed from its
**     facts, callees first, and the lock and thread sets of every fact are
**     resolved with them (src/effects.h).
**
**  2. Thread roots.  Every spawn reached from a root makes a *spawned
**     thread*, child of the thread that spawned it; it has many instances
**     when spawned in a loop without a join in between, by an API that
**     always starts many (a pool), from a thread that has many instances
**     itself, or from a function called repeatedly.  Defined functions that
**     nobody calls and nobody spawns are *entry roots* (main, or an API
**     function whose callers are elsewhere; and the first function of a
**     cycle of calls that nothing else enters): one instance, sequential,
**     never assumed to run beside another entry root.  Entry roots that can reach
**     a spawn are explored first; the others share their call contexts (one
**     analysis of a function serves all of them), so a file with a thousand
**     API functions costs what its distinct call situations cost.
**
**  3. Contexts.  From each root the engine walks the calls, analysing each
**     function under each distinct call context: the binding of its
**     parameters to real objects, the locks its callers hold (added to the
**     locks the function holds itself: must-locksets along every path from
**     the root) and the threads its callers have running.  Each map access
**     met on the way becomes an *instance*: the access in one context, with
**     the map object it resolves to, its complete lockset, its thread and
**     the threads that may be running beside it.
**
**  4. Races.  Two instances of one map race when at least one writes, they
**     may happen in parallel, and no lock is held at both in modes that
**     exclude each other (docs/design.md, "Races").  A finding is reported
**     at the access that lacks the protection, one per access and check.
**
** Every step is bounded (ms_options); a bound that is reached stops that
** part of the walk, keeps what was found, and is recorded in the result's
** `limits` so that the user can be told (or in `graph_limits` when it was
** reached where nothing can race).
**
** The result owns copies of nothing: it refers to the facts it was computed
** from, which must outlive it.
*/
#ifndef MAPSAFE_ANALYSIS_H
#define MAPSAFE_ANALYSIS_H

#include "mapsafe/facts.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The bounds of the analysis and their defaults (docs/design.md lists them). */
#define MS_DEFAULT_MAX_CONTEXTS 5000u      /* call contexts analysed */
#define MS_DEFAULT_MAX_CALL_DEPTH 24u      /* calls on one path from a root */
#define MS_DEFAULT_MAX_THREADS 512u        /* spawned threads */
#define MS_DEFAULT_MAX_INSTANCES 100000u   /* access instances */
#define MS_DEFAULT_MAX_PAIRS 20000000u     /* instance pairs examined */

/* The defaults of guard inference (docs/checks/inconsistent-locking.md). */
#define MS_DEFAULT_MIN_GUARDED_SITES 2u        /* functions holding the lock */
#define MS_DEFAULT_MIN_GUARDED_PERMILLE 500u   /* of the weighted functions */

/* A guard the user declares: the map and the lock, by the names messages
** give them ("sessions", "struct server.sessions"). */
typedef struct ms_declared_guard {
  const char *map;
  const char *lock;
} ms_declared_guard;

typedef struct ms_options {
  uint32_t max_contexts;   /* 0: MS_DEFAULT_MAX_CONTEXTS */
  uint32_t max_call_depth; /* 0: MS_DEFAULT_MAX_CALL_DEPTH */
  uint32_t max_threads;    /* 0: MS_DEFAULT_MAX_THREADS */
  uint32_t max_instances;  /* 0: MS_DEFAULT_MAX_INSTANCES */
  uint32_t max_pairs;      /* 0: MS_DEFAULT_MAX_PAIRS */
  /* Guard inference: */
  uint32_t min_guarded_sites;    /* 0: MS_DEFAULT_MIN_GUARDED_SITES */
  uint32_t min_guarded_permille; /* 0: MS_DEFAULT_MIN_GUARDED_PERMILLE */
  int sequential_external;       /* 1: functions with external linkage or a taken address
                                    are not assumed to run concurrently (tier B off) */
  const ms_declared_guard *declared_guards; /* borrowed for the call of ms_analyze */
  uint32_t declared_guard_count;
} ms_options;

/* The bounds, as bits of ms_result.limits. */
typedef enum ms_limit {
  MS_LIMIT_CONTEXTS = 1 << 0,
  MS_LIMIT_CALL_DEPTH = 1 << 1,
  MS_LIMIT_THREADS = 1 << 2,
  MS_LIMIT_INSTANCES = 1 << 3,
  MS_LIMIT_PAIRS = 1 << 4
} ms_limit;

/* A resolved object: a map or a lock as the program has it, after
** parameters were bound.  Fields of structs are one object per field for
** all instances of the struct together. */
typedef enum ms_object_kind {
  MS_OBJ_GLOBAL = 0, /* a global or static variable */
  MS_OBJ_FIELD,      /* struct T . f, all instances */
  MS_OBJ_LOCAL,      /* an object made in one function (created, allocated, a local) */
  MS_OBJ_ANY,        /* a lock the analysis cannot name: assumed to exclude everything */
  MS_OBJ_KIND_COUNT
} ms_object_kind;

typedef struct ms_object {
  ms_object_kind kind;
  ms_id name;        /* GLOBAL/LOCAL: the variable's unique name (string) */
  ms_id display;     /* GLOBAL/LOCAL: the name shown to users (string); FIELD: the
                     ** field_display of its paths, if those that have one
                     ** agree (display_conflict 0), or MS_NONE */
  ms_id field_owner; /* struct type declaring `field` (string), or MS_NONE */
  ms_id field;       /* FIELD: field name (string), or MS_NONE */
  /* LOCAL: the thread whose calls of the function made this one (a map the
  ** function creates in the local: every call has its own), or MS_NONE. */
  ms_id made_by;
  /* LOCAL: the function whose variable it is (or is a field of); each call
  ** of it has its own when made_by is set or `field` is (an owned
  ** variable's field, ms_path.owned).  MS_NONE: not known. */
  ms_id made_in;
  int is_map;        /* some access resolves to it */
  int is_lock;       /* some lockset holds it */
  int display_conflict; /* FIELD: two paths gave two field_displays */
  /* For maps, the first known of each over all accesses (strings or MS_NONE): */
  ms_id library;
  ms_id key_type;
  ms_id value_type;
} ms_object;

/* Entry roots run one at a time, unrelated to one another; spawned threads
** as their spawns say; declared threads (a function declared to run on many
** threads at once) with many instances, beside every other declared one. */
typedef enum ms_thread_kind {
  MS_THREAD_ENTRY = 0,
  MS_THREAD_SPAWNED = 1,
  MS_THREAD_DECLARED = 2
} ms_thread_kind;

typedef struct ms_thread {
  ms_thread_kind kind;
  ms_id func;        /* entry function */
  ms_id spawn;       /* spawn fact that starts it; MS_NONE for entry roots */
  ms_id parent;      /* spawning thread; MS_NONE for entry roots */
  ms_id spawn_ctx;   /* context (in parent) of the spawn; MS_NONE for entry roots */
  ms_multiplicity multiplicity;
  ms_idset live_at_spawn; /* spawn facts (of parent) possibly running at the spawn */
} ms_thread;

/* A function analysed under one call path. */
typedef struct ms_context {
  ms_id func;
  ms_id thread;
  ms_id parent;      /* calling context; MS_NONE at a thread entry */
  ms_id call;        /* call fact from the parent; MS_NONE at a thread entry */
} ms_context;

/* One lock held at an instance, resolved. */
typedef struct ms_hold {
  ms_id lock;        /* object id */
  ms_lock_mode mode;
  ms_id acquired_at; /* loc id */
  int other_owner;   /* a lock in a struct of the map's type, of another instance than the
                        map's (lock(&a->mu) around b->map): no guard for this map */
  int weak;          /* held because an annotation says the callers hold it
                        (requires_capability), not taken by the code */
} ms_hold;

typedef struct ms_instance {
  ms_id access;      /* access fact */
  ms_id context;
  ms_id thread;
  ms_id map;         /* object id */
  ms_id owner;       /* thread whose instances each have their own copy of the map; MS_NONE */
  ms_hold *locks;
  uint32_t lock_count;
  ms_idset live;     /* spawn facts (of this thread) possibly running here */
  ms_idset sites;    /* the functions it is reached through that may be entered
                        concurrently (guard inference counts per site): the nearest
                        function up each call path that is a thread's entry or has external
                        linkage; static helpers count for their callers */
  ms_id *maybe;      /* locks (object ids) held on some paths to it but not on all */
  uint32_t maybe_count;
} ms_instance;

/* The checks the engine finds for. */
typedef enum ms_check {
  MS_CHECK_UNSYNCHRONIZED_WRITE = 0,
  MS_CHECK_UNSYNCHRONIZED_READ,
  MS_CHECK_INCONSISTENT_LOCKING,
  MS_CHECK_COUNT
} ms_check;

typedef struct ms_finding {
  ms_check check;
  ms_id instance;     /* reported instance */
  ms_id other;        /* the conflicting instance */
  ms_id missing_lock; /* a lock protecting `other` that this access does not hold; MS_NONE */
  ms_id missing_at;   /* loc id where `other` acquired it */
  ms_id shared_lock;  /* a lock this write holds only in shared mode; MS_NONE */
  ms_id guard;        /* inconsistent-locking: the guard (index into guards) not held */
  ms_id rival;        /* inconsistent-locking: another guard of the map that this access
                         holds instead (accessed under different locks); MS_NONE */
} ms_finding;

/* What guard inference concluded about one lock of one map. */
typedef enum ms_guard_verdict {
  MS_GUARD_GUARDS = 0,   /* the lock guards the map: held at enough of its functions */
  MS_GUARD_DECLARED,     /* the user declared that the lock guards the map */
  MS_GUARD_TOO_FEW,      /* held at too few functions */
  MS_GUARD_TOO_RARE,     /* held at too small a share of the functions */
  MS_GUARD_READ_ONLY,    /* the map is only read where it is counted: nothing to guard */
  MS_GUARD_VERDICT_COUNT
} ms_guard_verdict;

enum { MS_GUARD_MAX_HELD_AT = 3 };

typedef struct ms_guard {
  ms_id map;                  /* object id */
  ms_id lock;                 /* object id */
  ms_guard_verdict verdict;
  uint32_t guarded_sites;     /* functions where the lock is held at the map's access */
  uint32_t sites;             /* functions with a counted access to the map */
  uint32_t strong_sites;      /* of the guarded functions, those that take the lock
                                 themselves (not by an annotation) */
  uint32_t guarded_weight;    /* the same with writes counted twice */
  uint32_t weight;
  ms_id held_at[MS_GUARD_MAX_HELD_AT]; /* instances at guarded functions, in source order */
  uint32_t held_count;
} ms_guard;

typedef struct ms_result {
  const ms_facts *facts;
  ms_options bounds;             /* the bounds in force (defaults filled in) */
  MS_ARRAY(ms_object) objects;
  char **object_names;           /* per object: its name for messages; NULL for MS_OBJ_ANY */
  MS_ARRAY(ms_thread) threads;
  MS_ARRAY(ms_context) contexts;
  MS_ARRAY(ms_instance) instances;
  MS_ARRAY(ms_finding) findings; /* sorted by location, then check */
  MS_ARRAY(ms_guard) guards;     /* by map, then lock */
  unsigned limits;               /* ms_limit bits: bounds reached; races may be missing */
  unsigned graph_limits;         /* bounds reached only where nothing can race (entry roots
                                    that reach no spawn): accesses missing from the graph */
  uint32_t unsettled;            /* functions whose dataflow did not settle (no facts) */
  ms_id first_unsettled;         /* the first of them (function id), or MS_NONE */
} ms_result;

/* Runs the analysis.  Returns NULL (and fills err) on failure: facts that
** do not pass ms_facts_check, or memory running out. */
ms_result *ms_analyze(const ms_facts *facts, const ms_options *opts, ms_error *err);
void ms_result_free(ms_result *r);

/* "unsynchronized-write", ... (the check's name without "mapsafe-"). */
const char *ms_check_name(ms_check c);

/* The findings, in order (location, then check). */
uint32_t ms_finding_count(const ms_result *r);
const ms_finding *ms_finding_at(const ms_result *r, uint32_t i);

/* Whether a finding gives way to another finding of the same access: an
** inconsistent-locking finding where a race check among `enabled` (bits
** 1 << ms_check) proves a race.  One diagnostic per access.  f must be one
** of r's findings (ms_finding_at). */
int ms_finding_superseded(const ms_result *r, const ms_finding *f, unsigned enabled);

/* Where a finding is reported: the reported access fact, and its loc id. */
ms_id ms_finding_access(const ms_result *r, const ms_finding *f);
ms_id ms_finding_loc(const ms_result *r, const ms_finding *f);

/* Whether an access kind changes the map (write, create, destroy). */
int ms_access_writes(ms_access_kind k);

/* The value of bound `limit` in force for this result. */
uint32_t ms_limit_value(const ms_result *r, ms_limit limit);

#ifdef __cplusplus
}
#endif
#endif /* MAPSAFE_ANALYSIS_H */
