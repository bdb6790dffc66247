/* SPDX-License-Identifier: MIT */
/*
 * Sideband driver on libgpiod 1.6 (the v1 API; kept to this file): each named line is
 * requested from one chip, outputs with their initial level, ModPrsL and IntL for both-edge
 * events. The event fd is an epoll set over the two line event fds; read_event consumes one
 * kernel edge and reports the line's level read back (so coalesced edges cannot mislead).
 *   {"chip": "gpiochip0", "lines": {"resetl": 3, "lpmode": 4, "modsell": 5, "modprsl": 6,
 *    "intl": 7}, "active_low": true}
 */
#include <errno.h>
#include <gpiod.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>
#include <lightbridge/driver.h>
#include "drivers/sideband/gpiod/gpiod_config.h"

struct gpiod_sb {
	const struct lb_driver_env *env;
	struct gpiod_sb_cfg cfg;
	struct gpiod_chip *chip;
	struct gpiod_line *line[LB_SB_COUNT];
	int level[LB_SB_COUNT]; /* last reported level of the event lines, -1 unknown */
	int epfd;
};

static int gpiod_status(const struct gpiod_sb *s, int err, const char *what)
{
	int rc;
	switch (err) {
	case ENOENT:
	case ENODEV:
	case ENXIO:
		rc = LB_E_NOTFOUND;
		break;
	case EBUSY:
		rc = LB_E_BUSY;
		break;
	case EACCES:
	case EPERM:
		rc = LB_E_PERM;
		break;
	case EINVAL:
		rc = LB_E_INVAL;
		break;
	default:
		rc = LB_E_IO;
		break;
	}
	return lb_driver_error(s->env, rc, "gpiod sideband, port %u: %s: %s", s->cfg.port, what,
			       strerror(err));
}

static void gpiod_sb_close(void *priv);

static int request_line(struct gpiod_sb *s, enum lb_sideband_line i)
{
	const struct gpiod_sb_line_cfg *l = &s->cfg.line[i];
	char what[320]; /* key, name (64) and chip (128) */
	if (l->by_name)
		snprintf(what, sizeof(what), "%s line \"%s\" of %s", gpiod_sb_line_key(i), l->name, s->cfg.chip);
	else
		snprintf(what, sizeof(what), "%s line %u of %s", gpiod_sb_line_key(i), l->offset, s->cfg.chip);
	struct gpiod_line *line = l->by_name ? gpiod_chip_find_line(s->chip, l->name)
					     : gpiod_chip_get_line(s->chip, l->offset);
	if (!line)
		return gpiod_status(s, errno ? errno : ENOENT, what);
	int flags = l->active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0;
	int rc = l->output ? gpiod_line_request_output_flags(line, s->cfg.consumer, flags, l->initial)
			   : gpiod_line_request_both_edges_events_flags(line, s->cfg.consumer, flags);
	if (rc < 0)
		return gpiod_status(s, errno, what);
	s->line[i] = line;
	if (!l->output) {
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)i };
		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, gpiod_line_event_get_fd(line), &ev) < 0)
			return gpiod_status(s, errno, "epoll");
		s->level[i] = gpiod_line_get_value(line);
	}
	return LB_OK;
}

static int gpiod_sb_open(void *priv, const struct lb_driver_env *env, const struct lb_options *options,
			 void *handle)
{
	struct gpiod_sb *s = priv;
	(void)handle; /* the port's bus is of no concern to GPIO lines */
	s->env = env;
	s->epfd = -1;
	int rc = gpiod_sb_parse(options, &s->cfg);
	if (rc)
		return lb_driver_error(env, rc, "%s", lb_options_error(options));
	for (unsigned i = 0; i < LB_SB_COUNT; i++)
		s->level[i] = -1;
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epfd < 0)
		return gpiod_status(s, errno, "epoll_create1");
	s->chip = gpiod_chip_open_lookup(s->cfg.chip);
	if (!s->chip) {
		rc = gpiod_status(s, errno ? errno : ENOENT, s->cfg.chip);
		gpiod_sb_close(s);
		return rc;
	}
	for (unsigned i = 0; rc == LB_OK && i < LB_SB_COUNT; i++)
		if (s->cfg.line[i].used)
			rc = request_line(s, (enum lb_sideband_line)i);
	if (rc)
		gpiod_sb_close(s);
	return rc;
}

