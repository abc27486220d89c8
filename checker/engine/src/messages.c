/*
** The wording of every message (messages.h), and a formatter for clang's
** diagnostic format syntax.
**
** Each message is built by one function below from one format.  Names are
** quoted in the format ('%1'), so that a check streams plain strings and
** the command line prints the same text.  Threads and locks are told with
** %select over what they are: "the main thread", "the thread calling 'f'",
** "thread 'f'"; "'lock'" or "an unnamed lock".
*/
#include "mapsafe/messages.h"

#include "textbuf.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- arguments ----------------------------------------------------------- */

static void arg_text(ms_message *m, unsigned i, const char *text) {
  assert(i < MS_MAX_MESSAGE_ARGS);
  m->args[i].is_number = 0;
  m->args[i].text = text ? text : "";
  if (m->arg_count <= i) m->arg_count = i + 1;
}

static void arg_number(ms_message *m, unsigned i, unsigned number) {
  assert(i < MS_MAX_MESSAGE_ARGS);
  m->args[i].is_number = 1;
  m->args[i].text = NULL;
  m->args[i].number = number;
  if (m->arg_count <= i) m->arg_count = i + 1;
}

static void start(ms_message *m, const char *format) {
  memset(m, 0, sizeof *m);
  m->format = format;
}

static const char *str(const ms_result *r, ms_id id) { return ms_str_get(r->facts, id); }

static const char *function_name(const ms_result *r, ms_id fn) {
  return fn < r->facts->functions.count ? str(r, r->facts->functions.items[fn].name) : "?";
}

const char *ms_object_name(const ms_result *r, ms_id object) {
  if (object >= r->objects.count || !r->object_names) return NULL;
  return r->object_names[object];
}

/* A thread: "%select{the main thread|the thread calling '%N+1'|thread '%N+1'}N". */
#define THREAD(n, m) "%select{the main thread|the thread calling '%" #m "'|thread '%" #m "'}" #n
static void arg_thread(const ms_result *r, ms_message *m, unsigned i, ms_id thread) {
  const ms_thread *t = &r->threads.items[thread];
  const char *fn = function_name(r, t->func);
  unsigned kind = t->kind != MS_THREAD_ENTRY ? 2 : strcmp(fn, "main") == 0 ? 0 : 1;
  arg_number(m, i, kind);
  arg_text(m, i + 1, fn);
}

/* A lock: "%select{'%N+1'|an unnamed lock}N". */
#define LOCK(n, m) "%select{'%" #m "'|an unnamed lock}" #n
static void arg_lock(const ms_result *r, ms_message *m, unsigned i, ms_id lock) {
  const char *name = ms_object_name(r, lock);
  arg_number(m, i, name ? 0 : 1);
  arg_text(m, i + 1, name);
}

/* What an access does, as a noun: read, write, iteration, ... */
#define ACCESS_KIND(n) "%select{read|write|iteration|creation|destruction}" #n

/* ---- the messages -------------------------------------------------------- */

/* An access that does not hold its map's guard. */
static void guard_message(const ms_result *r, const ms_finding *f, ms_message *m) {
  const ms_instance *x = &r->instances.items[f->instance];
  const ms_access *ax = &r->facts->accesses.items[x->access];
  const ms_guard *g = &r->guards.items[f->guard];
  if (f->rival != MS_NONE)
    start(m, "'%0' is accessed under different locks: " LOCK(1, 2) " in %3 functions, " LOCK(7, 8)
             " in %9; this " ACCESS_KIND(5) " (%6) holds only " LOCK(7, 8));
  else if (g->verdict == MS_GUARD_DECLARED)
    start(m, "'%0' is declared to be guarded by " LOCK(1, 2) "; this " ACCESS_KIND(5)
             " (%6) does not hold it");
  else
    start(m, "'%0' is accessed with " LOCK(1, 2) " held in %3 of %4 functions; this "
             ACCESS_KIND(5) " (%6) does not hold it");
  arg_text(m, 0, ms_object_name(r, x->map));
  arg_lock(r, m, 1, g->lock);
  arg_number(m, 3, g->guarded_sites);
  arg_number(m, 4, g->sites);
  arg_number(m, 5, (unsigned)ax->kind);
  arg_text(m, 6, str(r, ax->api));
  if (f->rival != MS_NONE) {
    arg_lock(r, m, 7, r->guards.items[f->rival].lock);
    arg_number(m, 9, r->guards.items[f->rival].guarded_sites);
  }
}

