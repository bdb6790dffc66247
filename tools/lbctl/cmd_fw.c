/* SPDX-License-Identifier: MIT */
/*
 * lbctl fw: module firmware over CDB (docs/firmware.md). `fw PORT info|run|commit|abort`,
 * `fw PORT upgrade FILE`, `fw upgrade FILE --ports LIST|all` (fw_upgrade.c does the upgrades)
 * and `fw image FILE --version V` (an image the emulated modules take).
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lbctl.h"

static int usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl fw PORT info [--json]\n"
		"       lbctl fw PORT upgrade FILE [--verify] [--run [--mode M]] [--commit]\n"
		"                [--method auto|lpl|epl]\n"
		"       lbctl fw PORT run [--mode M] [--json]\n"
		"       lbctl fw PORT commit|abort|copy [--json]\n"
		"       lbctl fw upgrade FILE --ports LIST|all [--verify] [--run [--mode M]]\n"
		"                [--commit] [--method M]\n"
		"       lbctl fw image FILE --version MAJ.MIN[.BUILD] [--size BYTES]\n"
		"\n"
		"Module firmware over CDB (docs/firmware.md). info: images A, B and factory\n"
		"(valid, running, committed, version, build, extra string), what the module\n"
		"offers, and the state an earlier upgrade left, with what to do about it.\n"
		"upgrade: writes FILE into the inactive image (EPL where the module writes EPL,\n"
		"else LPL; --method chooses), has the module check it, then with --run resets the\n"
		"module into it and with --commit (needs --run) makes it the boot image. The\n"
		"running image is never written: on any failure, or Ctrl-C during the download,\n"
		"the download is aborted and the module keeps running its old image. Progress on\n"
		"stderr: a bar on a terminal (time on the bus clock, virtual on the emulator),\n"
		"lines otherwise; with --json, JSON lines on stdout.\n"
		"--verify reads the image back and compares it with FILE before it runs (where\n"
		"the module reads back; exit 6 otherwise): one that differs never runs.\n"
		"run: start an image (after an upgrade without --run). --mode (CMIS Run modes):\n"
		"reset (default: reset into the inactive image), hitless (switch to it, hitless\n"
		"where the module can), preserve (switch, configuration kept; CMIS 5.4), and\n"
		"reset-running, hitless-running, preserve-running (restart the running image;\n"
		"not with upgrade --run). commit:\n"
		"keep the running image as the boot image; abort: end a download in progress;\n"
		"copy: copy the running, committed image over the other one (where the module\n"
		"offers it; exit 6 otherwise).\n"
		"fw upgrade --ports: many ports at once, one thread per bus, a live table on a\n"
		"terminal; a port that fails does not stop the others.\n"
		"fw image (emulator only): writes an image the emulated modules take, of version\n"
		"MAJ.MIN, build BUILD (default 1), with a body of BYTES (default 131072; K and M\n"
		"suffixes for KiB and MiB, at most 16M).\n"
		"Exit codes: 0 done (on every port); 1 failed (on a port, for several); 4 FILE\n"
		"unreadable or not an image; 6 the module has no firmware management; 130\n"
		"interrupted (Ctrl-C): the download was aborted, the old image still runs.\n");
	return LBCTL_EXIT_OK;
}

enum { OPT_RUN, OPT_COMMIT, OPT_METHOD, OPT_PORTS, OPT_VERSION, OPT_SIZE, OPT_VERIFY, OPT_MODE };
static const struct lbctl_opt opts[] = {
	[OPT_RUN] = { "run", NULL, 0 },		   [OPT_COMMIT] = { "commit", NULL, 0 },
	[OPT_METHOD] = { "method", "M", 0 },	   [OPT_PORTS] = { "ports", "LIST", 0 },
	[OPT_VERSION] = { "version", "V", 0 },	   [OPT_SIZE] = { "size", "BYTES", 0 },
	[OPT_VERIFY] = { "verify", NULL, 0 },	   [OPT_MODE] = { "mode", "M", 0 },
	{ NULL, NULL, 0 },
};

/* --mode's names, by enum lb_fw_run_mode. */
static const char *const run_modes[] = { "reset", "hitless", "reset-running", "hitless-running",
					 "preserve", "preserve-running" };

