/*
** mapsafe-facts: runs the engine over fact files.
**
**   mapsafe-facts [--emit=findings|facts|graph-json|graph-dot] FILE.json...
**
** Reads the fact files (JSON, facts_json.h; "-" is standard input), merges
** them into one program and prints the findings (the default), the merged
** facts, or the map access graph as JSON or DOT.  Exit status: 0 done (no
** findings), 1 findings were reported, 2 error.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapsafe/analysis.h"
#include "mapsafe/facts.h"
#include "mapsafe/facts_json.h"
#include "mapsafe/merge.h"
#include "mapsafe/messages.h"
#include "mapsafe/report.h"

#define PROG "mapsafe-facts"

typedef enum emit { EMIT_FINDINGS, EMIT_FACTS, EMIT_GRAPH_JSON, EMIT_GRAPH_DOT } emit;

static void usage(FILE *out) {
  fputs("usage: " PROG " [--emit=findings|facts|graph-json|graph-dot] FILE.json...\n"
        "\n"
        "Reads mapsafe fact files (\"-\" reads standard input), merges them into one\n"
        "program and prints:\n"
        "  --emit=findings    races found, as compiler-style warnings (default)\n"
        "  --emit=facts       the merged facts, as JSON\n"
        "  --emit=graph-json  the map access graph, as JSON\n"
        "  --emit=graph-dot   the map access graph, as Graphviz DOT\n"
        "\n"
        "Exit status: 0 no findings, 1 findings reported, 2 error.\n",
        out);
}

static int parse_emit(const char *s, emit *out) {
  static const char *const names[] = {"findings", "facts", "graph-json", "graph-dot"};
  for (int i = 0; i < 4; i++)
    if (strcmp(s, names[i]) == 0) return *out = (emit)i, 0;
  return 1;
}

/* Reads all of `in`; returns a malloc'ed buffer (NUL-terminated) or NULL. */
static char *read_stream(FILE *in, size_t *len) {
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n - 1, in);
    if (ferror(in)) break;
    if (feof(in)) {
      buf[n] = '\0';
      *len = n;
      return buf;
    }
    if (cap - n - 1 == 0) {
      char *p = cap < ((size_t)-1) / 2 ? realloc(buf, cap * 2) : NULL;
      if (!p) break;
      buf = p;
      cap *= 2;
    }
  }
  free(buf);
  return NULL;
}

