/* SPDX-License-Identifier: MIT */
/*
 * Sideband driver "cp2112": a cage's ResetL, LPMode, ModSelL, ModPrsL and IntL on the
 * CP2112's own GPIO.0-7, so that an evaluation board needs nothing but the bridge. It shares
 * the USB device of the port's cp2112 bus (one process cannot claim the HID interface twice):
 * open() receives the port's bus (struct lb_sideband_port from a platform, or the struct
 * lb_bus * itself from lb_sideband_open()) and reaches the bus instance through
 * lb_bus_driver_priv(), which answers only for a bus that runs this folder's bus driver.
 *   {"lines": {"resetl": 0, "lpmode": 1, "modsell": 2, "modprsl": 3, "intl": 4},
 *    "active_low": true, "initial": {"resetl": false, "lpmode": false, "modsell": true},
 *    "poll_ms": 20}
 * Option names and polarity are the gpiod driver's: the *L signals are active-low, LPMode
 * active-high, unless "active_low" (a boolean for all but LPMode, or an object per line) says
 * otherwise. ResetL, LPMode and ModSelL become push-pull outputs, ModPrsL and IntL open-drain
 * inputs (latch high), through GPIO Configuration (0x02), Get (0x03) and Set GPIO Values (0x04)
 * feature reports. Pins not named keep their configuration; a special function (TX/RX LED,
 * clock out) on a named pin is turned off.
 *
 * Glitch-free start: the output levels are written (Set GPIO Values) before the pins are
 * turned into outputs, so a pin the chip already latches comes up at its level; they are
 * written again afterwards, as AN495 describes Set GPIO Values for output pins. A CP2112 that
 * ignores the first write still holds its reset latch of an input, high: ResetL comes up
 * deasserted (active-low) and only then goes to its initial level.
 *
 * Events: the CP2112 has no GPIO interrupt, so event_fd() is a timerfd firing every poll_ms;
 * read_event() samples the pins once per expiry and reports ModPrsL and IntL changes against
 * the previous sample (pulses shorter than poll_ms are not seen). An unplugged bridge gives
 * LB_E_NODEV from every call.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <lightbridge/driver.h>
#include <lightbridge/sideband.h>
#include "drivers/bus/cp2112/cp2112_proto.h"
#include "drivers/bus/cp2112/cp2112_usb.h"

#define CP2112_SB_POLL_MS_DEFAULT 20
#define CP2112_SB_POLL_MS_MAX 1000

struct cp2112_sb_event {
	enum lb_sideband_line line;
	int asserted;
};

struct cp2112_sb {
	const struct lb_driver_env *env;
	struct cp2112_bus *bus;
	unsigned port;
	int pin[LB_SB_COUNT];          /* GPIO number, -1 when the cage has no such line */
	bool active_low[LB_SB_COUNT];
	int initial[LB_SB_COUNT];      /* outputs: asserted at open */
	unsigned poll_ms;
	int tfd;                       /* timerfd, or -1 */
	int last[LB_SB_COUNT];         /* ModPrsL/IntL at the last sample (asserted) */
	struct cp2112_sb_event pend[2];
	unsigned npend;
};

static const char *const keys[LB_SB_COUNT] = {
	[LB_SB_RESETL] = "resetl", [LB_SB_LPMODE] = "lpmode", [LB_SB_MODSELL] = "modsell",
	[LB_SB_MODPRSL] = "modprsl", [LB_SB_INTL] = "intl",
};

static bool is_output(unsigned line)
{
	return line == LB_SB_RESETL || line == LB_SB_LPMODE || line == LB_SB_MODSELL;
}

/*
 * {"lines": {"resetl": GPIO, ...}, "active_low": true | {"intl": false, ...},
 *  "initial": {"resetl": false, ...}, "poll_ms": N}, and from a platform "port" and "bus".
 */
