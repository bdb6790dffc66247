/* SPDX-License-Identifier: MIT */
/*
 * A CP2112 as the host sees it through its HID reports (AN495 layouts, written here from the
 * datasheet independently of the driver's encoders), with an emulator segment on its SMBus
 * side. Output reports go in with cp2112_model_out(), input reports come out of a queue,
 * feature reports are get/set. Its GPIO.0-7 (feature reports 0x02 configuration, 0x03 get,
 * 0x04 set) can be wired to an emulated module's sideband pins: ResetL and LPMode outputs drive
 * the module, ModPrsL and IntL (open-drain, low = asserted) are the module's. Used behind umockdev's usbfs (test_hw_cp2112.c) and directly
 * behind the driver's transfer engine (test_hw_cp2112_reports.c).
 */
#ifndef TESTS_HW_CP2112_MODEL_H
#define TESTS_HW_CP2112_MODEL_H

#include <stdint.h>
#include <string.h>
#include <lightbridge/emulator.h>

#define MODEL_QLEN 32

struct cp2112_model {
	struct lb_emu_segment *seg;
	uint8_t version;            /* 2: write-read with repeated START */
	uint8_t config[14];         /* SMBus configuration report, ID included */
	uint8_t s0, s1;             /* transfer status */
	uint16_t length;            /* bytes read by the last transfer */
	uint8_t rdata[512];
	uint16_t rpos;
	uint8_t q[MODEL_QLEN][64];  /* input reports waiting for the host */
	unsigned qhead, qn;
	/* faults */
	unsigned busy_polls;        /* status says busy for this many polls after each request */
	unsigned busy_left;
	int stuck_busy;             /* the transfer never completes */
	/* what the host did */
	unsigned n_req[0x20];       /* output reports by ID */
	unsigned n_config_set;
	uint32_t clock_hz;          /* from the last SMBus configuration set */
	uint16_t retry_time;
	unsigned max_write, max_read;
	/* GPIO: AN495 reports 0x02, 0x03, 0x04 */
	uint8_t gpio_dir;           /* 1 = output */
	uint8_t gpio_pp;            /* 1 = push-pull, 0 = open-drain */
	uint8_t gpio_special;       /* bit 0 GPIO.7 clock, bit 1 GPIO.0 TX LED, bit 2 GPIO.1 RX LED */
	uint8_t gpio_clkdiv;
	uint8_t gpio_latch;
	int gpio_set_outputs_only;  /* a stricter chip: Set GPIO Values ignored for input pins */
	struct lb_emu_module *gpio_mod; /* wired to these pins (-1: not wired) */
	int pin_resetl, pin_lpmode, pin_modsell, pin_modprsl, pin_intl;
	int resetl_level, lpmode_level; /* as the module sees them */
	unsigned resetl_falls;      /* high -> low edges of the ResetL pin */
	unsigned n_gpio_config_set, n_gpio_set, n_gpio_get;
	uint8_t gpio_order[16];     /* IDs of the GPIO feature sets, in order */
	unsigned n_gpio_order;
};

/* The level on a pin: a push-pull output drives its latch, otherwise the latch can only pull low. */
static inline int model_pin_level(const struct cp2112_model *m, int pin)
{
	if (pin < 0 || pin > 7)
		return 1;
	uint8_t bit = (uint8_t)(1u << pin);
	int ext = 1; /* pull-up */
	if (m->gpio_mod && pin == m->pin_modprsl)
		ext = lb_emu_module_present(m->gpio_mod) ? 0 : 1;
	if (m->gpio_mod && pin == m->pin_intl)
		ext = lb_emu_module_intl(m->gpio_mod) ? 0 : 1;
	int latch = (m->gpio_latch & bit) != 0;
	if ((m->gpio_dir & bit) && (m->gpio_pp & bit))
		return latch;
	return latch && ext;
}

static inline uint8_t model_gpio_levels(const struct cp2112_model *m)
{
	uint8_t v = 0;
	for (int i = 0; i < 8; i++)
		if (model_pin_level(m, i))
			v = (uint8_t)(v | 1u << i);
	return v;
}

/* After a configuration or value change: drive the module's inputs from the pins. */
static inline void model_gpio_apply(struct cp2112_model *m)
{
	if (!m->gpio_mod)
		return;
	int r = model_pin_level(m, m->pin_resetl), l = model_pin_level(m, m->pin_lpmode);
	if (m->pin_resetl >= 0 && r != m->resetl_level) {
		if (!r)
			m->resetl_falls++;
		m->resetl_level = r;
		lb_emu_module_set_resetl(m->gpio_mod, !r); /* active-low */
	}
	if (m->pin_lpmode >= 0 && l != m->lpmode_level) {
		m->lpmode_level = l;
		lb_emu_module_set_lpmode(m->gpio_mod, l); /* active-high */
	}
}

