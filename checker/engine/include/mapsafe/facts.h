/*
** mapsafe fact model.
**
** Facts are what a frontend knows about a program, as plain data: the
** functions it defines, the calls between them, the threads they spawn and
** join, the map operations they perform and the locks held at each of them.
** The engine (analysis.h) turns facts into a map access graph and findings.
**
** Everything a fact refers to is an index into one of the arrays of
** ms_facts ("ids"); MS_NONE marks an absent reference.  Strings are interned
** in the fact set's string table and referred to by id, so a fact set is a
** tree of arrays with no pointers between facts: it can be written to JSON
** and read back (facts_json.h), several fact sets merge into one program
** (merge.h), and the same engine runs over one translation unit or many.
**
** WHO DECIDES WHAT.  Facts are the raw evidence of one function each; every
** conclusion drawn across functions is the engine's, and only the engine's:
**
**   - A frontend records what a function does itself: the locks it takes
**     and releases, the threads it starts and joins, where, and in which
**     order along its paths (as lock sets and thread sets at each point).
**   - Where a function calls another function that may lock, unlock, start
**     or join, the sets at later points refer to that call instead of
**     guessing what it did: a lock set holds "whatever call 7's callee
**     returns holding" (ms_held.call), a thread set "the threads call 7's
**     callee leaves running" (ms_running.call), and an entry the function
**     acquired or started itself lists the later calls that may have
**     released or joined it (released_by, joined_by).
**   - The engine computes each function's effects (locks held at return,
**     locks released, threads left running, handles joined) from that
**     function's own facts, callees first, and resolves the references with
**     them.  A lock wrapper or a helper that starts or joins threads
**     therefore works wherever its facts are, in the same translation unit
**     or in another one merged into the same program: that is what makes the
**     whole-program mode a merge of fact files, with nothing recomputed.
**     (A frontend writing facts for a whole program records the calls of
**     functions defined in other files too; see docs/design.md.)
**   - Whether a thread has many instances is the engine's decision too: the
**     spawn fact says only what the API declares (a pool always runs many)
**     and which threads run at the spawn (itself, when spawned in a loop).
**
** Objects (maps and locks) are named by an ms_path:
**
**   base            what the base names                 example
**   MS_BASE_GLOBAL  a global or static variable         sessions, cache_lock
**   MS_BASE_PARAM   the function's parameter #param     t in f(GHashTable *t)
**   MS_BASE_LOCAL   an object made in this function     GHashTable *t = g_hash_table_new(...)
**                   (created, allocated, or a local      pthread_mutex_t m; (&m taken)
**                   variable whose address is taken)
**   MS_BASE_UNKNOWN anything else (a call result, *pp)
**
** followed by `depth` field selections, of which the engine keeps the last:
** `field` and the struct type declaring it, `field_owner` (`struct server` .
** `sessions`).  With depth 1 the field is selected directly on the base,
** which is how a thread finds what its argument's struct was given.  A path
** with a field names, by default, that field in all instances of the struct
** together.
*/
#ifndef MAPSAFE_FACTS_H
#define MAPSAFE_FACTS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint32_t ms_id;
#define MS_NONE ((ms_id)0xffffffffu)

/* An error: a message and, where it comes from a file, where.  Functions
** that can fail take an ms_error* (may be NULL) and return nonzero. */
typedef struct ms_error {
  char message[512];
  unsigned line; /* 1-based line in the input, 0 if not applicable */
} ms_error;

/* A source location.  `file` is a string id. */
typedef struct ms_loc {
  ms_id file;
  uint32_t line;
  uint32_t col;
} ms_loc;

typedef enum ms_base {
  MS_BASE_UNKNOWN = 0,
  MS_BASE_GLOBAL,
  MS_BASE_PARAM,
  MS_BASE_LOCAL,
  MS_BASE_COUNT
} ms_base;