static int parse(struct cp2112_sb *s, const struct lb_options *o)
{
	static const char *const opt_keys[] = { "lines", "active_low", "initial", "poll_ms", "port",
						"bus", "description", "comment", "_*", NULL };
	static const char *const line_keys[] = { "resetl", "lpmode", "modsell", "modprsl", "intl", NULL };
	static const char *const output_keys[] = { "resetl", "lpmode", "modsell", NULL };
	const struct lb_options *jl, *ja = NULL, *ji;
	uint32_t port;
	int rc;
	if ((rc = lb_options_check_keys(o, opt_keys)) ||
	    (rc = lb_options_get_u32(o, "port", 0, UINT32_MAX, 0, &port)) ||
	    (rc = lb_options_require(o, "lines")) || (rc = lb_options_get_object(o, "lines", &jl)) ||
	    (rc = lb_options_check_keys(jl, line_keys)) ||
	    (rc = lb_options_get_object(o, "initial", &ji)) ||
	    (rc = lb_options_check_keys(ji, output_keys)) ||
	    (rc = lb_options_get_u32(o, "poll_ms", 1, CP2112_SB_POLL_MS_MAX, CP2112_SB_POLL_MS_DEFAULT,
				     &s->poll_ms)))
		return rc;
	s->port = port;
	if (lb_options_count(jl) == 0)
		return lb_options_fail(o, "lines", LB_E_PARSE, "empty");
	enum lb_options_type at = lb_options_type(o, "active_low");
	if (at == LB_OPTIONS_OBJECT) {
		if ((rc = lb_options_get_object(o, "active_low", &ja)) || (rc = lb_options_check_keys(ja, line_keys)))
			return rc;
	} else if (at != LB_OPTIONS_ABSENT && at != LB_OPTIONS_BOOL) {
		return lb_options_fail(o, "active_low", LB_E_PARSE, "not a boolean or an object of booleans");
	}
	bool all_low = true; /* "active_low": false makes every line but LPMode active-high */
	if (at == LB_OPTIONS_BOOL && (rc = lb_options_get_bool(o, "active_low", true, &all_low)))
		return rc;
	for (unsigned i = 0; i < LB_SB_COUNT; i++) {
		int64_t pin;
		if ((rc = lb_options_get_int(jl, keys[i], 0, CP2112_GPIO_COUNT - 1, -1, &pin)))
			return rc;
		for (unsigned j = 0; pin >= 0 && j < LB_SB_COUNT; j++)
			if (s->pin[j] == pin)
				return lb_options_fail(jl, keys[i], LB_E_PARSE, "GPIO already used by another line");
		s->pin[i] = (int)pin;
		/* As the signals are named: ResetL, ModSelL, ModPrsL, IntL low-active; LPMode high. */
		bool low = i != LB_SB_LPMODE && all_low;
		/* Outputs come up with the module running, high power allowed, and selected. */
		bool initial = i == LB_SB_MODSELL;
		if ((ja && (rc = lb_options_get_bool(ja, keys[i], low, &low))) ||
		    (rc = lb_options_get_bool(ji, keys[i], initial, &initial)))
			return rc;
		s->active_low[i] = low;
		s->initial[i] = initial;
	}
	return LB_OK;
}

/* Electrical level of a line for an asserted state, and back. */
static unsigned level_of(const struct cp2112_sb *s, unsigned line, int asserted)
{
	return (asserted != 0) != s->active_low[line];
}

static int asserted_of(const struct cp2112_sb *s, unsigned line, uint8_t levels)
{
	int level = (levels >> s->pin[line]) & 1;
	return (level != 0) != s->active_low[line];
}

static int failed(const struct cp2112_sb *s, int rc, const char *what)
{
	if (rc != LB_E_NODEV)
		return lb_driver_error(s->env, rc, "cp2112 sideband, port %u (%s): %s: %s", s->port,
				       cp2112_bus_where(s->bus), what, lb_strerror(rc));
	lb_driver_log(s->env, LB_LOG_WARN, "cp2112 sideband, port %u (%s): %s: %s", s->port,
		      cp2112_bus_where(s->bus), what, lb_strerror(rc));
	return rc;
}

/* With the bus lock held. */
static int set_values(struct cp2112_sb *s, uint8_t values, uint8_t mask)
{
	uint8_t rep[CP2112_REPORT_LEN];
	int n = cp2112_encode_gpio_set(rep, values, mask);
	return cp2112_bus_set_feature(s->bus, rep, (size_t)n);
}

/* With the bus lock held. */
static int get_values(struct cp2112_sb *s, uint8_t *values)
{
	uint8_t rep[CP2112_REPORT_LEN];
	int n = cp2112_bus_get_feature(s->bus, CP2112_GPIO_GET, rep, CP2112_GPIO_GET_LEN);
	if (n < 0)
		return n;
	return cp2112_decode_gpio_get(rep, (size_t)n, values);
}

