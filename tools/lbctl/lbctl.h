/* SPDX-License-Identifier: MIT */
/* lbctl internals shared by the command files; lbctl uses the public API alone. */
#ifndef LBCTL_H
#define LBCTL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>
#include <lightbridge/lightbridge.h>

/* Exit codes (docs/lbctl.md). */
enum {
	LBCTL_EXIT_OK = 0,
	LBCTL_EXIT_ERROR = 1,    /* the operation failed (status from the library) */
	LBCTL_EXIT_USAGE = 2,    /* bad command line */
	LBCTL_EXIT_NODEV = 3,    /* no such port, or no module in it */
	LBCTL_EXIT_INPUT = 4,    /* bad input file (platform, path, image, JSON) */
	LBCTL_EXIT_BUSY = 5,     /* hardware or state held by another process */
	LBCTL_EXIT_REFUSED = 6,  /* refused: the module does not offer it (LB_E_NOTSUP) */
	LBCTL_EXIT_HELP = -1,    /* not an exit code: lbctl_parse saw -h/--help */
};

struct lbctl {
	bool json;                 /* --json given */
	bool fresh;                /* --fresh given */
	bool state_readonly;       /* the command only reads the emulated state (main's table) */
	const char *platform_path; /* --platform, or NULL for the embedded default */
	const char *data_dir;      /* --data-dir or $LB_DATADIR, or NULL */
	FILE *out, *err;
	struct lb_ctx *ctx;        /* created by main before any command runs */
	struct lb_platform *platform; /* opened lazily by lbctl_platform() */
};

/**
 * lbctl itself: options, command dispatch and exit code, printing to out and err. It may be
 * called again in the same process (getopt is restarted); main() is entry.c.
 */
int lbctl_main(int argc, char **argv, FILE *out, FILE *err);

/**
 * The state directory for a platform file (NULL: the embedded default), made and checked
 * (state_dir.c); -1 with the reason in why.
 */
int lbctl_state_dir(const char *platform_path, char *out, size_t len, char *why, size_t whylen);
/** Open the platform on first use (persisting emulated state); prints the error itself. */
int lbctl_platform(struct lbctl *app, struct lb_platform **out);

