/* SPDX-License-Identifier: MIT */
/*
 * One option parser for every lbctl command: getopt_long over the command's option table plus
 * the options every command takes (--json, -h/--help). "--opt VALUE" and "--opt=VALUE" both
 * work, options may come before or after the positionals, an option given twice is refused,
 * and every mistake is worded the same way.
 */
#include <getopt.h>
#include <string.h>
#include "lbctl.h"

enum { OPT_JSON = 1000, OPT_HELP = 'h', OPT_FIRST = 2000 };

static size_t count_opts(const struct lbctl_opt *opts)
{
	size_t n = 0;
	while (opts && opts[n].name)
		n++;
	return n;
}

/* The option an argument names ("--lanes=3" and "--lanes" name lanes), or NULL. */
static const char *named_option(const struct lbctl_opt *opts, size_t n, const char *arg,
				bool *takes_value)
{
	if (strncmp(arg, "--", 2) != 0)
		return NULL;
	const char *name = arg + 2;
	size_t len = strcspn(name, "=");
	if (len == 4 && strncmp(name, "json", 4) == 0) {
		*takes_value = false;
		return "json";
	}
	if (len == 4 && strncmp(name, "help", 4) == 0) {
		*takes_value = false;
		return "help";
	}
	for (size_t i = 0; i < n; i++)
		if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0) {
			*takes_value = opts[i].value_name != NULL;
			return opts[i].name;
		}
	return NULL;
}

/* "reset: " and " reset" for a command, "" and "" for lbctl's own options (cmd NULL). */
#define WHO(cmd) (cmd) ? (cmd) : "", (cmd) ? ": " : ""
#define SEE(cmd) (cmd) ? " " : "", (cmd) ? (cmd) : ""

static int refuse(struct lbctl *app, const char *cmd, const struct lbctl_opt *opts, size_t n,
		  const char *arg, int code)
{
	bool takes_value = false;
	const char *known = named_option(opts, n, arg, &takes_value);
	if (code == ':')
		return lbctl_usage_error(app, "%s%soption '%s' needs a value (see lbctl help%s%s)",
					 WHO(cmd), arg, SEE(cmd));
	if (known && !takes_value && strchr(arg, '='))
		return lbctl_usage_error(app, "%s%soption '--%s' takes no value (see lbctl help%s%s)",
					 WHO(cmd), known, SEE(cmd));
	return lbctl_usage_error(app, "%s%sunknown option '%s' (see lbctl help%s%s)", WHO(cmd), arg,
				 SEE(cmd));
}

/*
 * The parser of lbctl_parse and lbctl_parse_globals: cmd NULL for lbctl's own options, which
 * stop at the first positional (the command) instead of permuting.
 */
static int parse(struct lbctl *app, const char *cmd, int argc, char **argv,
		 const struct lbctl_opt *opts, int min_pos, int max_pos, const char *synopsis,
		 struct lbctl_cmdline *out)
{
	size_t n = count_opts(opts);
	memset(out, 0, sizeof(*out));
	out->json = app->json;
	if (n > LBCTL_MAX_OPTS)
		return lbctl_usage_error(app, "%s%stoo many options in its table", WHO(cmd));
	if (max_pos > LBCTL_MAX_POS)
		max_pos = LBCTL_MAX_POS;

	struct option lo[LBCTL_MAX_OPTS + 3];
	for (size_t i = 0; i < n; i++)
		lo[i] = (struct option){ opts[i].name, opts[i].value_name ? required_argument : no_argument,
					 NULL, OPT_FIRST + (int)i };
	lo[n] = (struct option){ "json", no_argument, NULL, OPT_JSON };
	lo[n + 1] = (struct option){ "help", no_argument, NULL, OPT_HELP };
	lo[n + 2] = (struct option){ NULL, 0, NULL, 0 };

	char shorts[2 * LBCTL_MAX_OPTS + 8] = "+:h";
	size_t ns = 3; /* commands: ":h..." (permuting); lbctl: "+:h..." (stop at COMMAND) */
	const char *short_opts = cmd ? shorts + 1 : shorts;
	for (size_t i = 0; i < n; i++) {
		if (!opts[i].short_name)
			continue;
		lo[i].val = opts[i].short_name;
		shorts[ns++] = opts[i].short_name;
		if (opts[i].value_name)
			shorts[ns++] = ':';
	}
	shorts[ns] = '\0';
	bool seen_json = false;
	int c;
	/* optind 0: a full restart (lbctl_main may run again in one process); opterr 0: our words. */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, short_opts, lo, NULL)) != -1) {
		if (c == OPT_HELP)
			return LBCTL_EXIT_HELP;
		if (c == '?' || c == ':')
			return refuse(app, cmd, opts, n, argv[optind - 1], c);
		if (c == OPT_JSON) {
			if (seen_json)
				return lbctl_usage_error(app, "%s%soption '--json' given twice", WHO(cmd));
			seen_json = out->json = true;
			continue;
		}
		size_t i = 0;
		if (c >= OPT_FIRST)
			i = (size_t)(c - OPT_FIRST);
		else
			while (i < n && opts[i].short_name != c)
				i++;
		if (out->given[i])
			return lbctl_usage_error(app, "%s%soption '--%s' given twice", WHO(cmd),
						 opts[i].name);
		out->given[i] = true;
		out->value[i] = optarg;
	}
	if (!cmd) { /* the command and its arguments are the caller's */
		out->npos = optind;
		return LBCTL_EXIT_OK;
	}
	for (int i = optind; i < argc; i++) {
		if (out->npos == max_pos)
			return lbctl_usage_error(app, "%s: unexpected argument '%s' (see lbctl help %s)",
						 cmd, argv[i], cmd);
		out->pos[out->npos++] = argv[i];
	}
	if (out->npos < min_pos)
		return lbctl_usage_error(app, "%s: expected %s (see lbctl help %s)", cmd, synopsis,
					 cmd);
	return LBCTL_EXIT_OK;
}

int lbctl_parse(struct lbctl *app, int argc, char **argv, const struct lbctl_opt *opts,
		int min_pos, int max_pos, const char *synopsis, struct lbctl_cmdline *out)
{
	return parse(app, argv[0], argc, argv, opts, min_pos, max_pos, synopsis, out);
}

int lbctl_parse_globals(struct lbctl *app, int argc, char **argv, const struct lbctl_opt *opts,
			struct lbctl_cmdline *out, int *command_at)
{
	int ex = parse(app, NULL, argc, argv, opts, 0, 0, "", out);
	*command_at = out->npos;
	out->npos = 0;
	return ex;
}
