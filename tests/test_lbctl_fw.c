/* SPDX-License-Identifier: MIT */
/*
 * lbctl fw on the emulated default platform, as a user runs it: info, an image made by
 * `fw image`, upgrade with run and commit then info in another process (the firmware persists
 * between invocations), every port at once, a corrupt image and a file that is no image (the
 * old image still runs), run then commit as separate commands, Ctrl-C during the download
 * (exit 130, aborted, the old image runs), and the command line's mistakes.
 */
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>
#include "image_file.h"
#include "lbctl_run.h"
#include "synth_module.h"

LBCTL_RUN_FIXTURE("fw")

static int lbctl(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int lbctl(const char *fmt, ...)
{
	char args[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	return lbctl_run(&run, args);
}

/* `lbctl --json fw PORT info`, parsed. */
static json_t *info(unsigned port)
{
	assert_int_equal(lbctl("--json fw %u info", port), 0);
	json_error_t e;
	json_t *o = json_loads(run.out, 0, &e);
	assert_non_null(o);
	return o;
}

static const char *image_key(json_t *info, const char *slot, const char *key)
{
	json_t *v = json_object_get(json_object_get(json_object_get(info, "images"), slot), key);
	return json_is_string(v) ? json_string_value(v) : json_is_true(v) ? "true" : "false";
}

/* Which image runs, its version, and the state, as "B 5.3 ok". */
static void expect_running(unsigned port, const char *want)
{
	json_t *o = info(port);
	const char *slots[] = { "A", "B", "factory" };
	char got[64] = "none";
	for (int i = 0; i < 3; i++)
		if (strcmp(image_key(o, slots[i], "running"), "true") == 0)
			snprintf(got, sizeof(got), "%s %s %s", slots[i], image_key(o, slots[i], "version"),
				 json_string_value(json_object_get(o, "state")));
	assert_string_equal(got, want);
	json_decref(o);
}

static void make_image(const char *name, const char *version, const char *size)
{
	assert_int_equal(lbctl("fw image %s/%s --version %s --size %s", run.dir, name, version, size), 0);
}

static void test_info_fresh(void **state)
{
	(void)state;
	assert_int_equal(lbctl("fw 1 info"), 0);
	assert_true(lbctl_has_kv(run.out, "State", "ok: the running image is committed"));
	assert_non_null(strstr(run.out, "Image A"));
	assert_non_null(strstr(run.out, "running, committed"));
	json_t *o = info(1);
	assert_int_equal(json_integer_value(json_object_get(o, "port")), 1);
	assert_string_equal(json_string_value(json_object_get(o, "name")), "Ethernet0");
	assert_string_equal(image_key(o, "A", "committed"), "true");
	assert_string_equal(image_key(o, "factory", "extra"), "factory");
	assert_true(json_is_true(json_object_get(json_object_get(o, "features"), "write_epl")));
	json_decref(o);
	assert_int_equal(lbctl("fw 1 info"), 0);
	lbctl_run_fits_80(run.out);
}

/* Upgrade with run and commit; the next process sees the new image running and committed. */
static void test_upgrade_run_commit_persists(void **state)
{
	(void)state;
	make_image("fw.bin", "5.3.7", "64K");
	expect_running(1, "A 3.2 ok");
	assert_int_equal(lbctl("fw 1 upgrade %s/fw.bin --run --commit", run.dir), 0);
	assert_non_null(strstr(run.out, "image B written by EPL, 65536 bytes"));
	assert_non_null(strstr(run.err, "port 1: complete"));   /* progress lines off a terminal */
	assert_non_null(strstr(run.err, "port 1: write 50%"));
	expect_running(1, "B 5.3 ok");
	json_t *o = info(1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(json_object_get(o, "images"), "B"),
							    "build")), 7);
	assert_string_equal(image_key(o, "B", "committed"), "true");
	json_decref(o);
	/* JSON lines: progress, then the result */
	make_image("fw2.bin", "5.4", "8K");
	assert_int_equal(lbctl("--json fw 1 upgrade %s/fw2.bin --method lpl", run.dir), 0);
	unsigned lines = lbctl_run_lines(run.out), results = 0, progress = 0;
	assert_true(lines > 3);
	for (char *l = run.out; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		json_error_t e;
		const char *end = strchr(l, '\n');
		json_t *j = json_loadb(l, end ? (size_t)(end - l) : strlen(l), 0, &e);
		assert_non_null(j);
		const char *ev = json_string_value(json_object_get(j, "event"));
		assert_non_null(ev);
		if (strcmp(ev, "result") == 0) {
			results++;
			assert_true(json_is_true(json_object_get(j, "ok")));
			assert_string_equal(json_string_value(json_object_get(j, "method")), "lpl");
			assert_string_equal(json_string_value(json_object_get(j, "target")), "A");
			assert_string_equal(json_string_value(json_object_get(j, "running")), "B");
		} else {
			progress++;
		}
		json_decref(j);
	}
	assert_int_equal(results, 1);
	assert_true(progress >= 3);
	/* written, not run: B still runs, A holds 5.4 */
	expect_running(1, "B 5.3 ok");
}

