/* SPDX-License-Identifier: MIT */
/*
 * lbctl fw upgrade: one port or many at once, one thread per bus stepping the upgrades of its
 * ports (lb_fw_upgrade_step) so that their waits overlap, as lb_platform_bring_up does. Progress
 * on stderr: a bar (one port) or a live table (several) on a terminal, a line per phase and per
 * tenth written otherwise; JSON lines on stdout with --json. Rates and times are on the bus
 * clock (virtual on the emulator). Ctrl-C sets the upgrades' cancel flag: each aborts its
 * download and its module keeps running its old image; a second Ctrl-C kills lbctl.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "lbctl.h"

#define MAX_FILE (256u << 20) /* larger than any module's image */
#define REDRAW_NS 100000000ull /* a terminal is redrawn at most every 100 ms (real time) */

struct job {
	unsigned port;
	const char *name;
	struct lb_module *m;
	struct lb_bus *bus;
	struct lb_fw_upgrade *up;
	int status;               /* LB_E_AGAIN while it runs */
	bool verified;            /* read back and alike (--verify) */
	bool skipped;             /* --ports all: an empty cage */
	struct lb_fw_progress prog;
	uint64_t now_ns;          /* the bus clock at its last step */
	int shown_phase, shown_tenth;
	char detail[256];         /* the library's detail of a failure (the worker's thread) */
};

enum view_mode { V_BAR, V_TABLE, V_LINES, V_JSON };

struct view {
	struct lbctl *app;
	enum view_mode mode;
	pthread_mutex_t lock;
	struct job *jobs;
	unsigned n;
	uint64_t drawn_at;        /* real time of the last redraw */
	unsigned drawn_lines;     /* lines of the table on the terminal */
};

struct bus_worker {
	struct view *v;
	const struct lbctl_fw_request *rq;
	struct lb_bus *bus;
	pthread_t thread;
	bool threaded;
};

static int cancel_flag;

static void on_sigint(int sig)
{
	(void)sig;
	__atomic_store_n(&cancel_flag, 1, __ATOMIC_RELEASE);
}

static uint64_t real_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- what a job's progress says ---- */

static double elapsed_s(const struct job *j)
{
	return j->now_ns > j->prog.started_ns ? (double)(j->now_ns - j->prog.started_ns) / 1e9 : 0.0;
}

/* Bytes per second written so far on the bus clock, 0 before anything was. */
static double rate_of(const struct job *j)
{
	double s = elapsed_s(j);
	return s > 0 && j->prog.bytes_done ? (double)j->prog.bytes_done / s : 0.0;
}

/* Seconds left of the writing at the rate so far, -1 when unknown or not writing. */
static double left_of(const struct job *j)
{
	double r = rate_of(j);
	if (j->prog.phase != LB_FW_PHASE_WRITE || r <= 0)
		return -1;
	return (double)(j->prog.bytes_total - j->prog.bytes_done) / r;
}

static int percent_of(const struct job *j)
{
	if (j->prog.phase >= LB_FW_PHASE_COMPLETE && j->prog.phase != LB_FW_PHASE_ABORT)
		return 100;
	return j->prog.bytes_total ? (int)(j->prog.bytes_done * 100u / j->prog.bytes_total) : 0;
}

static void fmt_size(double bytes, char *buf, size_t len)
{
	if (bytes >= 1024.0 * 1024.0)
		snprintf(buf, len, "%.1f MiB", bytes / (1024.0 * 1024.0));
	else
		snprintf(buf, len, "%.1f KiB", bytes / 1024.0);
}

static void fmt_done(const struct job *j, char *buf, size_t len)
{
	double total = (double)j->prog.bytes_total, done = (double)j->prog.bytes_done;
	const char *unit = total >= 1024.0 * 1024.0 ? "MiB" : "KiB";
	double div = total >= 1024.0 * 1024.0 ? 1024.0 * 1024.0 : 1024.0;
	snprintf(buf, len, "%.1f/%.1f %s", done / div, total / div, unit);
}