static int sample(struct cp2112_sb *s, uint8_t *values)
{
	cp2112_bus_lock(s->bus);
	int rc = get_values(s, values);
	cp2112_bus_unlock(s->bus);
	return rc;
}

static int configure(struct cp2112_sb *s)
{
	uint8_t outputs = 0, inputs = 0, levels = 0;
	for (unsigned i = 0; i < LB_SB_COUNT; i++) {
		if (s->pin[i] < 0)
			continue;
		uint8_t bit = (uint8_t)(1u << s->pin[i]);
		if (is_output(i)) {
			outputs |= bit;
			if (level_of(s, i, s->initial[i]))
				levels |= bit;
		} else {
			inputs |= bit;
			levels |= bit; /* an open-drain input needs its latch high */
		}
	}
	uint8_t rep[CP2112_REPORT_LEN];
	struct cp2112_gpio_config cur, next;
	cp2112_bus_lock(s->bus);
	int n = cp2112_bus_get_feature(s->bus, CP2112_GPIO_CONFIG, rep, CP2112_GPIO_CONFIG_LEN);
	int rc = n < 0 ? n : cp2112_decode_gpio_config(rep, (size_t)n, &cur);
	if (rc) {
		cp2112_bus_unlock(s->bus);
		return failed(s, rc, "get GPIO configuration");
	}
	cp2112_gpio_plan(&cur, outputs, inputs, &next);
	const char *what = "set GPIO values";
	rc = set_values(s, levels, (uint8_t)(outputs | inputs));
	if (rc == LB_OK) {
		what = "set GPIO configuration";
		n = cp2112_encode_gpio_config(rep, &next);
		rc = cp2112_bus_set_feature(s->bus, rep, (size_t)n);
	}
	if (rc == LB_OK) {
		what = "set GPIO values";
		rc = set_values(s, levels, (uint8_t)(outputs | inputs));
	}
	uint8_t now = 0;
	if (rc == LB_OK) {
		what = "get GPIO values";
		rc = get_values(s, &now);
	}
	cp2112_bus_unlock(s->bus);
	if (rc)
		return failed(s, rc, what);
	s->last[LB_SB_MODPRSL] = s->pin[LB_SB_MODPRSL] >= 0 ? asserted_of(s, LB_SB_MODPRSL, now) : 0;
	s->last[LB_SB_INTL] = s->pin[LB_SB_INTL] >= 0 ? asserted_of(s, LB_SB_INTL, now) : 0;
	lb_driver_log(s->env, LB_LOG_INFO,
		      "cp2112 sideband, port %u (%s): outputs 0x%02x, inputs 0x%02x, special 0x%02x -> 0x%02x",
		      s->port, cp2112_bus_where(s->bus), outputs, inputs, cur.special, next.special);
	return LB_OK;
}

static void cp2112_sb_close(void *priv);

static int cp2112_sb_open(void *priv, const struct lb_driver_env *env, const struct lb_options *options,
			  void *handle)
{
	struct cp2112_sb *s = priv;
	s->env = env;
	s->tfd = -1;
	for (unsigned i = 0; i < LB_SB_COUNT; i++)
		s->pin[i] = -1;
	bool from_platform = lb_options_has(options, "port");
	int rc = parse(s, options);
	if (rc)
		return lb_driver_error(env, rc, "%s", lb_options_error(options));
	/* A platform's port hands its description; lb_sideband_open() callers the bus itself. */
	struct lb_bus *bus = !handle ? NULL
			     : from_platform ? ((const struct lb_sideband_port *)handle)->bus
					     : handle;
	s->bus = cp2112_bus_of(bus);
	if (!s->bus) {
		const struct lb_sideband_port *where = from_platform ? handle : NULL;
		return lb_driver_error(env, LB_E_INVAL,
				       "cp2112 sideband, port %u: needs the port's bus open with the cp2112 "
				       "bus driver%s%s%s", s->port, where ? "; bus " : "",
				       where && where->bus_name ? where->bus_name : "",
				       where && where->bus_driver ? " uses another driver" : "");
	}
	if ((rc = configure(s)))
		return rc;
	if (s->pin[LB_SB_MODPRSL] >= 0 || s->pin[LB_SB_INTL] >= 0) {
		s->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
		struct itimerspec it = {
			.it_interval = { .tv_sec = (time_t)(s->poll_ms / 1000u),
					 .tv_nsec = (long)(s->poll_ms % 1000u) * 1000000L },
		};
		it.it_value = it.it_interval;
		if (s->tfd < 0 || timerfd_settime(s->tfd, 0, &it, NULL) < 0) {
			int err = errno;
			cp2112_sb_close(s);
			return lb_driver_error(env, LB_E_IO, "cp2112 sideband, port %u: timerfd: %s",
					       s->port, strerror(err));
		}
	}
	return LB_OK;
}

