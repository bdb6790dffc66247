/* SPDX-License-Identifier: MIT */
/* lbctl: bring up, inspect and plan optics from the command line, on the public API alone. */
#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lbctl.h"

struct lbctl_command {
	const char *name;
	const char *summary;
	int (*run)(struct lbctl *app, int argc, char **argv);
	/* Changes nothing it keeps: the emulated state is read (with other readers), not saved. */
	bool readonly;
};

static const struct lbctl_command commands[] = {
	{ "list", "list the ports of the platform and what is plugged in", lbctl_cmd_list, true },
	{ "show", "decode a module: identity, applications, lanes, monitors", lbctl_cmd_show, true },
	{ "dump", "hex dump of module memory", lbctl_cmd_dump, true },
	{ "power", "request low or high power", lbctl_cmd_power, false },
	{ "app", "stage and apply an application on host lanes", lbctl_cmd_app, false },
	{ "up", "bring lanes up on an application", lbctl_cmd_up, false },
	{ "reset", "software reset of a module", lbctl_cmd_reset, false },
	{ "watch", "poll monitors, flags and lane states again and again", lbctl_cmd_watch, true },
	{ "telemetry", "every value a module reports, with unit and alarm state", lbctl_cmd_telemetry, true },
	{ "decode", "decode a saved module image (no hardware)", lbctl_cmd_decode, true },
	{ "demo", "bring every cage of the platform up and print a table", lbctl_cmd_demo, false },
	{ "plan", "plan a link: which line mode closes, margin, latency, pJ/bit", lbctl_cmd_plan, true },
	{ "tune", "tune a coherent laser by frequency or grid and channel", lbctl_cmd_tune, false },
	{ "txpower", "set a coherent laser's target output power", lbctl_cmd_txpower, false },
	{ "mode", "list the line modes of a module, or put its lanes on one", lbctl_cmd_mode, false },
	{ "link", "both ends of a link, its path, and the live margin against the plan", lbctl_cmd_link, true },
	{ "detect", "list the I2C adapters and USB-I2C bridges this machine has", lbctl_cmd_detect, true },
	{ "fw", "module firmware: images, upgrade (one port or many), run, commit", lbctl_cmd_fw, false },
	{ "port", "front-panel ports and their ASIC ports: list, show, set, counters", lbctl_cmd_port, false },
	{ "hyperport", "3.2T HyperPorts (four 800GE ports as one): list, show, create", lbctl_cmd_hyperport, false },
	{ "macsec", "MACsec on a port: SecY, SAs, keys from a file, rollover, counters", lbctl_cmd_macsec, false },
	{ "buffer", "ASIC buffers: pools, profiles, PG and queue bindings, QoS, watermarks", lbctl_cmd_buffer, false },
	{ "traffic", "drive the emulated ASIC's traffic model on a port: PFC at distance", lbctl_cmd_traffic, false },
	{ "qos", "congestion control of a port: ECN/WRED per queue, the PFC watchdog", lbctl_cmd_qos, false },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: lbctl [--platform FILE] [--fresh] [--json] [--pretty] [--data-dir DIR]\n"
		   "             [-v|--verbose] COMMAND [ARGS]\n\n"
		   "Without --platform, lbctl runs the embedded emulated platform, whose state\n"
		   "persists between invocations (--fresh starts it over); list, show, watch, dump,\n"
		   "decode, plan and detect only read it. -v shows the library's log on stderr.\n"
		   "JSON is indented on a terminal, one compact line otherwise; --pretty indents it\n"
		   "always.\n\n"
		   "commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "  %-8s %s\n", "help", "describe lbctl, or COMMAND (lbctl help COMMAND)");
	fprintf(f, "\n'lbctl help COMMAND' (or 'lbctl COMMAND --help') describes a command.\n"
		   "Exit codes: 0 ok, 1 operation failed, 2 usage, 3 no such port or module, 4 bad\n"
		   "input file, 5 busy, 6 refused: the module does not offer it (a page it does not\n"
		   "advertise, no module state machine).\n");
}