static void fmt_rate(const struct job *j, char *buf, size_t len)
{
	double r = rate_of(j);
	if (r <= 0) {
		snprintf(buf, len, "-");
		return;
	}
	fmt_size(r, buf, len);
	snprintf(buf + strlen(buf), len - strlen(buf), "/s");
}

static void fmt_left(const struct job *j, char *buf, size_t len)
{
	double l = left_of(j);
	if (l < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f s", l);
}

/* ---- showing it ---- */

static void json_progress(struct view *v, const struct job *j)
{
	double r = rate_of(j), l = left_of(j);
	json_t *o = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:I, s:I, s:i, s:f}", "event", "progress",
			      "port", (int)j->port, "name", j->name, "phase",
			      lb_fw_phase_name(j->prog.phase), "target",
			      lbctl_fw_slot_name(j->prog.target), "method",
			      j->prog.method == LB_FW_METHOD_EPL ? "epl" : "lpl", "bytes_done",
			      (json_int_t)j->prog.bytes_done, "bytes_total",
			      (json_int_t)j->prog.bytes_total, "percent", percent_of(j), "elapsed_ms",
			      elapsed_s(j) * 1e3);
	if (o) {
		json_object_set_new(o, "rate_bytes_per_s", r > 0 ? json_real(r) : json_null());
		json_object_set_new(o, "left_ms", l >= 0 ? json_real(l * 1e3) : json_null());
	}
	lbctl_json_emit(v->app, o);
	fflush(v->app->out);
}

static void line_progress(struct view *v, const struct job *j)
{
	FILE *e = v->app->err;
	if (j->prog.phase == LB_FW_PHASE_WRITE && !j->prog.bytes_done) {
		fprintf(e, "port %u: write %llu bytes into image %s, %u blocks by %s\n", j->port,
			(unsigned long long)j->prog.bytes_total, lbctl_fw_slot_name(j->prog.target),
			j->prog.blocks_total, j->prog.method == LB_FW_METHOD_EPL ? "EPL" : "LPL");
		return;
	}
	if (j->prog.phase != LB_FW_PHASE_WRITE) {
		fprintf(e, "port %u: %s\n", j->port, lb_fw_phase_name(j->prog.phase));
		return;
	}
	char rate[32], left[32];
	fmt_rate(j, rate, sizeof(rate));
	fmt_left(j, left, sizeof(left));
	fprintf(e, "port %u: write %d%% (%llu of %llu bytes, %s, %s left on the bus clock)\n",
		j->port, percent_of(j), (unsigned long long)j->prog.bytes_done,
		(unsigned long long)j->prog.bytes_total, rate, left);
}

static unsigned width_of(const struct view *v)
{
	return v->app->columns ? v->app->columns : 80;
}

static void draw_bar(struct view *v, const struct job *j)
{
	char bar[13], done[40], rate[32], left[32], line[256];
	int pct = percent_of(j);
	for (int i = 0; i < 12; i++)
		bar[i] = i < pct * 12 / 100 ? '#' : '.';
	bar[12] = '\0';
	fmt_done(j, done, sizeof(done));
	fmt_rate(j, rate, sizeof(rate));
	fmt_left(j, left, sizeof(left));
	/* "port 1 write [######......]  50%  8.0/16.0 MiB  33.3 KiB/s  245.8 s left (bus)" */
	snprintf(line, sizeof(line), "port %u %s [%s] %3d%%  %s  %s  %s left (bus)", j->port,
		 lb_fw_phase_name(j->prog.phase), bar, pct, done, rate, left);
	fprintf(v->app->err, "\r\033[K%.*s", (int)width_of(v) - 1, line);
	fflush(v->app->err);
	v->drawn_lines = 1;
}