static const char *display_name(const char *path) {
  return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

/* Reads and parses one fact file; reports errors on stderr. */
static ms_facts *load(const char *path) {
  const char *name = display_name(path);
  int is_stdin = strcmp(path, "-") == 0;
  FILE *in = is_stdin ? stdin : fopen(path, "rb");
  if (!in) {
    fprintf(stderr, PROG ": %s: %s\n", name, strerror(errno));
    return NULL;
  }
  size_t len = 0;
  char *text = read_stream(in, &len);
  int read_errno = errno;
  if (!is_stdin) fclose(in);
  if (!text) {
    fprintf(stderr, PROG ": %s: cannot read: %s\n", name, strerror(read_errno));
    return NULL;
  }
  ms_error err;
  memset(&err, 0, sizeof err);
  ms_facts *f = ms_facts_from_json(text, len, &err);
  free(text);
  if (!f && err.line) fprintf(stderr, PROG ": %s:%u: %s\n", name, err.line, err.message);
  else if (!f) fprintf(stderr, PROG ": %s: %s\n", name, err.message);
  return f;
}

/* Loads every file and merges them into the first; NULL on error. */
static ms_facts *load_all(char **files, int count) {
  ms_facts *all = load(files[0]);
  for (int i = 1; all && i < count; i++) {
    ms_facts *f = load(files[i]);
    int failed = f == NULL;
    ms_error err;
    memset(&err, 0, sizeof err);
    if (f && ms_facts_merge(all, f, &err)) {
      fprintf(stderr, PROG ": %s: %s\n", display_name(files[i]), err.message);
      failed = 1;
    }
    ms_facts_free(f);
    if (failed) {
      ms_facts_free(all);
      return NULL;
    }
  }
  return all;
}

/* Prints malloc'ed text (NULL: out of memory) and frees it; 0 on success. */
static int print_text(char *text) {
  if (!text) {
    fprintf(stderr, PROG ": out of memory\n");
    return 2;
  }
  size_t n = strlen(text);
  fputs(text, stdout);
  if (n == 0 || text[n - 1] != '\n') fputc('\n', stdout);
  free(text);
  return 0;
}

/* Tells on standard error what the analysis could not cover, as clang-tidy's
** mapsafe-incomplete-analysis does; 0, or 1 when memory runs out. */
static int tell_incomplete(const ms_result *r) {
  ms_message m;
  for (unsigned bit = 1; bit <= MS_LIMIT_PAIRS; bit <<= 1) {
    if (!(r->limits & bit)) continue;
    ms_limit_message(r, (ms_limit)bit, &m);
    char *text = ms_format(&m);
    if (!text) return 1;
    fprintf(stderr, PROG ": warning: %s [mapsafe-incomplete-analysis]\n", text);
    free(text);
  }
  if (r->unsettled) {
    ms_unsettled_message(r, &m);
    char *text = ms_format(&m);
    if (!text) return 1;
    fprintf(stderr, PROG ": warning: %s [mapsafe-incomplete-analysis]\n", text);
    free(text);
  }
  return 0;
}

/* Runs the analysis and prints what `mode` asks for; returns the exit status. */
static int emit_analysis(const ms_facts *facts, emit mode) {
  ms_options opts;
  ms_error err;
  memset(&opts, 0, sizeof opts);
  memset(&err, 0, sizeof err);
  ms_result *r = ms_analyze(facts, &opts, &err);
  if (!r) {
    fprintf(stderr, PROG ": analysis failed: %s\n", err.message);
    return 2;
  }
  if (tell_incomplete(r)) {
    ms_result_free(r);
    fprintf(stderr, PROG ": out of memory\n");
    return 2;
  }
  int status;
  if (mode == EMIT_FINDINGS) {
    int n = ms_write_text(r, stdout);
    status = n < 0 ? 2 : n > 0;
    if (n < 0) fprintf(stderr, PROG ": out of memory\n");
  }
  else status = print_text(mode == EMIT_GRAPH_JSON ? ms_graph_json(r) : ms_graph_dot(r));
  ms_result_free(r);
  return status;
}

static int run(char **files, int count, emit mode) {
  ms_facts *facts = load_all(files, count);
  if (!facts) return 2;
  int status = mode == EMIT_FACTS ? print_text(ms_facts_to_json(facts))
                                  : emit_analysis(facts, mode);
  ms_facts_free(facts);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, PROG ": error writing output: %s\n", strerror(errno));
    return 2;
  }
  return status;
}

int main(int argc, char **argv) {
  emit mode = EMIT_FINDINGS;
  char **files = calloc((size_t)argc + 1, sizeof *files);
  int nfiles = 0, options = 1;
  if (!files) return 2;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (options && (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
      usage(stdout);
      free(files);
      return 0;
    } else if (options && strncmp(a, "--emit=", 7) == 0) {
      if (parse_emit(a + 7, &mode)) {
        fprintf(stderr, PROG ": unknown --emit value '%s' (try --help)\n", a + 7);
        free(files);
        return 2;
      }
    } else if (options && strcmp(a, "--") == 0) {
      options = 0;
    } else if (options && a[0] == '-' && a[1] != '\0') {
      fprintf(stderr, PROG ": unknown option '%s' (try --help)\n", a);
      free(files);
      return 2;
    } else {
      files[nfiles++] = argv[i];
    }
  }
  if (nfiles == 0) {
    fprintf(stderr, PROG ": no input files (try --help)\n");
    free(files);
    return 2;
  }
  int status = run(files, nfiles, mode);
  free(files);
  return status;
}
