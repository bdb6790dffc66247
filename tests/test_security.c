/* SPDX-License-Identifier: MIT */
/*
 * lbctl runs as root on switches and lab machines: nothing it reads from the environment,
 * the current directory or a world-writable place may turn it against its host. Each test
 * plants what an unprivileged user could plant and runs the real lbctl ($LBCTL) against it:
 * a library in the current directory, symlinks and FIFOs in the state directory, a state
 * directory of another owner or open to others, plugins that are not to be trusted, state
 * names that used to collide. Tests that need a second user drop to "nobody" in a child.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <grp.h>
#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>

static char tmp[64];
static char out[8192];

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	static char cmd[16384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	static char full[16640];
	snprintf(full, sizeof(full), "( %s ) >'%s/out' 2>&1", cmd, tmp);
	int st = system(full);
	out[0] = 0;
	char p[128];
	snprintf(p, sizeof(p), "%s/out", tmp);
	FILE *f = fopen(p, "r");
	if (f) {
		size_t n = fread(out, 1, sizeof(out) - 1, f);
		out[n] = 0;
		fclose(f);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static const char *lbctl(void)
{
	return getenv("LBCTL");
}

#define NEED_LBCTL()              \
	do {                      \
		if (!lbctl())     \
			skip();   \
	} while (0)

static int setup(void **state)
{
	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/lb-test-security-XXXXXX");
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

/* A fresh private state directory under tmp (mode 0700). */
static void state_dir(const char *name, char *path, size_t len)
{
	snprintf(path, len, "%s/%s", tmp, name);
	assert_int_equal(mkdir(path, 0700), 0);
}

/* A file that root's lbctl must never overwrite, and its bytes. */
static void victim(char *path, size_t len)
{
	snprintf(path, len, "%s/victim", tmp);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("precious\n", f);
	fclose(f);
}

static void assert_victim_intact(const char *path)
{
	char buf[32] = "";
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	assert_string_equal(buf, "precious\n");
}

/* A libjansson.so.4 in the current directory is never loaded (run path without "." or ""). */
static void test_library_in_cwd_not_loaded(void **unused)
{
	(void)unused;
	NEED_LBCTL();
	char src[128], marker[128];
	snprintf(src, sizeof(src), "%s/evil.c", tmp);
	snprintf(marker, sizeof(marker), "%s/pwned", tmp);
	FILE *f = fopen(src, "w");
	assert_non_null(f);
	fprintf(f, "#include <stdio.h>\n__attribute__((constructor)) static void evil(void)\n"
		   "{ FILE *f = fopen(\"%s\", \"w\"); if (f) fclose(f); }\n", marker);
	fclose(f);
	assert_int_equal(sh("cd '%s' && '%s' -shared -fPIC -o libjansson.so.4 evil.c && "
			    "cp libjansson.so.4 liblightbridge.so.0 && cp libjansson.so.4 libm.so.6",
			    tmp, LB_C_COMPILER), 0);
	assert_int_equal(sh("cd '%s' && '%s' --version", tmp, lbctl()), 0);
	assert_non_null(strstr(out, "lbctl "));
	assert_int_equal(access(marker, F_OK), -1);
}

