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
 *          mapFile(fd: number, offset: number, length: number): Promise<Buffer>
 *              -- on libuv's thread pool, maps bytes [offset, offset + length) of the open file
 *                 `fd` read-only (MAP_SHARED; rejects if the file is already shorter) and resolves
 *                 a Buffer over them; the mapping is unmapped when the Buffer (and every view of
 *                 it) has been garbage-collected. The reader uses it for plain files: chunks and
 *                 records are views into the mapping, no copy. A file truncated while mapped makes
 *                 an access past its new end raise SIGBUS (the caller's documented risk).
 *          releasePages(mapping: Buffer, from: number, to: number): undefined
 *              -- on the pool, drops the page-table entries of the whole pages of a passed stretch
 *                 of a mapFile Buffer (madvise MADV_DONTNEED); views stay valid (pages come back on
 *                 access), so a long read keeps few pages resident.
 * On a CPU without SSE4.2 the module still loads but exports only `hardware: false`, `mapFile`
 * and `releasePages`; the JS side then keeps its CRC fallback.
 */
#define _GNU_SOURCE /* mmap, sysconf and fstat declarations under -std=c11 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
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

/* ---- work on libuv's thread pool ---- */

/*
 * Creates async work `name` (execute on the pool, then complete on the main thread, both with
 * `job`) and queues it. Where a step fails, `*work` is left NULL if it was never created, so the
 * caller can delete what exists and free the job.
 */
static napi_status queue_on_pool(napi_env env, const char *name, napi_async_execute_callback execute, napi_async_complete_callback complete, void *job,
                                 napi_async_work *work) {
  napi_value resource;
  napi_status st = napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource);
  if (st == napi_ok) st = napi_create_async_work(env, NULL, resource, execute, complete, job, work);
  if (st == napi_ok) st = napi_queue_async_work(env, *work);
  return st;
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
  napi_value promise;
  napi_status st = napi_create_promise(env, &job->deferred, &promise);
  if (st == napi_ok) st = napi_create_reference(env, argv[0], 1, &job->buf_ref);
  if (st == napi_ok) st = queue_on_pool(env, "ffem.verifyRecords", verify_execute, verify_complete, job, &job->work);
  if (st != napi_ok) {
    /* Not queued: nothing else refers to the job (an unsettled promise is simply dropped). */
    if (job->work) napi_delete_async_work(env, job->work);
    if (job->buf_ref) napi_delete_reference(env, job->buf_ref);
    free(job);
    napi_throw_error(env, NULL, "crc32c.c verifyRecords: could not queue the check on the thread pool");
    return NULL;
  }
  return promise;
}

/* ---- mapFile: read-only file mappings handed to JS as Buffers ---- */

/* Marks the Buffers mapFile makes, so that releasePages touches nothing else. */
static const napi_type_tag MAPPING_TAG = {0x6666656d2e6d6170ULL, 0x66696c652e746167ULL};

typedef struct {
  void *base; /* page-aligned start of the mapping */
  size_t len; /* its length */
} map_region;

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  int fd;
  size_t offset, length; /* the bytes asked for */
  size_t delta;          /* offset - the page-aligned offset mapped */
  map_region region;
  const char *why; /* NULL when mapped, else what failed (and `err` its errno, or 0) */
  int err;
} map_job;

static void map_execute(napi_env env, void *arg) {
  (void)env;
  map_job *job = arg;
  long page = sysconf(_SC_PAGESIZE);
  size_t align = page > 0 ? (size_t)page : 4096;
  size_t at = job->offset - job->offset % align;
  job->delta = job->offset - at;
  job->region.len = job->delta + job->length;
  /* A file already shorter than the range would fault (SIGBUS) where the range passes its end. */
  struct stat st;
  if (fstat(job->fd, &st) != 0) {
    job->err = errno ? errno : EIO;
    job->why = "fstat failed";
    return;
  }
  if ((uint64_t)st.st_size < (uint64_t)job->offset + job->length) {
    job->why = "the file is shorter than the range to map";
    return;
  }
  /* No MAP_POPULATE: the range may be large; its pages are faulted in chunk by chunk, by the
     frame checks on the pool (or where the records are read). */
  void *p = mmap(NULL, job->region.len, PROT_READ, MAP_SHARED, job->fd, (off_t)at);
  if (p == MAP_FAILED) {
    job->err = errno ? errno : EINVAL;
    job->why = "mmap failed";
    return;
  }
  job->region.base = p;
}

