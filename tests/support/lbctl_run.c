/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>
#include "lbctl_run.h"

static void slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, len - 1, f) : 0;
	buf[n] = 0;
	if (f)
		fclose(f);
}

int lbctl_run_setup(struct lbctl_run *r, const char *tag)
{
	if (!getenv("LBCTL"))
		return -1;
	snprintf(r->dir, sizeof(r->dir), "/tmp/lb-test-%.16s-XXXXXX", tag);
	if (!mkdtemp(r->dir))
		return -1;
	setenv("LB_STATE_DIR", r->dir, 1); /* our own state directory: never the user's */
	return 0;
}

int lbctl_run_teardown(struct lbctl_run *r)
{
	if (!r->dir[0])
		return 0;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", r->dir);
	return system(cmd) == 0 ? 0 : -1;
}

int lbctl_run(struct lbctl_run *r, const char *args)
{
	const char *bin = getenv("LBCTL");
	assert_non_null(bin);
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), "'%s' %s >'%s/out' 2>'%s/err' </dev/null", bin, args, r->dir,
		 r->dir);
	int st = system(cmd);
	char p[128];
	snprintf(p, sizeof(p), "%s/out", r->dir);
	slurp(p, r->out, sizeof(r->out));
	snprintf(p, sizeof(p), "%s/err", r->dir);
	slurp(p, r->err, sizeof(r->err));
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

unsigned lbctl_run_lines(const char *s)
{
	unsigned n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

bool lbctl_has_kv(const char *out, const char *key, const char *value)
{
	size_t kl = strlen(key), vl = strlen(value);
	for (const char *l = out; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *k = l;
		while (*k == ' ')
			k++;
		if (strncmp(k, key, kl) != 0)
			continue;
		const char *c = k + kl;
		while (*c == ' ' || *c == '.')
			c++;
		if (c[0] == ':' && c[1] == ' ' && strncmp(c + 2, value, vl) == 0 &&
		    (c[2 + vl] == '\n' || c[2 + vl] == '\0'))
			return true;
	}
	return false;
}


void lbctl_run_fits_80(const char *text)
{
	for (const char *l = text; *l;) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);
		if (n > 80)
			fail_msg("a line of %zu columns: %.*s", n, (int)n, l);
		l += n + (nl ? 1 : 0);
	}
}

json_t *lbctl_run_json(struct lbctl_run *r, const char *args, int want_exit)
{
	int ex = lbctl_run(r, args);
	if (ex != want_exit)
		fail_msg("%s: exit %d, not %d (%s)", args, ex, want_exit, r->err);
	json_error_t e;
	json_t *o = json_loads(r->out, 0, &e);
	if (!o)
		fail_msg("%s: not JSON (%s): %s", args, e.text, r->out);
	return o;
}