void ms_finding_message(const ms_result *r, const ms_finding *f, ms_message *m) {
  if (f->check == MS_CHECK_INCONSISTENT_LOCKING) {
    guard_message(r, f, m);
    return;
  }
  start(m, "unsynchronized %select{write to|read of|iteration over}0 map '%1' (%2) can race with "
           "a " ACCESS_KIND(3) " in %select{|another instance of }4" THREAD(5, 6)
           "%select{|; no lock is held|; " LOCK(8, 9) " is held only in shared mode}7");
  const ms_instance *x = &r->instances.items[f->instance], *y = &r->instances.items[f->other];
  const ms_access *ax = &r->facts->accesses.items[x->access];
  const ms_access *ay = &r->facts->accesses.items[y->access];
  arg_number(m, 0, ax->kind == MS_ACC_ITERATE ? 2 : f->check == MS_CHECK_UNSYNCHRONIZED_READ);
  arg_text(m, 1, ms_object_name(r, x->map));
  arg_text(m, 2, str(r, ax->api));
  arg_number(m, 3, (unsigned)ay->kind);
  arg_number(m, 4, y->thread == x->thread);
  arg_thread(r, m, 5, y->thread);
  unsigned why = 0;
  if (f->shared_lock != MS_NONE && f->missing_lock == MS_NONE) why = 2;
  else if (x->lock_count == 0) why = 1;
  arg_number(m, 7, why);
  arg_lock(r, m, 8, why == 2 ? f->shared_lock : MS_NONE);
}

void ms_step_message(const ms_result *r, const ms_step *s, ms_message *m) {
  const ms_access *acc = s->access != MS_NONE ? &r->facts->accesses.items[s->access] : NULL;
  switch (s->kind) {
  case MS_STEP_SAME_ACCESS:
    start(m, "the same " ACCESS_KIND(0) " (%1) runs concurrently in another instance of " THREAD(2, 3));
    arg_number(m, 0, acc ? (unsigned)acc->kind : 0);
    arg_text(m, 1, acc ? str(r, acc->api) : "");
    arg_thread(r, m, 2, s->thread);
    return;
  case MS_STEP_CONFLICT:
    start(m, "conflicting " ACCESS_KIND(0) " (%1) in " THREAD(2, 3) "%select{|, another instance}4");
    arg_number(m, 0, acc ? (unsigned)acc->kind : 0);
    arg_text(m, 1, acc ? str(r, acc->api) : "");
    arg_thread(r, m, 2, s->thread);
    arg_number(m, 4, s->flag != 0);
    return;
  case MS_STEP_MISSING_LOCK:
    start(m, LOCK(0, 1) ", acquired here, protects the conflicting access but is not held at the "
                        "reported one");
    arg_lock(r, m, 0, s->object);
    return;
  case MS_STEP_SHARED_MODE:
    start(m, LOCK(0, 1) " is acquired here in shared (read) mode, which does not exclude other "
                        "readers");
    arg_lock(r, m, 0, s->object);
    return;
  case MS_STEP_THREAD_STARTED:
    start(m, "thread '%0' is started here by " THREAD(1, 2)
             "%select{|, with many instances running at once}3");
    arg_text(m, 0, function_name(r, r->threads.items[s->thread].func));
    arg_thread(r, m, 1, s->other_thread);
    arg_number(m, 3, s->flag != 0);
    return;
  case MS_STEP_CALLED_FROM:
    start(m, "'%0' is called from '%1' here");
    arg_text(m, 0, function_name(r, s->function));
    arg_text(m, 1, function_name(r, s->other_function));
    return;
  case MS_STEP_MAP_CREATED: {
    start(m, "'%0' is created here: %select{a|an}5 %1%select{| from %3 keys to %4 values| with %3 "
             "keys| with %4 values}2");
    const ms_object *o = &r->objects.items[s->object];
    const char *library = o->library != MS_NONE ? str(r, o->library) : "map";
    arg_text(m, 0, ms_object_name(r, s->object));
    arg_text(m, 1, library);
    arg_number(m, 5, library[0] && strchr("aeiouAEIOU", library[0]) != NULL);
    unsigned types = o->key_type != MS_NONE && o->value_type != MS_NONE ? 1
                     : o->key_type != MS_NONE                            ? 2
                     : o->value_type != MS_NONE                          ? 3
                                                                         : 0;
    arg_number(m, 2, types);
    arg_text(m, 3, str(r, o->key_type));
    arg_text(m, 4, str(r, o->value_type));
    return;
  }
  case MS_STEP_DECLARED_THREAD:
    start(m, "'%0' is declared to run on many threads at once (ConcurrentFunctions, or a rule's "
             "callback table)");
    arg_text(m, 0, function_name(r, r->threads.items[s->thread].func));
    return;
  case MS_STEP_HELD_HERE:
    start(m, LOCK(0, 1) " is held here");
    arg_lock(r, m, 0, s->object);
    return;
  case MS_STEP_OPEN_FUNCTION:
    start(m, "'%0' %select{can be called only from this file|has external linkage: any thread may "
             "call it|has its address taken: it may be called on any thread|starts the "
             "program}1");
    arg_text(m, 0, function_name(r, s->function));
    arg_number(m, 1, (unsigned)s->flag);
    return;
  default:
    start(m, "?");
    return;
  }
}