/* The lock file and the state file are never followed when they are symlinks. */
static void test_symlinks_in_state_dir_not_followed(void **unused)
{
	(void)unused;
	NEED_LBCTL();
	char sd[128], v[128];
	state_dir("links", sd, sizeof(sd));
	victim(v, sizeof(v));
	char dflt[160];
	snprintf(dflt, sizeof(dflt), "%s/default", sd);
	assert_int_equal(mkdir(dflt, 0700), 0);
	const char *names[] = { "emulator-state.json.lock", "emulator-state.json",
				"emulator-state.json.tmp" };
	for (size_t i = 0; i < 3; i++) {
		char l[256];
		snprintf(l, sizeof(l), "%s/%s", dflt, names[i]);
		assert_int_equal(symlink(v, l), 0);
	}
	/* The lock is a symlink: refused with a reason, the victim untouched. */
	int rc = sh("LB_STATE_DIR='%s' '%s' up 1", sd, lbctl());
	assert_int_not_equal(rc, 0);
	assert_non_null(strstr(out, "not a regular file"));
	assert_victim_intact(v);
	/* With a real lock, the symlinked state is not read, and the save replaces the link. */
	char l[256];
	snprintf(l, sizeof(l), "%s/emulator-state.json.lock", dflt);
	assert_int_equal(unlink(l), 0);
	assert_int_equal(sh("LB_STATE_DIR='%s' '%s' up 1", sd, lbctl()), 0);
	assert_victim_intact(v);
	struct stat st;
	snprintf(l, sizeof(l), "%s/emulator-state.json", dflt);
	assert_int_equal(lstat(l, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
}

/* A FIFO planted as the state file or the lock never hangs lbctl. */
static void test_fifo_in_state_dir_does_not_hang(void **unused)
{
	(void)unused;
	NEED_LBCTL();
	char sd[128], fifo[256];
	state_dir("fifo", sd, sizeof(sd));
	snprintf(fifo, sizeof(fifo), "%s/default", sd);
	assert_int_equal(mkdir(fifo, 0700), 0);
	snprintf(fifo, sizeof(fifo), "%s/default/emulator-state.json", sd);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	/* timeout: a hang would fail the test, not the run */
	assert_int_equal(sh("LB_STATE_DIR='%s' timeout 20 '%s' show 1", sd, lbctl()), 0);
	assert_non_null(strstr(out, "Identifier"));
	snprintf(fifo, sizeof(fifo), "%s/default/emulator-state.json.lock", sd);
	assert_int_equal(unlink(fifo), 0); /* the lock the run above made */
	assert_int_equal(mkfifo(fifo, 0600), 0);
	int rc = sh("LB_STATE_DIR='%s' timeout 20 '%s' show 1", sd, lbctl());
	assert_true(rc != 0 && rc != 124);
	assert_non_null(strstr(out, "not a regular file"));
}

/* A state directory open to others, or not a directory of ours, is refused. */
static void test_state_dir_must_be_private(void **unused)
{
	(void)unused;
	NEED_LBCTL();
	char sd[128];
	state_dir("open", sd, sizeof(sd));
	assert_int_equal(chmod(sd, 0777), 0);
	assert_int_not_equal(sh("LB_STATE_DIR='%s' '%s' list", sd, lbctl()), 0);
	assert_non_null(strstr(out, "open to group or others"));
	/* a symlink to a private directory is not taken either */
	char real[128], link[128];
	state_dir("real", real, sizeof(real));
	snprintf(link, sizeof(link), "%s/link", tmp);
	assert_int_equal(symlink(real, link), 0);
	char dflt[200];
	snprintf(dflt, sizeof(dflt), "%s/default", link);
	assert_int_equal(mkdir(dflt, 0700), 0);
	assert_int_equal(sh("LB_STATE_DIR='%s' '%s' list", link, lbctl()), 0); /* base may be a link */
	/* ... but the state directory itself may not */
	assert_int_equal(sh("rm -rf '%s/default' && ln -s '%s' '%s/default'", real, tmp, real), 0);
	assert_int_not_equal(sh("LB_STATE_DIR='%s' '%s' list", real, lbctl()), 0);
	assert_non_null(strstr(out, "symlink"));
	/* a relative LB_STATE_DIR is not taken: HOME's place is used */
	char home[128];
	state_dir("home", home, sizeof(home));
	assert_int_equal(sh("cd '%s' && LB_STATE_DIR=rel HOME='%s' '%s' list", tmp, home, lbctl()), 0);
	char rel[256];
	snprintf(rel, sizeof(rel), "%s/rel", tmp);
	assert_int_equal(access(rel, F_OK), -1);
	snprintf(rel, sizeof(rel), "%s/.local/state/lightbridge/default", home);
	assert_int_equal(access(rel, F_OK), 0);
}

/* Without HOME and LB_STATE_DIR, a user gets an error, never a /tmp directory. */
static void test_no_tmp_fallback(void **unused)
{
	(void)unused;
	NEED_LBCTL();
	if (geteuid() != 0)
		skip(); /* needs to become another user: run as root (CI is) */
	struct passwd *nobody = getpwnam("nobody");
	assert_non_null(nobody);
	char predictable[64];
	snprintf(predictable, sizeof(predictable), "/tmp/lightbridge-%u", (unsigned)nobody->pw_uid);
	/*
	 * nobody may not reach the build tree (a checkout under /root): a copy of lbctl and its
	 * libraries laid out as installed ($ORIGIN/../lib) in a directory nobody can enter.
	 */
	char app[128], bin[192];
	snprintf(app, sizeof(app), "%s/app", tmp);
	assert_int_equal(sh("chmod 711 '%s' && mkdir -p '%s/bin' '%s/lib' && cp '%s' '%s/bin/' && "
			    "cp -P \"$(dirname '%s')\"/../lib*/liblightbridge*.so* '%s/lib/' && chmod -R a+rX '%s'",
			    tmp, app, app, lbctl(), app, lbctl(), app, app), 0);
	snprintf(bin, sizeof(bin), "%s/bin/lbctl", app);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setgid(nobody->pw_gid) || setuid(nobody->pw_uid))
			_exit(100);
		int fd = open("/dev/null", O_WRONLY);
		dup2(fd, 1);
		dup2(fd, 2);
		char *argv[] = { bin, "list", NULL };
		char *envp[] = { "PATH=/usr/bin:/bin", NULL };
		execve(bin, argv, envp);
		_exit(101);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_not_equal(WEXITSTATUS(st), 0);   /* refused ... */
	assert_int_not_equal(WEXITSTATUS(st), 100); /* (and the child did become nobody, */
	assert_int_not_equal(WEXITSTATUS(st), 101); /* and ran lbctl) */
	assert_int_not_equal(WEXITSTATUS(st), 127);
	assert_int_equal(access(predictable, F_OK), -1); /* ... and nothing made in /tmp */
	/* root: /run (the data: given, as to any program run from the build tree) */
	assert_int_equal(sh("env -i PATH=/usr/bin:/bin LB_DATADIR='%s' '%s' list", LB_SOURCE_DIR, lbctl()), 0);
}

/* Two platform files whose paths used to flatten to one name keep two states. */
static void test_state_names_unique_and_bounded(void **unused)
{
	(void)unused;
	NEED_LBCTL();
	char sd[128];
	state_dir("names", sd, sizeof(sd));
	assert_int_equal(sh("mkdir -p '%s/a' && cp '%s/platforms/emulated-default.json' '%s/a_b.json' && "
			    "cp '%s/platforms/emulated-default.json' '%s/a/b.json'",
			    tmp, LB_SOURCE_DIR, tmp, LB_SOURCE_DIR, tmp), 0);
	assert_int_equal(sh("LB_STATE_DIR='%s' '%s' --platform '%s/a_b.json' up 1", sd, lbctl(), tmp), 0);
	assert_int_equal(sh("LB_STATE_DIR='%s' '%s' --platform '%s/a/b.json' list", sd, lbctl(), tmp), 0);
	assert_int_equal(sh("ls '%s' | wc -l", sd), 0);
	assert_int_equal(atoi(out), 2);
	/* a path far longer than a file name still makes a name of bounded length */
	char deep[PATH_MAX];
	int n = snprintf(deep, sizeof(deep), "%s", tmp);
	for (int i = 0; i < 12 && n < 3000; i++)
		n += snprintf(deep + n, sizeof(deep) - (size_t)n, "/%0200d", i);
	assert_int_equal(sh("mkdir -p '%s' && cp '%s/platforms/emulated-default.json' '%s/%0230d.json'",
			    deep, LB_SOURCE_DIR, deep, 7), 0);
	assert_int_equal(sh("LB_STATE_DIR='%s' '%s' --platform '%s/%0230d.json' list", sd, lbctl(), deep, 7), 0);
	assert_int_equal(sh("ls '%s' | awk '{ if (length($0) > m) m = length($0) } END { print m }'", sd), 0);
	assert_true(atoi(out) <= 80);
}

/* Plugins: relative, world-writable, symlinked or foreign files and directories are refused. */
static void test_untrusted_plugins_refused(void **unused)
{
	(void)unused;
	struct lb_ctx *ctx;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	char dir[128], so[256];
	snprintf(dir, sizeof(dir), "%s/plugins", tmp);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(so, sizeof(so), "%s/x.so", dir);
	FILE *f = fopen(so, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(chmod(so, 0644), 0);
	/* relative */
	assert_int_equal(lb_ctx_load_plugin(ctx, "x.so"), LB_E_PERM);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "not an absolute path"));
	assert_int_equal(lb_ctx_load_plugin_dir(ctx, "plugins"), LB_E_PERM);
	/* a world-writable file */
	assert_int_equal(chmod(so, 0666), 0);
	assert_int_equal(lb_ctx_load_plugin(ctx, so), LB_E_PERM);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "writable by others"));
	assert_int_equal(chmod(so, 0644), 0);
	/* a world-writable directory */
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(lb_ctx_load_plugin_dir(ctx, dir), LB_E_PERM);
	assert_int_equal(lb_ctx_load_plugin(ctx, so), LB_E_PERM);
	assert_int_equal(chmod(dir, 0755), 0);
	/* a symlink */
	char link[256];
	snprintf(link, sizeof(link), "%s/y.so", dir);
	assert_int_equal(symlink(so, link), 0);
	assert_int_equal(lb_ctx_load_plugin(ctx, link), LB_E_PERM);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "symlink"));
	/* owned by another user (as root: give it to nobody) */
	if (geteuid() == 0) {
		struct passwd *nobody = getpwnam("nobody");
		assert_non_null(nobody);
		assert_int_equal(chown(so, nobody->pw_uid, nobody->pw_gid), 0);
		assert_int_equal(lb_ctx_load_plugin(ctx, so), LB_E_PERM);
		assert_non_null(strstr(lb_ctx_last_error(ctx), "owned by uid"));
	}
	lb_ctx_destroy(ctx);
}