int lbctl_fail(struct lbctl *app, int status, const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	/* The library's detail for every status, "not found" and "no device" too. */
	const char *detail = app->detail[0] ? app->detail
			     : app->ctx	    ? lb_ctx_last_error(app->ctx)
					    : "";
	if (detail[0])
		fprintf(app->err, "lbctl: %s: %s (%s)\n", what, lb_strerror(status), detail);
	else
		fprintf(app->err, "lbctl: %s: %s\n", what, lb_strerror(status));
	app->detail[0] = '\0';
	switch (status) {
	case LB_E_NODEV:
	case LB_E_NOTFOUND:
		return LBCTL_EXIT_NODEV;
	case LB_E_PARSE:
	case LB_E_RANGE:
		return LBCTL_EXIT_INPUT;
	case LB_E_BUSY:
		return LBCTL_EXIT_BUSY;
	case LB_E_NOTSUP:
		return LBCTL_EXIT_REFUSED;
	case LB_E_INVAL:
		return LBCTL_EXIT_USAGE;
	default:
		return LBCTL_EXIT_ERROR;
	}
}

int lbctl_usage_error(struct lbctl *app, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(app->err, "lbctl: %s\n", msg);
	return LBCTL_EXIT_USAGE;
}

bool lbctl_parse_uint(const char *s, int base, unsigned long max, unsigned long *out)
{
	char tmp[24];
	size_t n = strlen(s);
	if (!n || *s == '-' || *s == '+')
		return false;
	if (base == 16 && n > 1 && n < sizeof(tmp) && (s[n - 1] == 'h' || s[n - 1] == 'H')) {
		memcpy(tmp, s, n - 1);
		tmp[n - 1] = '\0';
		s = tmp;
	}
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, base);
	if (errno || end == s || *end || v > max)
		return false;
	*out = v;
	return true;
}

int lbctl_find_port(struct lb_platform *p, const char *arg, struct lb_port_info *info)
{
	unsigned long v;
	if (lbctl_parse_uint(arg, 10, 0xFFFFu, &v))
		return lb_platform_port(p, (unsigned)v, info);
	for (unsigned i = 0; i < lb_platform_port_count(p); i++)
		if (lb_platform_port_at(p, i, info) == LB_OK && info->name && strcmp(info->name, arg) == 0)
			return LB_OK;
	return LB_E_NOTFOUND;
}

void lbctl_no_such_port(struct lbctl *app, struct lb_platform *p, const char *arg)
{
	unsigned n = lb_platform_port_count(p);
	struct lb_port_info first = LB_PORT_INFO_INIT, last = LB_PORT_INFO_INIT;
	if (n && lb_platform_port_at(p, 0, &first) == LB_OK &&
	    lb_platform_port_at(p, n - 1, &last) == LB_OK)
		snprintf(app->detail, sizeof(app->detail), "no port %s on platform %s (ports %u-%u, or their names; see "
			       "lbctl list)", arg, lb_platform_name(p), first.port, last.port);
	else
		snprintf(app->detail, sizeof(app->detail), "no port %s on platform %s, which has no ports", arg,
			       lb_platform_name(p));
}

int lbctl_open_port(struct lbctl *app, const char *argv0, const char *arg,
		    struct lb_port_info *info, struct lb_module **m)
{
	struct lb_platform *p;
	int ex = lbctl_platform(app, &p);
	if (ex)
		return ex;
	int rc = lbctl_find_port(p, arg, info);
	if (rc) {
		lbctl_no_such_port(app, p, arg);
		return lbctl_fail(app, rc, "%s: port %s", argv0, arg);
	}
	lb_ctx_clear_error(app->ctx); /* no stale detail */
	if ((rc = lb_platform_module(p, info->port, m)))
		return lbctl_fail(app, rc, "%s: port %u (%s)", argv0, info->port, info->name);
	return LBCTL_EXIT_OK;
}

int lbctl_need_cmis(struct lbctl *app, const char *argv0, const struct lb_port_info *info,
		    struct lb_module *m)
{
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
	int rc = lb_module_get_identity(m, &id);
	if (rc == LB_E_UNKNOWN_ID) {
		fprintf(app->err,
			"lbctl: %s: port %u (%s): identifier 0x%02x (%s): not a CMIS module: no module "
			"state machine: %s\n",
			argv0, info->port, info->name, id.identifier,
			lb_sff8024_identifier_name(id.identifier), lb_strerror(LB_E_NOTSUP));
		return LBCTL_EXIT_REFUSED;
	}
	if (rc && rc != LB_E_CHECKSUM) /* a checksum mismatch does not change what the module is */
		return lbctl_fail(app, rc, "%s: port %u (%s): reading the identity", argv0, info->port,
				  info->name);
	return LBCTL_EXIT_OK;
}