void ms_limit_message(const ms_result *r, ms_limit limit, ms_message *m) {
  start(m, "mapsafe did not analyse this file completely: %select{it has more call contexts than "
           "the bound of %1|a call path is deeper than the bound of %1 calls|it starts more threads "
           "than the bound of %1|it has more map access instances than the bound of %1|it has more "
           "pairs of accesses than the bound of %1}0; races beyond it are not reported");
  unsigned which = 0;
  while (which < 5 && (1u << which) != (unsigned)limit) which++;
  arg_number(m, 0, which);
  arg_number(m, 1, ms_limit_value(r, limit));
}

void ms_unsettled_message(const ms_result *r, ms_message *m) {
  start(m, "mapsafe did not analyse this file completely: the dataflow of '%0'%select{| and of "
           "%2 more %select{function|functions}3}1 did not settle; %select{its|their}1 map "
           "accesses, locks and threads are not analysed");
  arg_text(m, 0, function_name(r, r->first_unsettled));
  arg_number(m, 1, r->unsettled > 1);
  arg_number(m, 2, r->unsettled > 1 ? r->unsettled - 1 : 0);
  arg_number(m, 3, r->unsettled > 2);
}

void ms_thread_message(const ms_result *r, ms_id thread, ms_message *m) {
  start(m, THREAD(0, 1));
  arg_thread(r, m, 0, thread);
}

void ms_moved_note_message(const char *note, const char *file, unsigned line, unsigned col,
                           ms_message *m) {
  start(m, "%0 (at %1:%2:%3)");
  arg_text(m, 0, note);
  arg_text(m, 1, file);
  arg_number(m, 2, line);
  arg_number(m, 3, col);
}

void ms_unknown_option_message(const char *name, ms_message *m) {
  start(m, "unknown mapsafe option '%0'; the options are listed by 'clang-tidy --dump-config' "
           "and in docs/checks/");
  arg_text(m, 0, name);
}

void ms_error_message(const char *text, ms_message *m) {
  start(m, "mapsafe: %0");
  arg_text(m, 0, text);
}

void ms_paused_message(const char *function, unsigned line, ms_message *m) {
  if (!function) {
    start(m, "mapsafe paused: this file has errors that leave no function of it certain (in an "
             "included file, or errors that stopped the compiler); its map accesses are checked "
             "again once it compiles");
    return;
  }
  start(m, "mapsafe paused in '%0' (line %1) and the functions that call it: the file has errors "
           "there; findings that involve them are reported again once they compile");
  arg_text(m, 0, function);
  arg_number(m, 1, line);
}

/* ---- the summary --------------------------------------------------------- */

