/*
 * CRC-32C (Castagnoli) with the x86-64 SSE4.2 crc32 instruction, three streams interleaved so
 * the instruction's 3-cycle latency is hidden (one crc32q per cycle instead of one per three).
 * The streams are joined by multiplying a CRC by x^(8n) mod P, done with four 256-entry tables
 * per block size. This is the method of Mark Adler's crc32c.c (zlib licence, 2013-2015,
 * https://stackoverflow.com/a/17646775), written anew for this N-API module.
 *
 * Exports: crc32c(data: Uint8Array, init?: number): number  -- same contract as @node-rs/crc32
 *          verifyRecords(buf: Uint8Array, from: number, to: number): Promise<number>
 *              -- on libuv's thread pool, walks the TFRecord frames of buf[from..to) from `from`,
 *                 checking both masked CRCs, and resolves the offset where the run of complete,
 *                 valid records ends (`from` if the first is incomplete or corrupt). The reader
 *                 uses it to check the chunk it reads ahead while it hands out the current one.
 *          hardware: boolean                                -- false when the CPU lacks SSE4.2
 * On a CPU without SSE4.2 the module still loads but exports only `hardware: false`; the JS side
 * then keeps its fallback.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <node_api.h>

#if !defined(__x86_64__)
#error "crc32c.c: x86-64 only (other platforms use @node-rs/crc32)"
#endif

#include <nmmintrin.h>

#define POLY 0x82f63b78u
#define LONG_BLOCK 8192
#define SHORT_BLOCK 256

static uint32_t long_shift[4][256];
static uint32_t short_shift[4][256];
static int have_sse42;

/* a * b mod P, polynomials in reflected bit order (bit 31 is x^0). */
static uint32_t multmodp(uint32_t a, uint32_t b) {
  uint32_t m = 1u << 31, p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) == 0) break;
    }
    m >>= 1;
    b = b & 1 ? (b >> 1) ^ POLY : b >> 1;
  }
  return p;
}

/* Tables that multiply a CRC register by x^(8 * len) mod P, one byte of the register at a time. */
static void make_shift_table(uint32_t table[4][256], size_t len) {
  uint32_t xn = 1u << 31; /* x^0 */
  for (size_t i = 0; i < 8 * len; i++) xn = xn & 1 ? (xn >> 1) ^ POLY : xn >> 1;
  for (int k = 0; k < 4; k++)
    for (uint32_t b = 0; b < 256; b++) table[k][b] = multmodp(xn, b << (8 * k));
}

static inline uint32_t shift(uint32_t table[4][256], uint32_t crc) {
  return table[0][crc & 0xff] ^ table[1][(crc >> 8) & 0xff] ^ table[2][(crc >> 16) & 0xff] ^ table[3][crc >> 24];
}

/*
 * While at least 3 blocks remain: CRCs of three consecutive blocks at once (one crc32q per cycle
 * instead of one per three), the first continuing `c0`, joined by shifting over `block` bytes.
 * Inlined with constant block sizes.
 */
__attribute__((target("sse4.2"))) static inline uint64_t crc32c_3way(uint64_t c0, const unsigned char **pp, size_t *len, size_t block, uint32_t table[4][256]) {
  const unsigned char *p = *pp;
  while (*len >= 3 * block) {
    uint64_t c1 = 0, c2 = 0;
    const unsigned char *end = p + block;
    do {
      uint64_t w0, w1, w2;
      memcpy(&w0, p, 8);
      memcpy(&w1, p + block, 8);
      memcpy(&w2, p + 2 * block, 8);
      c0 = _mm_crc32_u64(c0, w0);
      c1 = _mm_crc32_u64(c1, w1);
      c2 = _mm_crc32_u64(c2, w2);
      p += 8;
    } while (p < end);
    c0 = shift(table, (uint32_t)c0) ^ (uint32_t)c1;
    c0 = shift(table, (uint32_t)c0) ^ (uint32_t)c2;
    p += 2 * block;
    *len -= 3 * block;
  }
  *pp = p;
  return c0;
}

__attribute__((target("sse4.2"))) static uint32_t crc32c_hw(uint32_t crc, const unsigned char *p, size_t len) {
  uint64_t c0 = crc ^ 0xffffffffu;
  /* Align to 8 bytes. */
  while (len && ((uintptr_t)p & 7)) {
    c0 = _mm_crc32_u8((uint32_t)c0, *p++);
    len--;
  }
  /* Three interleaved streams over blocks of LONG_BLOCK, then of SHORT_BLOCK bytes. */
  c0 = crc32c_3way(c0, &p, &len, LONG_BLOCK, long_shift);
  c0 = crc32c_3way(c0, &p, &len, SHORT_BLOCK, short_shift);
  while (len >= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    c0 = _mm_crc32_u64(c0, w);
    p += 8;
    len -= 8;
  }
  while (len) {
    c0 = _mm_crc32_u8((uint32_t)c0, *p++);
    len--;
  }
  return (uint32_t)c0 ^ 0xffffffffu;
}

