/*
 * Memory-bound training kernels for the tfjs `wasm` backend, run natively on all cores over the
 * backend's own heap (no copies): batch normalization in training (statistics + normalize,
 * and the analytic gradient) in two passes each way, ReLU and its gradient, same-shape add,
 * MaxPool's gradient, im2col/col2im, and the SGD-momentum and Adam updates (slots in place, new
 * weights to a buffer of the caller's). What tfjs runs as a dozen elementwise ops and reductions (each a
 * full pass over memory, each a fresh heap allocation) runs here as the minimum number of passes,
 * vectorized by the compiler and split over a small persistent thread pool.
 *
 * Every function takes the heap (a Uint8Array over the wasm memory, fetched again on every call
 * because the heap's buffer is replaced when it grows) and byte offsets into it; sizes are in
 * elements. Float32 throughout; sums are accumulated in double. Offsets and sizes are checked
 * against the heap's length; the caller (packages/backend/src/wasm/native.ts) checks shapes.
 *
 * Built by native/build.mjs (root postinstall); where it cannot be built (or is not loaded),
 * the kernels that use it hand their work to tfjs' own ops (same results up to float rounding).
 */
#include <math.h>
#include <node_api.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHECK(call)                                                                 \
  do {                                                                              \
    if ((call) != napi_ok) {                                                        \
      napi_throw_error(env, NULL, "@ffem/backend native kernels: N-API call failed: " #call); \
      return NULL;                                                                  \
    }                                                                               \
  } while (0)

/* ---------------------------------------------------------------- thread pool */

/*
 * A task is split into `chunks` independent pieces that the caller and the pool's workers claim
 * one at a time (an atomic counter tagged with the task's generation, so a worker that wakes late
 * can never claim a piece of the next task). The caller never waits for a worker that has not
 * started: on a busy machine (another process on the other core) it simply does all the pieces
 * itself, instead of waiting a scheduler time slice for a statically assigned half.
 */
typedef void (*task_fn)(void *ctx, int chunk, int chunks);

#define MAX_THREADS 16
static int pool_size = 0; /* threads including the caller; 0 = not started */
static pthread_mutex_t pool_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_start = PTHREAD_COND_INITIALIZER;
static uint32_t pool_gen = 0;   /* under pool_mu */
static task_fn pool_fn;         /* under pool_mu */
static void *pool_ctx;          /* under pool_mu */
static int pool_chunks;         /* under pool_mu */
static uint64_t pool_next = 0;  /* atomic: generation << 32 | next chunk */
static uint32_t pool_done = 0;  /* atomic: chunks finished in the current generation */

/* Claims and runs chunks of generation `gen` until none is left. */
static void run_chunks(uint32_t gen, task_fn fn, void *ctx, int chunks) {
  for (;;) {
    uint64_t v = __atomic_load_n(&pool_next, __ATOMIC_ACQUIRE);
    if ((uint32_t)(v >> 32) != gen || (int)(uint32_t)v >= chunks) return;
    if (!__atomic_compare_exchange_n(&pool_next, &v, v + 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) continue;
    fn(ctx, (int)(uint32_t)v, chunks);
    __atomic_add_fetch(&pool_done, 1, __ATOMIC_ACQ_REL);
  }
}

static void *pool_worker(void *arg) {
  (void)arg;
  uint32_t seen = 0;
  for (;;) {
    pthread_mutex_lock(&pool_mu);
    while (pool_gen == seen) pthread_cond_wait(&pool_start, &pool_mu);
    seen = pool_gen;
    task_fn fn = pool_fn;
    void *ctx = pool_ctx;
    int chunks = pool_chunks;
    pthread_mutex_unlock(&pool_mu);
    run_chunks(seen, fn, ctx, chunks);
  }
  return NULL;
}

/* Starts the workers once (FFEM_NATIVE_THREADS, else every online core, at most MAX_THREADS). */
static void pool_init(void) {
  if (pool_size) return;
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  const char *env = getenv("FFEM_NATIVE_THREADS");
  if (env && *env) n = strtol(env, NULL, 10);
  if (n < 1) n = 1;
  if (n > MAX_THREADS) n = MAX_THREADS;
  int started = 1;
  for (int i = 1; i < n; i++) {
    pthread_t t;
    if (pthread_create(&t, NULL, pool_worker, NULL) != 0) break;
    pthread_detach(t);
    started++;
  }
  pool_size = started;
}

/* Runs fn(ctx, chunk, chunks) for every chunk, on the caller and whichever workers join in. */
static void run_parts(task_fn fn, void *ctx, int chunks) {
  pool_init();
  if (chunks <= 1 || pool_size == 1) {
    for (int i = 0; i < chunks; i++) fn(ctx, i, chunks);
    return;
  }
  pthread_mutex_lock(&pool_mu);
  uint32_t gen = ++pool_gen;
  pool_fn = fn;
  pool_ctx = ctx;
  pool_chunks = chunks;
  __atomic_store_n(&pool_done, 0, __ATOMIC_RELEASE);
  __atomic_store_n(&pool_next, (uint64_t)gen << 32, __ATOMIC_RELEASE);
  pthread_cond_broadcast(&pool_start);
  pthread_mutex_unlock(&pool_mu);
  run_chunks(gen, fn, ctx, chunks);
  /* Only chunks a worker has claimed and is running are left: wait for them. */
  while (__atomic_load_n(&pool_done, __ATOMIC_ACQUIRE) != (uint32_t)chunks) sched_yield();
}

/* Chunks for `work` elements: one below 64K (a wake-up costs more than it saves), else pieces of
 * about 256K elements, at least four per thread and at most 64. */
static int parts_for(size_t work) {
  if (work < (1u << 16)) return 1;
  pool_init();
  size_t chunks = work >> 18;
  if (chunks < (size_t)pool_size * 4) chunks = (size_t)pool_size * 4;
  if (chunks > 64) chunks = 64;
  return (int)chunks;
}

static inline void split(size_t n, int part, int parts, size_t *from, size_t *to) {
  *from = n * (size_t)part / (size_t)parts;
  *to = n * (size_t)(part + 1) / (size_t)parts;
}

/* ---------------------------------------------------------------- argument helpers */

typedef struct {
  napi_env env;
  napi_value *argv;
  size_t argc;
  uint8_t *heap;
  size_t heap_len;
  const char *name;
  int failed;
} args_t;

static int fail(args_t *a, const char *what) {
  if (!a->failed) {
    char msg[200];
    snprintf(msg, sizeof msg, "@ffem/backend native %s: %s", a->name, what);
    napi_throw_range_error(a->env, NULL, msg);
  }
  a->failed = 1;
  return 0;
}

/* Reads argv[0] as the heap (a Uint8Array); expects `want` arguments in all. */
static int open_args(napi_env env, napi_callback_info info, napi_value *argv, size_t want, const char *name, args_t *a) {
  memset(a, 0, sizeof *a);
  a->env = env;
  a->argv = argv;
  a->name = name;
  a->argc = want;
  if (napi_get_cb_info(env, info, &a->argc, argv, NULL, NULL) != napi_ok || a->argc < want) return fail(a, "wrong number of arguments");
  napi_typedarray_type type;
  size_t length, offset;
  void *data;
  napi_value buffer;
  bool is_ta = false;
  if (napi_is_typedarray(env, argv[0], &is_ta) != napi_ok || !is_ta) return fail(a, "argument 0 must be the heap (Uint8Array)");
  if (napi_get_typedarray_info(env, argv[0], &type, &length, &data, &buffer, &offset) != napi_ok || type != napi_uint8_array || !data)
    return fail(a, "argument 0 must be the heap (Uint8Array)");
  a->heap = data;
  a->heap_len = length;
  return 1;
}

static double num(args_t *a, size_t i) {
  double v = 0;
  if (a->failed) return 0;
  if (napi_get_value_double(a->env, a->argv[i], &v) != napi_ok) fail(a, "expected a number argument");
  return v;
}

static size_t count(args_t *a, size_t i) {
  double v = num(a, i);
  if (a->failed) return 0;
  if (!(v >= 0) || v != floor(v) || v > 1e15) fail(a, "expected a non-negative integer");
  return (size_t)v;
}

/* A float32 array of `n` elements at byte offset argv[i] of the heap. */
static float *f32(args_t *a, size_t i, size_t n) {
  size_t off = count(a, i);
  if (a->failed) return NULL;
  if (off % 4 || off > a->heap_len || n > (a->heap_len - off) / 4) {
    fail(a, "array outside the heap or misaligned");
    return NULL;
  }
  return (float *)(a->heap + off);
}

/*
 * An NHWC window geometry (pooling, im2col): n images of in_h x in_w x c; k_h x k_w windows at
 * strides s_h, s_w, the first at (-pad_top, -pad_left); out_h x out_w of them.
 */
typedef struct {
  size_t n, in_h, in_w, c, out_h, out_w, k_h, k_w, s_h, s_w;
  long pad_top, pad_left;
} window_t;

/* Reads argv[first..first+11]: n, inH, inW, c, outH, outW, kH, kW, strideH, strideW, padTop, padLeft. */
static int window_args(args_t *a, size_t first, window_t *w) {
  w->n = count(a, first), w->in_h = count(a, first + 1), w->in_w = count(a, first + 2), w->c = count(a, first + 3);
  w->out_h = count(a, first + 4), w->out_w = count(a, first + 5), w->k_h = count(a, first + 6), w->k_w = count(a, first + 7);
  w->s_h = count(a, first + 8), w->s_w = count(a, first + 9);
  w->pad_top = (long)num(a, first + 10), w->pad_left = (long)num(a, first + 11);
  return !a->failed;
}

/* ---------------------------------------------------------------- batch normalization */

/* Per-part partial sums over rows, per channel: s1 = Σ u, s2 = Σ u·v. */
typedef struct {
  const float *u, *v;
  size_t rows, c;
  double *partial; /* parts x 2 x c */
} sums_t;

static void sums_part(void *arg, int part, int parts) {
  sums_t *s = arg;
  size_t r0, r1, c = s->c;
  split(s->rows, part, parts, &r0, &r1);
  double *s1 = s->partial + (size_t)part * 2 * c, *s2 = s1 + c;
  memset(s1, 0, 2 * c * sizeof(double));
  for (size_t r = r0; r < r1; r++) {
    const float *u = s->u + r * c, *v = s->v + r * c;
    for (size_t k = 0; k < c; k++) {
      double x = u[k];
      s1[k] += x;
      s2[k] += x * (double)v[k];
    }
  }
}

/* out1 = Σ u, out2 = Σ u·v over rows (double, `out` has 2·c entries). */
static int channel_sums(const float *u, const float *v, size_t rows, size_t c, double *out) {
  int parts = parts_for(rows * c);
  if ((size_t)parts > rows) parts = (int)rows;
  sums_t s = {u, v, rows, c, calloc((size_t)parts * 2 * c, sizeof(double))};
  if (!s.partial) return 0;
  run_parts(sums_part, &s, parts);
  memcpy(out, s.partial, 2 * c * sizeof(double));
  for (int p = 1; p < parts; p++)
    for (size_t k = 0; k < 2 * c; k++) out[k] += s.partial[(size_t)p * 2 * c + k];
  free(s.partial);
  return 1;
}

/* out = u·k1[c] + v·k2[c] + k3[c] per row (v and k2 optional). */
typedef struct {
  const float *u, *v;
  float *out;
  size_t rows, c;
  const float *k1, *k2, *k3;
} affine_t;

static void affine_part(void *arg, int part, int parts) {
  affine_t *s = arg;
  size_t r0, r1, c = s->c;
  split(s->rows, part, parts, &r0, &r1);
  for (size_t r = r0; r < r1; r++) {
    const float *u = s->u + r * c;
    float *o = s->out + r * c;
    if (s->v) {
      const float *v = s->v + r * c;
      for (size_t k = 0; k < c; k++) o[k] = u[k] * s->k1[k] + v[k] * s->k2[k] + s->k3[k];
    } else {
      for (size_t k = 0; k < c; k++) o[k] = u[k] * s->k1[k] + s->k3[k];
    }
  }
}

static void affine(const float *u, const float *v, float *out, size_t rows, size_t c, const float *k1, const float *k2, const float *k3) {
  affine_t s = {u, v, out, rows, c, k1, k2, k3};
  run_parts(affine_part, &s, parts_for(rows * c));
}

/*
 * For both batch-norm passes: checks the input is not empty, then sums u and u·v per channel over
 * rows into `*s` (2c doubles) and allocates `*k` (nk·c floats) for the caller's per-channel
 * factors. False, with a JS error thrown, where it cannot; the caller frees both otherwise.
 */
static int bn_sums(args_t *a, const float *u, const float *v, size_t rows, size_t c, size_t nk, double **s, float **k) {
  if (!rows || !c) return fail(a, "empty input");
  *s = malloc(2 * c * sizeof(double));
  *k = malloc(nk * c * sizeof(float));
  if (*s && *k && channel_sums(u, v, rows, c, *s)) return 1;
  free(*s), free(*k);
  char msg[120];
  snprintf(msg, sizeof msg, "@ffem/backend native %s: out of memory", a->name);
  napi_throw_error(a->env, NULL, msg);
  return 0;
}

/*
 * bnForward(heap, x, y, gamma, beta, mean, variance, invStd, rows, channels, epsilon):
 * statistics of x [rows, channels] over rows (mean, biased variance, 1/sqrt(variance + epsilon)),
 * then y = (x - mean)·gamma·invStd + beta.
 */
static napi_value js_bn_forward(napi_env env, napi_callback_info info) {
  napi_value argv[11];
  args_t a;
  if (!open_args(env, info, argv, 11, "bnForward", &a)) return NULL;
  size_t rows = count(&a, 8), c = count(&a, 9);
  double eps = num(&a, 10);
  size_t n = rows * c;
  const float *x = f32(&a, 1, n), *gamma = f32(&a, 3, c), *beta = f32(&a, 4, c);
  float *y = f32(&a, 2, n), *mean = f32(&a, 5, c), *var = f32(&a, 6, c), *inv = f32(&a, 7, c);
  double *s;
  float *k;
  if (a.failed || !bn_sums(&a, x, x, rows, c, 2, &s, &k)) return NULL;
  for (size_t j = 0; j < c; j++) {
    double m = s[j] / (double)rows;
    double v = s[c + j] / (double)rows - m * m;
    if (v < 0) v = 0;
    double is = 1.0 / sqrt(v + eps);
    mean[j] = (float)m;
    var[j] = (float)v;
    inv[j] = (float)is;
    k[j] = (float)(gamma[j] * is);                  /* a = γσ⁻¹ */
    k[c + j] = (float)(beta[j] - m * gamma[j] * is); /* β − μa */
  }
  affine(x, NULL, y, rows, c, k, NULL, k + c);
  free(s), free(k);
  return NULL;
}

/*
 * bnBackward(heap, dy, x, mean, invStd, gamma, dx, dGamma, dBeta, rows, channels): with
 * a = γσ⁻¹, dβ = Σdy, dγ = σ⁻¹·Σdy·(x − μ) and
 * dx = a·dy − x·(a·σ⁻¹·dγ/N) + (μ·a·σ⁻¹·dγ/N − a·dβ/N).
 */
static napi_value js_bn_backward(napi_env env, napi_callback_info info) {
  napi_value argv[11];
  args_t a;
  if (!open_args(env, info, argv, 11, "bnBackward", &a)) return NULL;
  size_t rows = count(&a, 9), c = count(&a, 10);
  size_t n = rows * c;
  const float *dy = f32(&a, 1, n), *x = f32(&a, 2, n), *mean = f32(&a, 3, c), *inv = f32(&a, 4, c), *gamma = f32(&a, 5, c);
  float *dx = f32(&a, 6, n), *dgamma = f32(&a, 7, c), *dbeta = f32(&a, 8, c);
  double *s;
  float *k;
  if (a.failed || !bn_sums(&a, dy, x, rows, c, 3, &s, &k)) return NULL;
  for (size_t j = 0; j < c; j++) {
    double is = inv[j], m = mean[j], sdy = s[j];
    double sdyxc = s[c + j] - m * sdy; /* Σdy·(x − μ) */
    double dg = is * sdyxc;
    double aa = gamma[j] * is;
    double kk = aa * is * dg / (double)rows;
    dgamma[j] = (float)dg;
    dbeta[j] = (float)sdy;
    k[j] = (float)aa;
    k[c + j] = (float)-kk;
    k[2 * c + j] = (float)(m * kk - aa * sdy / (double)rows);
  }
  affine(dy, x, dx, rows, c, k, k + c, k + 2 * c);
  free(s), free(k);
  return NULL;
}

/* ---------------------------------------------------------------- elementwise: ReLU, its gradient, add */

typedef struct {
  const float *a, *b;
  float *out;
  size_t n;
} binary_t;

static void relu_part(void *arg, int part, int parts) {
  binary_t *s = arg;
  size_t i0, i1;
  split(s->n, part, parts, &i0, &i1);
  /* max(0, x) as tfjs' reference kernel: NaN stays NaN, -0 becomes 0 */
  for (size_t i = i0; i < i1; i++) {
    float x = s->a[i];
    s->out[i] = x > 0.0f ? x : (x != x ? x : 0.0f);
  }
}

static void relu_grad_part(void *arg, int part, int parts) {
  binary_t *s = arg; /* a = dy, b = x */
  size_t i0, i1;
  split(s->n, part, parts, &i0, &i1);
  /* dy · step(x), as tfjs-core's gradient (step(NaN) = NaN, so NaN·dy = NaN) */
  for (size_t i = i0; i < i1; i++) {
    float x = s->b[i];
    float step = x > 0.0f ? 1.0f : (x != x ? x : 0.0f);
    s->out[i] = s->a[i] * step;
  }
}

static void add_part(void *arg, int part, int parts) {
  binary_t *s = arg;
  size_t i0, i1;
  split(s->n, part, parts, &i0, &i1);
  for (size_t i = i0; i < i1; i++) s->out[i] = s->a[i] + s->b[i];
}

/* Takes (heap, input 1[, input 2], out, n) and runs `part` over the n elements on the pool. */
static napi_value elementwise(napi_env env, napi_callback_info info, const char *name, size_t inputs, task_fn part) {
  napi_value argv[5];
  args_t a;
  if (!open_args(env, info, argv, inputs + 3, name, &a)) return NULL;
  size_t n = count(&a, inputs + 2);
  binary_t s = {f32(&a, 1, n), inputs > 1 ? f32(&a, 2, n) : NULL, f32(&a, inputs + 1, n), n};
  if (a.failed) return NULL;
  run_parts(part, &s, parts_for(n));
  return NULL;
}

/* relu(heap, x, y, n): y = max(0, x). */
static napi_value js_relu(napi_env env, napi_callback_info info) { return elementwise(env, info, "relu", 1, relu_part); }

/* reluGrad(heap, dy, x, dx, n): dx = dy·step(x). */
static napi_value js_relu_grad(napi_env env, napi_callback_info info) { return elementwise(env, info, "reluGrad", 2, relu_grad_part); }

/* add(heap, a, b, out, n): out = a + b, same shapes. */
static napi_value js_add(napi_env env, napi_callback_info info) { return elementwise(env, info, "add", 2, add_part); }

/* ---------------------------------------------------------------- MaxPool gradient */

typedef struct {
  window_t w;
  const float *dy, *x;
  float *dx;
} pool_t;

static void max_pool_grad_part(void *arg, int part, int parts) {
  pool_t *p = arg;
  size_t b0, b1, c = p->w.c;
  split(p->w.n, part, parts, &b0, &b1);
  float *best = malloc(c * sizeof(float));
  size_t *at = malloc(c * sizeof(size_t));
  if (!best || !at) abort();
  size_t image = p->w.in_h * p->w.in_w * c;
  memset(p->dx + b0 * image, 0, (b1 - b0) * image * sizeof(float));
  for (size_t b = b0; b < b1; b++) {
    const float *x = p->x + b * image;
    float *dx = p->dx + b * image;
    const float *dy = p->dy + b * p->w.out_h * p->w.out_w * c;
    for (size_t oh = 0; oh < p->w.out_h; oh++) {
      for (size_t ow = 0; ow < p->w.out_w; ow++) {
        /* first maximum in window order (rows, then columns), as tfjs' maxPoolPositions */
        for (size_t k = 0; k < c; k++) best[k] = -INFINITY, at[k] = SIZE_MAX;
        long h0 = (long)(oh * p->w.s_h) - p->w.pad_top, w0 = (long)(ow * p->w.s_w) - p->w.pad_left;
        for (size_t fh = 0; fh < p->w.k_h; fh++) {
          long h = h0 + (long)fh;
          if (h < 0 || h >= (long)p->w.in_h) continue;
          for (size_t fw = 0; fw < p->w.k_w; fw++) {
            long w = w0 + (long)fw;
            if (w < 0 || w >= (long)p->w.in_w) continue;
            size_t base = ((size_t)h * p->w.in_w + (size_t)w) * c;
            const float *xs = x + base;
            for (size_t k = 0; k < c; k++) {
              if (xs[k] > best[k]) best[k] = xs[k], at[k] = base + k;
            }
          }
        }
        const float *g = dy + (oh * p->w.out_w + ow) * c;
        for (size_t k = 0; k < c; k++)
          if (at[k] != SIZE_MAX) dx[at[k]] += g[k];
      }
    }
  }
  free(best);
  free(at);
}

/*
 * maxPoolGrad(heap, dy, x, dx, batch, inH, inW, channels, outH, outW, filterH, filterW,
 * strideH, strideW, padTop, padLeft): NHWC; dx gets each dy at its window's first maximum.
 */
static napi_value js_max_pool_grad(napi_env env, napi_callback_info info) {
  napi_value argv[16];
  args_t a;
  if (!open_args(env, info, argv, 16, "maxPoolGrad", &a)) return NULL;
  pool_t p;
  if (!window_args(&a, 4, &p.w)) return NULL;
  p.dy = f32(&a, 1, p.w.n * p.w.out_h * p.w.out_w * p.w.c);
  p.x = f32(&a, 2, p.w.n * p.w.in_h * p.w.in_w * p.w.c);
  p.dx = f32(&a, 3, p.w.n * p.w.in_h * p.w.in_w * p.w.c);
  if (a.failed) return NULL;
  if (!p.w.c || !p.w.s_h || !p.w.s_w) return fail(&a, "zero channels or stride"), NULL;
  int parts = parts_for(p.w.n * p.w.in_h * p.w.in_w * p.w.c);
  if ((size_t)parts > p.w.n) parts = p.w.n ? (int)p.w.n : 1;
  run_parts(max_pool_grad_part, &p, parts);
  return NULL;
}

/* ---------------------------------------------------------------- SGD with momentum */

typedef struct {
  const float *w;
  float *m;
  const float *g;
  float *w_out;
  size_t n;
  float lr, mu;
  int nesterov;
} momentum_t;

static void momentum_part(void *arg, int part, int parts) {
  momentum_t *s = arg;
  size_t i0, i1;
  split(s->n, part, parts, &i0, &i1);
  float lr = s->lr, mu = s->mu;
  /* As tfjs' MomentumOptimizer: m = m·μ + g; w = w − lr·m (Nesterov: w = w − lr·(g + m·μ)). */
  if (s->nesterov) {
    for (size_t i = i0; i < i1; i++) {
      float m = s->m[i] * mu + s->g[i];
      s->m[i] = m;
      s->w_out[i] = s->w[i] + (m * mu + s->g[i]) * -lr;
    }
  } else {
    for (size_t i = i0; i < i1; i++) {
      float m = s->m[i] * mu + s->g[i];
      s->m[i] = m;
      s->w_out[i] = s->w[i] + m * -lr;
    }
  }
}

/*
 * momentumUpdate(heap, w, m, g, wOut, n, lr, momentum, nesterov): the accumulator m updated in
 * place, the new weights written to wOut (which may be w).
 */
static napi_value js_momentum(napi_env env, napi_callback_info info) {
  napi_value argv[9];
  args_t a;
  if (!open_args(env, info, argv, 9, "momentumUpdate", &a)) return NULL;
  size_t n = count(&a, 5);
  momentum_t s = {f32(&a, 1, n), f32(&a, 2, n), f32(&a, 3, n), f32(&a, 4, n), n, (float)num(&a, 6), (float)num(&a, 7), num(&a, 8) != 0};
  if (a.failed) return NULL;
  run_parts(momentum_part, &s, parts_for(n));
  return NULL;
}

/* ---------------------------------------------------------------- Adam */

typedef struct {
  const float *w;
  float *m, *v;
  const float *g;
  float *w_out;
  size_t n;
  float nlr, b1, c1, b2, c2, eps, omab1, omab2;
} adam_t;

static void adam_part(void *arg, int part, int parts) {
  adam_t *s = arg;
  size_t i0, i1;
  split(s->n, part, parts, &i0, &i1);
  /* tfjs' AdamOptimizer, op by op (each a float32 rounding): m = m·β1 + g·(1−β1);
     v = v·β2 + g²·(1−β2); w = ((m / (1−β1ᵗ)) / (sqrt(v / (1−β2ᵗ)) + ε))·(−lr) + w */
  const float c1 = s->c1, c2 = s->c2, nlr = s->nlr;
  for (size_t i = i0; i < i1; i++) {
    float g = s->g[i];
    float m = s->m[i] * s->b1 + g * c1;
    float gg = g * g;
    float v = s->v[i] * s->b2 + gg * c2;
    s->m[i] = m;
    s->v[i] = v;
    float mh = m / s->omab1, vh = v / s->omab2;
    float den = sqrtf(vh) + s->eps;
    s->w_out[i] = (mh / den) * nlr + s->w[i];
  }
}

/*
 * adamUpdate(heap, w, m, v, g, wOut, n, -lr, beta1, 1 - beta1, beta2, 1 - beta2, epsilon,
 * accBeta1, accBeta2): the moments m, v updated in place, the new weights written to wOut (which
 * may be w). The scalars as tfjs makes them: each computed in double by
 * the caller and rounded to float32 here; accBeta* are β^t before this step's update (float32
 * values of tfjs' accBeta variables), 1 − β^t is taken in float32 as tfjs' sub(1, accBeta).
 */
static napi_value js_adam(napi_env env, napi_callback_info info) {
  napi_value argv[15];
  args_t a;
  if (!open_args(env, info, argv, 15, "adamUpdate", &a)) return NULL;
  size_t n = count(&a, 6);
  adam_t s = {f32(&a, 1, n), f32(&a, 2, n), f32(&a, 3, n), f32(&a, 4, n), f32(&a, 5, n), n, (float)num(&a, 7), (float)num(&a, 8), (float)num(&a, 9), (float)num(&a, 10), (float)num(&a, 11), (float)num(&a, 12), 0, 0};
  float acc1 = (float)num(&a, 13), acc2 = (float)num(&a, 14);
  if (a.failed) return NULL;
  s.omab1 = 1.0f - acc1;
  s.omab2 = 1.0f - acc2;
  run_parts(adam_part, &s, parts_for(n));
  return NULL;
}

/* ---------------------------------------------------------------- im2col / col2im (NHWC) */

/*
 * Column matrix: rows = output pixels (n, oh, ow), columns = (kh, kw, c), the order of a tfjs
 * filter's first three axes (packages/backend/src/wasm/im2col.ts has the same in JS).
 */
typedef struct {
  window_t w;
  float *x, *cols;
} geom_t;

/* The window geometry at argv[3..14], then the image at argv[1] and the column matrix at argv[2]. */
static int geom_args(args_t *a, geom_t *g) {
  if (!window_args(a, 3, &g->w)) return 0;
  const window_t *w = &g->w;
  g->x = f32(a, 1, w->n * w->in_h * w->in_w * w->c);
  g->cols = f32(a, 2, w->n * w->out_h * w->out_w * w->k_h * w->k_w * w->c);
  return !a->failed;
}

static void im2col_part(void *arg, int part, int parts) {
  geom_t *g = arg;
  size_t rows = g->w.n * g->w.out_h * g->w.out_w, r0, r1, c = g->w.c;
  size_t seg = g->w.k_w * c, row_len = g->w.k_h * seg;
  split(rows, part, parts, &r0, &r1);
  for (size_t r = r0; r < r1; r++) {
    size_t b = r / (g->w.out_h * g->w.out_w), rem = r % (g->w.out_h * g->w.out_w);
    size_t oh = rem / g->w.out_w, ow = rem % g->w.out_w;
    const float *xb = g->x + b * g->w.in_h * g->w.in_w * c;
    float *dst = g->cols + r * row_len;
    long ih0 = (long)(oh * g->w.s_h) - g->w.pad_top, iw0 = (long)(ow * g->w.s_w) - g->w.pad_left;
    long kw0 = iw0 < 0 ? -iw0 : 0, kw1 = (long)g->w.in_w - iw0;
    if (kw1 > (long)g->w.k_w) kw1 = (long)g->w.k_w;
    for (size_t kh = 0; kh < g->w.k_h; kh++) {
      long ih = ih0 + (long)kh;
      float *d = dst + kh * seg;
      if (ih < 0 || ih >= (long)g->w.in_h || kw1 <= kw0) {
        memset(d, 0, seg * sizeof(float));
        continue;
      }
      if (kw0 > 0) memset(d, 0, (size_t)kw0 * c * sizeof(float));
      memcpy(d + (size_t)kw0 * c, xb + ((size_t)ih * g->w.in_w + (size_t)(iw0 + kw0)) * c, (size_t)(kw1 - kw0) * c * sizeof(float));
      if (kw1 < (long)g->w.k_w) memset(d + (size_t)kw1 * c, 0, ((size_t)g->w.k_w - (size_t)kw1) * c * sizeof(float));
    }
  }
}

/* im2col(heap, x, cols, n, inH, inW, c, outH, outW, kH, kW, strideH, strideW, padTop, padLeft) */
static napi_value js_im2col(napi_env env, napi_callback_info info) {
  napi_value argv[15];
  args_t a;
  geom_t g;
  if (!open_args(env, info, argv, 15, "im2col", &a) || !geom_args(&a, &g)) return NULL;
  run_parts(im2col_part, &g, parts_for(g.w.n * g.w.out_h * g.w.out_w * g.w.k_h * g.w.k_w * g.w.c));
  return NULL;
}

static void col2im_part(void *arg, int part, int parts) {
  geom_t *g = arg; /* g->x is dx here */
  size_t b0, b1, c = g->w.c, seg = g->w.k_w * c, row_len = g->w.k_h * seg, image = g->w.in_h * g->w.in_w * c;
  split(g->w.n, part, parts, &b0, &b1);
  memset(g->x + b0 * image, 0, (b1 - b0) * image * sizeof(float));
  for (size_t b = b0; b < b1; b++) {
    float *xb = g->x + b * image;
    const float *src = g->cols + b * g->w.out_h * g->w.out_w * row_len;
    for (size_t oh = 0; oh < g->w.out_h; oh++) {
      long ih0 = (long)(oh * g->w.s_h) - g->w.pad_top;
      for (size_t ow = 0; ow < g->w.out_w; ow++, src += row_len) {
        long iw0 = (long)(ow * g->w.s_w) - g->w.pad_left;
        long kw0 = iw0 < 0 ? -iw0 : 0, kw1 = (long)g->w.in_w - iw0;
        if (kw1 > (long)g->w.k_w) kw1 = (long)g->w.k_w;
        if (kw1 <= kw0) continue;
        for (size_t kh = 0; kh < g->w.k_h; kh++) {
          long ih = ih0 + (long)kh;
          if (ih < 0 || ih >= (long)g->w.in_h) continue;
          const float *s = src + kh * seg + (size_t)kw0 * c;
          float *d = xb + ((size_t)ih * g->w.in_w + (size_t)(iw0 + kw0)) * c;
          size_t len = (size_t)(kw1 - kw0) * c;
          for (size_t i = 0; i < len; i++) d[i] += s[i];
        }
      }
    }
  }
}

/* col2im(heap, dx, cols, ...as im2col): dx = the column matrix added back onto the image (zeroed first). */
static napi_value js_col2im(napi_env env, napi_callback_info info) {
  napi_value argv[15];
  args_t a;
  geom_t g;
  if (!open_args(env, info, argv, 15, "col2im", &a) || !geom_args(&a, &g)) return NULL;
  int parts = parts_for(g.w.n * g.w.out_h * g.w.out_w * g.w.k_h * g.w.k_w * g.w.c);
  if ((size_t)parts > g.w.n) parts = g.w.n ? (int)g.w.n : 1;
  run_parts(col2im_part, &g, parts);
  return NULL;
}

/* ---------------------------------------------------------------- module */

static napi_value js_threads(napi_env env, napi_callback_info info) {
  (void)info;
  pool_init();
  napi_value v;
  CHECK(napi_create_int32(env, pool_size, &v));
  return v;
}

static napi_value init_module(napi_env env, napi_value exports) {
  static const struct {
    const char *name;
    napi_callback fn;
  } fns[] = {{"bnForward", js_bn_forward},         {"bnBackward", js_bn_backward}, {"reluGrad", js_relu_grad}, {"relu", js_relu}, {"add", js_add},
             {"maxPoolGrad", js_max_pool_grad},    {"momentumUpdate", js_momentum}, {"adamUpdate", js_adam}, {"im2col", js_im2col},
             {"col2im", js_col2im},                {"threads", js_threads}};
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    napi_value fn;
    CHECK(napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &fn));
    CHECK(napi_set_named_property(env, exports, fns[i].name, fn));
  }
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init_module)