/* The first names of a list and how many more: ": 'a', 'b', 'c' and 2 more",
** from arguments a, b, c (names), d (how many more) and e (the select). */
#define NAMES(a, b, c, d, e)                                                            \
  "%select{|: '%" #a "'|: '%" #a "', '%" #b "'|: '%" #a "', '%" #b "', '%" #c "'|: '%" #a \
  "', '%" #b "', '%" #c "' and %" #d " more}" #e
static void arg_names(ms_message *m, unsigned i, const ms_summary_names *n) {
  for (unsigned k = 0; k < MS_SUMMARY_MAX_NAMES; k++)
    arg_text(m, i + k, k < n->count ? n->first[k] : "");
  arg_number(m, i + 3, n->count > MS_SUMMARY_MAX_NAMES ? n->count - MS_SUMMARY_MAX_NAMES : 0);
  arg_number(m, i + 4, n->count > MS_SUMMARY_MAX_NAMES ? MS_SUMMARY_MAX_NAMES + 1 : n->count);
}

void ms_summary_message(const ms_summary *s, ms_message *m) {
  if (s->accesses == 0) {
    start(m, "mapsafe summary: no map operation that mapsafe models is in this file, and "
             "%select{no thread starts or concurrent functions are visible|%1 thread root%s1 "
             "%select{is|are}2 visible}0: there is nothing to check here");
    arg_number(m, 0, !ms_summary_blind(s));
    arg_number(m, 1, s->spawned + s->declared.count);
    arg_number(m, 2, s->spawned + s->declared.count != 1);
    return;
  }
  if (ms_summary_blind(s)) {
    start(m, "mapsafe summary: %select{%0 map%s0 and %1 map operation%s1|%1 map operation%s1 "
             "on maps mapsafe cannot name}5, but no thread %select{starts|"
             "start that mapsafe can follow}4 and no %select{concurrent entry points are visible in this file: nothing can race here as "
             "far as mapsafe can see|functions declared concurrent are visible in this file: no "
             "race between threads can be shown here; only mapsafe-inconsistent-locking checks "
             "the %3 function%s3 with external linkage, which may be called on any thread}2");
    arg_number(m, 0, s->maps);
    arg_number(m, 1, s->accesses);
    arg_number(m, 2, s->external.count > 0);
    arg_number(m, 3, s->external.count);
    arg_number(m, 4, s->unfollowed > 0);
    arg_number(m, 5, s->maps == 0);
    return;
  }
  start(m, "mapsafe summary: %0 thread root%s0, %1 map%s1, %2 map operation%s2 (%3 read%s3, %4 "
           "write%s4, %9 creation%s9), %5 lock%s5, %6 guard%s6, %7 finding%s7%select{|; the "
           "analysis is incomplete}8");
  arg_number(m, 0, s->spawned + s->declared.count);
  arg_number(m, 1, s->maps);
  arg_number(m, 2, s->accesses);
  arg_number(m, 3, s->reads);
  arg_number(m, 4, s->writes);
  arg_number(m, 5, s->locks.count);
  arg_number(m, 6, s->guards);
  arg_number(m, 7, s->finding_total);
  arg_number(m, 8, s->limits || s->unsettled);
  arg_number(m, 9, s->creations);
}