static bool parse_run_mode(const char *s, enum lb_fw_run_mode *out)
{
	*out = LB_FW_RUN_RESET_INACTIVE;
	for (unsigned i = 0; s && i < sizeof(run_modes) / sizeof(run_modes[0]); i++)
		if (strcmp(s, run_modes[i]) == 0) {
			*out = (enum lb_fw_run_mode)i;
			return true;
		}
	return !s;
}

/* The options given that what does not take (mask of 1 << OPT_x it takes); a usage error. */
static int only(struct lbctl *app, const struct lbctl_cmdline *cl, const char *what, unsigned takes)
{
	for (unsigned i = 0; opts[i].name; i++)
		if (cl->given[i] && !((takes >> i) & 1u))
			return lbctl_usage_error(app, "fw: %s takes no --%s", what, opts[i].name);
	return LBCTL_EXIT_OK;
}

const char *lbctl_fw_slot_name(int slot)
{
	static const char *const names[] = { "A", "B", "factory" };
	return slot >= 0 && slot < 3 ? names[slot] : "?";
}

const char *lbctl_fw_state_name(int state)
{
	switch (state) {
	case LB_FW_STATE_OK: return "ok";
	case LB_FW_STATE_INACTIVE_INVALID: return "inactive-invalid";
	case LB_FW_STATE_NOT_COMMITTED: return "not-committed";
	case LB_FW_STATE_FACTORY: return "factory";
	default: return "unknown";
	}
}

json_t *lbctl_fw_image_json(const struct lb_fw_image *im)
{
	json_t *o = json_pack("{s:b, s:b, s:b}", "valid", im->valid, "running", im->running,
			      "committed", im->committed);
	if (!o)
		return NULL;
	if (im->version_known) {
		char v[16];
		snprintf(v, sizeof(v), "%u.%u", im->major, im->minor);
		json_object_set_new(o, "version", json_string(v));
		json_object_set_new(o, "build", json_integer(im->build));
		json_object_set_new(o, "extra", json_string(im->extra));
	} else {
		json_object_set_new(o, "version", json_null());
	}
	return o;
}

void lbctl_fw_version_text(const struct lb_fw_image *im, char *buf, size_t len)
{
	if (!im->version_known)
		snprintf(buf, len, "version not given");
	else
		snprintf(buf, len, "%u.%u build %u%s%s%s", im->major, im->minor, im->build,
			 im->extra[0] ? " \"" : "", im->extra, im->extra[0] ? "\"" : "");
}

void lbctl_fw_image_text(const struct lb_fw_image *im, char *buf, size_t len)
{
	if (!im->version_known) {
		snprintf(buf, len, "%s", im->valid ? "valid, version not given" : "invalid or empty");
		return;
	}
	char v[64];
	lbctl_fw_version_text(im, v, sizeof(v));
	snprintf(buf, len, "%s%s%s%s", v, im->valid ? "" : ", invalid", im->running ? ", running" : "",
		 im->committed ? ", committed" : "");
}

/* The port's module, and whether it offers firmware management (exit 6 otherwise). */
static int open_fw_port(struct lbctl *app, const char *arg, struct lb_port_info *info,
			struct lb_module **m, struct lb_fw_features *f)
{
	int ex = lbctl_open_port(app, "fw", arg, info, m);
	if (ex)
		return ex;
	*f = (struct lb_fw_features)LB_SIZED_INIT(struct lb_fw_features);
	int rc = lb_module_fw_features(*m, f);
	if (rc)
		return lbctl_fail(app, rc, "fw: port %u (%s): firmware management", info->port,
				  info->name);
	return LBCTL_EXIT_OK;
}

