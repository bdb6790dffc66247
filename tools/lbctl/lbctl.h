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
	LBCTL_EXIT_INTERRUPTED = 130, /* Ctrl-C: what was under way was undone (fw upgrade) */
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
	const struct lb_emu_module *image; /* decode: the module replaying FILE, else NULL */
	bool verbose;              /* -v/--verbose: the library's log on stderr */
	unsigned columns;          /* width of human output: the terminal's, else 80 */
	char detail[256];          /* lbctl's own detail for the next lbctl_fail, or "" */
	/* What lbctl_print_module shows (set by show; decode leaves them 0: everything). */
	const struct lb_port_info *port_info; /* "port" and "name" keys, or NULL (an image) */
	bool show_brief;           /* show --brief */
	unsigned show_sections;    /* show --section, a mask; 0 for all */
	bool json_compact;         /* one JSON document per line even on a terminal (watch) */
	bool json_pretty;          /* --pretty: JSON indented even when not on a terminal */
	bool waiting_shown;        /* lbctl_waiting's line is on the terminal */
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
/**
 * lbctl's detail for the next lbctl_fail about a port arg that lbctl_find_port did not find:
 * the platform's name and the ports it has.
 */
void lbctl_no_such_port(struct lbctl *app, struct lb_platform *p, const char *arg);
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
	char short_name;        /* 'v' for -v as well, or 0 */
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

/**
 * lbctl's own options, before COMMAND: lbctl_parse's rules and wording (without a command
 * name), stopping at the first positional, whose index goes to *command_at (argc when none).
 */
int lbctl_parse_globals(struct lbctl *app, int argc, char **argv, const struct lbctl_opt *opts,
			struct lbctl_cmdline *out, int *command_at);

/* ---- human output that fits app->columns (text_out.c) ---- */
/**
 * Print text, the cursor being at column col, wrapped at spaces so that no line runs past
 * app->columns (a word longer than a line is kept whole); continuation lines are indented by
 * indent spaces. Ends the line.
 */