static void draw_table(struct view *v)
{
	FILE *e = v->app->err;
	int w = (int)width_of(v) - 1;
	if (v->drawn_lines)
		fprintf(e, "\033[%uA", v->drawn_lines);
	fprintf(e, "\r\033[K%.*s\n", w, "PORT  NAME         PHASE     DONE  BYTES               RATE          LEFT (bus)");
	for (unsigned i = 0; i < v->n; i++) {
		const struct job *j = &v->jobs[i];
		char done[40], rate[32], left[32], name[16];
		fmt_done(j, done, sizeof(done));
		fmt_rate(j, rate, sizeof(rate));
		fmt_left(j, left, sizeof(left));
		const char *phase = j->skipped			? "skipped"
				    : j->status == LB_E_CANCELED ? "canceled"
				    : j->status != LB_E_AGAIN && j->status ? "failed"
									  : lb_fw_phase_name(j->prog.phase);
		char row[256];
		snprintf(row, sizeof(row), "%-5u %-12s %-8s %4d%%  %-19s %-13s %s", j->port,
			 lbctl_fit(j->name, 12, name, sizeof(name)), phase, percent_of(j), done, rate, left);
		fprintf(e, "\r\033[K%.*s\n", w, row);
	}
	fflush(e);
	v->drawn_lines = v->n + 1;
}

/* After a step of j (or its end): show what changed. Any thread. */
static void update(struct view *v, struct job *j)
{
	pthread_mutex_lock(&v->lock);
	j->prog = (struct lb_fw_progress)LB_SIZED_INIT(struct lb_fw_progress);
	lb_fw_upgrade_get_progress(j->up, &j->prog);
	j->now_ns = lb_bus_now_ns(j->bus);
	int tenth = j->prog.bytes_total ? (int)(j->prog.bytes_done * 10u / j->prog.bytes_total) : 0;
	bool event = j->prog.phase != j->shown_phase ||
		     (j->prog.phase == LB_FW_PHASE_WRITE && tenth != j->shown_tenth);
	j->shown_phase = j->prog.phase;
	j->shown_tenth = tenth;
	uint64_t now = real_ns();
	switch (v->mode) {
	case V_JSON:
		if (event)
			json_progress(v, j);
		break;
	case V_LINES:
		if (event)
			line_progress(v, j);
		break;
	case V_BAR:
	case V_TABLE:
		if (event || now - v->drawn_at >= REDRAW_NS) {
			if (v->mode == V_BAR)
				draw_bar(v, j);
			else
				draw_table(v);
			v->drawn_at = now;
		}
		break;
	}
	pthread_mutex_unlock(&v->lock);
}

/* ---- the work ---- */

/*
 * --verify: the upgrade ran without Run and Commit; read the image back and compare it with
 * the file (lb_module_fw_verify), and only then Run (in the mode asked) and Commit.
 */
static void verify_then_run(struct view *v, struct job *j, const struct lbctl_fw_request *rq)
{
	const char *step = "verify";
	if (v->mode == V_LINES)
		fprintf(v->app->err, "port %u: verify\n", j->port);
	j->status = lb_module_fw_verify(j->m, rq->image, rq->image_len);
	j->verified = j->status == LB_OK;
	if (!j->status && rq->run) {
		step = "run";
		if (v->mode == V_LINES)
			fprintf(v->app->err, "port %u: run\n", j->port);
		j->status = lb_module_fw_run_mode(j->m, rq->run_mode, 0);
	}
	if (!j->status && rq->commit) {
		step = "commit";
		j->status = lb_module_fw_commit(j->m);
	}
	if (j->status)
		snprintf(j->detail, sizeof(j->detail), "%s: %s", step, lb_ctx_last_error(v->app->ctx));
}