/*
 * Run fn in a child that dies after 20 s: a call that waits on a FIFO fails the test instead of
 * hanging it. The child's exit code is fn's (0: as expected).
 */
static void in_child(int (*fn)(const char *path), const char *path)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(20);
		_exit(fn(path));
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (!WIFEXITED(st))
		fail_msg("%s: the child was killed by signal %d (a hang?)", path, WTERMSIG(st));
	if (WEXITSTATUS(st))
		fail_msg("%s: check %d failed in the child", path, WEXITSTATUS(st));
}

static int profile_refused(const char *path)
{
	struct lb_emu_world *w;
	struct lb_emu_module *m = NULL;
	char err[512] = "";
	if (lb_emu_world_create(&w))
		return 1;
	int rc = lb_emu_module_create(w, path, &m, err, sizeof(err));
	lb_emu_world_destroy(w);
	return rc == LB_OK ? 2 : !strstr(err, "not a regular file") ? 3 : 0;
}

static int image_refused(const char *path)
{
	struct lb_emu_world *w;
	struct lb_emu_module *m = NULL;
	char err[512] = "";
	if (lb_emu_world_create(&w))
		return 1;
	int rc = lb_emu_module_create_from_image(w, path, &m, err, sizeof(err));
	lb_emu_world_destroy(w);
	return rc == LB_OK ? 2 : !strstr(err, "not a regular file") ? 3 : 0;
}