void lbctl_wrap(struct lbctl *app, unsigned col, unsigned indent, const char *text);
/* "  Key name ...: value": the value starts at column LBCTL_VALUE_COL and wraps there. */
#define LBCTL_KEY_WIDTH 26
#define LBCTL_VALUE_COL (2 + LBCTL_KEY_WIDTH + 2)
/** One "  Key ...: value" line of show's layout, the value wrapped at the terminal's width. */
void lbctl_kv(struct lbctl *app, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/** s itself when it fits width columns, else its first width-3 characters and "..." in buf. */
const char *lbctl_fit(const char *s, unsigned width, char *buf, size_t len);
/** v with thousands separated by commas ("505,127,936") into buf; buf. */
const char *lbctl_grouped(uint64_t v, char *buf, size_t len);

/* ---- a reading repeated on the bus clock (repeat.c) ---- */
struct lbctl_repeat {
	struct lbctl *app;
	const struct lb_bus *bus;   /* its clock paces the rounds */
	uint64_t interval_ns;
	unsigned long count;        /* rounds; 0: until Ctrl-C */
	bool tty;                   /* redrawn in place: the cursor is hidden meanwhile */
	/* One round (n from 1; t0_ns: the bus clock at the first): an exit code, nonzero stops. */
	int (*round)(void *user, unsigned long n, uint64_t t0_ns);
	void *user;
};
/** Run the rounds; Ctrl-C (SIGINT) or SIGTERM stops them cleanly (exit code of the rounds). */
int lbctl_repeat(const struct lbctl_repeat *r);
/** Whether a stop was asked (for a round that reads before it shows). */
bool lbctl_repeat_stopping(void);
/** "--interval S": seconds, 0.01 to 3600, decimals allowed. */
bool lbctl_parse_interval(const char *s, uint64_t *ns);

/* ---- JSON output (json_out.c) ---- */
/** The "schema" key of every JSON document lbctl prints: bumped when a key changes meaning. */
#define LBCTL_JSON_SCHEMA 1
/**
 * Print doc (taking its reference) in lbctl's one JSON style: a "schema" key added to an
 * object, floats to ten significant digits, keys in the order built, indented on a terminal and one
 * compact line otherwise. NULL doc (a failed json_pack) is reported as out of memory.
 */
int lbctl_json_emit(struct lbctl *app, json_t *doc);
/** A number, or null for NAN (not reported, not advertised). */
json_t *lbctl_jnum(double v);
/** A power in mW as dBm, or null for NAN. */
json_t *lbctl_jdbm(double mw);
/** LB_FLAG_* bits as ["high_alarm", "low_warning", ...]. */
json_t *lbctl_jflags(uint8_t f);
/** A lane mask as [1, 3, 5]. */
json_t *lbctl_jlanes(uint32_t mask);


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
 * decode (image_gaps.c): true when app->image is set and its file lacked page (bank 0), so
 * that what the emulator made up for it is said to be "not in the image", never shown.
 */
bool lbctl_image_lacks(const struct lbctl *app, uint8_t page);

/**
 * The coherent section of lbctl_print_module (show_coherent.c), for coherent or tunable
 * modules (nothing for others): as text when obj is NULL, else as obj's "coherent" member.
 */
void lbctl_show_coherent(struct lbctl *app, struct lb_module *m, json_t *obj);

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
/**
 * An operation on one port that waits inside the library without steps to report (power,
 * reset, app): on a terminal, "port N: what ..." on stderr while it runs, erased by
 * lbctl_waiting_done (which does nothing when nothing was shown). Nothing off a terminal.
 */
void lbctl_waiting(struct lbctl *app, unsigned port, const char *what);
void lbctl_waiting_done(struct lbctl *app);

/* ---- firmware (cmd_fw.c, fw_upgrade.c) ---- */
struct lbctl_fw_request {
	const char *file;      /* the image file */
	const char *ports_arg; /* PORT, or --ports LIST|all */
	bool several;          /* fw upgrade --ports: a table, every port's line */
	bool run, commit;
	bool verify;           /* read the image back and compare before it runs */
	const uint8_t *image;  /* the file read (lbctl_fw_upgrade fills it) */
	size_t image_len;
	enum lb_fw_run_mode run_mode;
	enum lb_fw_method method;
};
/** Upgrade the ports of rq, one thread per bus, with progress; an exit code. */
int lbctl_fw_upgrade(struct lbctl *app, bool json, const struct lbctl_fw_request *rq);
/** "ok", "inactive-invalid", "not-committed", "factory" (enum lb_fw_state). */
const char *lbctl_fw_state_name(int state);
/** "A", "B", "factory". */
const char *lbctl_fw_slot_name(int slot);
/** One image as JSON, and as text ("5.3 build 7 \"extra\", running, committed"). */
json_t *lbctl_fw_image_json(const struct lb_fw_image *im);
void lbctl_fw_image_text(const struct lb_fw_image *im, char *buf, size_t len);
/** The version alone: "5.3 build 7 \"extra\"". */
void lbctl_fw_version_text(const struct lb_fw_image *im, char *buf, size_t len);

/* Commands: argv[0] is the command name; return an exit code. */
int lbctl_cmd_list(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_show(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_dump(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_power(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_app(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_up(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_reset(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_watch(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_telemetry(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_decode(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_demo(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_plan(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_plan_lossless(struct lbctl *app, int argc, char **argv); /* from cmd_plan.c */
int lbctl_cmd_detect(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_tune(struct lbctl *app, int argc, char **argv);    /* cmd_tune.c */
int lbctl_cmd_txpower(struct lbctl *app, int argc, char **argv); /* cmd_tune.c */
int lbctl_cmd_mode(struct lbctl *app, int argc, char **argv);
/** list --power: the ports' power per bit and the platform total (power_summary.c); obj:
 *  into this JSON object, NULL: as text. */
int lbctl_power_summary(struct lbctl *app, struct lb_platform *p, json_t *obj);
int lbctl_cmd_link(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_fw(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_port(struct lbctl *app, int argc, char **argv);
/* lbctl port voq (port_voq.c); lbctl port's help; a port speed as people write it ("1.6T"). */
int lbctl_port_voq(struct lbctl *app, int argc, char **argv);
int lbctl_port_usage(struct lbctl *app);
void lbctl_port_speed_text(uint32_t mbps, char *buf, size_t len);
int lbctl_cmd_hyperport(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_macsec(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_buffer(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_traffic(struct lbctl *app, int argc, char **argv);
int lbctl_cmd_qos(struct lbctl *app, int argc, char **argv); /* cmd_qos.c */
/** The file of a link path: given itself, or a shipped path's name (cmd_link.c). */
void lbctl_link_path_file(struct lbctl *app, const char *given, char *out, size_t len);
/** A port speed: "800G", "1.6T", or Mb/s (speed.c). false for anything else. */
bool lbctl_parse_speed(const char *s, uint32_t *mbps);

#endif
