/* SPDX-License-Identifier: MIT */
/*
 * lbctl's per-user state directory, made and checked as a runtime directory is, since lbctl
 * runs as root: $LB_STATE_DIR, else $XDG_STATE_HOME/lightbridge, else
 * $HOME/.local/state/lightbridge, else (root only) /run/lightbridge. The environment is not
 * read when lbctl runs set-uid or with different real and effective ids (secure_getenv);
 * relative paths are refused; there is no fallback into a world-writable place such as /tmp.
 * The directory lbctl uses is created 0700 when missing and must be a directory (not a
 * symlink) owned by the effective user and not open to group or others. One state per
 * platform file, named by the file's base name and a hash of its real path: unique, and
 * bounded in length whatever the path.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lbctl.h"

#define NAME_BASE_MAX 48

static int fail(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* An absolute value of the environment variable name, or NULL (unset, empty, relative). */
static const char *abs_env(const char *name)
{
	const char *v = secure_getenv(name);
	return v && v[0] == '/' ? v : NULL;
}

/* mkdir -p of the parents of path (0700 for what it makes; existing ones are left as they are). */
static int make_parents(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		int rc = mkdir(path, 0700);
		*p = '/';
		if (rc && errno != EEXIST)
			return -1;
	}
	return 0;
}

/*
 * Create path (0700) if missing, then check it: a directory, ours, closed to others. The
 * base may be reached through a symlink (a home directory often is; what it leads to is
 * checked); the state directory itself may not be one.
 */
static int make_private_dir(const char *path, bool may_be_link, char *why, size_t len)
{
	if (mkdir(path, 0700) && errno != EEXIST)
		return fail(why, len, "%s: cannot create: %s", path, strerror(errno));
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (may_be_link ? 0 : O_NOFOLLOW));
	if (fd < 0)
		return fail(why, len, "%s: not a directory lbctl may use: %s", path,
			    errno == ELOOP || errno == ENOTDIR ? "a symlink or not a directory" : strerror(errno));
	struct stat st;
	int rc = fstat(fd, &st);
	close(fd);
	if (rc)
		return fail(why, len, "%s: %s", path, strerror(errno));
	if (st.st_uid != geteuid())
		return fail(why, len, "%s: owned by uid %u, not by the user running lbctl (uid %u)",
			    path, (unsigned)st.st_uid, (unsigned)geteuid());
	if (st.st_mode & 077)
		return fail(why, len, "%s: open to group or others (mode %04o; want 0700)", path,
			    (unsigned)(st.st_mode & 07777));
	return 0;
}

/* FNV-1a, 64 bits: a name for a path, not a secret. */
static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ull;
	}
	return h;
}

int lbctl_state_dir(const char *platform_path, char *out, size_t len, char *why, size_t whylen)
{
	why[0] = 0;
	char base[PATH_MAX];
	const char *env = abs_env("LB_STATE_DIR"), *xdg = abs_env("XDG_STATE_HOME");
	const char *home = abs_env("HOME");
	int n;
	if (env)
		n = snprintf(base, sizeof(base), "%s", env);
	else if (xdg)
		n = snprintf(base, sizeof(base), "%s/lightbridge", xdg);
	else if (home)
		n = snprintf(base, sizeof(base), "%s/.local/state/lightbridge", home);
	else if (geteuid() == 0)
		n = snprintf(base, sizeof(base), "/run/lightbridge");
	else
		return fail(why, whylen, "no state directory: set LB_STATE_DIR or HOME (an absolute path)");
	if (n < 0 || (size_t)n >= sizeof(base))
		return fail(why, whylen, "state directory: path too long");
	char name[NAME_BASE_MAX + 24] = "default";
	char rp[PATH_MAX];
	if (platform_path) {
		if (!realpath(platform_path, rp))
			return fail(why, whylen, "%s: %s", platform_path, strerror(errno));
		const char *b = strrchr(rp, '/');
		b = b ? b + 1 : rp;
		size_t k = 0;
		for (; *b && k < NAME_BASE_MAX; b++)
			name[k++] = (isalnum((unsigned char)*b) || *b == '-' || *b == '_' || *b == '.')
					    ? *b : '_';
		snprintf(name + k, sizeof(name) - k, "-%016llx", (unsigned long long)fnv1a(rp));
	}
	n = snprintf(out, len, "%s/%s", base, name);
	if (n < 0 || (size_t)n >= len)
		return fail(why, whylen, "%s: path too long", base);
	if (make_parents(base) || make_private_dir(base, true, why, whylen) ||
	    make_private_dir(out, false, why, whylen))
		return why[0] ? -1 : fail(why, whylen, "%s: cannot create: %s", base, strerror(errno));
	return 0;
}