int ms_summary_note(const ms_result *r, const ms_summary *s, uint32_t i, ms_message *m) {
  uint32_t k = 0; /* the notes that apply, counted until the i-th */
#define NOTE(cond) if ((cond) && k++ == i)
  for (uint32_t g = 0; g < s->start_count; g++) {
    const ms_summary_group *t = &s->starts[g];
    NOTE(1) {
      start(m, "%0 thread%s0 started with %1%select{|, with many instances at once|, each with "
               "many instances at once|, %8 of them with many instances at once}7" NAMES(2, 3, 4, 5,
                                                                                         6));
      arg_number(m, 0, t->count);
      arg_text(m, 1, t->what);
      arg_names(m, 2, &t->names);
      arg_number(m, 7, t->many == 0                       ? 0
                       : t->count == 1                    ? 1
                       : t->many == t->count              ? 2
                                                          : 3);
      arg_number(m, 8, t->many);
      return 1;
    }
  }
  NOTE(s->unfollowed) {
    start(m, "%0 call%s0 of a thread-start API %select{has|have}1 no entry function mapsafe can "
             "follow (a function pointer, flags that start no thread, or unreachable code): what "
             "%select{it starts|they start}1 is not analysed");
    arg_number(m, 0, s->unfollowed);
    arg_number(m, 1, s->unfollowed != 1);
    return 1;
  }
  NOTE(s->declared.count) {
    start(m, "%0 function%s0 declared to run on many threads at once (ConcurrentFunctions, or a "
             "rule's callback table)" NAMES(1, 2, 3, 4, 5));
    arg_number(m, 0, s->declared.count);
    arg_names(m, 1, &s->declared);
    return 1;
  }
  NOTE(s->external.count) {
    start(m, "%0 function%s0 with external linkage, taken to be callable on any thread by "
             "mapsafe-inconsistent-locking (ConcurrentExternalFunctions)" NAMES(1, 2, 3, 4, 5));
    arg_number(m, 0, s->external.count);
    arg_names(m, 1, &s->external);
    return 1;
  }
  for (uint32_t g = 0; g < s->library_count; g++) {
    const ms_summary_group *l = &s->libraries[g];
    NOTE(1) {
      start(m, "%0 %select{%1 |}7map%s0" NAMES(2, 3, 4, 5, 6));
      arg_number(m, 0, l->count);
      arg_text(m, 1, l->what);
      arg_names(m, 2, &l->names);
      arg_number(m, 7, l->what[0] == '\0');
      return 1;
    }
  }
  NOTE(s->unchecked) {
    start(m, "%0 of the %1 map operation%s1 %select{is|are}2 not checked: mapsafe cannot name the "
             "map (a call's result, '*pp'), or no call path reaches %select{it|them}2 with one");
    arg_number(m, 0, s->unchecked);
    arg_number(m, 1, s->accesses);
    arg_number(m, 2, s->unchecked != 1);
    return 1;
  }
  NOTE(s->locks.count || s->unnamed_locks) {
    start(m, "%0 named lock%s0 held at map operations" NAMES(1, 2, 3, 4, 5)
             "%select{|; also a lock mapsafe cannot name, taken to exclude every access}6");
    arg_number(m, 0, s->locks.count);
    arg_names(m, 1, &s->locks);
    arg_number(m, 6, s->unnamed_locks != 0);
    return 1;
  }
  for (uint32_t g = 0; g < s->guards && g < MS_SUMMARY_MAX_NAMES; g++) {
    NOTE(1) {
      const ms_guard *gd = &r->guards.items[s->first_guards[g]];
      start(m, "'%0' is guarded by " LOCK(1, 2) " (%select{inferred: held at %4 of the %5 "
               "functions that access it|declared}3)");
      arg_text(m, 0, ms_object_name(r, gd->map));
      arg_lock(r, m, 1, gd->lock);
      arg_number(m, 3, gd->verdict == MS_GUARD_DECLARED);
      arg_number(m, 4, gd->guarded_sites);
      arg_number(m, 5, gd->sites);
      return 1;
    }
  }
  NOTE(s->guards > MS_SUMMARY_MAX_NAMES) {
    start(m, "and %0 more guard%s0");
    arg_number(m, 0, s->guards - MS_SUMMARY_MAX_NAMES);
    return 1;
  }
  NOTE(s->finding_total) {
    start(m, "findings: %0 unsynchronized-write, %1 unsynchronized-read, %2 inconsistent-locking "
             "(before NOLINT comments)");
    arg_number(m, 0, s->findings[MS_CHECK_UNSYNCHRONIZED_WRITE]);
    arg_number(m, 1, s->findings[MS_CHECK_UNSYNCHRONIZED_READ]);
    arg_number(m, 2, s->findings[MS_CHECK_INCONSISTENT_LOCKING]);
    return 1;
  }
  NOTE(s->limits || s->unsettled) {
    start(m, "the analysis of this file is incomplete (a bound was reached, or a function's "
             "dataflow did not settle): races may be missing; mapsafe-incomplete-analysis tells "
             "why");
    return 1;
  }
  NOTE(s->graph_limits && !s->limits && !s->unsettled) {
    start(m, "a bound of the analysis was reached where nothing can race: no finding is missing, "
             "but the map access graph is incomplete");
    return 1;
  }
  NOTE(s->accesses && ms_summary_blind(s)) {
    start(m, "to check these maps against threads started elsewhere (by a framework, in another "
             "file), name the functions those threads run in mapsafe.ConcurrentFunctions, or "
             "analyse the files together (mapsafe.FactsDir and mapsafe-facts); a thread API "
             "mapsafe does not model can be described in a rule file (mapsafe.RulesFiles, "
             "docs/rules.md)");
    return 1;
  }
  NOTE(s->accesses == 0) {
    start(m, "maps of a library mapsafe does not model, or a project's own map API, can be "
             "described in a rule file (mapsafe.RulesFiles, docs/rules.md)");
    return 1;
  }
#undef NOTE
  return 0;
}

