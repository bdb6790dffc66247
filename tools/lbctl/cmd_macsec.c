/* SPDX-License-Identifier: MIT */
/*
 * lbctl macsec PORT [--key-file FILE|-] [SecY options] [--json]: MACsec on the ASIC ports of a
 * front-panel port (lightbridge/macsec.h). Without --key-file it shows the SecY, its SAs and
 * their counters. With it, it sets the SecY and both SCs up where needed and installs the
 * file's keys: the first on AN 0 (or as a rollover when an SA is in use), each further one as
 * a rollover to the next AN, receive first. Keys come from a file (or stdin), never from the
 * command line; a file that group or others may read or write, or that another user owns, is
 * refused. Keys are zeroised after use and never printed, in text or JSON.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include <lightbridge/macsec.h>
#include "lbctl.h"

#define MAX_KEYS 8
#define MAX_SUB 16
#define KEY_FILE_MAX 4096

static int usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl macsec PORT [--key-file FILE|-] [--cipher C] [--sci HEX]\n"
		"                    [--peer-sci HEX] [--conf-offset 0|30|50]\n"
		"                    [--replay-window N] [--integrity-only] [--json]\n"
		"\n"
		"MACsec on the ASIC ports of front-panel port PORT (a number or a name).\n"
		"Without --key-file: the SecY, its SAs (PNs left, warnings) and counters.\n"
		"  --key-file F   keys, one per line in hex (32 digits for 128-bit ciphers,\n"
		"                 64 for 256-bit), '-' for stdin; never on the command line.\n"
		"                 The file must be yours and closed to group and others (chmod\n"
		"                 600). The first key goes on AN 0 (or rolls over when an SA is\n"
		"                 in use); each further key rolls over to the next AN: receive\n"
		"                 first, then transmit, then the old SA retired.\n"
		"  --cipher C     gcm-aes-128, gcm-aes-256 (default), gcm-aes-xpn-128,\n"
		"                 gcm-aes-xpn-256\n"
		"  --sci, --peer-sci  this port's and the peer's SCI (default: from the port)\n"
		"  --conf-offset  bytes left in clear: 0, 30 or 50\n"
		"  --replay-window  frames accepted out of order (default 0: strict order)\n"
		"  --integrity-only  protect without encrypting\n"
		"Keys are never shown. The emulated ASIC keeps no MACsec between runs: its SAs\n"
		"live for one lbctl run, as keys live in no file of its state.\n");
	return LBCTL_EXIT_OK;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Lines of hex into keys; the text's content never goes into a message. */
static int parse_keys(struct lbctl *app, const char *what, const char *text, size_t len,
		      struct lb_macsec_key *keys, size_t *n)
{
	*n = 0;
	unsigned line = 1;
	size_t i = 0;
	while (i < len) {
		size_t e = i;
		while (e < len && text[e] != '\n')
			e++;
		struct lb_macsec_key k = { 0 };
		int half = -1;
		bool comment = false, bad = false;
		for (size_t j = i; j < e && !comment && !bad; j++) {
			char c = text[j];
			if (c == '#')
				comment = true;
			else if (c == ' ' || c == '\t' || c == '\r' || c == ':')
				continue;
			else if (hexval(c) < 0 || k.len == LB_MACSEC_KEY_MAX)
				bad = true;
			else if (half < 0)
				half = hexval(c);
			else {
				k.bytes[k.len++] = (uint8_t)(half << 4 | hexval(c));
				half = -1;
			}
		}
		if (bad || half >= 0) {
			lb_macsec_key_clear(&k);
			return lbctl_fail(app, LB_E_INVAL, "macsec: %s line %u: not a key (hex digits, "
					  "16 or 32 bytes)", what, line);
		}
		if (k.len) {
			if (*n == MAX_KEYS) {
				lb_macsec_key_clear(&k);
				return lbctl_fail(app, LB_E_INVAL, "macsec: %s: more than %d keys", what,
						  MAX_KEYS);
			}
			keys[(*n)++] = k;
			lb_macsec_key_clear(&k);
		}
		i = e + 1;
		line++;
	}
	if (!*n)
		return lbctl_fail(app, LB_E_INVAL, "macsec: %s: no key in it", what);
	return LBCTL_EXIT_OK;
}

