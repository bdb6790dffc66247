/* SPDX-License-Identifier: MIT */
/*
 * Silicon Labs CP2112 HID USB-to-SMBus bridge: the HID report protocol of AN495, as pure,
 * device-free encoders and decoders, and the transfer engine built on them over a small
 * transport (cp2112_io) that the libusb side implements (and tests may implement too).
 * Multi-byte fields of the SMBus reports are big-endian.
 */
#ifndef LB_DRIVERS_BUS_CP2112_PROTO_H
#define LB_DRIVERS_BUS_CP2112_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lightbridge/driver.h>

#define CP2112_VID 0x10C4u
#define CP2112_PID 0xEA90u
#define CP2112_REPORT_LEN 64u          /* every interrupt report, report ID included */
#define CP2112_WRITE_MAX 61u           /* data bytes of one Data Write report */
#define CP2112_READ_MAX 512u           /* bytes one read request may ask for */
#define CP2112_READ_CHUNK 61u          /* data bytes of one Data Read Response */
#define CP2112_TARGET_ADDR_MAX 16u     /* bytes written before the repeated START (0x11) */
#define CP2112_CONFIG_LEN 14u          /* SMBus Configuration feature report, ID included */

enum cp2112_report_id {
	CP2112_GPIO_CONFIG = 0x02,             /* feature get/set: direction, push-pull, special, divider */
	CP2112_GPIO_GET = 0x03,                /* feature get: pin levels */
	CP2112_GPIO_SET = 0x04,                /* feature set: levels under a mask */
	CP2112_GET_VERSION_INFO = 0x05,        /* feature: part number, device version */
	CP2112_SMBUS_CONFIG = 0x06,            /* feature get/set */
	CP2112_DATA_READ_REQUEST = 0x10,       /* out */
	CP2112_DATA_WRITE_READ_REQUEST = 0x11, /* out: write up to 16 bytes, repeated START, read */
	CP2112_DATA_READ_FORCE_SEND = 0x12,    /* out: send what was read */
	CP2112_DATA_READ_RESPONSE = 0x13,      /* in */
	CP2112_DATA_WRITE = 0x14,              /* out */
	CP2112_TRANSFER_STATUS_REQUEST = 0x15, /* out */
	CP2112_TRANSFER_STATUS_RESPONSE = 0x16, /* in */
	CP2112_CANCEL_TRANSFER = 0x17,         /* out */
};

#define CP2112_GPIO_CONFIG_LEN 5u      /* GPIO Configuration feature report, ID included */
#define CP2112_GPIO_GET_LEN 2u         /* Get GPIO Values */
#define CP2112_GPIO_SET_LEN 3u         /* Set GPIO Values */
#define CP2112_GPIO_COUNT 8u

/*
 * Special functions (byte 3 of the GPIO Configuration report): each takes a pin away from
 * GPIO use while enabled.
 */
#define CP2112_SPECIAL_GPIO7_CLK 0x01u  /* GPIO.7 outputs the clock (divider in byte 4) */
#define CP2112_SPECIAL_GPIO0_TXT 0x02u  /* GPIO.0 toggles on SMBus transmit (LED) */
#define CP2112_SPECIAL_GPIO1_RXT 0x04u  /* GPIO.1 toggles on SMBus receive (LED) */

/* Status 0 of the transfer status and read responses. */
enum cp2112_status0 {
	CP2112_S0_IDLE = 0x00,
	CP2112_S0_BUSY = 0x01,
	CP2112_S0_COMPLETE = 0x02,
	CP2112_S0_ERROR = 0x03,
};

/* Status 1 when status 0 is ERROR (when BUSY: 0 address ACKed, 1 address NACKed, 2 reading, 3 writing). */
enum cp2112_status1_error {
	CP2112_S1_TIMEOUT_NACK = 0x00,      /* the address was not acknowledged */
	CP2112_S1_TIMEOUT_BUS = 0x01,       /* bus not free (SCL held low) */
	CP2112_S1_ARBITRATION_LOST = 0x02,
	CP2112_S1_READ_INCOMPLETE = 0x03,
	CP2112_S1_WRITE_INCOMPLETE = 0x04,
	CP2112_S1_SUCCEEDED_AFTER_RETRY = 0x05,
};

struct cp2112_smbus_config {
	uint32_t clock_hz;          /* SCL rate */
	uint8_t device_address;     /* the CP2112's own slave address, 8-bit form (bit 0 ignored) */
	bool auto_send_read;        /* false: the host asks for read data with Force Send */
	uint16_t write_timeout_ms;  /* 0 = none */
	uint16_t read_timeout_ms;   /* 0 = none */
	bool scl_low_timeout;
	uint16_t retry_time;        /* address-NACK retries by the chip; 0 = no limit */
};

struct cp2112_status {
	uint8_t status0, status1;
	uint16_t retries; /* retries the chip made */
	uint16_t length;  /* bytes read when complete */
};

struct cp2112_read_response {
	uint8_t status0;
	uint8_t length;         /* valid data bytes (<= 61) */
	const uint8_t *data;    /* points into the decoded report */
};