#define CHECK(call)                                                       \
  do {                                                                    \
    if ((call) != napi_ok) {                                              \
      napi_throw_error(env, NULL, "crc32c: N-API call failed: " #call);   \
      return NULL;                                                        \
    }                                                                     \
  } while (0)

/* The bytes of a Uint8Array (or Int8Array / Uint8ClampedArray) argument; false after throwing `message`. */
static bool get_bytes(napi_env env, bool present, napi_value v, const char *message, const unsigned char **data, size_t *length) {
  bool is_typed = false;
  napi_typedarray_type type;
  void *p;
  if (present && napi_is_typedarray(env, v, &is_typed) == napi_ok && is_typed &&
      napi_get_typedarray_info(env, v, &type, length, &p, NULL, NULL) == napi_ok &&
      (type == napi_uint8_array || type == napi_uint8_clamped_array || type == napi_int8_array)) {
    *data = p;
    return true;
  }
  napi_throw_type_error(env, NULL, message);
  return false;
}

static napi_value js_crc32c(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  size_t length;
  const unsigned char *data;
  if (!get_bytes(env, argc, argv[0], "crc32c: expected a Uint8Array", &data, &length)) return NULL;
  uint32_t init = 0;
  if (argc > 1) {
    napi_valuetype vt;
    CHECK(napi_typeof(env, argv[1], &vt));
    if (vt == napi_number) CHECK(napi_get_value_uint32(env, argv[1], &init));
  }
  napi_value out;
  CHECK(napi_create_uint32(env, crc32c_hw(init, data, length), &out));
  return out;
}

/* ---- verifyRecords: TFRecord frame checks off the main thread ---- */

static inline uint32_t unmask(uint32_t masked) {
  uint32_t rot = masked - 0xa282ead8u;
  return (rot >> 17) | (rot << 15);
}

static inline uint32_t load32(const unsigned char *p) {
  uint32_t v;
  memcpy(&v, p, 4); /* x86-64 is little-endian, as the format */
  return v;
}

/* End of the run of complete records with valid CRCs that starts at `from`. */
static size_t verify_run(const unsigned char *buf, size_t from, size_t to) {
  size_t p = from;
  while (to - p >= 16) {
    uint64_t len;
    memcpy(&len, buf + p, 8);
    if (crc32c_hw(0, buf + p, 8) != unmask(load32(buf + p + 8))) break;
    if (len > to - p - 16) break; /* incomplete here */
    if (crc32c_hw(0, buf + p + 12, (size_t)len) != unmask(load32(buf + p + 12 + len))) break;
    p += 16 + (size_t)len;
  }
  return p;
}

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  napi_ref buf_ref; /* keeps the buffer alive while the pool thread reads it */
  const unsigned char *data;
  size_t from, to, result;
} verify_job;

static void verify_execute(napi_env env, void *arg) {
  (void)env;
  verify_job *job = arg;
  job->result = verify_run(job->data, job->from, job->to);
}

static void verify_complete(napi_env env, napi_status status, void *arg) {
  verify_job *job = arg;
  napi_value v;
  if (status == napi_ok && napi_create_double(env, (double)job->result, &v) == napi_ok) {
    napi_resolve_deferred(env, job->deferred, v);
  } else {
    napi_value msg, err;
    napi_create_string_utf8(env, "verifyRecords: job failed", NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, NULL, msg, &err);
    napi_reject_deferred(env, job->deferred, err);
  }
  napi_delete_reference(env, job->buf_ref);
  napi_delete_async_work(env, job->work);
  free(job);
}

static napi_value js_verify_records(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  size_t length;
  const unsigned char *data;
  if (!get_bytes(env, argc >= 3, argv[0], "verifyRecords: expected (Uint8Array, from, to)", &data, &length)) return NULL;
  double from, to;
  CHECK(napi_get_value_double(env, argv[1], &from));
  CHECK(napi_get_value_double(env, argv[2], &to));
  if (!(from >= 0) || !(to >= from) || to > (double)length) {
    napi_throw_range_error(env, NULL, "verifyRecords: need a Uint8Array and 0 <= from <= to <= length");
    return NULL;
  }
  verify_job *job = calloc(1, sizeof *job);
  if (!job) {
    napi_throw_error(env, NULL, "verifyRecords: out of memory");
    return NULL;
  }
  job->data = data;
  job->from = (size_t)from;
  job->to = (size_t)to;
  napi_value promise, name;
  CHECK(napi_create_promise(env, &job->deferred, &promise));
  CHECK(napi_create_reference(env, argv[0], 1, &job->buf_ref));
  CHECK(napi_create_string_utf8(env, "ffem.verifyRecords", NAPI_AUTO_LENGTH, &name));
  CHECK(napi_create_async_work(env, NULL, name, verify_execute, verify_complete, job, &job->work));
  CHECK(napi_queue_async_work(env, job->work));
  return promise;
}

static napi_value init_module(napi_env env, napi_value exports) {
  __builtin_cpu_init();
  have_sse42 = __builtin_cpu_supports("sse4.2");
  make_shift_table(long_shift, LONG_BLOCK);
  make_shift_table(short_shift, SHORT_BLOCK);
  napi_value fn, hw;
  if (have_sse42) { /* without it the module exports only `hardware: false` */
    CHECK(napi_create_function(env, "crc32c", NAPI_AUTO_LENGTH, js_crc32c, NULL, &fn));
    CHECK(napi_set_named_property(env, exports, "crc32c", fn));
    CHECK(napi_create_function(env, "verifyRecords", NAPI_AUTO_LENGTH, js_verify_records, NULL, &fn));
    CHECK(napi_set_named_property(env, exports, "verifyRecords", fn));
  }
  CHECK(napi_get_boolean(env, have_sse42, &hw));
  CHECK(napi_set_named_property(env, exports, "hardware", hw));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init_module)