/* Run and commit as commands of their own, each in its own process. */
static void test_run_then_commit(void **state)
{
	(void)state;
	make_image("fw.bin", "7.1", "16K");
	assert_int_equal(lbctl("fw 2 upgrade %s/fw.bin", run.dir), 0);
	expect_running(2, "A 3.2 ok");
	assert_int_equal(lbctl("fw 2 run"), 0);
	assert_non_null(strstr(run.out, "port 2: ran into image B: 7.1 build 1"));
	assert_non_null(strstr(run.out, "lbctl fw 2 commit keeps it"));
	expect_running(2, "B 7.1 not-committed");
	assert_int_equal(lbctl("fw 2 commit"), 0);
	expect_running(2, "B 7.1 ok");
	assert_int_equal(lbctl("--json fw 2 abort"), 0); /* nothing under way: done, nothing changed */
	expect_running(2, "B 7.1 ok");
}

/* Copy (0108h) where the module offers it (the 800G DR8 profile, port 4), refused elsewhere. */
static void test_copy(void **state)
{
	(void)state;
	make_image("fw.bin", "6.2", "16K");
	assert_int_equal(lbctl("fw 4 upgrade %s/fw.bin --run --commit", run.dir), 0);
	expect_running(4, "B 6.2 ok");
	json_t *o = info(4);
	assert_string_not_equal(image_key(o, "A", "version"), "6.2"); /* the old image, still in A */
	json_decref(o);
	assert_int_equal(lbctl("fw 4 copy"), 0);
	assert_non_null(strstr(run.out, "port 4: copied the running image over the other; runs image B"));
	o = info(4);
	assert_string_equal(image_key(o, "A", "version"), "6.2");
	assert_string_equal(image_key(o, "A", "valid"), "true");
	json_decref(o);
	expect_running(4, "B 6.2 ok");
	assert_int_equal(lbctl("fw 1 copy"), 6); /* the coherent profile does not offer copy */
	assert_non_null(strstr(run.err, "fw copy: port 1"));
}

static void test_ports_all(void **state)
{
	(void)state;
	make_image("fw.bin", "9.9.99", "16K");
	assert_int_equal(lbctl("--json fw upgrade %s/fw.bin --ports all --run --commit", run.dir), 0);
	unsigned results = 0;
	for (char *l = strtok(run.out, "\n"); l; l = strtok(NULL, "\n"))
		if (strstr(l, "\"event\":\"result\"")) {
			results++;
			assert_non_null(strstr(l, "\"ok\":true"));
		}
	assert_int_equal(results, 6);
	for (unsigned p = 1; p <= 6; p++)
		expect_running(p, "B 9.9 ok");
	/* text: one line (wrapped) per port */
	make_image("fw2.bin", "9.10", "8K");
	assert_int_equal(lbctl("fw upgrade %s/fw2.bin --ports 1,4-5", run.dir), 0);
	assert_non_null(strstr(run.out, "port 1 (Ethernet0): image A written"));
	assert_non_null(strstr(run.out, "port 4 (Ethernet24): image A written"));
	assert_non_null(strstr(run.out, "port 5 (Ethernet32): image A written"));
	lbctl_run_fits_80(run.out);
	lbctl_run_fits_80(run.err);
	assert_null(strstr(run.out, "port 2 "));
}