static int optoe_refused(const char *path)
{
	struct lb_ctx *ctx;
	struct lb_bus *bus = NULL;
	char opts[512];
	if (lb_ctx_create(&ctx))
		return 1;
	snprintf(opts, sizeof(opts), "{\"path\": \"%s\"}", path);
	int rc = lb_bus_open(ctx, "optoe", opts, NULL, &bus);
	int ret = 0;
	if (rc == LB_OK) {
		/* an absent file is tried again at each access: the access must refuse it too */
		struct lb_module *m;
		uint8_t b;
		if (lb_module_open(bus, NULL, &m) == LB_OK) {
			if (lb_module_read(m, 0, 0, 0, &b, 1) == LB_OK)
				ret = 2;
			lb_module_close(m);
		}
		lb_bus_close(bus);
	}
	if (!ret && !strstr(lb_ctx_last_error(ctx), "not a regular file"))
		ret = 3;
	lb_ctx_destroy(ctx);
	return ret;
}

/*
 * A FIFO (or a device) named as an input file never hangs and is never read: images, profiles,
 * platform, path and mode files, the optoe driver's EEPROM file. Each is refused at once.
 */
static void test_fifo_and_device_inputs_refused(void **unused)
{
	(void)unused;
	char fifo[128];
	snprintf(fifo, sizeof(fifo), "%s/input-fifo", tmp);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	const char *inputs[] = { fifo, "/dev/zero" };
	for (size_t i = 0; i < 2; i++) {
		in_child(profile_refused, inputs[i]);
		in_child(image_refused, inputs[i]);
		in_child(optoe_refused, inputs[i]);
		if (!lbctl())
			continue;
		int rc = sh("timeout 20 '%s' decode '%s'", lbctl(), inputs[i]);
		assert_int_equal(rc, 4);
		assert_non_null(strstr(out, "not a regular file"));
		rc = sh("timeout 20 '%s' --platform '%s' list", lbctl(), inputs[i]);
		assert_int_equal(rc, 4);
		assert_non_null(strstr(out, "not a regular file"));
		rc = sh("timeout 20 '%s' plan link --path '%s'", lbctl(), inputs[i]);
		assert_int_equal(rc, 4);
		assert_non_null(strstr(out, "not a regular file"));
		rc = sh("timeout 20 '%s' plan link --distance-km 100 --modes '%s'", lbctl(), inputs[i]);
		assert_int_equal(rc, 4);
		assert_non_null(strstr(out, "not a regular file"));
	}
}