static int info_cmd(struct lbctl *app, bool json, const char *port_arg)
{
	struct lb_port_info pi = LB_PORT_INFO_INIT;
	struct lb_module *m;
	struct lb_fw_features f;
	int ex = open_fw_port(app, port_arg, &pi, &m, &f);
	if (ex)
		return ex;
	struct lb_fw_info fi = LB_SIZED_INIT(struct lb_fw_info);
	int rc = lb_module_fw_info(m, &fi);
	if (rc)
		return lbctl_fail(app, rc, "fw: port %u (%s): firmware info", pi.port, pi.name);
	if (json) {
		json_t *feat = json_pack("{s:b, s:b, s:b, s:b, s:b, s:i, s:i, s:i}", "abort", f.abort_supported,
					 "copy", f.copy_supported, "readback", f.readback_supported,
					 "write_lpl", f.write_lpl, "write_epl", f.write_epl,
					 "lpl_block_bytes", (int)f.lpl_block, "epl_block_bytes",
					 (int)f.epl_block, "header_bytes", (int)f.header_size);
		json_t *o = json_pack("{s:i, s:s, s:{s:o, s:o, s:o}, s:s, s:s, s:o}", "port", (int)pi.port,
				      "name", pi.name ? pi.name : "", "images", "A",
				      lbctl_fw_image_json(&fi.image[0]), "B", lbctl_fw_image_json(&fi.image[1]),
				      "factory", lbctl_fw_image_json(&fi.image[2]), "state",
				      lbctl_fw_state_name(fi.state), "advice", lb_fw_state_advice(fi.state),
				      "features", feat);
		return lbctl_json_emit(app, o);
	}
	char buf[96];
	fprintf(app->out, "port %u (%s): firmware\n", pi.port, pi.name ? pi.name : "");
	static const char *const keys[] = { "Image A", "Image B", "Factory image" };
	for (int i = 0; i < 3; i++) {
		lbctl_fw_image_text(&fi.image[i], buf, sizeof(buf));
		lbctl_kv(app, keys[i], "%s", buf);
	}
	lbctl_kv(app, "State", "%s: %s", lbctl_fw_state_name(fi.state), lb_fw_state_advice(fi.state));
	char how[96] = "";
	if (f.write_epl && f.epl_block)
		snprintf(how, sizeof(how), "EPL %u-byte blocks", f.epl_block);
	if (f.write_lpl)
		snprintf(how + strlen(how), sizeof(how) - strlen(how), "%sLPL %u-byte blocks",
			 how[0] ? ", " : "", f.lpl_block);
	lbctl_kv(app, "Writes", "%s", how[0] ? how : "no block writes");
	lbctl_kv(app, "Offers", "abort %s, copy %s, read-back %s", f.abort_supported ? "yes" : "no",
		 f.copy_supported ? "yes" : "no", f.readback_supported ? "yes" : "no");
	return LBCTL_EXIT_OK;
}