/* A corrupt image fails at Complete; the old image runs; the others go on. */
static void test_corrupt_image(void **state)
{
	(void)state;
	make_image("fw.bin", "4.0", "16K");
	char path[160];
	snprintf(path, sizeof(path), "%s/fw.bin", run.dir);
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, 1000, SEEK_SET), 0);
	int c = fgetc(f);
	assert_int_equal(fseek(f, 1000, SEEK_SET), 0);
	fputc(c ^ 0x5A, f);
	fclose(f);
	assert_int_equal(lbctl("fw 3 upgrade %s --run --commit", path), 1);
	assert_non_null(strstr(run.err, "checksum"));
	assert_non_null(strstr(run.err, "the module runs its old image"));
	expect_running(3, "A 2.7 inactive-invalid"); /* the FR4 profile's version */
	assert_int_equal(lbctl("fw 3 info"), 0);
	assert_non_null(strstr(run.out, "upgrade again"));
	/* the same as JSON: a result line that says so, the image that runs, the detail */
	assert_int_equal(lbctl("--json fw 3 upgrade %s", path), 1);
	const char *res = strstr(run.out, "{\"event\":\"result\"");
	assert_non_null(res);
	json_error_t e;
	json_t *j = json_loadb(res, strcspn(res, "\n"), 0, &e);
	assert_non_null(j);
	assert_true(json_is_false(json_object_get(j, "ok")));
	assert_string_equal(json_string_value(json_object_get(j, "running")), "A");
	assert_non_null(strstr(json_string_value(json_object_get(j, "detail")), "checksum"));
	assert_non_null(strstr(run.out, "\"phase\":\"abort\""));
	json_decref(j);
	/* several ports: one fails, the others are done, the exit code says not all were */
	make_image("good.bin", "4.1", "8K");
	assert_int_equal(lbctl("fw upgrade %s --ports 4,5 --run", path), 1);
	expect_running(4, "A 1.9 inactive-invalid"); /* the DR8 profile's version */
	assert_int_equal(lbctl("fw upgrade %s/good.bin --ports 3,4 --run --commit", run.dir), 0);
	expect_running(3, "B 4.1 ok");
	/* a file that is no image at all: refused at Start, the module untouched */
	snprintf(path, sizeof(path), "%s/junk.bin", run.dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	for (int i = 0; i < 4096; i++)
		fputc(i * 7, f);
	fclose(f);
	assert_int_equal(lbctl("fw 6 upgrade %s", path), 1);
	expect_running(6, "A 0.9 ok"); /* the OSFP-XD profile's version */
}

/* Bus time on the bus clock, a pid's syscall: is it blocked writing to its stderr? */
static bool blocked_on_stderr(pid_t pid)
{
	char p[64], buf[128] = "";
	snprintf(p, sizeof(p), "/proc/%ld/syscall", (long)pid);
	FILE *f = fopen(p, "r");
	if (!f)
		return false;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return strncmp(buf, "1 0x2 ", 6) == 0; /* write(2, ...) on x86-64 */
}

/*
 * Ctrl-C during the download, deterministically: lbctl's stderr is a pipe this test filled
 * before starting it, so lbctl blocks in its first progress line (the upgrade started: Start
 * sent, the cancel handler in place). SIGINT then; the test drains the pipe. lbctl aborts the
 * download and exits 130; the module still runs its old image.
 */
