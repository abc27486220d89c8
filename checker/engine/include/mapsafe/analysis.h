/*
** mapsafe analysis: from facts to the map access graph and findings.
**
** ms_analyze() works in three steps:
**
**  1. Thread roots.  Every defined function that nobody calls and that is
**     not a thread entry is an *entry root* (main, or an API function whose
**     callers are elsewhere): one instance, sequential.  Every spawn reached
**     from a root makes a *spawned thread* root, child of the thread that
**     spawned it; it has many instances when spawned in a loop without a
**     join in between, from a thread that has many instances itself, or
**     from a function called repeatedly.
**
**  2. Contexts.  From each root the engine walks the calls, analysing each
**     function under each distinct call context: the binding of its
**     parameters to real objects, the locks its callers hold (added to the
**     locks the function holds itself: must-locksets along every path from
**     the root) and the threads its callers have running.  Each map access
**     met on the way becomes an *instance*: the access in one context, with
**     the map object it resolves to, its complete lockset, its thread and
**     the threads that may be running beside it.
**
**  3. Races.  Two instances of one map race when at least one writes, they
**     may happen in parallel, and no lock is held at both in modes that
**     exclude each other.  May-happen-in-parallel: two instances of one
**     thread root when it has many instances; a thread and its ancestor when
**     the ancestor's access comes while the thread may run (spawned, not yet
**     joined); two other threads when one was spawned while the other may
**     run.  A finding is reported at the access that lacks the protection
**     (see docs/design.md), one per access and check.
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

/* A resolved object: a map or a lock as the program has it, after
** parameters were bound.  Fields of structs are one object per field for
** all instances of the struct together. */
typedef enum ms_object_kind {
  MS_OBJ_GLOBAL = 0, /* a global or static variable */
  MS_OBJ_FIELD,      /* struct T . f, all instances */
  MS_OBJ_LOCAL,      /* an object made in one function (created, allocated, a local) */
  MS_OBJ_ANY         /* a lock the analysis cannot name: assumed to exclude everything */
} ms_object_kind;

typedef struct ms_object {
  ms_object_kind kind;
  ms_id name;        /* GLOBAL/LOCAL: the variable's unique name (string) */
  ms_id display;     /* GLOBAL/LOCAL: the name shown to users (string) */
  ms_id field_owner; /* struct type declaring `field` (string), or MS_NONE */
  ms_id field;       /* FIELD: field name (string), or MS_NONE */
  int is_map;        /* some access resolves to it */
  int is_lock;       /* some lockset holds it */
  /* For maps, the first known of each over all accesses (strings or MS_NONE): */
  ms_id library;
  ms_id key_type;
  ms_id value_type;
} ms_object;

typedef enum ms_thread_kind { MS_THREAD_ENTRY = 0, MS_THREAD_SPAWNED = 1 } ms_thread_kind;

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
} ms_instance;

/* The checks the engine finds for. */
typedef enum ms_check {
  MS_CHECK_UNSYNCHRONIZED_WRITE = 0,
  MS_CHECK_UNSYNCHRONIZED_READ,
  MS_CHECK_COUNT
} ms_check;

typedef struct ms_finding {
  ms_check check;
  ms_id instance;     /* reported instance */
  ms_id other;        /* the conflicting instance */
  ms_id missing_lock; /* a lock protecting `other` that this access does not hold; MS_NONE */
  ms_id missing_at;   /* loc id where `other` acquired it */
  ms_id shared_lock;  /* a lock this write holds only in shared mode; MS_NONE */
} ms_finding;

typedef struct ms_options {
  uint32_t max_contexts;   /* bound on analysed contexts (0: default 5000) */
  uint32_t max_call_depth; /* bound on call path length (0: default 24) */
  uint32_t max_threads;    /* bound on thread roots (0: default 512) */
  uint32_t max_instances;  /* bound on access instances (0: default 100000) */
  uint32_t max_pairs;      /* bound on instance pairs examined (0: default 20000000) */
} ms_options;

typedef struct ms_result {
  const ms_facts *facts;
  MS_ARRAY(ms_object) objects;
  MS_ARRAY(ms_thread) threads;
  MS_ARRAY(ms_context) contexts;
  MS_ARRAY(ms_instance) instances;
  MS_ARRAY(ms_finding) findings; /* sorted by location, then check */
  int truncated;                 /* a bound was hit; some paths were not explored */
} ms_result;

/* Runs the analysis.  Returns NULL (and fills err) on failure. */
ms_result *ms_analyze(const ms_facts *facts, const ms_options *opts, ms_error *err);
void ms_result_free(ms_result *r);

const char *ms_check_name(ms_check c); /* "unsynchronized-write", ... */

/* Access kind classes. */
int ms_access_writes(ms_access_kind k);

#ifdef __cplusplus
}
#endif
#endif /* MAPSAFE_ANALYSIS_H */