/* Runs on the main thread once the Buffer over the mapping has been collected. */
static void map_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)data;
  map_region *r = hint;
  munmap(r->base, r->len);
  free(r);
}

/* Rejects the job's promise with `message` (+ strerror(err) when err); false if even that failed. */
static bool map_reject(napi_env env, map_job *job, const char *message, int err) {
  char text[256];
  snprintf(text, sizeof text, "%s%s%s", message, err ? ": " : "", err ? strerror(err) : "");
  napi_value msg, error;
  return napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &msg) == napi_ok && napi_create_error(env, NULL, msg, &error) == napi_ok &&
         napi_reject_deferred(env, job->deferred, error) == napi_ok;
}

static void map_complete(napi_env env, napi_status status, void *arg) {
  map_job *job = arg;
  bool settled;
  if (status != napi_ok || job->why) {
    if (job->region.base) munmap(job->region.base, job->region.len);
    settled = map_reject(env, job, status != napi_ok ? "mapFile: job cancelled" : job->why, status != napi_ok ? 0 : job->err);
  } else {
    /* V8 counts the buffer's bytes as external memory, as those of a buffer read into. */
    map_region *r = malloc(sizeof *r);
    napi_value buf;
    if (r) *r = job->region;
    if (r && napi_create_external_buffer(env, job->length, (char *)job->region.base + job->delta, map_finalize, r, &buf) == napi_ok) {
      settled = napi_type_tag_object(env, buf, &MAPPING_TAG) == napi_ok && napi_resolve_deferred(env, job->deferred, buf) == napi_ok;
    } else {
      munmap(job->region.base, job->region.len);
      free(r);
      settled = map_reject(env, job, "mapFile: could not wrap the mapping in a Buffer", 0);
    }
  }
  napi_status del = napi_delete_async_work(env, job->work);
  free(job);
  if (!settled) napi_throw_error(env, NULL, "crc32c.c mapFile: could not settle the promise");
  else if (del != napi_ok) napi_throw_error(env, NULL, "crc32c.c mapFile: napi_delete_async_work failed");
}

static napi_value js_map_file(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 3) {
    napi_throw_type_error(env, NULL, "mapFile: expected (fd, offset, length)");
    return NULL;
  }
  int32_t fd;
  int64_t offset, length;
  CHECK(napi_get_value_int32(env, argv[0], &fd));
  CHECK(napi_get_value_int64(env, argv[1], &offset));
  CHECK(napi_get_value_int64(env, argv[2], &length));
  if (fd < 0 || offset < 0 || length <= 0 || (uint64_t)length > (uint64_t)SIZE_MAX / 2) {
    napi_throw_range_error(env, NULL, "mapFile: need fd >= 0, offset >= 0 and length > 0");
    return NULL;
  }
  map_job *job = calloc(1, sizeof *job);
  if (!job) {
    napi_throw_error(env, NULL, "mapFile: out of memory");
    return NULL;
  }
  job->fd = fd;
  job->offset = (size_t)offset;
  job->length = (size_t)length;
  napi_value promise;
  napi_status st = napi_create_promise(env, &job->deferred, &promise);
  if (st == napi_ok) st = queue_on_pool(env, "ffem.mapFile", map_execute, map_complete, job, &job->work);
  if (st != napi_ok) {
    /* Not queued: nothing else refers to the job (an unsettled promise is simply dropped). */
    if (job->work) napi_delete_async_work(env, job->work);
    free(job);
    napi_throw_error(env, NULL, "crc32c.c mapFile: could not queue the mapping on the thread pool");
    return NULL;
  }
  return promise;
}