/* run, commit, abort on one port. */
static int action_cmd(struct lbctl *app, bool json, const char *port_arg, const char *action,
		      enum lb_fw_run_mode mode)
{
	struct lb_port_info pi = LB_PORT_INFO_INIT;
	struct lb_module *m;
	struct lb_fw_features f;
	int ex = open_fw_port(app, port_arg, &pi, &m, &f);
	if (ex)
		return ex;
	struct lb_bus *bus = lb_module_bus(m);
	uint64_t t0 = lb_bus_now_ns(bus);
	int rc;
	if (strcmp(action, "run") == 0) {
		lbctl_waiting(app, pi.port, "fw run: waiting for the module to come back");
		rc = lb_module_fw_run_mode(m, mode, 0);
		lbctl_waiting_done(app);
	} else if (strcmp(action, "commit") == 0) {
		rc = lb_module_fw_commit(m);
	} else if (strcmp(action, "copy") == 0) {
		struct lb_fw_info before = LB_SIZED_INIT(struct lb_fw_info);
		rc = lb_module_fw_info(m, &before);
		if (!rc)
			rc = lb_module_fw_copy(m, before.image[LB_FW_IMAGE_A].running ? LB_FW_IMAGE_A
										: LB_FW_IMAGE_B);
	} else {
		rc = lb_module_fw_abort(m);
	}
	if (rc)
		return lbctl_fail(app, rc, "fw %s: port %u (%s)", action, pi.port, pi.name);
	uint64_t took = lb_bus_now_ns(bus) - t0;
	struct lb_fw_info fi = LB_SIZED_INIT(struct lb_fw_info);
	if ((rc = lb_module_fw_info(m, &fi)))
		return lbctl_fail(app, rc, "fw %s: port %u (%s): firmware info after", action, pi.port,
				  pi.name);
	int running = fi.image[0].running ? 0 : fi.image[1].running ? 1 : 2;
	if (json) {
		json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:o, s:s, s:f}", "port", (int)pi.port,
				      "name", pi.name ? pi.name : "", "action", action, "mode",
				      strcmp(action, "run") == 0 ? run_modes[mode] : "", "running",
				      lbctl_fw_slot_name(running), "image",
				      lbctl_fw_image_json(&fi.image[running]), "state", lbctl_fw_state_name(fi.state),
				      "elapsed_ms", (double)took / 1e6);
		return lbctl_json_emit(app, o);
	}
	char buf[96], line[320], state[96] = "";
	lbctl_fw_version_text(&fi.image[running], buf, sizeof(buf));
	if (fi.state == LB_FW_STATE_NOT_COMMITTED)
		snprintf(state, sizeof(state), " (not committed: lbctl fw %u commit keeps it)", pi.port);
	else if (fi.state != LB_FW_STATE_OK)
		snprintf(state, sizeof(state), " (state %s: see lbctl fw %u info)",
			 lbctl_fw_state_name(fi.state), pi.port);
	bool restarted = mode == LB_FW_RUN_RESET_RUNNING || mode == LB_FW_RUN_HITLESS_RUNNING ||
			 mode == LB_FW_RUN_PRESERVE_RUNNING;
	const char *did = strcmp(action, "run") == 0	? (restarted ? "restarted" : "ran into")
			  : strcmp(action, "commit") == 0 ? "committed"
			  : strcmp(action, "copy") == 0	  ? "copied the running image over the other; runs"
							   : "download aborted; runs";
	snprintf(line, sizeof(line), "port %u: %s image %s: %s, after %.3f ms of bus time%s", pi.port,
		 did, lbctl_fw_slot_name(running), buf, (double)took / 1e6, state);
	lbctl_wrap(app, 0, 2, line);
	return LBCTL_EXIT_OK;
}

/* "3.1" or "3.1.27". */
static bool parse_version(const char *s, unsigned long v[3])
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%s", s);
	char *save = NULL, *tok = strtok_r(buf, ".", &save);
	const unsigned long max[3] = { 255, 255, 65535 };
	v[2] = 1;
	int k = 0;
	for (; tok && k < 3; tok = strtok_r(NULL, ".", &save), k++)
		if (!lbctl_parse_uint(tok, 10, max[k], &v[k]))
			return false;
	return !tok && k >= 2 && strlen(s) < sizeof(buf) && s[strlen(s) - 1] != '.' &&
	       !strstr(s, "..") && s[0] != '.';
}

/* "262144", "256K", "1M". */
static bool parse_size(const char *s, unsigned long *out)
{
	char buf[24];
	size_t n = strlen(s);
	unsigned long scale = 1;
	if (!n || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n + 1);
	if (buf[n - 1] == 'K' || buf[n - 1] == 'k')
		scale = 1024;
	else if (buf[n - 1] == 'M' || buf[n - 1] == 'm')
		scale = 1024 * 1024;
	if (scale > 1)
		buf[n - 1] = '\0';
	unsigned long v;
	if (!lbctl_parse_uint(buf, 10, (16ul << 20) / scale, &v))
		return false;
	*out = v * scale;
	return true;
}