/* The key file (or stdin): yours, regular, closed to group and others. */
static int read_keys(struct lbctl *app, const char *path, struct lb_macsec_key *keys, size_t *n)
{
	bool std = strcmp(path, "-") == 0;
	int fd = std ? 0 : open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return lbctl_fail(app, LB_E_IO, "macsec: key file: %s", strerror(errno)); /* the path may
		be a key typed in its place: never echoed */
	struct stat st;
	if (!std) {
		if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
			close(fd);
			return lbctl_fail(app, LB_E_INVAL, "macsec: key file: not a regular file");
		}
		if (st.st_mode & 077) {
			close(fd);
			return lbctl_fail(app, LB_E_INVAL, "macsec: key file: mode %04o lets group or "
					  "others at it: chmod 600 it", (unsigned)(st.st_mode & 07777));
		}
		if (st.st_uid != geteuid()) {
			close(fd);
			return lbctl_fail(app, LB_E_INVAL, "macsec: key file: owned by uid %u, not by you",
					  (unsigned)st.st_uid);
		}
	}
	char *buf = calloc(1, KEY_FILE_MAX + 1);
	if (!buf) {
		if (!std)
			close(fd);
		return lbctl_fail(app, LB_E_NOMEM, "macsec: key file");
	}
	size_t len = 0;
	for (;;) {
		ssize_t r = read(fd, buf + len, KEY_FILE_MAX - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || (len += (size_t)r) == KEY_FILE_MAX)
			break;
	}
	if (!std)
		close(fd);
	int ex = len == KEY_FILE_MAX ? lbctl_fail(app, LB_E_INVAL, "macsec: key file: too long")
				     : parse_keys(app, std ? "stdin" : "key file", buf, len, keys, n);
	explicit_bzero(buf, KEY_FILE_MAX + 1);
	free(buf);
	return ex;
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 16);
	if (errno || !*s || *end || s[0] == '-')
		return -1;
	*v = x;
	return 0;
}

/* The transmit SA in use, LB_MACSEC_AN_SC: none. */
static uint32_t tx_in_use(struct lb_switch *sw, uint32_t port)
{
	for (uint32_t an = 0; an < LB_MACSEC_AN_COUNT; an++) {
		struct lb_macsec_sa_status st = LB_MACSEC_SA_STATUS_INIT;
		if (lb_macsec_sa_get_status(sw, port, LB_MACSEC_TX, an, &st) == LB_OK && st.in_use)
			return an;
	}
	return LB_MACSEC_AN_SC;
}

static json_t *counters_json(const struct lb_macsec_counters *c, enum lb_macsec_dir dir)
{
	if (dir == LB_MACSEC_TX)
		return json_pack("{s:I, s:I, s:I, s:I, s:I}", "out_pkts_protected",
				 (json_int_t)c->out_pkts_protected, "out_pkts_encrypted",
				 (json_int_t)c->out_pkts_encrypted, "out_octets_protected",
				 (json_int_t)c->out_octets_protected, "out_octets_encrypted",
				 (json_int_t)c->out_octets_encrypted, "out_pkts_sa_not_in_use",
				 (json_int_t)c->out_pkts_sa_not_in_use);
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "in_pkts_ok", (json_int_t)c->in_pkts_ok,
			 "in_octets_validated", (json_int_t)c->in_octets_validated, "in_octets_decrypted",
			 (json_int_t)c->in_octets_decrypted, "in_pkts_late", (json_int_t)c->in_pkts_late,
			 "in_pkts_invalid", (json_int_t)c->in_pkts_invalid, "in_pkts_not_valid",
			 (json_int_t)c->in_pkts_not_valid, "in_pkts_not_using_sa",
			 (json_int_t)c->in_pkts_not_using_sa, "in_pkts_unused_sa", (json_int_t)c->in_pkts_unused_sa);
}

static const char *const dir_names[2] = { "tx", "rx" };

