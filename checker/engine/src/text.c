/*
** Findings as text, for the command-line tools: the same lines clang-tidy
** prints for the checks ("file:line:col: warning: ... [mapsafe-check]" and
** its notes), from the same messages (messages.h).
*/
#include "mapsafe/report.h"

#include <stdlib.h>

#include "mapsafe/explain.h"
#include "mapsafe/messages.h"

static void print_loc(const ms_result *r, FILE *out, ms_id loc) {
  if (loc == MS_NONE || loc >= r->facts->locs.count) {
    fputs("<unknown>", out);
    return;
  }
  const ms_loc *l = &r->facts->locs.items[loc];
  fprintf(out, "%s:%u:%u", ms_str_get(r->facts, l->file), l->line, l->col);
}

/* Prints "LOC: KIND: MESSAGE[ [mapsafe-CHECK]]"; 0, or 1 when memory runs out. */
static int print_line(const ms_result *r, FILE *out, ms_id loc, const char *kind,
                      const ms_message *m, const char *check) {
  char *text = ms_format(m);
  if (!text) return 1;
  print_loc(r, out, loc);
  fprintf(out, ": %s: %s", kind, text);
  if (check) fprintf(out, " [mapsafe-%s]", check);
  fputc('\n', out);
  free(text);
  return 0;
}

int ms_write_text(const ms_result *r, FILE *out) {
  int written = 0;
  for (uint32_t i = 0; i < r->findings.count; i++) {
    const ms_finding *f = &r->findings.items[i];
    if (ms_finding_superseded(r, f, ~0u)) continue; /* every check is on */
    written++;
    ms_message m;
    ms_explanation e;
    ms_finding_message(r, f, &m);
    if (print_line(r, out, ms_finding_loc(r, f), "warning", &m, ms_check_name(f->check)) ||
        ms_explain(r, f, &e))
      return -1;
    int failed = 0;
    for (uint32_t k = 0; k < e.count && !failed; k++) {
      ms_step_message(r, &e.steps[k], &m);
      failed = print_line(r, out, e.steps[k].loc, "note", &m, NULL);
    }
    ms_explanation_free(&e);
    if (failed) return -1;
  }
  return written;
}
