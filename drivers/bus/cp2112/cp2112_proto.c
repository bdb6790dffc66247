/* SPDX-License-Identifier: MIT */
/* CP2112 report encoders and decoders (AN495) and the transfer engine over cp2112_io. */
#include <string.h>
#include "drivers/bus/cp2112/cp2112_proto.h"

#define CP2112_POLL_SLEEP_NS 200000u  /* between status polls while the chip is busy */
#define CP2112_NACK_SLEEP_NS 1000000u /* between attempts of a NACKed transfer */

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static int start(uint8_t *out, uint8_t id)
{
	memset(out, 0, CP2112_REPORT_LEN);
	out[0] = id;
	return 1;
}

int cp2112_encode_config(uint8_t *out, const struct cp2112_smbus_config *c)
{
	start(out, CP2112_SMBUS_CONFIG);
	out[1] = (uint8_t)(c->clock_hz >> 24);
	out[2] = (uint8_t)(c->clock_hz >> 16);
	out[3] = (uint8_t)(c->clock_hz >> 8);
	out[4] = (uint8_t)c->clock_hz;
	out[5] = c->device_address;
	out[6] = c->auto_send_read ? 1 : 0;
	put_be16(out + 7, c->write_timeout_ms);
	put_be16(out + 9, c->read_timeout_ms);
	out[11] = c->scl_low_timeout ? 1 : 0;
	put_be16(out + 12, c->retry_time);
	return CP2112_CONFIG_LEN;
}

int cp2112_decode_config(const uint8_t *in, size_t len, struct cp2112_smbus_config *c)
{
	if (len < CP2112_CONFIG_LEN || in[0] != CP2112_SMBUS_CONFIG)
		return LB_E_PARSE;
	c->clock_hz = (uint32_t)in[1] << 24 | (uint32_t)in[2] << 16 | (uint32_t)in[3] << 8 | in[4];
	c->device_address = in[5];
	c->auto_send_read = in[6] != 0;
	c->write_timeout_ms = get_be16(in + 7);
	c->read_timeout_ms = get_be16(in + 9);
	c->scl_low_timeout = in[11] != 0;
	c->retry_time = get_be16(in + 12);
	return LB_OK;
}

int cp2112_encode_read(uint8_t *out, uint16_t addr7, uint16_t len)
{
	if (addr7 > 0x7F || len < 1 || len > CP2112_READ_MAX)
		return LB_E_INVAL;
	start(out, CP2112_DATA_READ_REQUEST);
	out[1] = (uint8_t)(addr7 << 1);
	put_be16(out + 2, len);
	return 4;
}

int cp2112_encode_write_read(uint8_t *out, uint16_t addr7, const uint8_t *wr, size_t wlen, uint16_t rlen)
{
	if (addr7 > 0x7F || rlen < 1 || rlen > CP2112_READ_MAX || wlen < 1 ||
	    wlen > CP2112_TARGET_ADDR_MAX || !wr)
		return LB_E_INVAL;
	start(out, CP2112_DATA_WRITE_READ_REQUEST);
	out[1] = (uint8_t)(addr7 << 1);
	put_be16(out + 2, rlen);
	out[4] = (uint8_t)wlen;
	memcpy(out + 5, wr, wlen);
	return (int)(5 + wlen);
}

int cp2112_encode_write(uint8_t *out, uint16_t addr7, const uint8_t *data, size_t len)
{
	if (addr7 > 0x7F || len < 1 || len > CP2112_WRITE_MAX || !data)
		return LB_E_INVAL;
	start(out, CP2112_DATA_WRITE);
	out[1] = (uint8_t)(addr7 << 1);
	out[2] = (uint8_t)len;
	memcpy(out + 3, data, len);
	return (int)(3 + len);
}

int cp2112_encode_force_send(uint8_t *out, uint16_t len)
{
	if (len < 1 || len > CP2112_READ_MAX)
		return LB_E_INVAL;
	start(out, CP2112_DATA_READ_FORCE_SEND);
	put_be16(out + 1, len);
	return 3;
}

int cp2112_encode_status_request(uint8_t *out)
{
	start(out, CP2112_TRANSFER_STATUS_REQUEST);
	out[1] = 0x01;
	return 2;
}