/*
 * A platform file that is not there is a bad input file (exit 4), named before the state
 * directory is looked for. Only looked up (never opened: a FIFO must not block); the library
 * opens it, and refuses what is not a regular file.
 */
static int check_platform_file(struct lbctl *app)
{
	struct stat st;
	if (app->platform_path && stat(app->platform_path, &st) != 0) {
		fprintf(app->err, "lbctl: platform %s: %s\n", app->platform_path, strerror(errno));
		return LBCTL_EXIT_INPUT;
	}
	return LBCTL_EXIT_OK;
}

int lbctl_platform(struct lbctl *app, struct lb_platform **out)
{
	if (!app->platform) {
		char dir[PATH_MAX], why[PATH_MAX + 128];
		int ex = check_platform_file(app);
		if (ex)
			return ex;
		if (lbctl_state_dir(app->platform_path, dir, sizeof(dir), why, sizeof(why)))
			return lbctl_fail(app, LB_E_PERM, "state directory: %s", why);
		lb_ctx_set_state_dir(app->ctx, dir);
		/* --fresh starts over under the state's lock, so a concurrent lbctl cannot undo it. */
		lb_ctx_set_state_mode(app->ctx, app->fresh ? LB_STATE_FRESH
					       : app->state_readonly ? LB_STATE_READ_ONLY
								     : LB_STATE_READ_WRITE);
		lb_ctx_clear_error(app->ctx);
		int rc = lb_platform_open(app->ctx, app->platform_path, &app->platform);
		if (rc) {
			ex = lbctl_fail(app, rc, "platform %s",
					app->platform_path ? app->platform_path : "(embedded default)");
			/* Whatever the file holds wrong (a bus that is not there is not an error). */
			return ex == LBCTL_EXIT_ERROR || ex == LBCTL_EXIT_BUSY ? ex : LBCTL_EXIT_INPUT;
		}
	}
	*out = app->platform;
	return LBCTL_EXIT_OK;
}

/*
 * The library's log on stderr. Without -v, the warnings that say the library waits for another
 * process (the emulated state held by another lbctl, a bus's lock file held by a daemon: "...;
 * waiting up to ..."), at once and each once; with -v (or LBCTL_DEBUG, not when set-uid)
 * everything, errors and debug too. Other warnings are not printed without -v: what they are
 * about shows in the output or in lbctl's own error. Called from the library's bus threads.
 */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char log_seen[16][160]; /* the warnings printed so far (the last 16) */
static unsigned log_n_seen;

static void log_to_stderr(void *user, enum lb_log_level level, const char *msg)
{
	struct lbctl *app = user;
	static const char *const names[] = { [LB_LOG_ERR] = "error", [LB_LOG_WARN] = "warning",
					     [LB_LOG_INFO] = "info", [LB_LOG_DEBUG] = "debug" };
	const char *name = (unsigned)level < sizeof(names) / sizeof(names[0]) && names[level]
				   ? names[level]
				   : "log";
	pthread_mutex_lock(&log_lock);
	if (app->verbose) {
		fprintf(app->err, "lbctl: [lib %s] %s\n", name, msg);
	} else if (level == LB_LOG_WARN && strstr(msg, "; waiting up to ")) {
		bool again = false;
		unsigned kept = log_n_seen < 16 ? log_n_seen : 16;
		for (unsigned i = 0; i < kept && !again; i++)
			again = strncmp(log_seen[i], msg, sizeof(log_seen[i]) - 1) == 0;
		if (!again) {
			fprintf(app->err, "lbctl: warning: %s\n", msg);
			fflush(app->err);
			snprintf(log_seen[log_n_seen % 16], sizeof(log_seen[0]), "%s", msg);
			log_n_seen++;
		}
	}
	pthread_mutex_unlock(&log_lock);
}

/* The width human output fits: the terminal's when out is one (never below 80), else 80. */
static unsigned out_columns(FILE *out)
{
	struct winsize ws;
	if (isatty(fileno(out)) && ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 80)
		return ws.ws_col;
	return 80;
}