static void *run_bus(void *arg)
{
	struct bus_worker *w = arg;
	struct view *v = w->v;
	for (;;) {
		uint64_t next = UINT64_MAX;
		unsigned running = 0;
		for (unsigned i = 0; i < v->n; i++) {
			struct job *j = &v->jobs[i];
			if (j->bus != w->bus || j->status != LB_E_AGAIN)
				continue;
			uint64_t wake = 0;
			j->status = lb_fw_upgrade_step(j->up, &wake);
			if (j->status && j->status != LB_E_AGAIN) {
				snprintf(j->detail, sizeof(j->detail), "%s",
					 lb_ctx_last_error(v->app->ctx));
			}
			update(v, j);
			if (j->status == LB_E_AGAIN) {
				running++;
				if (wake < next)
					next = wake;
			}
		}
		if (!running)
			break;
		uint64_t now = lb_bus_now_ns(w->bus);
		if (next > now)
			lb_bus_sleep_ns(w->bus, next - now);
	}
	if (w->rq->verify)
		for (unsigned i = 0; i < v->n; i++)
			if (v->jobs[i].bus == w->bus && v->jobs[i].status == LB_OK)
				verify_then_run(v, &v->jobs[i], w->rq);
	return NULL;
}

/* The whole file, a regular one (a FIFO must not block); an exit code. */
static int read_image(struct lbctl *app, const char *path, uint8_t **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	const char *why = NULL;
	if (fd < 0 || fstat(fd, &st) != 0)
		why = strerror(errno);
	else if (!S_ISREG(st.st_mode))
		why = "not a regular file";
	else if (st.st_size == 0)
		why = "empty";
	else if ((uint64_t)st.st_size > MAX_FILE)
		why = "larger than 256 MiB: not a module image";
	uint8_t *buf = why ? NULL : malloc((size_t)st.st_size);
	if (!why && !buf)
		why = strerror(ENOMEM);
	size_t got = 0;
	while (!why && got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			why = r < 0 ? strerror(errno) : "shorter than it was";
			break;
		}
		got += (size_t)r;
	}
	if (fd >= 0)
		close(fd);
	if (why) {
		free(buf);
		fprintf(app->err, "lbctl: fw upgrade: %s: %s\n", path, why);
		return LBCTL_EXIT_INPUT;
	}
	*out = buf;
	*len = got;
	return LBCTL_EXIT_OK;
}

/* One port's result: a line (or JSON object); the exit code for it. */
static int report(struct lbctl *app, bool json, const struct job *j, const struct lbctl_fw_request *rq)
{
	if (j->skipped)
		return LBCTL_EXIT_OK;
	struct lb_fw_info fi = LB_SIZED_INIT(struct lb_fw_info);
	bool have_info = j->m && j->status != LB_E_NODEV && j->status != LB_E_NOTFOUND &&
			 lb_module_fw_info(j->m, &fi) == LB_OK;
	int running = fi.image[0].running ? 0 : fi.image[1].running ? 1 : 2;
	int ex = LBCTL_EXIT_OK;
	if (j->status) {
		snprintf(app->detail, sizeof(app->detail), "%s", j->detail);
		ex = lbctl_fail(app, j->status, "fw upgrade: port %u (%s)", j->port, j->name);
		if (j->status == LB_E_CANCELED)
			ex = LBCTL_EXIT_INTERRUPTED;
		else if (j->status == LB_E_INVAL)
			ex = LBCTL_EXIT_INPUT; /* the file does not fit the module (shorter than its header) */
	}
	if (json) {
		json_t *o = json_pack("{s:s, s:i, s:s, s:b, s:s, s:s, s:s, s:I, s:f, s:f, s:b, s:b}",
				      "event", "result", "port", (int)j->port, "name", j->name, "ok",
				      j->status == LB_OK, "error", j->status ? lb_strerror(j->status) : "",
				      "target", lbctl_fw_slot_name(j->prog.target), "method",
				      j->prog.method == LB_FW_METHOD_EPL ? "epl" : "lpl", "bytes",
				      (json_int_t)j->prog.bytes_done, "elapsed_ms", elapsed_s(j) * 1e3,
				      "module_ms", (double)j->prog.module_ns / 1e6, "ran",
				      j->status == LB_OK && rq->run, "committed",
				      j->status == LB_OK && rq->commit);
		if (o) {
			json_object_set_new(o, "verified", json_boolean(j->verified));
			json_object_set_new(o, "detail", json_string(j->status ? j->detail : ""));
			json_object_set_new(o, "running", have_info ? json_string(lbctl_fw_slot_name(running))
								  : json_null());
			json_object_set_new(o, "image", have_info ? lbctl_fw_image_json(&fi.image[running])
								: json_null());
		}
		lbctl_json_emit(app, o);
		return ex;
	}
	char img[96] = "", line[512], rate[32];
	if (have_info)
		lbctl_fw_version_text(&fi.image[running], img, sizeof(img));
	if (j->status) {
		if (have_info)
			fprintf(app->err, "lbctl: fw upgrade: port %u: image %s runs: %s\n", j->port,
				lbctl_fw_slot_name(running), img);
		return ex;
	}
	fmt_rate(j, rate, sizeof(rate));
	char state[96] = "";
	if (have_info && fi.state == LB_FW_STATE_NOT_COMMITTED)
		snprintf(state, sizeof(state), " (not committed: lbctl fw %u commit keeps it)", j->port);
	else if (have_info && fi.state != LB_FW_STATE_OK)
		snprintf(state, sizeof(state), " (state %s: see lbctl fw %u info)",
			 lbctl_fw_state_name(fi.state), j->port);
	snprintf(line, sizeof(line),
		 "port %u (%s): image %s written by %s, %llu bytes in %.3f s of bus time (%s)%s%s%s; "
		 "runs image %s: %s%s",
		 j->port, j->name, lbctl_fw_slot_name(j->prog.target),
		 j->prog.method == LB_FW_METHOD_EPL ? "EPL" : "LPL",
		 (unsigned long long)j->prog.bytes_done, elapsed_s(j), rate,
		 j->verified ? ", read back alike" : "", rq->run ? ", run" : "",
		 rq->commit ? ", committed" : "", lbctl_fw_slot_name(running), img, state);
	lbctl_wrap(app, 0, 2, line);
	return ex;
}