/* Where an object (map, lock or thread handle) lives, as the code names
** it; see above. */
typedef struct ms_path {
  ms_base base;
  ms_id name;        /* GLOBAL/LOCAL: unique name of the object (string) */
  ms_id display;     /* GLOBAL/LOCAL: name shown to users (string), or MS_NONE */
  int32_t param;     /* PARAM: parameter index, else -1 */
  uint32_t depth;    /* number of fields selected after the base */
  ms_id field;       /* last field selected (string), or MS_NONE */
  ms_id field_owner; /* struct type declaring `field` (string), or MS_NONE */
  ms_id field_display; /* the name users know the field's object by when a
                       ** macro wrote `field` into a record a macro declared
                       ** (a typed wrapper's union): the field of their own
                       ** that holds the record, `struct call.media_ids`
                       ** (string); MS_NONE: field_owner.field.  Only shown,
                       ** never part of the object's identity. */
  /* LOCAL: the variable is owned by each call of its function: a struct on
  ** its stack, or a fresh allocation held in it, whose address never leaves
  ** the call (stored nowhere, handed only to functions that store it
  ** nowhere).  The maps in its fields are then new in every call. */
  int owned;
} ms_path;

/* A set of ids (call ids, spawn ids). */
typedef struct ms_idset {
  ms_id *items;
  uint32_t count;
} ms_idset;

/* A set of paths. */
typedef struct ms_pathset {
  ms_path *items;
  uint32_t count;
} ms_pathset;

typedef enum ms_lock_mode {
  MS_LOCK_EXCLUSIVE = 0,
  MS_LOCK_SHARED = 1,
  MS_LOCK_MODE_COUNT
} ms_lock_mode;

/* One entry of the locks held at a program point (a must-set: held on
** every path that reaches the point).  Either
**   - a lock the function acquired itself (call == MS_NONE): `lock` in
**     `mode`, taken at `acquired_at`; or
**   - what the callee of call fact `call` (a call of this function) returns
**     holding, minus the locks in `released` that this function released
**     itself since that call; `acquired_at` is the call's location.
** `released_by`: calls made since (on some path) whose callees may release
** it; the engine drops what they do release. */
typedef struct ms_held {
  ms_path lock;           /* own: the lock; call entries: unknown */
  ms_lock_mode mode;      /* own: the mode it was taken in */
  ms_id acquired_at;      /* loc id */
  ms_id call;             /* MS_NONE, or the call whose callee's locks these are */
  ms_pathset released;    /* call entries: locks released since the call */
  ms_idset released_by;   /* call ids */
} ms_held;

typedef struct ms_lockset {
  ms_held *items;
  uint32_t count;
} ms_lockset;

/* A lock the function releases that it had not acquired itself: its caller
** held it.  It is no release the caller sees when one of the calls in
** `unless_acquired_by` (made before, on some path) is what acquired it. */
typedef struct ms_release {
  ms_path lock;
  ms_idset unless_acquired_by; /* call ids */
  int some_paths; /* released on some paths to the exit only: the caller may
                  ** still hold it after the call */
} ms_release;

typedef struct ms_releaseset {
  ms_release *items;
  uint32_t count;
} ms_releaseset;

/* One entry of the threads possibly running at a program point (a may-set:
** running on some path that reaches the point).  Either
**   - the threads spawn fact `spawn` of this function started; or
**   - the threads the callee of call fact `call` leaves running, minus those
**     whose handle is in `joined` (joined by this function since, on every
**     path).
** `joined_by`: calls made since, on every path, whose callees may join them;
** the engine drops the threads they do join. */
typedef struct ms_running {
  ms_id spawn;            /* spawn id, or MS_NONE */
  ms_id call;             /* call id, or MS_NONE */
  ms_pathset joined;      /* call entries: handles joined since the call */
  ms_idset joined_by;     /* call ids */
} ms_running;

typedef struct ms_threadset {
  ms_running *items;
  uint32_t count;
} ms_threadset;

/* What a struct reachable through an argument is known to hold in one
** field: the field's name and the object stored there. */
typedef struct ms_field_value {
  ms_id field;       /* string */
  ms_path value;
  int per_instance;  /* spawn arguments: stored object is fresh for each spawned instance */
} ms_field_value;

/* An actual argument: the object it denotes in the caller, and what is
** known of the fields of the struct it points to. */
typedef struct ms_value {
  ms_path path;
  int per_instance;  /* spawn arguments: object is fresh for each spawned instance */
  int null;          /* the argument is a null pointer constant */
  ms_field_value *fields;
  uint32_t field_count;
} ms_value;