int lbctl_main(int argc, char **argv, FILE *out, FILE *err)
{
	struct lbctl app = { .out = out, .err = err };
	enum { G_PLATFORM, G_FRESH, G_DATA_DIR, G_VERBOSE, G_VERSION, G_PRETTY };
	static const struct lbctl_opt globals[] = {
		[G_PLATFORM] = { "platform", "FILE", 'p' }, [G_FRESH] = { "fresh", NULL, 'f' },
		[G_DATA_DIR] = { "data-dir", "DIR", 'd' },  [G_VERBOSE] = { "verbose", NULL, 'v' },
		[G_VERSION] = { "version", NULL, 'V' },	    [G_PRETTY] = { "pretty", NULL, 0 },
		{ NULL, NULL, 0 },
	};
	struct lbctl_cmdline g;
	int first;
	int gx = lbctl_parse_globals(&app, argc, argv, globals, &g, &first);
	if (gx == LBCTL_EXIT_HELP) {
		usage(out);
		return LBCTL_EXIT_OK;
	}
	if (gx)
		return gx;
	if (g.given[G_VERSION]) {
		fprintf(out, "lbctl %s\n", LB_VERSION_STRING);
		return LBCTL_EXIT_OK;
	}
	app.json = g.json;
	app.platform_path = g.value[G_PLATFORM];
	app.fresh = g.given[G_FRESH];
	app.data_dir = g.value[G_DATA_DIR];
	app.verbose = g.given[G_VERBOSE];
	app.json_pretty = g.given[G_PRETTY];
	const char *debug = secure_getenv("LBCTL_DEBUG"); /* not when set-uid */
	if (debug && *debug)
		app.verbose = true;
	app.columns = out_columns(out);
	if (first >= argc) {
		usage(err);
		return LBCTL_EXIT_USAGE;
	}
	const struct lbctl_command *cmd = NULL;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[first], commands[i].name) == 0)
			cmd = &commands[i];
	/* lbctl help [COMMAND]: the command's own --help, without opening anything. */
	char help_arg[] = "--help";
	if (strcmp(argv[first], "help") == 0) {
		if (first + 1 >= argc) {
			usage(out);
			return LBCTL_EXIT_OK;
		}
		if (first + 2 < argc)
			return lbctl_usage_error(&app, "help: expected at most one COMMAND");
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			if (strcmp(argv[first + 1], commands[i].name) == 0)
				return commands[i].run(&app, 2, (char *[]){ argv[first + 1], help_arg, NULL });
		return lbctl_usage_error(&app, "help: unknown command '%s' (see lbctl help)",
					 argv[first + 1]);
	}
	if (!cmd)
		return lbctl_usage_error(&app, "unknown command '%s' (see lbctl help)", argv[first]);
	int rc = lb_ctx_create(&app.ctx);
	if (rc) {
		fprintf(err, "lbctl: cannot create a context: %s\n", lb_strerror(rc));
		return LBCTL_EXIT_ERROR;
	}
	log_n_seen = 0;
	lb_ctx_set_log(app.ctx, log_to_stderr, &app, app.verbose ? LB_LOG_DEBUG : LB_LOG_WARN);
	/* The emulated platforms (the default one too) and `decode` run on the emulator's drivers. */
	rc = lb_emu_register_drivers(app.ctx);
	if (rc) {
		fprintf(err, "lbctl: cannot register the emulator's drivers: %s\n", lb_strerror(rc));
		lb_ctx_destroy(app.ctx);
		return LBCTL_EXIT_ERROR;
	}
	if (app.data_dir && (rc = lb_ctx_set_data_dir(app.ctx, app.data_dir))) {
		fprintf(err, "lbctl: --data-dir %.64s...: %s\n", app.data_dir,
			rc == LB_E_RANGE ? "path too long" : lb_strerror(rc));
		lb_ctx_destroy(app.ctx);
		return LBCTL_EXIT_USAGE;
	}
	/*
	 * External drivers: $LB_PLUGIN_DIR, else the installed plugin directory (may not exist).
	 * Not from the environment when running set-uid (secure_getenv); the library loads only
	 * from directories and files owned by root or this user and closed to others.
	 */
	const char *plugins = secure_getenv("LB_PLUGIN_DIR");
	if (lb_ctx_load_plugin_dir(app.ctx, plugins && *plugins ? plugins : NULL) < 0 || lb_ctx_last_error(app.ctx)[0])
		fprintf(err, "lbctl: warning: plugins: %s\n", lb_ctx_last_error(app.ctx));
	lb_ctx_clear_error(app.ctx);
	/* Commands parse their own options, with argv[0] = the command name. */
	optind = 1;
	app.state_readonly = cmd->readonly;
	int ex = cmd->run(&app, argc - first, argv + first);
	lb_platform_close(app.platform);
	lb_ctx_destroy(app.ctx);
	return ex;
}