static int image_cmd(struct lbctl *app, bool json, const char *path, const char *version,
		     const char *size)
{
	unsigned long v[3], body = 128 * 1024;
	if (!version)
		return lbctl_usage_error(app, "fw image: --version MAJ.MIN[.BUILD] is needed");
	if (!parse_version(version, v))
		return lbctl_usage_error(app, "fw image: '%s' is not a version (MAJ.MIN or MAJ.MIN.BUILD, "
					      "0-255.0-255.0-65535)", version);
	if (size && !parse_size(size, &body))
		return lbctl_usage_error(app, "fw image: '%s' is not a size (bytes, or K or M; at most 16M)",
					 size);
	uint8_t *img;
	size_t len;
	uint32_t seed = (uint32_t)(v[0] << 24 | v[1] << 16 | v[2]);
	int rc = lb_emu_firmware_image((uint8_t)v[0], (uint8_t)v[1], (uint16_t)v[2], body, seed, &img, &len);
	if (rc)
		return lbctl_fail(app, rc, "fw image");
	/* lbctl may run as root: never through a symbolic link, never into another's file. */
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	int err = fd < 0 ? errno : 0;
	size_t done = 0;
	while (fd >= 0 && done < len) {
		ssize_t w = write(fd, img + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			err = w < 0 ? errno : EIO;
			break;
		}
		done += (size_t)w;
	}
	if (fd >= 0 && close(fd) != 0 && !err)
		err = errno;
	free(img);
	if (err) {
		fprintf(app->err, "lbctl: fw image: %s: %s\n", path, strerror(err));
		return LBCTL_EXIT_INPUT;
	}
	if (json)
		return lbctl_json_emit(app, json_pack("{s:s, s:s, s:i, s:I, s:I}", "file", path, "version",
						      version, "build", (int)v[2], "body_bytes",
						      (json_int_t)body, "file_bytes", (json_int_t)len));
	char line[PATH_MAX + 160];
	snprintf(line, sizeof(line), "%s: firmware image %lu.%lu build %lu, %zu bytes (a 16-byte header "
				     "and %lu of image), for the emulated modules only",
		 path, v[0], v[1], v[2], len, body);
	lbctl_wrap(app, 0, 2, line);
	return LBCTL_EXIT_OK;
}

static bool parse_method(const char *s, enum lb_fw_method *out)
{
	if (!s || strcmp(s, "auto") == 0)
		*out = LB_FW_METHOD_AUTO;
	else if (strcmp(s, "lpl") == 0)
		*out = LB_FW_METHOD_LPL;
	else if (strcmp(s, "epl") == 0)
		*out = LB_FW_METHOD_EPL;
	else
		return false;
	return true;
}

/* upgrade: --mode goes with --run, and only in a mode that starts the new image. */
static int upgrade_mode_ok(struct lbctl *app, const struct lbctl_cmdline *cl, bool restart)
{
	if (cl->given[OPT_MODE] && !cl->given[OPT_RUN])
		return lbctl_usage_error(app, "fw upgrade: --mode goes with --run");
	if (restart)
		return lbctl_usage_error(app, "fw upgrade --run: mode %s restarts the running image, "
					      "not the new one (reset, hitless or preserve)",
					 cl->value[OPT_MODE]);
	return LBCTL_EXIT_OK;
}