/* Wire the pins to a module: GPIO.0 ResetL, .1 LPMode, .2 ModSelL, .3 ModPrsL, .4 IntL. */
static inline void model_wire(struct cp2112_model *m, struct lb_emu_module *mod)
{
	m->gpio_mod = mod;
	m->pin_resetl = 0;
	m->pin_lpmode = 1;
	m->pin_modsell = 2;
	m->pin_modprsl = 3;
	m->pin_intl = 4;
	m->resetl_level = model_pin_level(m, 0);
	m->lpmode_level = model_pin_level(m, 1);
}

static inline void model_init(struct cp2112_model *m, struct lb_emu_segment *seg)
{
	memset(m, 0, sizeof(*m));
	m->seg = seg;
	m->version = 2;
	static const uint8_t def[14] = { 0x06, 0x00, 0x01, 0x86, 0xA0, 0x02, 0x00, 0x00, 0x00,
					 0x00, 0x00, 0x00, 0x00, 0x00 }; /* 100 kHz, no timeouts */
	memcpy(m->config, def, sizeof(def));
	/* power-on: every pin an open-drain input with its latch high; LED functions enabled */
	m->gpio_latch = 0xFF;
	m->gpio_special = 0x06;
	m->pin_resetl = m->pin_lpmode = m->pin_modsell = m->pin_modprsl = m->pin_intl = -1;
}

static inline void model_push(struct cp2112_model *m, const uint8_t *rep)
{
	if (m->qn == MODEL_QLEN)
		return;
	memcpy(m->q[(m->qhead + m->qn) % MODEL_QLEN], rep, 64);
	m->qn++;
}

/* Take the next input report; 0 when none is waiting. */
static inline int model_in(struct cp2112_model *m, uint8_t *rep)
{
	if (!m->qn)
		return 0;
	memcpy(rep, m->q[m->qhead], 64);
	m->qhead = (m->qhead + 1) % MODEL_QLEN;
	m->qn--;
	return 64;
}

static inline void model_run(struct cp2112_model *m, struct lb_i2c_msg *msgs, unsigned n, uint16_t rlen)
{
	int rc = lb_emu_segment_xfer(m->seg, msgs, n);
	m->rpos = 0;
	m->length = 0;
	m->busy_left = m->busy_polls;
	if (rc == LB_OK) {
		m->s0 = 0x02;
		m->s1 = 0x05;
		m->length = rlen;
	} else if (rc == LB_E_NACK) {
		m->s0 = 0x03;
		m->s1 = 0x00;
	} else {
		m->s0 = 0x03;
		m->s1 = 0x03;
	}
}