/* ---- releasePages: drop the page-table entries of a passed stretch of a mapping ---- */

typedef struct {
  napi_async_work work;
  napi_ref buf_ref; /* keeps the mapping alive (mapped) while the pool thread advises on it */
  void *at;
  size_t len;
} release_job;

static void release_execute(napi_env env, void *arg) {
  (void)env;
  release_job *job = arg;
  /* A shared file mapping: the pages stay in the page cache; an access maps them again. */
  madvise(job->at, job->len, MADV_DONTNEED);
}

static void release_complete(napi_env env, napi_status status, void *arg) {
  (void)status;
  release_job *job = arg;
  napi_status a = napi_delete_reference(env, job->buf_ref);
  napi_status b = napi_delete_async_work(env, job->work);
  free(job);
  if (a != napi_ok || b != napi_ok) napi_throw_error(env, NULL, "crc32c.c releasePages: could not clean up");
}

/*
 * releasePages(mapping: Buffer, from: number, to: number): undefined -- on libuv's thread pool,
 * lets the kernel drop the page-table entries of the whole pages of mapping[from..to), a Buffer
 * made by mapFile, so that a long read keeps few pages mapped (resident). Views of those bytes
 * stay valid: an access maps the pages again from the page cache (or the file).
 */
static napi_value js_release_pages(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  bool ours = false;
  if (argc < 3 || napi_check_object_type_tag(env, argv[0], &MAPPING_TAG, &ours) != napi_ok || !ours) {
    napi_throw_type_error(env, NULL, "releasePages: expected (a Buffer made by mapFile, from, to)");
    return NULL;
  }
  size_t length;
  const unsigned char *data;
  if (!get_bytes(env, true, argv[0], "releasePages: expected a Buffer made by mapFile", &data, &length)) return NULL;
  double from, to;
  CHECK(napi_get_value_double(env, argv[1], &from));
  CHECK(napi_get_value_double(env, argv[2], &to));
  if (!(from >= 0) || !(to >= from) || to > (double)length) {
    napi_throw_range_error(env, NULL, "releasePages: need 0 <= from <= to <= length");
    return NULL;
  }
  long page = sysconf(_SC_PAGESIZE);
  uintptr_t align = page > 0 ? (uintptr_t)page : 4096;
  uintptr_t lo = ((uintptr_t)data + (size_t)from + align - 1) / align * align; /* whole pages only */
  uintptr_t hi = ((uintptr_t)data + (size_t)to) / align * align;
  napi_value undefined;
  CHECK(napi_get_undefined(env, &undefined));
  if (hi <= lo) return undefined;
  release_job *job = calloc(1, sizeof *job);
  if (!job) {
    napi_throw_error(env, NULL, "releasePages: out of memory");
    return NULL;
  }
  job->at = (void *)lo;
  job->len = hi - lo;
  napi_status st = napi_create_reference(env, argv[0], 1, &job->buf_ref);
  if (st == napi_ok) st = queue_on_pool(env, "ffem.releasePages", release_execute, release_complete, job, &job->work);
  if (st != napi_ok) {
    if (job->work) napi_delete_async_work(env, job->work);
    if (job->buf_ref) napi_delete_reference(env, job->buf_ref);
    free(job);
    napi_throw_error(env, NULL, "crc32c.c releasePages: could not queue the job on the thread pool");
    return NULL;
  }
  return undefined;
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
  CHECK(napi_create_function(env, "mapFile", NAPI_AUTO_LENGTH, js_map_file, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "mapFile", fn));
  CHECK(napi_create_function(env, "releasePages", NAPI_AUTO_LENGTH, js_release_pages, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "releasePages", fn));
  CHECK(napi_get_boolean(env, have_sse42, &hw));
  CHECK(napi_set_named_property(env, exports, "hardware", hw));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init_module)