/* ---- bus lock files ---- */

struct emu_bus {
	struct lb_ctx *ctx;
	struct lb_emu_world *w;
	struct lb_bus *bus;
	struct lb_module *m;
};

/* One emulated module on a bus of its own (no state, no platform). */
static void emu_bus_open(struct emu_bus *e)
{
	struct lb_emu_segment *seg;
	struct lb_emu_module *em;
	char profile[PATH_MAX], err[256];
	snprintf(profile, sizeof(profile), "%s/emulator/profiles/400g-fr4-qsfpdd.json", LB_SOURCE_DIR);
	assert_int_equal(lb_ctx_create(&e->ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(e->ctx), LB_OK);
	assert_int_equal(lb_emu_world_create(&e->w), LB_OK);
	assert_int_equal(lb_emu_segment_create(e->w, 400, &seg), LB_OK);
	assert_int_equal(lb_emu_module_create(e->w, profile, &em, err, sizeof(err)), LB_OK);
	assert_int_equal(lb_emu_segment_attach(seg, -1, 0x50, em), LB_OK);
	assert_int_equal(lb_bus_open(e->ctx, "emulator", NULL, seg, &e->bus), LB_OK);
	assert_int_equal(lb_module_open(e->bus, NULL, &e->m), LB_OK);
}

static void emu_bus_close(struct emu_bus *e)
{
	lb_module_close(e->m);
	lb_bus_close(e->bus);
	lb_emu_world_destroy(e->w);
	lb_ctx_destroy(e->ctx);
}

/* A lock file that is a symlink is never followed: the victim's bytes are not a counter. */
static void test_lock_file_symlink_not_followed(void **unused)
{
	(void)unused;
	char v[128], link[128];
	victim(v, sizeof(v));
	snprintf(link, sizeof(link), "%s/bus.lock", tmp);
	assert_int_equal(symlink(v, link), 0);
	struct emu_bus e;
	emu_bus_open(&e);
	assert_int_equal(lb_bus_set_lock_file(e.bus, link, 100), LB_E_PERM);
	assert_non_null(strstr(lb_ctx_last_error(e.ctx), "symbolic link"));
	uint8_t one = 0x08;
	assert_int_equal(lb_module_write(e.m, 0, 0, 26, &one, 1), LB_OK); /* a write: a counter bump */
	assert_victim_intact(v);
	emu_bus_close(&e);
	unlink(link);
}

/* A FIFO as the lock file is refused at once. */
static void test_lock_file_fifo_does_not_hang(void **unused)
{
	(void)unused;
	char fifo[128];
	snprintf(fifo, sizeof(fifo), "%s/fifo.lock", tmp);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	struct emu_bus e;
	emu_bus_open(&e);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(20);
		int rc = lb_bus_set_lock_file(e.bus, fifo, 100);
		_exit(rc == LB_E_PERM && strstr(lb_ctx_last_error(e.ctx), "not a regular file") ? 0 : 1);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	emu_bus_close(&e);
	unlink(fifo);
}

/* A lock file made by the library is 0600 whatever the umask; an open one of ours is closed up. */
static void test_lock_file_created_private(void **unused)
{
	(void)unused;
	char path[128];
	snprintf(path, sizeof(path), "%s/new.lock", tmp);
	mode_t old = umask(0);
	struct emu_bus e;
	emu_bus_open(&e);
	assert_int_equal(lb_bus_set_lock_file(e.bus, path, 100), LB_OK);
	umask(old);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	emu_bus_close(&e);
	assert_int_equal(chmod(path, 0666), 0);
	emu_bus_open(&e);
	assert_int_equal(lb_bus_set_lock_file(e.bus, path, 100), LB_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	emu_bus_close(&e);
	unlink(path);
}

/*
 * Another user: a lock file of theirs is refused (it is not ours to trust); and a user who got a
 * read-only descriptor of our lock file while it was 0644 and holds a shared flock on it makes us
 * busy, with the holder named in the detail: pid and user.
 */
static void test_lock_file_other_user(void **unused)
{
	(void)unused;
	if (geteuid() != 0)
		skip(); /* needs to become another user: run as root (CI is) */
	struct passwd *nobody = getpwnam("nobody");
	assert_non_null(nobody);
	char theirs[128], ours[128];
	snprintf(theirs, sizeof(theirs), "%s/theirs.lock", tmp);
	snprintf(ours, sizeof(ours), "%s/ours.lock", tmp);
	int fd = open(theirs, O_RDWR | O_CREAT, 0644);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(chown(theirs, nobody->pw_uid, nobody->pw_gid), 0);
	struct emu_bus e;
	emu_bus_open(&e);
	assert_int_equal(lb_bus_set_lock_file(e.bus, theirs, 100), LB_E_PERM);
	assert_non_null(strstr(lb_ctx_last_error(e.ctx), "owned by uid 65534"));

	/* tmp is root's 0700: let nobody reach the file for the test */
	assert_int_equal(chmod(tmp, 0711), 0);
	fd = open(ours, O_RDWR | O_CREAT, 0644);
	assert_true(fd >= 0);
	assert_int_equal(fchmod(fd, 0644), 0);
	close(fd);
	int held[2], release[2];
	assert_int_equal(pipe(held), 0);
	assert_int_equal(pipe(release), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setgid(nobody->pw_gid) || setuid(nobody->pw_uid))
			_exit(100);
		int rfd = open(ours, O_RDONLY);
		if (rfd < 0 || flock(rfd, LOCK_SH) != 0)
			_exit(101);
		char c = 'h';
		if (write(held[1], &c, 1) != 1 || read(release[0], &c, 1) != 1)
			_exit(102);
		_exit(0);
	}
	char c;
	assert_int_equal(read(held[0], &c, 1), 1);
	assert_int_equal(lb_bus_set_lock_file(e.bus, ours, 100), LB_OK);
	struct stat st;
	assert_int_equal(stat(ours, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600); /* closed up: nobody opens it again */
	uint8_t b;
	assert_int_equal(lb_module_read(e.m, 0, 0, 0, &b, 1), LB_E_BUSY);
	char want[64];
	snprintf(want, sizeof(want), "pid %ld (user nobody)", (long)pid);
	if (!strstr(lb_ctx_last_error(e.ctx), want))
		fail_msg("detail lacks \"%s\": %s", want, lb_ctx_last_error(e.ctx));
	assert_int_equal(write(release[1], "r", 1), 1);
	int wst;
	assert_int_equal(waitpid(pid, &wst, 0), pid);
	assert_true(WIFEXITED(wst) && WEXITSTATUS(wst) == 0);
	assert_int_equal(lb_module_read(e.m, 0, 0, 0, &b, 1), LB_OK);
	assert_int_equal(chmod(tmp, 0700), 0);
	emu_bus_close(&e);
	close(held[0]);
	close(held[1]);
	close(release[0]);
	close(release[1]);
	unlink(theirs);
	unlink(ours);
}

/*
 * A lock file shared with a group (lock_group): made 0660 and given to the group; one of another
 * user's is taken when it belongs to the group and is closed to others, and refused when not.
 */
static void test_lock_file_group(void **unused)
{
	(void)unused;
	if (geteuid() != 0)
		skip(); /* chown to another user and group: run as root (CI is) */
	struct passwd *nobody = getpwnam("nobody");
	assert_non_null(nobody);
	struct group *g = getgrgid(nobody->pw_gid);
	assert_non_null(g);
	char gname[64], path[128];
	snprintf(gname, sizeof(gname), "%s", g->gr_name);
	snprintf(path, sizeof(path), "%s/group.lock", tmp);
	struct emu_bus e;
	emu_bus_open(&e);
	assert_int_equal(lb_bus_set_lock_file_group(e.bus, path, 100, gname), LB_OK);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0660);
	assert_int_equal(st.st_gid, nobody->pw_gid);
	assert_int_equal(lb_bus_set_lock_file_group(e.bus, path, 100, "no-such-group-here"), LB_E_PERM);
	assert_non_null(strstr(lb_ctx_last_error(e.ctx), "no-such-group-here"));
	emu_bus_close(&e);
	/* another user's file of the group, closed to others: taken */
	assert_int_equal(chown(path, nobody->pw_uid, nobody->pw_gid), 0);
	emu_bus_open(&e);
	assert_int_equal(lb_bus_set_lock_file_group(e.bus, path, 100, gname), LB_OK);
	uint8_t b;
	assert_int_equal(lb_module_read(e.m, 0, 0, 0, &b, 1), LB_OK);
	/* ... not without the group rule, nor open to others */
	assert_int_equal(lb_bus_set_lock_file(e.bus, path, 100), LB_E_PERM);
	assert_int_equal(chmod(path, 0664), 0);
	assert_int_equal(lb_bus_set_lock_file_group(e.bus, path, 100, gname), LB_E_PERM);
	assert_non_null(strstr(lb_ctx_last_error(e.ctx), "open to others"));
	emu_bus_close(&e);
	unlink(path);
}

/* --data-dir longer than a path can be is refused, not silently ignored. */
static void test_long_data_dir_refused(void **unused)
{
	(void)unused;
	NEED_LBCTL();
	char longdir[5000];
	memset(longdir, 'a', sizeof(longdir) - 1);
	longdir[0] = '/';
	longdir[sizeof(longdir) - 1] = 0;
	assert_int_equal(sh("'%s' --data-dir '%s' list", lbctl(), longdir), 2);
	assert_non_null(strstr(out, "too long"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_library_in_cwd_not_loaded),
		cmocka_unit_test(test_symlinks_in_state_dir_not_followed),
		cmocka_unit_test(test_fifo_in_state_dir_does_not_hang),
		cmocka_unit_test(test_state_dir_must_be_private),
		cmocka_unit_test(test_no_tmp_fallback),
		cmocka_unit_test(test_state_names_unique_and_bounded),
		cmocka_unit_test(test_untrusted_plugins_refused),
		cmocka_unit_test(test_long_data_dir_refused),
		cmocka_unit_test(test_fifo_and_device_inputs_refused),
		cmocka_unit_test(test_lock_file_symlink_not_followed),
		cmocka_unit_test(test_lock_file_fifo_does_not_hang),
		cmocka_unit_test(test_lock_file_created_private),
		cmocka_unit_test(test_lock_file_other_user),
		cmocka_unit_test(test_lock_file_group),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