static void gpiod_sb_close(void *priv)
{
	struct gpiod_sb *s = priv;
	for (unsigned i = 0; i < LB_SB_COUNT; i++) {
		if (s->line[i])
			gpiod_line_release(s->line[i]);
		s->line[i] = NULL;
	}
	if (s->chip)
		gpiod_chip_close(s->chip);
	s->chip = NULL;
	if (s->epfd >= 0)
		close(s->epfd);
	s->epfd = -1;
}

static int gpiod_sb_set(void *priv, enum lb_sideband_line line, int asserted)
{
	struct gpiod_sb *s = priv;
	if (!s->line[line])
		return LB_E_NOTSUP;
	if (!s->cfg.line[line].output)
		return LB_E_INVAL;
	return gpiod_line_set_value(s->line[line], asserted ? 1 : 0) < 0
		       ? gpiod_status(s, errno, gpiod_sb_line_key(line)) : LB_OK;
}

static int gpiod_sb_get(void *priv, enum lb_sideband_line line, int *asserted)
{
	struct gpiod_sb *s = priv;
	if (!s->line[line])
		return LB_E_NOTSUP;
	int v = gpiod_line_get_value(s->line[line]);
	if (v < 0)
		return gpiod_status(s, errno, gpiod_sb_line_key(line));
	*asserted = v;
	return LB_OK;
}

static int gpiod_sb_event_fd(void *priv)
{
	const struct gpiod_sb *s = priv;
	return s->line[LB_SB_MODPRSL] || s->line[LB_SB_INTL] ? s->epfd : -1;
}

static int gpiod_sb_read_event(void *priv, enum lb_sideband_line *line, int *asserted)
{
	struct gpiod_sb *s = priv;
	static const enum lb_sideband_line lines[2] = { LB_SB_MODPRSL, LB_SB_INTL };
	for (unsigned k = 0; k < 2; k++) {
		enum lb_sideband_line i = lines[k];
		if (!s->line[i])
			continue;
		for (;;) {
			struct pollfd p = { .fd = gpiod_line_event_get_fd(s->line[i]), .events = POLLIN };
			if (poll(&p, 1, 0) != 1)
				break;
			struct gpiod_line_event ev;
			if (gpiod_line_event_read(s->line[i], &ev) < 0)
				return gpiod_status(s, errno, "line event");
			int v = gpiod_line_get_value(s->line[i]);
			if (v < 0)
				v = ev.event_type == GPIOD_LINE_EVENT_RISING_EDGE;
			if (v == s->level[i])
				continue; /* a bounce that came back: no change to report */
			s->level[i] = v;
			*line = i;
			*asserted = v;
			return LB_OK;
		}
	}
	return LB_E_NOTFOUND;
}

static const struct lb_sideband_ops gpiod_sb_ops = {
	.size = sizeof(struct lb_sideband_ops),
	.priv_size = sizeof(struct gpiod_sb),
	.open = gpiod_sb_open,
	.close = gpiod_sb_close,
	.set = gpiod_sb_set,
	.get = gpiod_sb_get,
	.event_fd = gpiod_sb_event_fd,
	.read_event = gpiod_sb_read_event,
};

const struct lb_driver lb_sideband_driver_gpiod = {
	.abi = LB_DRIVER_ABI,
	.size = sizeof(struct lb_driver),
	.kind = LB_DRIVER_SIDEBAND,
	.kind_abi = LB_SIDEBAND_ABI,
	.name = "gpiod",
	.version = "1 (libgpiod 1.6)",
	.ops.sideband = &gpiod_sb_ops,
};