int lbctl_cmd_fw(struct lbctl *app, int argc, char **argv)
{
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, opts, 2, 3,
			     "PORT info|upgrade|run|commit|abort, upgrade FILE or image FILE", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex)
		return ex;
	const unsigned up_opts = 1u << OPT_RUN | 1u << OPT_COMMIT | 1u << OPT_METHOD |
				 1u << OPT_VERIFY | 1u << OPT_MODE;
	struct lbctl_fw_request rq = { .method = LB_FW_METHOD_AUTO };
	if (!parse_method(cl.value[OPT_METHOD], &rq.method))
		return lbctl_usage_error(app, "fw: --method is auto, lpl or epl, not '%s'",
					 cl.value[OPT_METHOD]);
	if (!parse_run_mode(cl.value[OPT_MODE], &rq.run_mode))
		return lbctl_usage_error(app, "fw: --mode is reset, hitless, preserve, reset-running, "
					      "hitless-running or preserve-running, not '%s'",
					 cl.value[OPT_MODE]);
	rq.run = cl.given[OPT_RUN];
	rq.commit = cl.given[OPT_COMMIT];
	rq.verify = cl.given[OPT_VERIFY];
	bool restart = rq.run_mode == LB_FW_RUN_RESET_RUNNING ||
		       rq.run_mode == LB_FW_RUN_HITLESS_RUNNING ||
		       rq.run_mode == LB_FW_RUN_PRESERVE_RUNNING;
	if (rq.commit && !rq.run)
		return lbctl_usage_error(app, "fw: --commit needs --run (an image that has not run is "
					      "never committed)");
	const char *first = cl.pos[0], *second = cl.pos[1];
	if (strcmp(first, "image") == 0) {
		if (cl.npos != 2)
			return lbctl_usage_error(app, "fw image: expected one FILE");
		if ((ex = only(app, &cl, "image", 1u << OPT_VERSION | 1u << OPT_SIZE)))
			return ex;
		return image_cmd(app, cl.json, second, cl.value[OPT_VERSION], cl.value[OPT_SIZE]);
	}
	if (strcmp(first, "upgrade") == 0) {
		if (cl.npos != 2)
			return lbctl_usage_error(app, "fw upgrade: expected one FILE");
		if (!cl.given[OPT_PORTS])
			return lbctl_usage_error(app, "fw upgrade FILE: --ports LIST|all is needed (or: "
						      "fw PORT upgrade FILE)");
		if ((ex = only(app, &cl, "upgrade", up_opts | 1u << OPT_PORTS)) ||
		    (ex = upgrade_mode_ok(app, &cl, restart)))
			return ex;
		rq.file = second;
		rq.ports_arg = cl.value[OPT_PORTS];
		rq.several = true;
		return lbctl_fw_upgrade(app, cl.json, &rq);
	}
	if (strcmp(second, "upgrade") == 0) {
		if (cl.npos != 3)
			return lbctl_usage_error(app, "fw PORT upgrade: expected one FILE");
		if ((ex = only(app, &cl, "PORT upgrade", up_opts)) ||
		    (ex = upgrade_mode_ok(app, &cl, restart)))
			return ex;
		rq.file = cl.pos[2];
		rq.ports_arg = first;
		return lbctl_fw_upgrade(app, cl.json, &rq);
	}
	bool is_action = strcmp(second, "run") == 0 || strcmp(second, "commit") == 0 ||
			 strcmp(second, "abort") == 0 || strcmp(second, "copy") == 0;
	if (!is_action && strcmp(second, "info") != 0)
		return lbctl_usage_error(app, "fw: unknown subcommand '%s' (info, upgrade, run, commit, "
					      "abort, copy; see lbctl help fw)", second);
	if (cl.npos != 2)
		return lbctl_usage_error(app, "fw PORT %s: unexpected argument '%s'", second, cl.pos[2]);
	if ((ex = only(app, &cl, second, strcmp(second, "run") == 0 ? 1u << OPT_MODE : 0)))
		return ex;
	return is_action ? action_cmd(app, cl.json, first, second, rq.run_mode)
			 : info_cmd(app, cl.json, first);
}