static void cp2112_sb_close(void *priv)
{
	struct cp2112_sb *s = priv;
	if (s->tfd >= 0)
		close(s->tfd);
	s->tfd = -1;
}

static int cp2112_sb_set(void *priv, enum lb_sideband_line line, int asserted)
{
	struct cp2112_sb *s = priv;
	if (!is_output(line))
		return LB_E_INVAL;
	if (s->pin[line] < 0)
		return LB_E_NOTSUP;
	uint8_t bit = (uint8_t)(1u << s->pin[line]);
	cp2112_bus_lock(s->bus);
	int rc = set_values(s, level_of(s, line, asserted) ? bit : 0, bit);
	cp2112_bus_unlock(s->bus);
	return rc ? failed(s, rc, keys[line]) : LB_OK;
}

static int cp2112_sb_get(void *priv, enum lb_sideband_line line, int *asserted)
{
	struct cp2112_sb *s = priv;
	if (s->pin[line] < 0)
		return LB_E_NOTSUP;
	uint8_t v;
	int rc = sample(s, &v);
	if (rc)
		return failed(s, rc, keys[line]);
	*asserted = asserted_of(s, line, v);
	return LB_OK;
}

static int cp2112_sb_event_fd(void *priv)
{
	const struct cp2112_sb *s = priv;
	return s->tfd;
}

static int cp2112_sb_read_event(void *priv, enum lb_sideband_line *line, int *asserted)
{
	struct cp2112_sb *s = priv;
	if (!s->npend) {
		if (s->tfd < 0)
			return LB_E_NOTFOUND;
		uint64_t expiries;
		ssize_t r = read(s->tfd, &expiries, sizeof(expiries));
		if (r != (ssize_t)sizeof(expiries)) {
			if (r < 0 && errno != EAGAIN && errno != EINTR)
				lb_driver_log(s->env, LB_LOG_ERR, "cp2112 sideband, port %u: timerfd: %s",
					      s->port, strerror(errno));
			return LB_E_NOTFOUND; /* the period has not run out: nothing sampled yet */
		}
		uint8_t v;
		int rc = sample(s, &v);
		if (rc)
			return failed(s, rc, "sample");
		static const enum lb_sideband_line lines[2] = { LB_SB_MODPRSL, LB_SB_INTL };
		for (unsigned k = 0; k < 2; k++) {
			enum lb_sideband_line i = lines[k];
			if (s->pin[i] < 0)
				continue;
			int a = asserted_of(s, i, v);
			if (a == s->last[i])
				continue;
			s->last[i] = a;
			s->pend[s->npend++] = (struct cp2112_sb_event){ i, a };
		}
		if (!s->npend)
			return LB_E_NOTFOUND;
	}
	*line = s->pend[0].line;
	*asserted = s->pend[0].asserted;
	s->pend[0] = s->pend[1];
	s->npend--;
	return LB_OK;
}

static const struct lb_sideband_ops cp2112_sb_ops = {
	.size = sizeof(struct lb_sideband_ops),
	.priv_size = sizeof(struct cp2112_sb),
	.open = cp2112_sb_open,
	.close = cp2112_sb_close,
	.set = cp2112_sb_set,
	.get = cp2112_sb_get,
	.event_fd = cp2112_sb_event_fd,
	.read_event = cp2112_sb_read_event,
};

const struct lb_driver lb_sideband_driver_cp2112 = {
	.abi = LB_DRIVER_ABI,
	.size = sizeof(struct lb_driver),
	.kind = LB_DRIVER_SIDEBAND,
	.kind_abi = LB_SIDEBAND_ABI,
	.name = "cp2112",
	.version = "1 (GPIO.0-7 of the cp2112 bus's bridge)",
	.ops.sideband = &cp2112_sb_ops,
};