static inline void model_out(struct cp2112_model *m, const uint8_t *rep, size_t len)
{
	uint8_t id = rep[0], r[64];
	if (id < 0x20)
		m->n_req[id]++;
	memset(r, 0, sizeof(r));
	switch (id) {
	case 0x10: { /* Data Read Request: address<<1, length BE16 */
		uint16_t rlen = (uint16_t)(rep[2] << 8 | rep[3]);
		if (rlen < 1 || rlen > 512)
			return;
		struct lb_i2c_msg msg = { .addr = (uint16_t)(rep[1] >> 1), .flags = LB_I2C_M_RD, .len = rlen,
					  .buf = m->rdata };
		if (rlen > m->max_read)
			m->max_read = rlen;
		model_run(m, &msg, 1, rlen);
		break;
	}
	case 0x11: { /* Data Write Read Request: address, length BE16, target length, target */
		uint16_t rlen = (uint16_t)(rep[2] << 8 | rep[3]);
		uint8_t tlen = rep[4], target[16];
		if (rlen < 1 || rlen > 512 || tlen < 1 || tlen > 16)
			return;
		memcpy(target, rep + 5, tlen);
		struct lb_i2c_msg msgs[2] = {
			{ .addr = (uint16_t)(rep[1] >> 1), .flags = 0, .len = tlen, .buf = target },
			{ .addr = (uint16_t)(rep[1] >> 1), .flags = LB_I2C_M_RD, .len = rlen, .buf = m->rdata },
		};
		if (rlen > m->max_read)
			m->max_read = rlen;
		model_run(m, msgs, 2, rlen);
		break;
	}
	case 0x14: { /* Data Write: address, length, data */
		uint8_t wlen = rep[2], data[61];
		if (wlen < 1 || wlen > 61)
			return;
		memcpy(data, rep + 3, wlen);
		if (wlen > m->max_write)
			m->max_write = wlen;
		struct lb_i2c_msg msg = { .addr = (uint16_t)(rep[1] >> 1), .flags = 0, .len = wlen, .buf = data };
		model_run(m, &msg, 1, 0);
		break;
	}
	case 0x15: /* Transfer Status Request */
		r[0] = 0x16;
		if (m->stuck_busy || m->busy_left) {
			if (m->busy_left)
				m->busy_left--;
			r[1] = 0x01;
			r[2] = 0x02;
		} else {
			r[1] = m->s0;
			r[2] = m->s1;
			r[5] = (uint8_t)(m->length >> 8);
			r[6] = (uint8_t)m->length;
		}
		model_push(m, r);
		break;
	case 0x12: { /* Data Read Force Send: length BE16; responses of <= 61 bytes */
		uint16_t want = (uint16_t)(rep[1] << 8 | rep[2]);
		while (want && m->rpos < m->length) {
			uint16_t left = (uint16_t)(m->length - m->rpos);
			uint8_t chunk = (uint8_t)(left < 61 ? left : 61);
			if (chunk > want)
				chunk = (uint8_t)want;
			memset(r, 0, sizeof(r));
			r[0] = 0x13;
			r[1] = m->rpos + chunk == m->length ? 0x02 : 0x01;
			r[2] = chunk;
			memcpy(r + 3, m->rdata + m->rpos, chunk);
			m->rpos = (uint16_t)(m->rpos + chunk);
			want = (uint16_t)(want - chunk);
			model_push(m, r);
		}
		break;
	}
	case 0x17: /* Cancel Transfer */
		m->s0 = 0x00;
		m->s1 = 0x00;
		m->stuck_busy = 0;
		break;
	default:
		break;
	}
	(void)len;
}

static inline int model_get_feature(struct cp2112_model *m, uint8_t id, uint8_t *buf, size_t len)
{
	uint8_t r[64] = { 0 };
	size_t n;
	if (id == 0x05) {
		r[0] = 0x05;
		r[1] = 0x0C; /* part number: CP2112 */
		r[2] = m->version;
		n = 3;
	} else if (id == 0x06) {
		memcpy(r, m->config, 14);
		n = 14;
	} else if (id == 0x02) {
		r[0] = 0x02;
		r[1] = m->gpio_dir;
		r[2] = m->gpio_pp;
		r[3] = m->gpio_special;
		r[4] = m->gpio_clkdiv;
		n = 5;
	} else if (id == 0x03) {
		r[0] = 0x03;
		r[1] = model_gpio_levels(m);
		m->n_gpio_get++;
		n = 2;
	} else {
		return -1;
	}
	if (len < n)
		n = len;
	memcpy(buf, r, n);
	return (int)n;
}

static inline int model_set_feature(struct cp2112_model *m, const uint8_t *buf, size_t len)
{
	if (buf[0] == 0x02 || buf[0] == 0x04) {
		if (len < (buf[0] == 0x02 ? 5u : 3u))
			return -1;
		if (m->n_gpio_order < 16)
			m->gpio_order[m->n_gpio_order++] = buf[0];
		if (buf[0] == 0x02) {
			m->gpio_dir = buf[1];
			m->gpio_pp = buf[2];
			m->gpio_special = buf[3];
			m->gpio_clkdiv = buf[4];
			m->n_gpio_config_set++;
		} else {
			uint8_t mask = m->gpio_set_outputs_only ? (uint8_t)(buf[2] & m->gpio_dir) : buf[2];
			m->gpio_latch = (uint8_t)((m->gpio_latch & ~mask) | (buf[1] & mask));
			m->n_gpio_set++;
		}
		model_gpio_apply(m);
		return 0;
	}
	if (buf[0] != 0x06 || len < 14)
		return -1;
	memcpy(m->config, buf, 14);
	m->n_config_set++;
	m->clock_hz = (uint32_t)buf[1] << 24 | (uint32_t)buf[2] << 16 | (uint32_t)buf[3] << 8 | buf[4];
	m->retry_time = (uint16_t)(buf[12] << 8 | buf[13]);
	return 0;
}

#endif