/* One ASIC port's MACsec: JSON into arr, or text. */
static int show_port(struct lbctl *app, struct lb_switch *sw, uint32_t port, json_t *arr)
{
	struct lb_macsec_secy_config c = LB_MACSEC_SECY_CONFIG_INIT;
	int rc = lb_macsec_secy_get(sw, port, &c);
	if (rc)
		return lbctl_fail(app, rc, "macsec: asic port %u", port);
	uint64_t sci[2] = { 0, 0 };
	for (int d = 0; d < 2; d++)
		if (lb_macsec_sc_get(sw, port, (enum lb_macsec_dir)d, &sci[d]))
			sci[d] = 0;
	char s0[20], s1[20], own[20];
	snprintf(own, sizeof(own), "%016llx", (unsigned long long)c.sci);
	snprintf(s0, sizeof(s0), "%016llx", (unsigned long long)sci[0]);
	snprintf(s1, sizeof(s1), "%016llx", (unsigned long long)sci[1]);
	json_t *sas = arr ? json_array() : NULL;
	if (!arr) {
		if (!c.sci) {
			fprintf(app->out, "asic port %u: macsec not set up (--key-file sets it up)\n", port);
			return LBCTL_EXIT_OK;
		}
		fprintf(app->out, "asic port %u: macsec %s, %s, %s, offset %u\n", port,
			c.enable ? "on" : "off", lb_macsec_cipher_name(c.cipher),
			c.encrypt ? "encrypted" : "integrity only", c.conf_offset);
		fprintf(app->out, "  sci %s  peer %s\n", c.sci ? own : "-", sci[1] ? s1 : "-");
		fprintf(app->out, "  replay %s, window %u; PN warning below %llu left\n",
			c.replay_protect ? "on" : "off", c.replay_window,
			(unsigned long long)c.pn_warn_threshold);
		fprintf(app->out, "  %-3s %-2s %-8s %20s %20s %12s\n", "DIR", "AN", "STATE", "NEXT PN",
			"PN LEFT", "FRAMES");
	}
	for (int d = 0; d < 2; d++) {
		if (!sci[d])
			continue;
		for (uint32_t an = 0; an < LB_MACSEC_AN_COUNT; an++) {
			struct lb_macsec_sa_status st = LB_MACSEC_SA_STATUS_INIT;
			struct lb_macsec_counters k = LB_MACSEC_COUNTERS_INIT;
			if (lb_macsec_sa_get_status(sw, port, (enum lb_macsec_dir)d, an, &st) ||
			    (rc = lb_macsec_counters_read(sw, port, (enum lb_macsec_dir)d, an, &k)))
				continue;
			const char *state = st.pn_exhausted ? "used-up" : st.pn_warning ? "warning"
							     : st.in_use ? "in-use" : "ready";
			uint64_t frames = d ? k.in_pkts_ok : k.out_pkts_encrypted + k.out_pkts_protected;
			if (!arr) {
				char left[24] = "-";
				if (d == 0)
					snprintf(left, sizeof(left), "%llu", (unsigned long long)st.pn_left);
				fprintf(app->out, "  %-3s %-2u %-8s %20llu %20s %12llu\n", dir_names[d], an, state,
					(unsigned long long)st.next_pn, left, (unsigned long long)frames);
				continue;
			}
			json_array_append_new(sas, json_pack("{s:s, s:I, s:b, s:I, s:I, s:b, s:b, s:o}", "dir",
							     dir_names[d], "an", (json_int_t)an, "in_use", st.in_use,
							     "next_pn", (json_int_t)st.next_pn, "pn_left",
							     (json_int_t)st.pn_left, "pn_warning", st.pn_warning,
							     "pn_exhausted", st.pn_exhausted, "counters",
							     counters_json(&k, (enum lb_macsec_dir)d)) ?: json_null());
		}
	}
	if (arr)
		json_array_append_new(arr, json_pack("{s:I, s:b, s:b, s:s, s:I, s:b, s:I, s:s?, s:s?, s:I, s:o}",
						     "asic_port", (json_int_t)port, "enable", c.enable, "encrypt",
						     c.encrypt, "cipher", lb_macsec_cipher_name(c.cipher),
						     "conf_offset_bytes", (json_int_t)c.conf_offset, "replay_protect",
						     c.replay_protect, "replay_window_frames",
						     (json_int_t)c.replay_window, "sci", c.sci ? own : NULL,
						     "peer_sci", sci[1] ? s1 : NULL, "pn_warn_threshold",
						     (json_int_t)c.pn_warn_threshold, "sas", sas));
	return LBCTL_EXIT_OK;
}