int cp2112_encode_cancel(uint8_t *out)
{
	start(out, CP2112_CANCEL_TRANSFER);
	out[1] = 0x01;
	return 2;
}

int cp2112_encode_gpio_config(uint8_t *out, const struct cp2112_gpio_config *c)
{
	start(out, CP2112_GPIO_CONFIG);
	out[1] = c->direction;
	out[2] = c->push_pull;
	out[3] = c->special;
	out[4] = c->clock_div;
	return CP2112_GPIO_CONFIG_LEN;
}

int cp2112_encode_gpio_set(uint8_t *out, uint8_t values, uint8_t mask)
{
	start(out, CP2112_GPIO_SET);
	out[1] = values;
	out[2] = mask;
	return CP2112_GPIO_SET_LEN;
}

int cp2112_decode_gpio_config(const uint8_t *in, size_t len, struct cp2112_gpio_config *c)
{
	if (len < CP2112_GPIO_CONFIG_LEN || in[0] != CP2112_GPIO_CONFIG)
		return LB_E_PARSE;
	c->direction = in[1];
	c->push_pull = in[2];
	c->special = in[3];
	c->clock_div = in[4];
	return LB_OK;
}

int cp2112_decode_gpio_get(const uint8_t *in, size_t len, uint8_t *values)
{
	if (len < CP2112_GPIO_GET_LEN || in[0] != CP2112_GPIO_GET)
		return LB_E_PARSE;
	*values = in[1];
	return LB_OK;
}

uint8_t cp2112_gpio_special_of(uint8_t pins)
{
	uint8_t s = 0;
	if (pins & 0x80u)
		s |= CP2112_SPECIAL_GPIO7_CLK;
	if (pins & 0x01u)
		s |= CP2112_SPECIAL_GPIO0_TXT;
	if (pins & 0x02u)
		s |= CP2112_SPECIAL_GPIO1_RXT;
	return s;
}

void cp2112_gpio_plan(const struct cp2112_gpio_config *cur, uint8_t outputs, uint8_t inputs,
		      struct cp2112_gpio_config *next)
{
	uint8_t ours = (uint8_t)(outputs | inputs);
	next->direction = (uint8_t)((cur->direction & ~ours) | outputs);
	next->push_pull = (uint8_t)((cur->push_pull & ~ours) | outputs);
	next->special = (uint8_t)(cur->special & ~cp2112_gpio_special_of(ours));
	next->clock_div = cur->clock_div;
}

int cp2112_decode_status(const uint8_t *in, size_t len, struct cp2112_status *st)
{
	if (len < 7 || in[0] != CP2112_TRANSFER_STATUS_RESPONSE)
		return LB_E_PARSE;
	st->status0 = in[1];
	st->status1 = in[2];
	st->retries = get_be16(in + 3);
	st->length = get_be16(in + 5);
	return LB_OK;
}

int cp2112_decode_read_response(const uint8_t *in, size_t len, struct cp2112_read_response *r)
{
	if (len < 3 || in[0] != CP2112_DATA_READ_RESPONSE || in[2] > CP2112_READ_CHUNK ||
	    (size_t)in[2] + 3 > len)
		return LB_E_PARSE;
	r->status0 = in[1];
	r->length = in[2];
	r->data = in + 3;
	return LB_OK;
}

int cp2112_status_result(const struct cp2112_status *st)
{
	switch (st->status0) {
	case CP2112_S0_COMPLETE:
		return LB_OK;
	case CP2112_S0_IDLE:
	case CP2112_S0_BUSY:
		return 1;
	case CP2112_S0_ERROR:
		switch (st->status1) {
		case CP2112_S1_TIMEOUT_NACK:
			return LB_E_NACK;
		case CP2112_S1_TIMEOUT_BUS:
			return LB_E_TIMEOUT;
		case CP2112_S1_ARBITRATION_LOST:
			return LB_E_BUSY;
		case CP2112_S1_READ_INCOMPLETE:
			return LB_E_SHORT;
		default:
			return LB_E_IO;
		}
	default:
		return LB_E_IO;
	}
}

