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
** and read back (facts_json.h) and the same engine runs over one translation
** unit or over many merged together.
**
** Facts are *local*: each one says what holds inside its own function.  A
** lock held at an access is listed only if the function itself (or a callee
** that returns holding it) acquired it; locks held by callers, and the
** binding of parameters to real objects, are worked out by the engine along
** the call paths from each thread root.
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
  MS_BASE_LOCAL
} ms_base;

/* Where an object (map or lock) lives, as the code names it; see above. */
typedef struct ms_path {
  ms_base base;
  ms_id name;        /* GLOBAL/LOCAL: unique name of the object (string) */
  ms_id display;     /* GLOBAL/LOCAL: name shown to users (string), or MS_NONE */
  int32_t param;     /* PARAM: parameter index, else -1 */
  uint32_t depth;    /* number of fields selected after the base */
  ms_id field;       /* last field selected (string), or MS_NONE */
  ms_id field_owner; /* struct type declaring `field` (string), or MS_NONE */
} ms_path;

typedef enum ms_lock_mode { MS_LOCK_EXCLUSIVE = 0, MS_LOCK_SHARED = 1 } ms_lock_mode;

/* One lock held at a program point. */
typedef struct ms_held {
  ms_path lock;
  ms_lock_mode mode;
  ms_id acquired_at; /* loc id of the acquisition that holds it here */
} ms_held;

/* A sorted-by-nothing small set of held locks. */
typedef struct ms_lockset {
  ms_held *items;
  uint32_t count;
} ms_lockset;

/* A set of ids (spawn ids, string ids). */
typedef struct ms_idset {
  ms_id *items;
  uint32_t count;
} ms_idset;

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
  ms_field_value *fields;
  uint32_t field_count;
} ms_value;

typedef struct ms_function {
  ms_id name;      /* string */
  ms_id loc;       /* loc id of the definition */
  uint32_t param_count;
  int defined;     /* 1 if the body was analysed */
  /* Lock effect, as seen by callers: locks held at every return that were
  ** not held on entry, and locks released that were held on entry. */
  ms_lockset acquires;
  ms_lockset releases;
  /* Thread effect: spawn ids possibly still running at return; handles
  ** (string ids of handle names) joined by the function. */
  ms_idset live_at_exit;
  ms_idset joins;
} ms_function;

typedef struct ms_call {
  ms_id caller;      /* function id */
  ms_id callee;      /* function id */
  ms_id loc;
  ms_lockset locks;  /* locks held by the caller at the call */
  ms_idset live;     /* spawn ids possibly running at the call */
  ms_value *args;
  uint32_t arg_count;
} ms_call;

typedef enum ms_multiplicity { MS_MULT_ONE = 0, MS_MULT_MANY = 1 } ms_multiplicity;

typedef struct ms_spawn {
  ms_id func;        /* spawning function */
  ms_id entry;       /* function id of the thread entry */
  ms_id loc;
  ms_id api;         /* string: the spawn function (pthread_create) */
  ms_id handle;      /* string: the handle variable (for joins), or MS_NONE */
  ms_multiplicity multiplicity; /* MANY when spawned in a loop */
  int32_t arg_param; /* entry parameter that receives `arg`, or -1 */
  ms_value arg;
  ms_lockset locks;  /* locks held at the spawn */
  ms_idset live;     /* spawn ids possibly running at the spawn (itself: spawned in a loop) */
} ms_spawn;

typedef enum ms_access_kind {
  MS_ACC_READ = 0,   /* lookup, contains, size */
  MS_ACC_WRITE,      /* insert, replace, remove, clear; reads that mutate */
  MS_ACC_ITERATE,    /* foreach, iterator set-up */
  MS_ACC_CREATE,     /* the map comes into existence */
  MS_ACC_DESTROY     /* unref, destroy */
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
  ms_idset live;     /* spawn ids possibly running at the access */
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

/* Strings: intern returns the same id for equal strings. */
ms_id ms_str(ms_facts *f, const char *s);
ms_id ms_strn(ms_facts *f, const char *s, size_t n);
const char *ms_str_get(const ms_facts *f, ms_id id); /* "" for MS_NONE */
uint32_t ms_str_count(const ms_facts *f);

/* Builders.  Each copies its argument (including the arrays it points to)
** and returns the new fact's id, or MS_NONE when memory runs out. */
ms_id ms_add_loc(ms_facts *f, ms_id file, uint32_t line, uint32_t col);
ms_id ms_add_function(ms_facts *f, const ms_function *fn);
ms_id ms_add_call(ms_facts *f, const ms_call *c);
ms_id ms_add_spawn(ms_facts *f, const ms_spawn *s);
ms_id ms_add_access(ms_facts *f, const ms_access *a);

/* Looks a function up by name; MS_NONE if absent. */
ms_id ms_find_function(const ms_facts *f, const char *name);

/* Replaces a function's effects (copies the sets). Returns 0 on success. */
int ms_set_function_effects(ms_facts *f, ms_id fn, const ms_lockset *acquires,
                            const ms_lockset *releases, const ms_idset *live_at_exit,
                            const ms_idset *joins);

/* Helpers for paths. */
ms_path ms_path_unknown(void);
int ms_path_equal(const ms_path *a, const ms_path *b);

const char *ms_access_kind_name(ms_access_kind k);
int ms_access_kind_from_name(const char *s, ms_access_kind *out);
const char *ms_base_name(ms_base b);
int ms_base_from_name(const char *s, ms_base *out);

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