/* --verify: refused before anything is written where the module cannot read its image back. */
static int readback_offered(struct job *j)
{
	struct lb_fw_features f = LB_SIZED_INIT(struct lb_fw_features);
	int rc = lb_module_fw_features(j->m, &f);
	if (!rc && !f.readback_supported) {
		snprintf(j->detail, sizeof(j->detail), "--verify: the module does not advertise "
						       "firmware read-back (0105h/0106h); nothing written");
		rc = LB_E_NOTSUP;
	}
	return rc;
}

/* The modules of the ports and their upgrades started; jobs that cannot start get a status. */
static void start_jobs(struct lbctl *app, const struct lbctl_fw_request *rq, const uint8_t *img,
		       size_t len, const struct lb_op *op, struct job *jobs, unsigned n)
{
	struct lb_fw_upgrade_config cfg = LB_SIZED_INIT(struct lb_fw_upgrade_config);
	cfg.image = img;
	cfg.len = len;
	cfg.method = rq->method;
	/* with --verify, Run and Commit come after the image read back alike */
	cfg.run = rq->run && !rq->verify;
	cfg.commit = rq->commit && !rq->verify;
	cfg.run_mode = (uint8_t)rq->run_mode;
	bool all = rq->several && strcmp(rq->ports_arg, "all") == 0;
	for (unsigned i = 0; i < n; i++) {
		struct job *j = &jobs[i];
		struct lb_port_info pi = LB_PORT_INFO_INIT;
		j->shown_phase = -1;
		j->name = lb_platform_port(app->platform, j->port, &pi) == LB_OK && pi.name ? pi.name : "";
		lb_ctx_clear_error(app->ctx);
		j->status = lb_platform_module(app->platform, j->port, &j->m);
		if (j->status == LB_E_NODEV && all) {
			j->skipped = true;
			fprintf(app->err, "port %u: no module, skipped\n", j->port);
			continue;
		}
		if (!j->status && rq->verify && (j->status = readback_offered(j)))
			continue;
		if (!j->status)
			j->status = lb_fw_upgrade_start(j->m, &cfg, op, &j->up);
		if (j->status) {
			snprintf(j->detail, sizeof(j->detail), "%s", lb_ctx_last_error(app->ctx));
			continue;
		}
		j->bus = lb_module_bus(j->m);
		j->status = LB_E_AGAIN;
	}
}