const char *cp2112_status_text(const struct cp2112_status *st)
{
	if (st->status0 == CP2112_S0_COMPLETE)
		return "complete";
	if (st->status0 == CP2112_S0_IDLE)
		return "idle";
	if (st->status0 == CP2112_S0_BUSY)
		return "busy";
	if (st->status0 != CP2112_S0_ERROR)
		return "unknown status";
	static const char *const why[] = { "address NACKed", "bus not free (SCL low timeout)",
					   "arbitration lost", "read incomplete", "write incomplete",
					   "succeeded after retries" };
	return st->status1 < 6 ? why[st->status1] : "unknown error";
}

/* ---- engine ---- */

static uint64_t now_ns(const struct cp2112_engine *e)
{
	return e->env->clock.now_ns(e->env->clock.user);
}

static void sleep_ns(const struct cp2112_engine *e, uint64_t ns)
{
	e->env->clock.sleep_ns(e->env->clock.user, ns);
}

/* Receive input reports until one with the wanted ID arrives (others are stale: dropped). */
static int recv_id(struct cp2112_engine *e, uint8_t id, uint8_t *rep)
{
	for (unsigned stale = 0; stale < 8; stale++) {
		int n = e->io.recv(e->io.user, rep, e->resp_timeout_ms);
		if (n < 0)
			return n;
		if (n >= 1 && rep[0] == id)
			return n;
		lb_driver_log(e->env, LB_LOG_DEBUG, "cp2112 %s: dropped input report 0x%02x waiting for 0x%02x",
			      e->name, n >= 1 ? rep[0] : 0, id);
	}
	return LB_E_IO;
}

int cp2112_engine_configure(struct cp2112_engine *e, uint32_t clock_hz)
{
	uint8_t buf[CP2112_REPORT_LEN];
	int rc = e->io.get_feature(e->io.user, CP2112_GET_VERSION_INFO, buf, 3);
	if (rc < 0)
		return rc;
	if (rc < 3 || buf[0] != CP2112_GET_VERSION_INFO)
		return LB_E_IO;
	e->part_number = buf[1];
	e->version = buf[2];
	rc = e->io.get_feature(e->io.user, CP2112_SMBUS_CONFIG, buf, CP2112_CONFIG_LEN);
	if (rc < 0)
		return rc;
	struct cp2112_smbus_config c;
	if (cp2112_decode_config(buf, (size_t)rc, &c))
		return LB_E_IO;
	c.clock_hz = clock_hz;
	c.auto_send_read = false;  /* read data comes when asked for (Force Send) */
	c.write_timeout_ms = (uint16_t)(e->xfer_timeout_ms < 1000 ? e->xfer_timeout_ms : 1000);
	c.read_timeout_ms = c.write_timeout_ms;
	c.scl_low_timeout = true;
	c.retry_time = 1;          /* the bounded busy retry is ours, on the context clock */
	int len = cp2112_encode_config(buf, &c);
	rc = e->io.set_feature(e->io.user, buf, (size_t)len);
	if (rc < 0)
		return rc;
	lb_driver_log(e->env, LB_LOG_DEBUG, "cp2112 %s: part 0x%02x version %u, SMBus %u Hz", e->name,
		      e->part_number, e->version, clock_hz);
	return LB_OK;
}

/* Poll Transfer Status until complete or an error, bounded by xfer_timeout_ms. */
static int wait_status(struct cp2112_engine *e, struct cp2112_status *st)
{
	uint8_t rep[CP2112_REPORT_LEN];
	uint64_t deadline = now_ns(e) + (uint64_t)e->xfer_timeout_ms * 1000000u;
	for (;;) {
		cp2112_encode_status_request(rep);
		int rc = e->io.send(e->io.user, rep);
		if (rc)
			return rc;
		e->polls++;
		int n = recv_id(e, CP2112_TRANSFER_STATUS_RESPONSE, rep);
		if (n < 0)
			return n;
		if (cp2112_decode_status(rep, (size_t)n, st))
			return LB_E_IO;
		rc = cp2112_status_result(st);
		if (rc <= 0) {
			if (rc)
				lb_driver_log(e->env, rc == LB_E_NACK ? LB_LOG_DEBUG : LB_LOG_WARN,
					      "cp2112 %s: transfer: %s", e->name, cp2112_status_text(st));
			return rc;
		}
		if (now_ns(e) >= deadline)
			break;
		sleep_ns(e, CP2112_POLL_SLEEP_NS);
	}
	cp2112_encode_cancel(rep);
	e->io.send(e->io.user, rep);
	lb_driver_log(e->env, LB_LOG_WARN, "cp2112 %s: transfer still %s after %u ms: cancelled", e->name,
		      cp2112_status_text(st), e->xfer_timeout_ms);
	return LB_E_TIMEOUT;
}