void ms_unanalysed_summary_message(int config_errors, ms_message *m) {
  start(m, "mapsafe summary: this file was not analysed%select{| because of the mapsafe errors "
           "above}0: mapsafe reports nothing for it");
  arg_number(m, 0, config_errors != 0);
}

/* ---- the formatter ------------------------------------------------------- */

/* The end of a %select body starting at p (just after '{'): the matching
** '}', or NULL. */
static const char *select_end(const char *p, const char *end) {
  int depth = 1;
  for (; p < end; p++) {
    if (*p == '{') depth++;
    else if (*p == '}' && --depth == 0) return p;
  }
  return NULL;
}

static void format_range(const ms_message *m, const char *p, const char *end, ms_textbuf *t,
                         int depth) {
  while (p < end && !t->oom) {
    const char *pct = memchr(p, '%', (size_t)(end - p));
    if (!pct) pct = end;
    ms__text_put(t, p, (size_t)(pct - p));
    if (pct >= end) return;
    p = pct + 1;
    if (p < end && *p == '%') {
      ms__text_put(t, "%", 1);
      p++;
    } else if (p < end && *p >= '0' && *p <= '9') {
      unsigned i = (unsigned)(*p++ - '0');
      if (i < m->arg_count && !m->args[i].is_number) {
        ms__text_put(t, m->args[i].text, strlen(m->args[i].text));
      } else if (i < m->arg_count) {
        char num[16];
        int n = snprintf(num, sizeof num, "%u", m->args[i].number);
        ms__text_put(t, num, (size_t)n);
      }
    } else if (end - p > 1 && *p == 's' && p[1] >= '0' && p[1] <= '9') {
      /* %sN: "s" unless argument N is the number 1, as clang has it. */
      unsigned i = (unsigned)(p[1] - '0');
      if (!(i < m->arg_count && m->args[i].is_number && m->args[i].number == 1))
        ms__text_put(t, "s", 1);
      p += 2;
    } else if ((size_t)(end - p) > 7 && memcmp(p, "select{", 7) == 0 && depth < 8) {
      const char *body = p + 7, *close = select_end(body, end);
      if (!close || close + 1 >= end || close[1] < '0' || close[1] > '9') {
        ms__text_put(t, pct, (size_t)(end - pct)); /* malformed: as it stands */
        return;
      }
      unsigned i = (unsigned)(close[1] - '0');
      unsigned choice = i < m->arg_count && m->args[i].is_number ? m->args[i].number : 0;
      /* The choice-th piece, split at '|' outside nested braces. */
      const char *piece = body;
      int level = 0;
      unsigned k = 0;
      for (const char *q = body; q < close; q++) {
        if (*q == '{') level++;
        else if (*q == '}') level--;
        else if (*q == '|' && level == 0) {
          if (k == choice) {
            format_range(m, piece, q, t, depth + 1);
            piece = NULL;
            break;
          }
          k++;
          piece = q + 1;
        }
      }
      if (piece && k == choice) format_range(m, piece, close, t, depth + 1);
      p = close + 2;
    } else {
      ms__text_put(t, "%", 1);
    }
  }
}

char *ms_format(const ms_message *m) {
  ms_textbuf t = {NULL, 0, 0, 0};
  if (m->format) format_range(m, m->format, m->format + strlen(m->format), &t, 0);
  return ms__text_take(&t);
}