/** Print "lbctl: <what>: <reason>" on stderr and return the exit code for status. */
int lbctl_fail(struct lbctl *app, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/** Print "lbctl: <message>" on stderr (usage problems) and return LBCTL_EXIT_USAGE. */
int lbctl_usage_error(struct lbctl *app, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/**
 * Parse an unsigned number no larger than max (base 0 takes 0x..; base 16 also takes the
 * CMIS spelling "11h"). false for empty, negative or trailing garbage.
 */
bool lbctl_parse_uint(const char *s, int base, unsigned long max, unsigned long *out);
/** A port of the platform by number ("3") or by name ("Ethernet16"); LB_E_NOTFOUND if none. */
int lbctl_find_port(struct lb_platform *p, const char *arg, struct lb_port_info *info);
/** A command line after the command name: --json, one optional "--OPT VALUE", positionals. */
struct lbctl_args {
	bool json;             /* --json given (or app->json) */
	const char *value;     /* the VALUE of value_opt, or NULL */
	const char *pos[4];
	int npos;
};
/**
 * Scan argv[1..] into out: --json, value_opt ("--lanes VALUE" or "--lanes=VALUE"; NULL for
 * none) and at most max_pos positionals. Anything else is a usage error (printed), returned
 * as LBCTL_EXIT_USAGE; LBCTL_EXIT_OK otherwise.
 */
int lbctl_scan_args(struct lbctl *app, int argc, char **argv, const char *value_opt, int max_pos,
		    struct lbctl_args *out);
/**
 * The module in the port that arg names (number or name), for command argv0: opens the
 * platform, prints a one-line error and returns its exit code when there is no such port
 * or no module in it.
 */
int lbctl_open_port(struct lbctl *app, const char *argv0, const char *arg,
		    struct lb_port_info *info, struct lb_module **m);
/**
 * For commands that drive the CMIS module state machine (power, reset): LBCTL_EXIT_OK for a
 * CMIS module; for any other (an SFF-8636 QSFP28, an SFP) prints "not a CMIS module: no module
 * state machine" and returns LBCTL_EXIT_REFUSED, before anything is written to it.
 */
int lbctl_need_cmis(struct lbctl *app, const char *argv0, const struct lb_port_info *info,
		    struct lb_module *m);
/* ---- the command line of a command (options.c) ---- */
enum { LBCTL_MAX_OPTS = 16, LBCTL_MAX_POS = 4 };
/** One option of a command; a table ends with { NULL }. */
struct lbctl_opt {
	const char *name;       /* long name without "--" */
	const char *value_name; /* "MASK" for an option with a value, NULL for a flag */
};
/** What lbctl_parse found; value[i] and given[i] belong to the table's option i. */
struct lbctl_cmdline {
	bool json;                            /* --json given (or app->json) */
	bool given[LBCTL_MAX_OPTS];
	const char *value[LBCTL_MAX_OPTS];    /* the option's value, NULL for a flag or absent */
	const char *pos[LBCTL_MAX_POS];
	int npos;
};
/**
 * Parse a command's argv (argv[0] = the command name) with getopt_long: the table's options
 * plus --json and -h/--help, "--opt VALUE" or "--opt=VALUE", options anywhere, between min_pos
 * and max_pos positionals (synopsis names them in the error, "PORT low|high"). An unknown
 * option, an option given twice, a missing value or a value given to a flag is a usage error
 * (printed, one wording for every command): LBCTL_EXIT_USAGE. -h/--help: LBCTL_EXIT_HELP, and
 * the command prints its help. argv is permuted.
 */
int lbctl_parse(struct lbctl *app, int argc, char **argv, const struct lbctl_opt *opts,
		int min_pos, int max_pos, const char *synopsis, struct lbctl_cmdline *out);

/* ---- JSON output (json_out.c) ---- */
/** The "schema" key of every JSON document lbctl prints: bumped when a key changes meaning. */
#define LBCTL_JSON_SCHEMA 1
/**
 * Print doc (taking its reference) in lbctl's one JSON style: a "schema" key added to an
 * object, floats to ten significant digits, keys in the order built, indented on a terminal and one
 * compact line otherwise. NULL doc (a failed json_pack) is reported as out of memory.
 */
int lbctl_json_emit(struct lbctl *app, json_t *doc);

/** true when argv[i] is -h or --help. */
bool lbctl_wants_help(int argc, char **argv);

/**
 * Print everything `show` prints for one module (identity, applications, lane states,
 * monitors with thresholds and flags), as text like `ethtool -m` or, with app->json, as one
 * JSON object. label names the port or file. Used by show and decode. Returns an exit code.
 * When both page checksums fail and most of ten fields any module fills in make no sense, a
 * verdict line says "not a plausible module" (image: a file for decode) on stdout and stderr,
 * and the exit code is LBCTL_EXIT_INPUT for an image, LBCTL_EXIT_ERROR for a live module.
 */
int lbctl_print_module(struct lbctl *app, struct lb_module *m, const char *label, bool image);

/**
 * Ports from a list argument: "3", "Ethernet16", "1,3,5", "1-4", "all". Prints the error and
 * returns its exit code for an unknown port, a bad range or a port named twice. *ports is
 * the caller's to free.
 */
int lbctl_parse_ports(struct lbctl *app, const char *argv0, const char *arg, unsigned **ports,
		      unsigned *n);

/* Progress of an operation on several ports (progress.c), fed from several threads. */
struct lbctl_progress_row {
	unsigned port;
	char step[16];
	int pct;
};
struct lbctl_progress {
	struct lbctl *app;
	pthread_mutex_t lock;
	bool tty, drawn;
	struct lbctl_progress_row *rows;
	unsigned n;
};
int lbctl_progress_init(struct lbctl_progress *pg, struct lbctl *app, const unsigned *ports,
			unsigned n);
/** An lb_port_progress_fn; user is the struct lbctl_progress. */
void lbctl_progress_cb(void *user, unsigned port, const char *step, double fraction);
void lbctl_progress_end(struct lbctl_progress *pg);

/* Commands: argv[0] is the command name; return an exit code. */
int lbctl_cmd_list(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_show(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_dump(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_power(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_app(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_up(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_reset(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_decode(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_demo(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_plan(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_plan_lossless(struct lbctl *app, int argc, char **argv); /* from cmd_plan.c */
int lbctl_cmd_detect(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_port(struct lbctl *app, int argc, char **argv);
/** A port speed: "800G", "1.6T", or Mb/s (speed.c). false for anything else. */
bool lbctl_parse_speed(const char *s, uint32_t *mbps);

#endif