/* Who can call a function: only the calls the facts show, or anyone. */
typedef enum ms_visibility {
  MS_VIS_INTERNAL = 0,    /* static, called only where the facts show */
  MS_VIS_EXTERNAL,        /* external linkage: callers elsewhere, on any thread */
  MS_VIS_ADDRESS_TAKEN,   /* static, but its address is taken: called through a pointer */
  MS_VIS_PROGRAM_ENTRY,   /* main: the program starts here, on one thread */
  MS_VIS_COUNT
} ms_visibility;

/* A function.  Its state at the exit is the raw evidence of its effects on
** its callers (see WHO DECIDES WHAT). */
typedef struct ms_function {
  ms_id name;             /* string */
  ms_id loc;              /* loc id of the definition */
  uint32_t param_count;
  ms_visibility visibility;
  int concurrent;         /* declared to run on many threads at once (a framework's
                             handler; mapsafe.ConcurrentFunctions): a thread root */
  int defined;            /* 1 if the body was analysed */
  int unsettled;          /* the body's dataflow did not settle: it has no facts */
  int returns;            /* the exit can be reached */
  ms_lockset exit_locks;  /* held at the exit */
  ms_threadset exit_threads; /* possibly running at the exit */
  ms_releaseset releases; /* locks released that the caller held */
  ms_pathset joins;       /* handles joined (on some path) */
  ms_pathset lock_inits;  /* locks the function initialises (pthread_mutex_init) */
  ms_pathset lock_destroys; /* locks the function destroys (pthread_mutex_destroy) */
  int frees;              /* the function frees memory (free, g_free) */
  ms_lockset requires;    /* locks its callers must hold, as its annotations say
                             (requires_capability): held on entry from elsewhere */
} ms_function;

typedef struct ms_call {
  ms_id caller;      /* function id */
  ms_id callee;      /* function id */
  ms_id loc;
  int callback;      /* a callback run by a library call (foreach): no effects on the caller */
  uint32_t nonnull_param; /* 1 + the parameter of the caller that must not be NULL for
                             the call to run (`if (p) f(p)`, p never assigned); 0: always */
  ms_lockset locks;  /* locks held by the caller at the call */
  ms_threadset live; /* threads possibly running at the call */
  ms_pathset maybe_locks; /* locks the caller took itself, held on some paths to the
                             call but not on all */
  ms_value *args;
  uint32_t arg_count;
} ms_call;

typedef enum ms_multiplicity {
  MS_MULT_ONE = 0,
  MS_MULT_MANY = 1,
  MS_MULT_COUNT
} ms_multiplicity;

typedef struct ms_spawn {
  ms_id func;        /* spawning function */
  ms_id entry;       /* function id of the thread entry; MS_NONE when not known */
  ms_id loc;
  ms_id api;         /* string: the spawn function (pthread_create) */
  ms_path handle;    /* where the thread's handle is stored (for joins) */
  ms_multiplicity multiplicity; /* as the API declares: MANY for a pool */
  int32_t arg_param; /* entry parameter that receives `arg`, or -1 */
  ms_value arg;
  ms_lockset locks;  /* locks held at the spawn */
  ms_threadset live; /* threads possibly running at the spawn (itself: spawned in a loop) */
} ms_spawn;

typedef enum ms_access_kind {
  MS_ACC_READ = 0,   /* lookup, contains, size */
  MS_ACC_WRITE,      /* insert, replace, remove, clear; reads that mutate */
  MS_ACC_ITERATE,    /* foreach, iterator set-up */
  MS_ACC_CREATE,     /* the map comes into existence */
  MS_ACC_DESTROY,    /* unref, destroy */
  MS_ACC_COUNT
} ms_access_kind;

typedef struct ms_access {
  ms_id func;
  ms_id loc;
  ms_access_kind kind;
  ms_id api;         /* string: the operation (g_hash_table_insert) */
  ms_id library;     /* string: the map library (GLib GHashTable) */
  ms_path map;
  ms_id key_type;    /* string, or MS_NONE */
  ms_id value_type;  /* string, or MS_NONE */
  ms_lockset locks;  /* locks held at the access */
  ms_threadset live; /* threads possibly running at the access */
  ms_pathset maybe_locks; /* locks the function took itself that are held on some paths
                             to the access but not on all */
  int teardown;      /* after a last-reference test succeeded, or after a join on every
                        path: the object is being torn down by its last user */
  int lazy;          /* a creation run only when a test found the map's place empty
                        (`if (!m) m = new()`): lazy initialisation, not the owner's */
  uint32_t nonnull_param; /* 1 + the parameter that must not be NULL for it to run; 0: always */
  uint32_t published_at; /* 1 + the loc where the function published the local whose field
                            the map is, which was its own before (ms_path.owned); 0: none */
} ms_access;