enum { O_KEY, O_CIPHER, O_SCI, O_PEER, O_OFFSET, O_WINDOW, O_INTEGRITY, O_N };

/* The SecY and both SCs as the options ask (set when not yet on, or when options name it). */
static int setup(struct lbctl *app, struct lb_switch *sw, uint32_t port, const struct lbctl_cmdline *cl)
{
	struct lb_macsec_secy_config c = LB_MACSEC_SECY_CONFIG_INIT;
	int rc = lb_macsec_secy_get(sw, port, &c);
	if (rc)
		return lbctl_fail(app, rc, "macsec: asic port %u", port);
	if (!c.sci) {
		c.cipher = LB_MACSEC_GCM_AES_256;
		c.encrypt = 1;
		c.replay_protect = 1;
		c.sci = (0x020000000000ull | port) << 16 | 1u; /* a local MAC of the port, port id 1 */
	}
	c.enable = 1;
	uint64_t peer = c.sci + 0x10000u;
	unsigned long v;
	if (cl->given[O_CIPHER] && lb_macsec_cipher_parse(cl->value[O_CIPHER], &c.cipher))
		return lbctl_usage_error(app, "macsec: --cipher %s: gcm-aes-128, gcm-aes-256, "
					 "gcm-aes-xpn-128 or gcm-aes-xpn-256", cl->value[O_CIPHER]);
	if (cl->given[O_SCI] && parse_u64(cl->value[O_SCI], &c.sci))
		return lbctl_usage_error(app, "macsec: --sci %s: 16 hex digits", cl->value[O_SCI]);
	if (cl->given[O_PEER] && parse_u64(cl->value[O_PEER], &peer))
		return lbctl_usage_error(app, "macsec: --peer-sci %s: 16 hex digits", cl->value[O_PEER]);
	if (cl->given[O_OFFSET]) {
		if (!lbctl_parse_uint(cl->value[O_OFFSET], 10, 255, &v))
			return lbctl_usage_error(app, "macsec: --conf-offset %s: 0, 30 or 50",
						 cl->value[O_OFFSET]);
		c.conf_offset = (uint32_t)v;
	}
	if (cl->given[O_WINDOW]) {
		if (!lbctl_parse_uint(cl->value[O_WINDOW], 10, 0xFFFFFFFFul, &v))
			return lbctl_usage_error(app, "macsec: --replay-window %s: frames",
						 cl->value[O_WINDOW]);
		c.replay_window = (uint32_t)v;
	}
	if (cl->given[O_INTEGRITY])
		c.encrypt = 0;
	if ((rc = lb_macsec_secy_set(sw, port, &c)))
		return lbctl_fail(app, rc, "macsec: asic port %u", port);
	uint64_t have;
	if (lb_macsec_sc_get(sw, port, LB_MACSEC_TX, &have) &&
	    (rc = lb_macsec_sc_create(sw, port, LB_MACSEC_TX, 0)))
		return lbctl_fail(app, rc, "macsec: asic port %u", port);
	if (lb_macsec_sc_get(sw, port, LB_MACSEC_RX, &have) &&
	    (rc = lb_macsec_sc_create(sw, port, LB_MACSEC_RX, peer)))
		return lbctl_fail(app, rc, "macsec: asic port %u", port);
	return LBCTL_EXIT_OK;
}