static void test_ctrl_c_aborts(void **state)
{
	(void)state;
#if !defined(__x86_64__)
	skip(); /* the syscall number of write(2) read from /proc is x86-64's */
#endif
	make_image("fw.bin", "8.0", "1M");
	expect_running(1, "A 3.2 ok");
	int p[2];
	assert_int_equal(pipe(p), 0);
	int fl = fcntl(p[1], F_GETFL);
	assert_int_equal(fcntl(p[1], F_SETFL, fl | O_NONBLOCK), 0);
	char junk[4096];
	memset(junk, 'x', sizeof(junk));
	size_t filled = 0;
	for (;;) {
		ssize_t w = write(p[1], junk, sizeof(junk));
		if (w > 0) {
			filled += (size_t)w;
			continue;
		}
		if (w < 0 && errno == EAGAIN) {
			if (write(p[1], junk, 1) == 1) { /* the last bytes of a page */
				filled++;
				continue;
			}
			break;
		}
		fail();
	}
	assert_int_equal(fcntl(p[1], F_SETFL, fl), 0);
	char image[160], out[160];
	snprintf(image, sizeof(image), "%s/fw.bin", run.dir);
	snprintf(out, sizeof(out), "%s/ctrl-c.out", run.dir);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int in = open("/dev/null", O_RDONLY);
		if (o < 0 || in < 0 || dup2(o, 1) < 0 || dup2(p[1], 2) < 0 || dup2(in, 0) < 0)
			_exit(99);
		close(p[0]);
		execl(getenv("LBCTL"), "lbctl", "fw", "1", "upgrade", image, "--run", "--commit",
		      (char *)NULL);
		_exit(98);
	}
	close(p[1]);
	/* wait for it to block on its stderr (bounded: 20 s of polls 1 ms apart) */
	bool blocked = false;
	for (int i = 0; i < 20000 && !blocked; i++) {
		blocked = blocked_on_stderr(pid);
		if (!blocked)
			nanosleep(&(struct timespec){ .tv_nsec = 1000000 }, NULL);
	}
	assert_true(blocked);
	assert_int_equal(kill(pid, SIGINT), 0);
	static char err[1 << 20];
	size_t got = 0;
	for (;;) {
		ssize_t r = read(p[0], err + got, sizeof(err) - 1 - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	err[got] = 0;
	close(p[0]);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_true(got > filled);
	const char *said = err + filled;
	assert_int_equal(WEXITSTATUS(st), 130);
	assert_non_null(strstr(said, "canceled"));
	assert_non_null(strstr(said, "download aborted, the module runs its old image"));
	assert_null(strstr(said, "port 1: write 10%")); /* stopped at the first line */
	/* the old image runs; the inactive one, half written, is invalid: info says what to do */
	expect_running(1, "A 3.2 inactive-invalid");
}

static void test_mistakes(void **state)
{
	(void)state;
	make_image("fw.bin", "1.2", "4K");
	assert_int_equal(lbctl("fw 1 upgrade %s/nothing.bin", run.dir), 4);
	assert_int_equal(lbctl("fw 1 upgrade %s", run.dir), 4); /* a directory */
	assert_int_equal(lbctl("fw 1 upgrade %s/fw.bin --commit", run.dir), 2);
	assert_int_equal(lbctl("fw 1 upgrade %s/fw.bin --method xpl", run.dir), 2);
	assert_int_equal(lbctl("fw 1 upgrade %s/fw.bin --ports all", run.dir), 2);
	assert_int_equal(lbctl("fw upgrade %s/fw.bin", run.dir), 2); /* no --ports */
	assert_int_equal(lbctl("fw 1 frobnicate"), 2);
	assert_int_equal(lbctl("fw 1 info --run"), 2);
	assert_int_equal(lbctl("fw 1 info extra"), 2);
	assert_int_equal(lbctl("fw 99 info"), 3);
	assert_int_equal(lbctl("fw image %s/x.bin", run.dir), 2);
	assert_int_equal(lbctl("fw image %s/x.bin --version 1", run.dir), 2);
	assert_int_equal(lbctl("fw image %s/x.bin --version 1.2.3.4", run.dir), 2);
	assert_int_equal(lbctl("fw image %s/x.bin --version 256.0", run.dir), 2);
	assert_int_equal(lbctl("fw image %s/x.bin --version 1.0 --size 17M", run.dir), 2);
	assert_int_equal(lbctl("fw image %s/no/such/dir/x.bin --version 1.0", run.dir), 4);
	assert_int_equal(lbctl("fw upgrade %s/fw.bin --ports 1,99", run.dir), 3);
	assert_int_equal(lbctl("fw 3 upgrade %s/fw.bin --method epl", run.dir), 6); /* FR4: LPL only */
	assert_non_null(strstr(run.err, "does not write blocks by EPL"));
	expect_running(3, "A 2.7 ok");
	/* a file shorter than the module's vendor header, a FIFO (never waited on), a symbolic link
	 * where fw image would write (lbctl may run as root: never followed) */
	char path[192], target[192];
	snprintf(path, sizeof(path), "%s/short.bin", run.dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs("LBFW1234", f);
	fclose(f);
	assert_int_equal(lbctl("fw 1 upgrade %s", path), 4);
	assert_non_null(strstr(run.err, "header"));
	snprintf(path, sizeof(path), "%s/fifo", run.dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(lbctl("fw 1 upgrade %s", path), 4);
	assert_non_null(strstr(run.err, "not a regular file"));
	snprintf(target, sizeof(target), "%s/target", run.dir);
	f = fopen(target, "w");
	assert_non_null(f);
	fputs("keep", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/link.bin", run.dir);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(lbctl("fw image %s --version 1.0", path), 4);
	f = fopen(target, "r");
	assert_non_null(f);
	char kept[8] = "";
	assert_non_null(fgets(kept, sizeof(kept), f));
	fclose(f);
	assert_string_equal(kept, "keep");
	/* nothing above touched a module */
	expect_running(1, "A 3.2 ok");
	assert_int_equal(lbctl("fw --help"), 0);
	assert_non_null(strstr(run.out, "usage: lbctl fw PORT info"));
	lbctl_run_fits_80(run.out);
}

/*
 * A platform with an empty cage and a module without CDB: --ports all skips the empty cage,
 * the module without firmware management is refused (exit 6) and the others are upgraded.
 */
static void test_empty_cage_and_no_cdb(void **state)
{
	(void)state;
	struct lb_test_image img;
	lb_test_synth_cmis(&img); /* a CMIS module that does not advertise CDB */
	char synth[160], platform[160];
	snprintf(synth, sizeof(synth), "%s/synth.txt", run.dir);
	assert_int_equal(lb_test_image_save(synth, &img), 0);
	snprintf(platform, sizeof(platform), "%s/p.json", run.dir);
	FILE *f = fopen(platform, "w");
	assert_non_null(f);
	fprintf(f, "{\"name\": \"p\", \"buses\": ["
		   "{\"name\": \"b0\", \"driver\": \"emulator\", \"options\": {\"modules\": "
		   "[{\"profile\": \"coherent-800g-qsfpdd\"}]}}, "
		   "{\"name\": \"b1\", \"driver\": \"emulator\", \"options\": {\"modules\": []}}, "
		   "{\"name\": \"b2\", \"driver\": \"emulator\", \"options\": {\"modules\": "
		   "[{\"image\": \"%s\"}]}}], \"ports\": ["
		   "{\"port\": 1, \"name\": \"Ethernet0\", \"bus\": \"b0\", \"cage\": \"QSFP-DD\"}, "
		   "{\"port\": 2, \"name\": \"Ethernet8\", \"bus\": \"b1\", \"cage\": \"QSFP-DD\"}, "
		   "{\"port\": 3, \"name\": \"Ethernet16\", \"bus\": \"b2\", \"cage\": \"QSFP-DD\"}]}\n",
		synth);
	fclose(f);
	make_image("fw.bin", "6.1", "8K");
	assert_int_equal(lbctl("--platform %s fw 2 info", platform), 3);
	assert_int_equal(lbctl("--platform %s fw 3 info", platform), 6);
	assert_int_equal(lbctl("--platform %s fw 3 upgrade %s/fw.bin", platform, run.dir), 6);
	assert_int_equal(lbctl("--platform %s fw upgrade %s/fw.bin --ports all --run --commit", platform,
			       run.dir), 6);
	assert_non_null(strstr(run.err, "port 2: no module, skipped"));
	assert_non_null(strstr(run.err, "fw upgrade: port 3 (Ethernet16)"));
	assert_non_null(strstr(run.out, "port 1 (Ethernet0): image B written"));
	/* named, the empty cage is a failure of its own */
	assert_int_equal(lbctl("--platform %s fw upgrade %s/fw.bin --ports 1,2", platform, run.dir), 3);
	assert_int_equal(lbctl("--platform %s --json fw 1 info", platform), 0);
	assert_non_null(strstr(run.out, "\"B\":{\"valid\":true,\"running\":true,\"committed\":true,"
					"\"version\":\"6.1\""));
}

/* lbctl ARGS... with its stderr on a terminal (stdout to a file): what the terminal got. */
static int on_terminal(char *got, size_t len, char *const argv[])
{
	int master, slave;
	assert_int_equal(openpty(&master, &slave, NULL, NULL, NULL), 0);
	char out[160];
	snprintf(out, sizeof(out), "%s/tty.out", run.dir);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int in = open("/dev/null", O_RDONLY);
		if (o < 0 || in < 0 || dup2(o, 1) < 0 || dup2(slave, 2) < 0 || dup2(in, 0) < 0)
			_exit(99);
		close(master);
		execv(getenv("LBCTL"), argv);
		_exit(98);
	}
	close(slave);
	size_t n = 0;
	for (;;) { /* until the child closes the terminal (EIO) */
		ssize_t r = read(master, got + n, len - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
		if (n == len - 1)
			n = 0; /* keep the last part */
	}
	got[n] = 0;
	close(master);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* Every line the terminal shows (what follows the last \r of each line) fits 79 columns. */
static void drawn_fit(const char *got)
{
	const char *l = got;
	while (*l) {
		size_t n = strcspn(l, "\n");
		const char *seg = l;
		for (const char *c = l; c < l + n; c++)
			if (*c == '\r')
				seg = c + 1;
		size_t cols = 0;
		for (const char *c = seg; c < l + n; c++) {
			if (*c == '\033') { /* an escape: ESC [ digits letter */
				c++;
				while (c < l + n && !((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z')))
					c++;
				continue;
			}
			cols++;
		}
		if (cols > 79)
			fail_msg("a line of %zu columns on the terminal: %.*s", cols, (int)(l + n - seg), seg);
		l += n + (l[n] ? 1 : 0);
	}
}

/* On a terminal: a bar redrawn in place for one port, a table for several, both in 80 columns. */
static void test_terminal_views(void **state)
{
	(void)state;
	make_image("fw.bin", "3.3", "256K");
	static char got[1 << 16];
	char image[160];
	snprintf(image, sizeof(image), "%s/fw.bin", run.dir);
	char *one[] = { "lbctl", "fw", "1", "upgrade", image, NULL };
	assert_int_equal(on_terminal(got, sizeof(got), one), 0);
	assert_non_null(strstr(got, "\r\033[Kport 1 write ["));
	assert_non_null(strstr(got, "KiB/s"));
	assert_non_null(strstr(got, "left (bus)"));
	assert_null(strstr(got, "port 1: write")); /* no plain lines */
	drawn_fit(got);
	char *many[] = { "lbctl", "fw", "upgrade", image, "--ports", "all", NULL };
	assert_int_equal(on_terminal(got, sizeof(got), many), 0);
	assert_non_null(strstr(got, "PORT  NAME"));
	assert_non_null(strstr(got, "\033[7A")); /* the table (a header and 6 rows) redrawn in place */
	assert_non_null(strstr(got, "Ethernet40"));
	drawn_fit(got);
}

/*
 * --verify: the image read back and compared before Run and Commit (port 4's module reads
 * back; port 1's does not: refused before anything is written). run --mode: CMIS Run modes.
 */
static void test_verify_then_run_modes(void **state)
{
	(void)state;
	make_image("v.bin", "6.1", "8K");
	expect_running(4, "A 1.9 ok");
	assert_int_equal(lbctl("fw 4 upgrade %s/v.bin --verify --run --commit", run.dir), 0);
	assert_non_null(strstr(run.out, "read back alike, run, committed; runs image B: 6.1"));
	/* read-back before run: the progress says so, in that order */
	const char *v = strstr(run.err, "port 4: verify\n"), *r = strstr(run.err, "port 4: run\n");
	assert_non_null(v);
	assert_non_null(r);
	assert_true(v < r);
	expect_running(4, "B 6.1 ok");
	/* JSON: verified */
	make_image("w.bin", "6.2", "4K");
	assert_int_equal(lbctl("--json fw 4 upgrade %s/w.bin --verify", run.dir), 0);
	const char *res = strstr(run.out, "\"event\":\"result\"");
	assert_non_null(res);
	assert_non_null(strstr(res, "\"verified\":true"));
	assert_non_null(strstr(res, "\"ran\":false"));
	expect_running(4, "B 6.1 ok"); /* not run */
	/* a module without read-back: exit 6, nothing written (image B still invalid/empty) */
	json_t *before = info(1);
	assert_int_equal(lbctl("fw 1 upgrade %s/v.bin --verify", run.dir), 6);
	assert_non_null(strstr(run.err, "does not advertise firmware read-back"));
	assert_non_null(strstr(run.err, "nothing written"));
	json_t *after = info(1);
	assert_true(json_equal(before, after));
	json_decref(before);
	json_decref(after);
	/* run --mode: restart the running image; modes refused where they cannot be */
	assert_int_equal(lbctl("fw 4 run --mode reset-running"), 0);
	assert_non_null(strstr(run.out, "port 4: restarted image B: 6.1"));
	assert_int_equal(lbctl("--json fw 4 run --mode reset-running"), 0);
	assert_non_null(strstr(run.out, "\"mode\":\"reset-running\"")); /* compact off a terminal */
	assert_int_equal(lbctl("fw 4 upgrade %s/w.bin --mode hitless", run.dir), 2);
	assert_non_null(strstr(run.err, "--mode goes with --run"));
	assert_int_equal(lbctl("fw 4 upgrade %s/w.bin --run --mode hitless-running", run.dir), 2);
	assert_non_null(strstr(run.err, "restarts the running image"));
	assert_int_equal(lbctl("fw 4 run --mode sideways"), 2);
	assert_non_null(strstr(run.err, "--mode is reset, hitless"));
	assert_int_equal(lbctl("fw 4 commit --mode reset"), 2);
	expect_running(4, "B 6.1 ok");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_info_fresh, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_run_commit_persists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_then_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ports_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_then_run_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_image, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ctrl_c_aborts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mistakes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_cage_and_no_cdb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_terminal_views, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