/* Growable arrays, one per fact kind.  Owned by the fact set. */
#define MS_ARRAY(T) struct { T *items; uint32_t count; uint32_t cap; }

typedef struct ms_strtab ms_strtab;

typedef struct ms_facts {
  ms_strtab *strings;
  MS_ARRAY(ms_loc) locs;
  MS_ARRAY(ms_function) functions;
  MS_ARRAY(ms_call) calls;
  MS_ARRAY(ms_spawn) spawns;
  MS_ARRAY(ms_access) accesses;
} ms_facts;

/* Lifetime. */
ms_facts *ms_facts_new(void);
void ms_facts_free(ms_facts *f);

/* Strings: intern returns the same id for equal strings (a string ends at
** its first NUL); MS_NONE when memory runs out. */
ms_id ms_str(ms_facts *f, const char *s);
ms_id ms_strn(ms_facts *f, const char *s, size_t n);
const char *ms_str_get(const ms_facts *f, ms_id id); /* "" for MS_NONE */
uint32_t ms_str_count(const ms_facts *f);

/* Builders.  Each copies its argument (including the arrays it points to)
** and returns the new fact's id, or MS_NONE when memory runs out.  Ids
** inside the fact (calls, spawns) may refer to facts added later: a fact
** set is checked as a whole (ms_facts_check) before it is analysed. */
ms_id ms_add_loc(ms_facts *f, ms_id file, uint32_t line, uint32_t col);
ms_id ms_add_function(ms_facts *f, const ms_function *fn);
ms_id ms_add_call(ms_facts *f, const ms_call *c);
ms_id ms_add_spawn(ms_facts *f, const ms_spawn *s);
ms_id ms_add_access(ms_facts *f, const ms_access *a);

/* Replaces what a function's fact says of its body: `defined`,
** `unsettled`, `returns` and the exit state (copies the sets).  Returns 0 on
** success. */
int ms_set_function_body(ms_facts *f, ms_id fn, const ms_function *body);

/* Checks that every id in the fact set refers inside it (strings, locs,
** functions, calls, spawns), that references to calls in lock and thread
** sets name direct calls of the same function, that each entry has only
** the members its kind has, and that function names are unique.  Returns 0,
** or 1 with what is wrong in err ("calls[3]: refers to a call of another
** function"). */
int ms_facts_check(const ms_facts *f, ms_error *err);

/* Looks a function up by name; MS_NONE if absent. */
ms_id ms_find_function(const ms_facts *f, const char *name);

/* Helpers for paths. */
ms_path ms_path_unknown(void);
int ms_path_equal(const ms_path *a, const ms_path *b);
int ms_path_is_unknown(const ms_path *p); /* names nothing: no base, no field */

/* Names of enum values, as written in fact files and rule files; the
** *_from_name functions return 0 and set *out, or 1 for an unknown name. */
const char *ms_access_kind_name(ms_access_kind k);
int ms_access_kind_from_name(const char *s, ms_access_kind *out);
const char *ms_base_name(ms_base b);
int ms_base_from_name(const char *s, ms_base *out);
const char *ms_lock_mode_name(ms_lock_mode m);
int ms_lock_mode_from_name(const char *s, ms_lock_mode *out);
const char *ms_multiplicity_name(ms_multiplicity m);
int ms_multiplicity_from_name(const char *s, ms_multiplicity *out);
const char *ms_visibility_name(ms_visibility v);
int ms_visibility_from_name(const char *s, ms_visibility *out);

/* Writes a message into err (if not NULL); returns 1 for `return ms_fail(...)`. */
int ms_fail(ms_error *err, unsigned line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#ifdef __cplusplus
}
#endif
#endif /* MAPSAFE_FACTS_H */