/* Install keys[0..n): the first on AN 0 or as a rollover, the rest as rollovers. */
static int install(struct lbctl *app, struct lb_switch *sw, uint32_t port, const struct lb_macsec_key *keys,
		   size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t cur = tx_in_use(sw, port);
		struct lb_macsec_sa_config c = LB_MACSEC_SA_CONFIG_INIT;
		c.pn = 1;
		c.ssci = 1;
		int rc;
		if (cur == LB_MACSEC_AN_SC) {
			c.an = 0;
			if ((rc = lb_macsec_sa_install(sw, port, LB_MACSEC_RX, &c, &keys[i])) == LB_OK &&
			    (rc = lb_macsec_sa_install(sw, port, LB_MACSEC_TX, &c, &keys[i])))
				lb_macsec_sa_retire(sw, port, LB_MACSEC_RX, 0);
		} else {
			c.an = (cur + 1) % LB_MACSEC_AN_COUNT;
			rc = lb_macsec_rollover(sw, port, &c, 1, &keys[i]);
		}
		if (rc)
			return lbctl_fail(app, rc, "macsec: asic port %u: key %zu", port, i + 1);
	}
	return LBCTL_EXIT_OK;
}

int lbctl_cmd_macsec(struct lbctl *app, int argc, char **argv)
{
	static const struct lbctl_opt opts[] = {
		[O_KEY] = { "key-file", "FILE", 0 },	   [O_CIPHER] = { "cipher", "C", 0 },
		[O_SCI] = { "sci", "HEX", 0 },		   [O_PEER] = { "peer-sci", "HEX", 0 },
		[O_OFFSET] = { "conf-offset", "BYTES", 0 }, [O_WINDOW] = { "replay-window", "N", 0 },
		[O_INTEGRITY] = { "integrity-only", NULL, 0 }, [O_N] = { NULL, NULL, 0 },
	};
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, opts, 1, 1, "PORT", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex)
		return ex;
	bool sets = false;
	for (int i = O_CIPHER; i < O_N; i++)
		sets = sets || cl.given[i];
	if (sets && !cl.given[O_KEY])
		return lbctl_usage_error(app, "macsec: SecY options go with --key-file");
	struct lb_macsec_key keys[MAX_KEYS];
	size_t nkeys = 0;
	if (cl.given[O_KEY] && (ex = read_keys(app, cl.value[O_KEY], keys, &nkeys)))
		return ex;
	struct lb_platform *p;
	struct lb_switch *sw = NULL;
	struct lb_port_info info = LB_PORT_INFO_INIT;
	uint32_t first = 0, count = 0, ports[1024];
	size_t n = 0;
	int rc;
	if ((ex = lbctl_platform(app, &p)))
		goto out;
	if ((rc = lb_platform_switch(p, &sw))) {
		ex = lbctl_fail(app, rc, "macsec: the platform's ASIC");
		goto out;
	}
	if ((rc = lbctl_find_port(p, cl.pos[0], &info))) {
		ex = lbctl_fail(app, rc, "macsec: %s", cl.pos[0]);
		goto out;
	}
	if ((rc = lb_platform_port_asic_lanes(p, info.port, &first, &count)) ||
	    (rc = lb_asic_port_list(sw, ports, 1024, &n))) {
		ex = lbctl_fail(app, rc, "macsec: port %u (%s): no ASIC lanes", info.port, info.name);
		goto out;
	}
	json_t *arr = cl.json ? json_array() : NULL;
	unsigned shown = 0;
	for (size_t i = 0; i < n && i < 1024 && !ex; i++) {
		struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
		if (lb_asic_port_get(sw, ports[i], &c) || c.first_lane < first || c.first_lane >= first + count ||
		    shown == MAX_SUB)
			continue;
		shown++;
		if (nkeys && ((ex = setup(app, sw, ports[i], &cl)) || (ex = install(app, sw, ports[i], keys, nkeys))))
			break;
		if (!cl.json && shown == 1)
			fprintf(app->out, "port %u (%s)\n", info.port, info.name ? info.name : "");
		ex = show_port(app, sw, ports[i], arr);
	}
	if (!ex && !shown)
		ex = lbctl_fail(app, LB_E_NOTFOUND, "macsec: port %u (%s): no ASIC port on its lanes", info.port,
				info.name ? info.name : "");
	if (!ex && cl.json)
		ex = lbctl_json_emit(app, json_pack("{s:I, s:s, s:o}", "port", (json_int_t)info.port, "name",
						    info.name ? info.name : "", "asic_ports", arr));
	else
		json_decref(arr);
out:
	explicit_bzero(keys, sizeof(keys));
	return ex;
}