/* Fetch len read bytes with Force Send, <= 61 per Data Read Response. */
static int fetch(struct cp2112_engine *e, uint8_t *buf, uint16_t len)
{
	uint8_t rep[CP2112_REPORT_LEN];
	uint16_t got = 0;
	while (got < len) {
		/* One response per request: ask for at most what one Data Read Response holds. */
		unsigned left = (unsigned)len - got;
		uint16_t ask = (uint16_t)(left < CP2112_READ_CHUNK ? left : CP2112_READ_CHUNK);
		cp2112_encode_force_send(rep, ask);
		int rc = e->io.send(e->io.user, rep);
		if (rc)
			return rc;
		int n = recv_id(e, CP2112_DATA_READ_RESPONSE, rep);
		if (n < 0)
			return n;
		struct cp2112_read_response r;
		if (cp2112_decode_read_response(rep, (size_t)n, &r))
			return LB_E_IO;
		if (r.length == 0)
			return LB_E_SHORT;
		uint16_t take = r.length < ask ? r.length : ask;
		memcpy(buf + got, r.data, take);
		got = (uint16_t)(got + take);
	}
	return LB_OK;
}

static int xfer_once(struct cp2112_engine *e, struct lb_i2c_msg *msgs, unsigned n)
{
	uint8_t rep[CP2112_REPORT_LEN];
	struct lb_i2c_msg *rd = NULL;
	int len;
	if (n == 1 && !(msgs[0].flags & LB_I2C_M_RD)) {
		len = cp2112_encode_write(rep, msgs[0].addr, msgs[0].buf, msgs[0].len);
	} else if (n == 1) {
		rd = &msgs[0];
		len = cp2112_encode_read(rep, rd->addr, rd->len);
	} else if (n == 2 && !(msgs[0].flags & LB_I2C_M_RD) && (msgs[1].flags & LB_I2C_M_RD) &&
		   msgs[0].addr == msgs[1].addr) {
		rd = &msgs[1];
		if (e->version < 2) {
			/* Version 1 parts have no repeated START: write the offset, then read from it. */
			struct lb_i2c_msg w = msgs[0];
			int rc = xfer_once(e, &w, 1);
			if (rc)
				return rc;
			return xfer_once(e, rd, 1);
		}
		len = cp2112_encode_write_read(rep, msgs[0].addr, msgs[0].buf, msgs[0].len, rd->len);
	} else {
		lb_driver_log(e->env, LB_LOG_WARN, "cp2112 %s: a %u-message transfer of this shape is not supported",
			      e->name, n);
		return LB_E_NOTSUP;
	}
	if (len < 0)
		return len;
	int rc = e->io.send(e->io.user, rep);
	if (rc)
		return rc;
	struct cp2112_status st;
	if ((rc = wait_status(e, &st)))
		return rc;
	if (!rd)
		return LB_OK;
	if (st.length < rd->len) {
		lb_driver_log(e->env, LB_LOG_WARN, "cp2112 %s: read %u of %u bytes", e->name, st.length, rd->len);
		return LB_E_SHORT;
	}
	return fetch(e, rd->buf, rd->len);
}

int cp2112_engine_xfer(struct cp2112_engine *e, struct lb_i2c_msg *msgs, unsigned n)
{
	if (!msgs || n == 0)
		return LB_E_INVAL;
	uint64_t deadline = 0;
	unsigned attempts = 0;
	int rc;
	for (;;) {
		rc = xfer_once(e, msgs, n);
		attempts++;
		if (rc != LB_E_NACK || !e->nack_retry_ms)
			break;
		uint64_t t = now_ns(e);
		if (!deadline)
			deadline = t + (uint64_t)e->nack_retry_ms * 1000000u;
		else if (t >= deadline)
			break;
		sleep_ns(e, CP2112_NACK_SLEEP_NS);
	}
	if (attempts > 1)
		lb_driver_log(e->env, LB_LOG_DEBUG, "cp2112 %s: address 0x%02x: %s after %u attempts", e->name,
			      msgs[0].addr, rc ? "still NACK" : "answered", attempts);
	return rc;
}