/* GPIO Configuration: one bit per pin (bit n = GPIO.n). */
struct cp2112_gpio_config {
	uint8_t direction;  /* 1 = output */
	uint8_t push_pull;  /* 1 = push-pull, 0 = open-drain (an input is open-drain, latch high) */
	uint8_t special;    /* CP2112_SPECIAL_* enabled */
	uint8_t clock_div;  /* GPIO.7 clock: 48 MHz / (2 * div), 0 = 48 MHz */
};

/* Encoders fill out[CP2112_REPORT_LEN] (zero padded) and return the meaningful length, or LB_E_INVAL. */
int cp2112_encode_config(uint8_t *out, const struct cp2112_smbus_config *c);
int cp2112_encode_read(uint8_t *out, uint16_t addr7, uint16_t len);
int cp2112_encode_write_read(uint8_t *out, uint16_t addr7, const uint8_t *wr, size_t wlen, uint16_t rlen);
int cp2112_encode_write(uint8_t *out, uint16_t addr7, const uint8_t *data, size_t len);
int cp2112_encode_force_send(uint8_t *out, uint16_t len);
int cp2112_encode_status_request(uint8_t *out);
int cp2112_encode_cancel(uint8_t *out);

int cp2112_encode_gpio_config(uint8_t *out, const struct cp2112_gpio_config *c);
/** Set GPIO Values: pins in mask take their bit of values; the others keep their latch. */
int cp2112_encode_gpio_set(uint8_t *out, uint8_t values, uint8_t mask);

/* Decoders: LB_E_PARSE when the report is not the one expected or too short. */
int cp2112_decode_config(const uint8_t *in, size_t len, struct cp2112_smbus_config *c);
int cp2112_decode_status(const uint8_t *in, size_t len, struct cp2112_status *st);
int cp2112_decode_read_response(const uint8_t *in, size_t len, struct cp2112_read_response *r);
int cp2112_decode_gpio_config(const uint8_t *in, size_t len, struct cp2112_gpio_config *c);
/** Get GPIO Values: the level of each pin (outputs read back their latch). */
int cp2112_decode_gpio_get(const uint8_t *in, size_t len, uint8_t *values);

/** The special functions that occupy any of these pins. */
uint8_t cp2112_gpio_special_of(uint8_t pins);
/**
 * The configuration a sideband wants from the one the chip has: outputs push-pull, inputs
 * open-drain inputs, special functions on any of those pins disabled, every other pin and the
 * clock divider as they were.
 */
void cp2112_gpio_plan(const struct cp2112_gpio_config *cur, uint8_t outputs, uint8_t inputs,
		      struct cp2112_gpio_config *next);

/**
 * What a status response means: LB_OK (complete), 1 (still busy or not started: poll again),
 * or LB_E_NACK (address NACKed), LB_E_TIMEOUT (bus not free), LB_E_BUSY (arbitration lost),
 * LB_E_SHORT (read incomplete), LB_E_IO (write incomplete, anything else).
 */
int cp2112_status_result(const struct cp2112_status *st);
/** "address NACKed" etc., for logs. */
const char *cp2112_status_text(const struct cp2112_status *st);

/* The transport: interrupt reports and feature reports of one opened CP2112. */
struct cp2112_io {
	/** Send one output report (CP2112_REPORT_LEN bytes). LB_OK or a status. */
	int (*send)(void *user, const uint8_t *report);
	/** Receive one input report within timeout_ms; its length, or a negative status (LB_E_TIMEOUT: none came). */
	int (*recv)(void *user, uint8_t *report, unsigned timeout_ms);
	/** GET_REPORT (feature) id into buf[0..len-1] (buf[0] = id). Length got, or a status. */
	int (*get_feature)(void *user, uint8_t id, uint8_t *buf, size_t len);
	/** SET_REPORT (feature), buf[0] = id. LB_OK or a status. */
	int (*set_feature)(void *user, const uint8_t *buf, size_t len);
	void *user;
};

struct cp2112_engine {
	struct cp2112_io io;
	const struct lb_driver_env *env;
	const char *name;          /* for logs */
	uint32_t xfer_timeout_ms;  /* one transfer, status polls included */
	uint32_t nack_retry_ms;    /* busy-NACK retry budget, 0 = none */
	uint32_t resp_timeout_ms;  /* one input report */
	uint8_t part_number, version;
	uint64_t polls;            /* status requests sent (statistics, tests) */
};

/** Read the version, and set the SMBus configuration (clock, timeouts, one chip retry). */
int cp2112_engine_configure(struct cp2112_engine *e, uint32_t clock_hz);
/**
 * Run a combined transfer: one write (<= 61 bytes), one read (<= 512 bytes), or a write of
 * <= 16 bytes then a read from the same address (repeated START). Other shapes: LB_E_NOTSUP.
 * NACKs are retried for nack_retry_ms on the env clock; the status poll is bounded by
 * xfer_timeout_ms (then Cancel Transfer and LB_E_TIMEOUT).
 */
int cp2112_engine_xfer(struct cp2112_engine *e, struct lb_i2c_msg *msgs, unsigned n);

#endif