int lbctl_fw_upgrade(struct lbctl *app, bool json, const struct lbctl_fw_request *rq)
{
	/* The file first: a bad one is said before the platform (and its state's lock) is taken. */
	uint8_t *img = NULL;
	size_t len = 0;
	int ex = read_image(app, rq->file, &img, &len);
	if (ex)
		return ex;
	unsigned *ports, n;
	if ((ex = lbctl_parse_ports(app, "fw upgrade", rq->ports_arg, &ports, &n))) {
		free(img);
		return ex;
	}
	struct job *jobs = calloc(n ? n : 1, sizeof(*jobs));
	struct bus_worker *workers = calloc(n ? n : 1, sizeof(*workers));
	if (!jobs || !workers) {
		ex = lbctl_fail(app, LB_E_NOMEM, "fw upgrade");
		goto out;
	}
	for (unsigned i = 0; i < n; i++)
		jobs[i].port = ports[i];
	bool tty = isatty(fileno(app->err)) == 1;
	struct view v = { .app = app, .jobs = jobs, .n = n,
			  .mode = json ? V_JSON : !tty ? V_LINES : rq->several ? V_TABLE : V_BAR };
	pthread_mutex_init(&v.lock, NULL);
	if (json)
		app->json_compact = true; /* JSON lines: progress, then each port's result */

	/* Ctrl-C from here on cancels (the first one; SA_RESETHAND: a second one kills). */
	__atomic_store_n(&cancel_flag, 0, __ATOMIC_RELEASE);
	struct sigaction sa, old;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sa.sa_flags = (int)SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	struct lb_op op = LB_OP_INIT;
	op.cancel = &cancel_flag;
	struct lbctl_fw_request rqv = *rq;
	rqv.image = img;
	rqv.image_len = len;
	start_jobs(app, &rqv, img, len, &op, jobs, n);

	/* One worker per bus; this thread takes the first. */
	unsigned nb = 0;
	for (unsigned i = 0; i < n; i++) {
		if (jobs[i].status != LB_E_AGAIN)
			continue;
		unsigned b;
		for (b = 0; b < nb && workers[b].bus != jobs[i].bus; b++)
			;
		if (b == nb)
			workers[nb++] = (struct bus_worker){ .v = &v, .rq = &rqv, .bus = jobs[i].bus };
	}
	for (unsigned b = 1; b < nb; b++)
		workers[b].threaded = pthread_create(&workers[b].thread, NULL, run_bus, &workers[b]) == 0;
	if (nb)
		run_bus(&workers[0]);
	for (unsigned b = 1; b < nb; b++) {
		if (workers[b].threaded)
			pthread_join(workers[b].thread, NULL);
		else
			run_bus(&workers[b]);
	}
	sigaction(SIGINT, &old, NULL);
	if (v.mode == V_BAR && v.drawn_lines) {
		fprintf(app->err, "\r\033[K");
		fflush(app->err);
	}
	pthread_mutex_destroy(&v.lock);

	for (unsigned i = 0; i < n; i++) {
		lb_fw_upgrade_free(jobs[i].up); /* each one done: its claim released */
		jobs[i].up = NULL;
	}
	ex = LBCTL_EXIT_OK;
	for (unsigned i = 0; i < n; i++) {
		int e = report(app, json, &jobs[i], rq);
		/* an interruption says so whatever else failed; otherwise the first failure */
		if (e == LBCTL_EXIT_INTERRUPTED || (e && !ex))
			ex = e;
	}
out:
	free(img);
	free(jobs);
	free(workers);
	free(ports);
	return ex;
}
